import Foundation

/// A scan-plane cross-section of anatomy in the probe's frame, with what ground truth needs: the tissue map, the
/// bone surfaces that face the probe, the named targets and the structures a test or a trainee looks for.
public struct Anatomy: Sendable {
  public var preset: AnatomyPreset
  public var map: TissueMap
  /// Bone surfaces facing the probe, as polylines (x, z) in metres, named.
  public var boneSurfaces: [(name: String, points: [SIMD2<Double>])]
  /// Targets of the procedure (facet joint gap, epidural space, sacral hiatus), named; with the structures a trainee
  /// sees the target through when it is anechoic and its boundaries lie beyond its outline (the facet joint's
  /// articular processes), whose echoes count as the target's own.
  public var targets: [(name: String, shape: RegionShape, seenThrough: [RegionShape])]
  /// Key structures and where their upper surface crosses a vertical line: (name, x, z) in metres, for checks.
  public var landmarks: [(name: String, x: Double, z: Double)]
}

/// The anatomy presets of `phantom: {preset: …}` (views and values from `docs/physics.md`, "Lumbar
/// anatomy for phantoms").
public enum AnatomyPreset: String, Sendable, CaseIterable {
  case lumbarParamedianSagittal = "lumbar-paramedian-sagittal"
  case lumbarTransverseFacet = "lumbar-transverse-facet"
  case sacralHiatus = "sacral-hiatus"
  case gelBlock = "gel-block"
  /// A user's own geometry (``CustomTissues``) over a uniform background: not a preset a scenario names.
  case custom

  /// The presets a scenario can name (every case but ``custom``).
  public static var allCases: [AnatomyPreset] {
    [.lumbarParamedianSagittal, .lumbarTransverseFacet, .sacralHiatus, .gelBlock]
  }
}

/// A user's tissue geometry (`phantom: {background, regions}`), painted in order over a preset's cross-section or,
/// without a preset, over a uniform `background`: shapes in the probe frame (metres), each of a named or custom
/// tissue. Bone regions shadow what lies behind them through the tissue map, as the presets' do.
public struct CustomTissues: Sendable, Equatable {
  public struct Patch: Sendable, Equatable {
    public var shape: RegionShape
    public var tissue: Tissue
    public init(shape: RegionShape, tissue: Tissue) {
      self.shape = shape
      self.tissue = tissue
    }
  }
  /// The tissue under everything (nil: the preset's, or gel without a preset).
  public var background: Tissue?
  public var patches: [Patch]

  public init(background: Tissue? = nil, patches: [Patch] = []) {
    self.background = background
    self.patches = patches
  }

  /// `anatomy` with the background replaced (when given and `replaceBackground`) and the patches painted over it,
  /// each tissue through the parameters' overrides and speckle density scale.
  public func paint(over anatomy: Anatomy, parameters: AnatomyParameters, replaceBackground: Bool) -> Anatomy {
    var a = anatomy
    if replaceBackground, let b = background { a.map = TissueMap(background: parameters.tissue(b)) }
    for p in patches { a.map.add(p.shape, parameters.tissue(p.tissue)) }
    return a
  }
}

/// The parameters every preset takes.
public struct AnatomyParameters: Sendable, Equatable {
  /// Vertebral level of the view's centre ("L3-L4"): which laminae and interspace are named.
  public var level: String
  /// Subcutaneous fat thickness (m): body habitus. Deeper structures move down with it.
  public var fatThicknessMetres: Double
  /// Scale of all depths below the fat (1 = adult average).
  public var depthScale: Double
  /// Probe position along the scan plane relative to the view's centre (m) and its rocking tilt (radians).
  public var probeOffsetMetres: Double
  public var probeTiltRadians: Double
  /// Width of the preset's acoustic window relative to its standard one (1): the interlaminar gap (8 mm), the facet
  /// joint gap (2 mm), the sacral hiatus (18 mm). Narrower windows make targets harder to see past the bone.
  public var windowScale: Double
  /// Tissue properties replacing the defaults, by tissue name (`Tissue.name`).
  public var tissueOverrides: [String: Tissue]
  /// Every tissue's diffuse-scatterer density times k, its amplitude spread divided by √k (1 = the tissues' own).
  ///
  /// The mean backscattered power of a tissue is proportional to (density × amplitude variance), so k keeps every
  /// tissue's mean echo level and every contrast between tissues, and puts k times more scatterers into each
  /// resolution cell: speckle tends to the fully developed (Rayleigh) statistics, mean/std 1.91
  /// (`docs/metrics.md`), as that number grows (Wagner et al., "Statistics of speckle in ultrasound
  /// B-scans", IEEE Trans. Sonics Ultrason. 30(3), 1983, 156–163). The synthesis costs k times more.
  public var speckleDensityScale: Double

