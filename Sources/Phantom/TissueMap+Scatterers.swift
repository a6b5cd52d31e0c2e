import Foundation

/// A rectangle of the scan plane (metres) in which scatterers are made.
public struct Field: Sendable, Equatable {
  public var xMin: Double
  public var xMax: Double
  public var zMin: Double
  public var zMax: Double

  public init(xMin: Double, xMax: Double, zMin: Double, zMax: Double) {
    self.xMin = xMin
    self.xMax = xMax
    self.zMin = zMin
    self.zMax = zMax
  }

  public func contains(x: Double, z: Double) -> Bool { x >= xMin && x <= xMax && z >= zMin && z <= zMax }
}

extension ScattererSet {
  /// Appends the scatterers of `other` that lie in `field` (by x and z).
  public mutating func append(contentsOf other: ScattererSet, in field: Field) {
    for i in 0..<other.count where field.contains(x: Double(other.x[i]), z: Double(other.z[i])) {
      append(i, of: other)
    }
  }
}

extension TissueMap {
  /// Diffuse scatterers of every tissue in `field`, spread uniformly over `y ∈ [−thickness/2, thickness/2]`.
  ///
  /// Candidates are drawn at the highest tissue density and each is kept with probability (its tissue's density) /
  /// (highest density), so every tissue gets its own density in one pass. Amplitudes are ±σ, σ the tissue's
  /// ``Tissue/amplitudeStd`` times `amplitudeUnit`, with a random sign; striated tissues multiply them by
  /// `max(0, 1 + m·cos(2π·d/s + φ))`, d the distance across the fibres, s their spacing, φ a slow wobble along them.
  ///
  /// Why a sign and not a Gaussian: the points stand for a continuum of weak scatterers, whose echo is complex
  /// Gaussian (Rayleigh envelope), and a sum of few points reaches that limit the sooner the less their amplitudes
  /// vary. For a Poisson field of density ρ seen through the point-spread function h, Campbell's theorem gives the
  /// intensity's normalised moment
  /// ```
  /// ⟨I²⟩/⟨I⟩² = 2 + κ/M,   κ = ⟨a⁴⟩/⟨a²⟩²,   M = ρ·(∫|h|²)² / ∫|h|⁴   (the points per resolution cell)
  /// ```
  /// (2 for Rayleigh). κ is 1 for a random sign and 3 for a Gaussian: the same power η, the statistics of three
  /// times the density, at no cost (`SpeckleTests` measures both moments against this law).
  public func speckle(in field: Field, thicknessMetres: Double, amplitudeUnit: Double, seed: UInt64) -> ScattererSet {
    speckle(in: field, thicknessMetres: thicknessMetres, seed: seed) { $0.amplitudeStd * amplitudeUnit }
  }

  /// Diffuse scatterers as ``speckle(in:thicknessMetres:amplitudeUnit:seed:)`` makes them, with each tissue's
  /// amplitude from its backscatter coefficient at `frequencyHz`
  /// (``Tissue/speckleAmplitude(frequencyHz:thicknessMetres:)``, the physical calibration; the same draws, so only
  /// the scale of each tissue differs).
  public func speckle(in field: Field, thicknessMetres: Double, frequencyHz: Double, seed: UInt64) -> ScattererSet {
    speckle(in: field, thicknessMetres: thicknessMetres, seed: seed) {
      $0.speckleAmplitude(frequencyHz: frequencyHz, thicknessMetres: thicknessMetres)
    }
  }

  /// The draws shared by both calibrations; `std` gives a tissue's amplitude standard deviation.
  func speckle(
    in field: Field, thicknessMetres: Double, seed: UInt64, std: (Tissue) -> Double
  ) -> ScattererSet {
    var rng = RandomSource.derived(seed: seed, purpose: 2001)
    let top = tissues.map(\.scatterersPerSquareMillimetre).max() ?? 0
    var set = ScattererSet()
    guard top > 0 else { return set }
    let area = (field.xMax - field.xMin) * (field.zMax - field.zMin)
    let n = rng.poisson(mean: top * area * 1e6)
    set.reserveCapacity(n)
    for _ in 0..<n {
      // Every candidate draws the same numbers, kept or not, so a change of one tissue leaves the others' draws.
      let x = rng.uniform(field.xMin, field.xMax)
      let z = rng.uniform(field.zMin, field.zMax)
      let y = thicknessMetres > 0 ? rng.uniform(-thicknessMetres / 2, thicknessMetres / 2) : 0
      let keep = rng.uniform()
      let sign = rng.sign()
      let t = tissue(x: x, z: z)
      guard keep * top < t.scatterersPerSquareMillimetre else { continue }
      var a = sign * std(t)
      if t.striationDepth > 0 {
        let (c, s) = (cos(t.striationAngleRadians), sin(t.striationAngleRadians))
        let across = -x * s + z * c
        let along = x * c + z * s
        let wobble = 0.6 * sin(2 * Double.pi * along / (9 * t.striationSpacingMetres))
        a *= max(0, 1 + t.striationDepth * cos(2 * Double.pi * across / t.striationSpacingMetres + wobble))
      }
      set.append(xMetres: Float(x), yMetres: Float(y), zMetres: Float(z), amplitude: Float(a))
    }
    return set
  }

