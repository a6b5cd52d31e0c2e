import Acoustics
import Foundation
import Phantom

extension Scenario {
  /// The anatomy preset built with its parameters (nil when the scenario has none).
  public func builtAnatomy() -> Anatomy? {
    phantom.map { $0.build() }
  }

  /// Where the anatomy's scatterers are made: the image with 3 mm margins, from the skin down (with a sector field
  /// of view, only those within ``nearSector(x:z:)`` are kept).
  public var scatterField: Field {
    Field(
      xMin: image.xRangeMetres.lowerBound - 3e-3, xMax: image.xRangeMetres.upperBound + 3e-3, zMin: 0,
      zMax: image.zRangeMetres.upperBound + 3e-3)
  }

  /// Every scatterer of the scene: the `scatterers` regions, points and file; the anatomy's tissues and
  /// interfaces; the needles' echoes, with the tissue they displace emptied (in the anatomy, or in the uniform
  /// medium taken as generic soft tissue at the medium's speed).
  /// - Parameter built: the anatomy already built from this scenario (built here when nil).
  public func allScatterers(anatomy built: Anatomy? = nil) -> ScattererSet {
    let lambda = probe.wavelength(soundSpeed: medium.soundSpeedMetresPerSecond)
    var set = scatterers.scatterers(
      seed: seed, backscatterFrequencyHz: physics.calibration == .physical ? probe.centerFrequencyHz : nil)
    if let plan = phantom, let a = built ?? builtAnatomy() {
      for n in needles { set = n.displacing(set) }
      var anatomy = a.scatterers(
        in: scatterField, thicknessMetres: plan.elevationThicknessMetres, wavelengthMetres: lambda, needles: needles,
        seed: seed, calibration: physics.calibration, frequencyHz: probe.centerFrequencyHz,
        incidence: specularIncidence, beamFrom: beamOrigin, needleWall: { needleWall($0, surrounding: $1) })
      if image.fieldOfView == .sector { anatomy = anatomy.keeping(where: nearSector) }
      set.append(contentsOf: anatomy)
    } else {
      var tissue = Tissue.softTissue
      tissue.soundSpeedMetresPerSecond = medium.soundSpeedMetresPerSecond
      for n in needles { set = n.displacing(set) }
      let field = scatterField
      for n in needles {
        set.append(
          contentsOf: n.echoes(
            wavelengthMetres: lambda, surrounding: tissue, wall: needleWall(n, surrounding: tissue),
            model: physics.calibration),
          in: field)
        // Without a phantom, the pits or bubbles stand against generic soft tissue spread over the presets' default
        // slab.
        let scale = physics.calibration.pointScatteringScale(
          frequencyHz: probe.centerFrequencyHz, thicknessMetres: AnatomyPlan(preset: .gelBlock).elevationThicknessMetres
        )
        set.append(
          contentsOf: n.surfaceEchoes(
            wavenumber: 2 * Double.pi / lambda, surrounding: tissue, insonifiedFrom: beamOrigin, scale: scale,
            seed: seed),
          in: field)
      }
    }
    return set
  }

  /// The anatomy's tissue scatterers in ``scatterField`` — speckle and interfaces, the tissue the needles displace left
  /// empty — without the needles' own echoes: what the frame holds besides its needles (empty without a phantom).
  public func tissueScatterers(of anatomy: Anatomy) -> ScattererSet {
    guard let plan = phantom else { return ScattererSet() }
    return anatomy.scatterers(
      in: scatterField, thicknessMetres: plan.elevationThicknessMetres,
      wavelengthMetres: probe.wavelength(soundSpeed: medium.soundSpeedMetresPerSecond), needles: needles, seed: seed,
      needleEchoes: false, calibration: physics.calibration, frequencyHz: probe.centerFrequencyHz,
      incidence: specularIncidence, beamFrom: beamOrigin)
  }