  public static let levels = ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]

  public init(
    level: String = "L3-L4", fatThicknessMetres: Double = 12e-3, depthScale: Double = 1, probeOffsetMetres: Double = 0,
    probeTiltRadians: Double = 0, windowScale: Double = 1, tissueOverrides: [String: Tissue] = [:],
    speckleDensityScale: Double = 1
  ) {
    self.speckleDensityScale = speckleDensityScale
    self.windowScale = windowScale
    self.level = level
    self.fatThicknessMetres = fatThicknessMetres
    self.depthScale = depthScale
    self.probeOffsetMetres = probeOffsetMetres
    self.probeTiltRadians = probeTiltRadians
    self.tissueOverrides = tissueOverrides
  }

  /// The tissue to use for `t`, with any override by its name and the speckle density scale applied.
  public func tissue(_ t: Tissue) -> Tissue {
    var u = tissueOverrides[t.name] ?? t
    if speckleDensityScale != 1 {
      u.scatterersPerSquareMillimetre *= speckleDensityScale
      u.amplitudeStd /= speckleDensityScale.squareRoot()
    }
    return u
  }

  /// Anatomy coordinates (x along the view, depth z below the skin) to the probe frame: shift by the probe
  /// offset, then rotate by the tilt about the contact point.
  public func toProbe(_ p: SIMD2<Double>) -> SIMD2<Double> {
    let q = SIMD2(p.x - probeOffsetMetres, p.y)
    let (c, s) = (cos(probeTiltRadians), sin(probeTiltRadians))
    return SIMD2(c * q.x - s * q.y, s * q.x + c * q.y)
  }

  /// The inverse of ``toProbe(_:)``: a probe-frame point to anatomy coordinates, rotated back by the tilt and
  /// shifted by the offset; `translate: false` turns a direction (an element's normal) without the shift.
  public func toAnatomy(_ q: SIMD2<Double>, translate: Bool = true) -> SIMD2<Double> {
    let (c, s) = (cos(probeTiltRadians), sin(probeTiltRadians))
    return SIMD2(c * q.x + s * q.y + (translate ? probeOffsetMetres : 0), -s * q.x + c * q.y)
  }
}

extension Anatomy {
  /// Every scatterer of the scene in `field`: each tissue's speckle (spread over `thicknessMetres` in elevation),
  /// the specular interfaces, and the needles' echoes, with the tissue the needles displace left empty.
  /// `needleEchoes: false` leaves the needles' own echoes out (the tissue they displace stays empty). With the
  /// physical calibration, speckle amplitudes follow from the tissues' backscatter at `frequencyHz` and surfaces are
  /// Kirchhoff sheets (``EchoCalibration``); `incidence` sets the angle of the surfaces' reflection coefficients
  /// (``SpecularIncidence``); `needleWall` gives a needle's wall echo in the tissue around its tip (``EchoTrain``; a
  /// plain steel interface without it); `beamFrom` where the beam comes from: the side of each surface it lights, and
  /// an echogenic needle's pits or bubbles
  /// (``Needle/surfaceEchoes(wavenumber:surrounding:insonifiedFrom:scale:seed:)``).
  public func scatterers(
    in field: Field, thicknessMetres: Double, wavelengthMetres lambda: Double, needles: [Needle], seed: UInt64,
    needleEchoes: Bool = true, calibration: EchoCalibration = .relative, frequencyHz: Double = 5e6,
    incidence: SpecularIncidence = .normal, beamFrom: SpecularIncidence = .normal,
    needleWall: ((Needle, Tissue) -> EchoTrain)? = nil
  ) -> ScattererSet {
    var speckle =
      calibration == .physical
      ? map.speckle(in: field, thicknessMetres: thicknessMetres, frequencyHz: frequencyHz, seed: seed)
      : map.speckle(in: field, thicknessMetres: thicknessMetres, amplitudeUnit: Tissue.speckleAmplitudeUnit, seed: seed)
    for n in needles { speckle = n.displacing(speckle) }
    var set = speckle
    set.append(
      contentsOf: map.interfaces(
        in: field, wavelengthMetres: lambda, seed: seed, model: calibration, incidence: incidence,
        insonifiedFrom: beamFrom))
    for n in needles where needleEchoes {
      let tissue = map.tissue(x: n.tipX, z: n.tipZ)
      set.append(
        contentsOf: n.echoes(
          wavelengthMetres: lambda, surrounding: tissue, wall: needleWall?(n, tissue), model: calibration),
        in: field)
      set.append(
        contentsOf: n.surfaceEchoes(
          wavenumber: 2 * Double.pi / lambda, surrounding: tissue, insonifiedFrom: beamFrom,
          scale: calibration.pointScatteringScale(frequencyHz: frequencyHz, thicknessMetres: thicknessMetres),
          seed: seed),
        in: field)
    }
    return set
  }
}