  /// Specular reflectors on every boundary where the impedance changes, in `field` and in the scan plane.
  ///
  /// Points Δ = λ/4 apart (between neighbours the two-way path differs by at most 2Δ = λ/2, so no direction aliases and
  /// the sum stands for the surface integral) along each region's boundary; at each, the tissues a hair's breadth
  /// either side decide the pressure reflection R = (Z_far − Z_near)/(Z_far + Z_near), the near side being the one the
  /// sound arrives from: the side the outline's normal turns toward the source of `insonifiedFrom` (the beam's dominant
  /// direction; ``SpecularIncidence/nearSideIsPlus(at:normal:)``). A wall seen edge-on thus changes sides only when the
  /// source crosses its plane — the side it lights — and not with the sign of a tilt of a degree, as a shallower-side
  /// rule makes a vertical wall do. Edges covered by a later region see the same tissue on both sides and vanish.
  /// Amplitude `R·Δ/√λ`: by stationary phase, a line of points of amplitude A every Δ returns, to an element at
  /// distance z, `(A/Δ)·√(λ/2z)` times the pulse (with a −45° phase), while a mirror of reflection R returns `R/√(2z)`
  /// (the image source at 2z, in-plane cylindrical spreading as in the physics core), so A = R·Δ/√λ makes the line a
  /// mirror of reflection R. Where either tissue is rough (``Tissue/surfaceRoughnessMetres``, the larger σ of the two),
  /// each point moves along the normal by a Gaussian of standard deviation σ: the coherent echo falls by exp(−2k²σ²)
  /// and the rest scatters diffusely. Each point sits 0.01 mm (λ/20 at 7.6 MHz) off the outline on the near side, so
  /// that the paths to it are those of the near tissue: a surface's echo carries none of the loss of the tissue it
  /// bounds (``TissueMedium``).
  ///
  /// With the physical calibration (`model: .physical`) the points are strips of Kirchhoff sheets across the
  /// elevation beam (``ScattererSet/sheetRadius`` ∞) of amplitude `R·Δ/λ`: the −i/λ per unit area that makes a
  /// sheet of scatterers a mirror of reflection R in 3-D (``ElevationSheet`` in the physics core), the elevation
  /// integral being the physics core's.
  ///
  /// `incidence` sets the angle at which the sound meets each surface point, for R: normal incidence everywhere
  /// (the default), or from a direction or a point (the beam's dominant direction: straight down for a linear
  /// array, from the sector's apex for a convex or phased one), with the Fresnel R of
  /// ``Tissue/reflection(into:cosIncidence:)`` at the angle between that ray and the outline's normal — total past
  /// the critical angle. `insonifiedFrom` `.normal` (no source given) takes straight down, the near side then being
  /// the shallower one (the left one on an exactly vertical wall).
  public func interfaces(
    in field: Field, wavelengthMetres lambda: Double, seed: UInt64, model: EchoCalibration = .relative,
    incidence: SpecularIncidence = .normal, insonifiedFrom source: SpecularIncidence = .normal
  ) -> ScattererSet {
    var rng = RandomSource.derived(seed: seed, purpose: 2002)
    let spacing = lambda / 4
    let amplitude = model.specularAmplitude(spacingMetres: spacing, wavelengthMetres: lambda)
    let probe = 0.02e-3
    var set = ScattererSet()
    for region in regions {
      for (p, n) in region.shape.boundaryPoints(spacing: spacing) where field.contains(x: p.x, z: p.y) {
        let a = p + n * probe
        let b = p - n * probe
        let ta = tissue(x: a.x, z: a.y)
        let tb = tissue(x: b.x, z: b.y)
        if ta == tb { continue }
        let aIsNear = source.nearSideIsPlus(at: p, normal: n)
        let (near, far) = aIsNear ? (ta, tb) : (tb, ta)
        let r =
          incidence.cosine(at: p, normal: n).map { near.reflection(into: far, cosIncidence: $0) }
          ?? near.reflection(into: far)
        if r == 0 { continue }
        let towardNear = aIsNear ? n : -n
        let q =
          p + towardNear * 0.01e-3
          + n * (rng.gaussian() * max(near.surfaceRoughnessMetres, far.surfaceRoughnessMetres))
        set.append(
          xMetres: Float(q.x), yMetres: 0, zMetres: Float(q.y), amplitude: Float(r * amplitude),
          sheetRadius: model.flatSheetRadius)
      }
    }
    return set
  }
}

/// Where the sound that meets a surface comes from, for the angle of its specular reflection
/// (``TissueMap/interfaces(in:wavelengthMetres:seed:model:incidence:)``).
public enum SpecularIncidence: Sendable, Equatable {
  /// Every surface met at normal incidence.
  case normal
  /// Along one direction (x, z), e.g. (0, 1) straight down from a linear array.
  case along(SIMD2<Double>)
  /// Along rays from a point (x, z): a convex or phased probe's sector apex.
  case from(SIMD2<Double>)

  /// Whether the sound meets the outline at `p` from the side its `normal` points to: the ray's direction d (straight
  /// down for `.normal`) has d·n < 0. A ray along the outline (d·n = 0) takes the shallower side, then the left one.
  func nearSideIsPlus(at p: SIMD2<Double>, normal n: SIMD2<Double>) -> Bool {
    let along = ((direction(at: p) ?? SIMD2(0, 1)) * n).sum()
    if along != 0 { return along < 0 }
    return n.y < 0 || (n.y == 0 && n.x < 0)
  }

  /// The incoming ray's direction at `p` (not normalised); nil for `.normal`.
  func direction(at p: SIMD2<Double>) -> SIMD2<Double>? {
    switch self {
    case .normal: nil
    case .along(let d): d
    case .from(let o): p - o
    }
  }

  /// |cos| of the angle between the incoming ray at `p` and the outline's unit `normal`; nil for `.normal`.
  func cosine(at p: SIMD2<Double>, normal: SIMD2<Double>) -> Double? {
    guard let direction = direction(at: p) else { return nil }
    let length = (direction * direction).sum().squareRoot()
    guard length > 0 else { return 1 }
    return min(1, abs((direction * normal).sum()) / length)
  }
}