  /// Whether (x, z) (metres) lies within 3 mm of the image's sector (``ImagePlan/FieldOfView/sector``), as the
  /// rectangle's scatterers lie within 3 mm of the rectangle: at most 3 mm beyond its bottom arc, and at most 3 mm
  /// across its side edges (the sides are lines through the apex at ±θ: a point at angle φ, range r from the apex
  /// lies r·sin(|φ| − θ) from them).
  func nearSector(x: Double, z: Double) -> Bool {
    let apex = probe.sectorApex
    let (dx, dz) = (x - apex.xMetres, z - apex.zMetres)
    let r = hypot(dx, dz)
    let beyond = abs(atan2(dx, dz)) - probe.sectorHalfAngleRadians
    return r <= image.zRangeMetres.upperBound - apex.zMetres + 3e-3 && (beyond <= 0 || r * sin(beyond) <= 3e-3)
  }

  /// A needle's wall echo with its reverberations in `surrounding` tissue (``Acoustics/NeedleWallEcho``), in this
  /// scenario's pulse band, keeping copies that arrive within the record of the image's depth.
  public func needleWall(_ needle: Needle, surrounding: Tissue) -> EchoTrain {
    NeedleWallEcho.train(
      needle: needle, surrounding: surrounding, pulse: pulse,
      maximumDelaySeconds: 2 * image.zRangeMetres.upperBound / medium.soundSpeedMetresPerSecond)
  }

  /// The needles as the propagation medium sees them (`physics.needle_shadow`; none when it is off): each shaft's
  /// walls and lumen at the probe's centre frequency, in soft tissue at the medium's speed.
  public var needleCrossings: [NeedleCrossing] {
    guard physics.needleShadow else { return [] }
    var tissue = Tissue.softTissue
    tissue.soundSpeedMetresPerSecond = medium.soundSpeedMetresPerSecond
    return needles.map { NeedleCrossing(needle: $0, surrounding: tissue, frequencyHz: probe.centerFrequencyHz) }
  }

  /// The direction sound meets the anatomy's surfaces from, for their reflection coefficients: normal incidence,
  /// or with `physics.interfaces_at_incidence` straight down (linear arrays) or from the sector's apex (convex and
  /// phased).
  public var specularIncidence: SpecularIncidence {
    physics.interfacesAtIncidence ? beamOrigin : .normal
  }

  /// Where the beam comes from: straight down for a linear array, from the sector's apex for a convex or phased one
  /// (the beam's dominant direction; a needle's dimples and bubbles are insonified from it).
  public var beamOrigin: SpecularIncidence {
    if probe.layout == .linear { return .along(SIMD2(0, 1)) }
    return .from(SIMD2(probe.sectorApex.xMetres, probe.sectorApex.zMetres))
  }

  /// Propagation through the anatomy's tissues, tabulated for this probe over the whole record.
  public func tissueMedium(_ a: Anatomy, threads: Int) -> TissueMedium {
    let xs = probe.elements.map(\.xMetres)
    let zs = probe.elements.map(\.zMetres)
    let field = Field(
      xMin: min(xs.min()!, image.xRangeMetres.lowerBound) - 10e-3,
      xMax: max(xs.max()!, image.xRangeMetres.upperBound) + 10e-3,
      zMin: zs.min()! - 1e-3, zMax: image.zRangeMetres.upperBound + 10e-3)
    var far = 0.0
    for x in [field.xMin, field.xMax] {
      for e in probe.elements { far = max(far, hypot(x - e.xMetres, field.zMax - e.zMetres)) }
    }
    return TissueMedium(
      map: a.map, field: field, centreFrequencyHz: probe.centerFrequencyHz,
      soundSpeedMetresPerSecond: medium.soundSpeedMetresPerSecond, speedsAlongPaths: phantom?.speedsAlongPaths ?? false,
      interfacesAtIncidence: physics.interfacesAtIncidence
    ).tabulated(forElementsX: xs, z: zs, maximumRangeMetres: far, threads: threads)
  }
}
