import Foundation

/// What is imaged: layered speckle regions, explicit point targets and any scatterers loaded from elsewhere.
///
/// `scatterers(seed:)` turns it into a ``ScattererSet``. Generation is deterministic: region `k` draws from the
/// stream `RandomSource.derived(seed:, purpose: 1000 + k)`, so editing one region does not change another's speckle.
public struct PhantomDescription: Sendable, Equatable {
  public var regions: [SpeckleRegion]
  public var points: [PointTarget]
  /// Scatterers given as is (for example from a `.npy` file), appended after the points.
  public var extra: ScattererSet

  public init(regions: [SpeckleRegion] = [], points: [PointTarget] = [], extra: ScattererSet = ScattererSet()) {
    self.regions = regions
    self.points = points
    self.extra = extra
  }

  /// Expected total number of scatterers (regions ignore later regions' cut-outs here, so this is an upper bound).
  public var expectedScattererCount: Int {
    Int(regions.reduce(0) { $0 + $1.expectedCount }.rounded(.up)) + points.count + extra.count
  }

  /// Generates the scatterers for `seed`.
  ///
  /// Each region receives a Poisson number of scatterers with mean density × area, placed uniformly over its
  /// shape (rejection sampling inside the bounding box), unless a later region contains the point. With
  /// `backscatterFrequencyHz` (the physical calibration, ``EchoCalibration``), a region's 0 dB is generic soft
  /// tissue's backscatter coefficient at that frequency over its density and thickness
  /// (``Tissue/speckleAmplitude(frequencyHz:thicknessMetres:)``); points and extra scatterers keep their amplitudes
  /// (scattering amplitudes in metres).
  public func scatterers(seed: UInt64, backscatterFrequencyHz: Double? = nil) -> ScattererSet {
    var set = ScattererSet()
    set.reserveCapacity(expectedScattererCount)
    for (k, region) in regions.enumerated() where region.densityPerMm2 > 0 {
      var rng = RandomSource.derived(seed: seed, purpose: 1000 + UInt64(k))
      let b = region.shape.bounds
      let boxArea = (b.xMax - b.xMin) * (b.zMax - b.zMin)
      let n = rng.poisson(mean: region.densityPerMm2 * boxArea * 1e6)
      var unit = 1.0
      if let f = backscatterFrequencyHz {
        var tissue = Tissue.softTissue
        tissue.scatterersPerSquareMillimetre = region.densityPerMm2
        unit = tissue.speckleAmplitude(frequencyHz: f, thicknessMetres: region.thicknessMetres)
      }
      let sigma = pow(10, region.echogenicityDb / 20) * unit
      let later = regions[(k + 1)...]
      for _ in 0..<n {
        let px = rng.uniform(b.xMin, b.xMax)
        let pz = rng.uniform(b.zMin, b.zMax)
        let py = region.thicknessMetres > 0 ? rng.uniform(-region.thicknessMetres / 2, region.thicknessMetres / 2) : 0
        let a = sigma * rng.sign()
        guard region.shape.contains(x: px, z: pz) else { continue }
        if later.contains(where: { $0.shape.contains(x: px, z: pz) }) { continue }
        set.append(xMetres: Float(px), yMetres: Float(py), zMetres: Float(pz), amplitude: Float(a))
      }
    }
    for p in points {
      set.append(
        xMetres: Float(p.xMetres), yMetres: Float(p.yMetres), zMetres: Float(p.zMetres), amplitude: Float(p.amplitude))
    }
    set.append(contentsOf: extra)
    return set
  }
}
