import Foundation

/// Builds a preset's cross-section in anatomy coordinates (millimetres; x along the view, z below the skin) and
/// hands it over in the probe frame (metres, offset and tilt applied).
struct AnatomySketch {
  let parameters: AnatomyParameters
  var map: TissueMap
  var boneSurfaces: [(name: String, points: [SIMD2<Double>])] = []
  var targets: [(name: String, shape: RegionShape, seenThrough: [RegionShape])] = []
  var landmarks: [(name: String, x: Double, z: Double)] = []

  init(_ p: AnatomyParameters, background: Tissue) {
    parameters = p
    map = TissueMap(background: p.tissue(background))
  }

  /// Depth (mm below the skin) of a point `below` mm under the top of the muscle, after the fat and the depth scale.
  func depth(_ below: Double) -> Double { 2 + parameters.fatThicknessMetres * 1e3 + below * parameters.depthScale }

  func probe(_ x: Double, _ z: Double) -> SIMD2<Double> { parameters.toProbe(SIMD2(x, z) * 1e-3) }

  mutating func polygon(_ v: [(Double, Double)], _ t: Tissue) {
    map.add(.polygon(v.map { probe($0.0, $0.1) }), parameters.tissue(t))
  }

  mutating func band(x: ClosedRange<Double>, z: ClosedRange<Double>, _ t: Tissue) {
    polygon(
      [
        (x.lowerBound, z.lowerBound), (x.upperBound, z.lowerBound), (x.upperBound, z.upperBound),
        (x.lowerBound, z.upperBound),
      ], t)
  }

  /// A bone polygon whose first `surfaceCount` vertices are its surface facing the probe.
  mutating func bone(_ name: String, _ v: [(Double, Double)], surfaceCount: Int) {
    polygon(v, .corticalBone)
    boneSurfaces.append((name, v.prefix(surfaceCount).map { probe($0.0, $0.1) }))
  }

  /// A rectangular target; `seenThrough` are polygons (mm) of the structures whose echoes show it.
  mutating func target(
    _ name: String, x: ClosedRange<Double>, z: ClosedRange<Double>, seenThrough: [[(Double, Double)]] = []
  ) {
    let v = [
      (x.lowerBound, z.lowerBound), (x.upperBound, z.lowerBound), (x.upperBound, z.upperBound),
      (x.lowerBound, z.upperBound),
    ]
    targets.append(
      (name, .polygon(v.map { probe($0.0, $0.1) }), seenThrough.map { .polygon($0.map { probe($0.0, $0.1) }) }))
  }

  mutating func landmark(_ name: String, x: Double, z: Double) {
    let p = probe(x, z)
    landmarks.append((name, p.x, p.y))
  }

  /// Skin (2 mm), subcutaneous fat and, below, `deep` across the whole width.
  mutating func layers(deep: Tissue, width: Double = 80) {
    band(x: -width...width, z: 0...2, .skin)
    band(x: -width...width, z: 2...depth(0), .fat)
    band(x: -width...width, z: depth(0)...300, deep)
    landmark("fat/muscle boundary", x: 0, z: depth(0))
  }
}

extension AnatomyPreset {
  /// The cross-section for `parameters`.
  public func build(_ parameters: AnatomyParameters) -> Anatomy {
    var s = AnatomySketch(parameters, background: self == .gelBlock ? .gel : .softTissue)
    switch self {
    case .gelBlock, .custom: break
    case .lumbarParamedianSagittal: s.paramedianSagittal()
    case .lumbarTransverseFacet: s.transverseFacet()
    case .sacralHiatus: s.sacralHiatus()
    }
    return Anatomy(preset: self, map: s.map, boneSurfaces: s.boneSurfaces, targets: s.targets, landmarks: s.landmarks)
  }
}

extension AnatomySketch {
  /// Names of the laminae above and below the level's interspace (L3-L4 → L3, L4), and their neighbours.
  func laminaNames() -> (above: String, below: String, higher: String, lower: String) {
    let order = ["L1", "L2", "L3", "L4", "L5", "S1"]
    let parts = parameters.level.split(separator: "-").map(String.init)
    let i = order.firstIndex(of: parts.first ?? "L3") ?? 2
    func name(_ k: Int) -> String { order.indices.contains(k) ? order[k] : "vertebra" }
    return (name(i), name(i + 1), name(i - 1), name(i + 2))
  }

  /// Paramedian sagittal oblique view (x caudal-ward): laminae as a sawtooth of oblique, rounded bone plates 24 mm
  /// long, 8 mm interlaminar windows (× `windowScale`, the period of 32 mm kept); through the window at x = 0 the
  /// posterior complex (ligamentum flavum 3.5 mm, posterior epidural fat 2 mm, posterior dura), the intrathecal CSF (13
  /// mm) and the anterior complex (anterior dura and posterior longitudinal ligament over the disc; the vertebral
  /// bodies either side). Skin to the posterior complex ≈ 43 mm with 12 mm of fat (physics.md: 3.96 ± 0.44 cm to the
  /// epidural space at L3–4, a few mm more in this view).
  mutating func paramedianSagittal() {
    layers(deep: .muscle)  // fibres along the spine: striated along x
    let top = depth(22)  // laminae tops
    let lf = top + 5  // ligamentum flavum
    let names = laminaNames()
    let gap = 8 * parameters.windowScale
    let plate = 32 - gap
    // Canal contents first (continuous along the spine); laminae painted over them.
    band(x: -80...80, z: lf...(lf + 3.5), .ligament)
    band(x: -80...80, z: (lf + 3.5)...(lf + 5.5), .fat)
    band(x: -80...80, z: (lf + 5.5)...(lf + 6.3), .connective)
    band(x: -80...80, z: (lf + 6.3)...(lf + 19.3), .csf)
    band(x: -80...80, z: (lf + 19.3)...(lf + 21), .connective)
    // Vertebral bodies, with the intervertebral discs (annulus: fibrous connective tissue, 10 mm) under the
    // interlaminar windows, so that through a window the anterior complex is the ligament over the disc and the
    // bodies' bone lies in the laminae's shadow.
    let posterior = lf + 21
    band(x: -80...80, z: posterior...(posterior + 40), .connective)
    for k in -3...2 {
      let x0 = Double(k) * 32 + 5
      let body = [(x0, posterior), (x0 + 22, posterior), (x0 + 22, posterior + 40), (x0, posterior + 40)]
      bone("vertebral body", body, surfaceCount: 2)
    }
    for (k, name) in [(-2, names.higher), (-1, names.above), (0, names.below), (1, names.lower)] {
      let x0 = Double(k) * 32 + gap / 2
      // Oblique plate, the cranial end 5 mm deeper than the caudal one, its posterior surface bulging 2.5 mm toward
      // the skin (a lamina's back is rounded): it rises at 32° at its cranial end and falls at 12° at its caudal end,
      // so part of every lamina faces the probe, and each shows as a tooth of the sawtooth whichever side of the
      // probe's axis it lies.
      let bulge = 2.5
      let surface = (0...8).map { i -> (Double, Double) in
        let u = Double(i) / 8
        return (x0 + plate * u, top + 3 - 5 * u - bulge * 4 * u * (1 - u))
      }
      bone("lamina \(name)", surface + [(x0 + plate, top + 4), (x0, top + 9)], surfaceCount: surface.count)
      landmark("lamina \(name)", x: x0 + plate / 2, z: top + 0.5 - bulge)
    }
    let half = max(gap / 2 - 1, 0.5)  // the part of the epidural space under the window
    target("epidural space", x: -half...half, z: (lf + 3.5)...(lf + 5.5))
    landmark("ligamentum flavum", x: 0, z: lf)
    landmark("posterior dura", x: 0, z: lf + 5.5)
    landmark("anterior complex", x: 0, z: lf + 19.3)
  }

  /// Transverse view at the facet level (x to the patient's right): spinous process tip in the midline with its
  /// shadow, laminae sloping down to the facet joints (superior and inferior articular processes with a 2 mm joint
  /// gap, × `windowScale`) and the transverse processes further out and deeper.
  mutating func transverseFacet() {
    var muscle = Tissue.muscle
    muscle.striationDepth = 0.3  // fibres cross this plane
    layers(deep: muscle)
    let tip = depth(5)
    let lamina = depth(25)
    let gap = 2 * parameters.windowScale
    let sap = 21 + gap  // medial edge of the superior articular process
    bone("spinous process", [(-3, tip), (3, tip), (3, lamina + 8), (-3, lamina + 8)], surfaceCount: 2)
    landmark("spinous process", x: 0, z: tip)
    var lips: [String: [[(Double, Double)]]] = [:]
    for side in [-1.0, 1.0] {
      let label = side < 0 ? "left" : "right"
      func m(_ x: Double) -> Double { side * x }
      bone(
        "lamina \(label)", [(m(3), lamina), (m(17), lamina + 5), (m(17), lamina + 10), (m(3), lamina + 6)],
        surfaceCount: 2)
      // Inferior articular process (medial) and superior articular process (lateral), the joint gap between.
      let inferior = [(m(16), lamina + 4), (m(21), lamina + 5), (m(21), lamina + 14), (m(16), lamina + 13)]
      bone("inferior articular process \(label)", inferior, surfaceCount: 2)
      polygon([(m(21), lamina + 5), (m(sap), lamina + 5.5), (m(sap), lamina + 14), (m(21), lamina + 14)], .csf)
      let superior = [(m(sap), lamina + 5.5), (m(29), lamina + 7), (m(29), lamina + 16), (m(sap), lamina + 15)]
      bone("superior articular process \(label)", superior, surfaceCount: 2)
      // The lips of the joint: the last 2 mm of each process's posterior surface at the gap, 1 mm deep.
      func lip(from a: (Double, Double), toward b: (Double, Double)) -> [(Double, Double)] {
        let u = 2 / abs(b.0 - a.0)
        let end = (a.0 + (b.0 - a.0) * u, a.1 + (b.1 - a.1) * u)
        return [a, end, (end.0, end.1 + 1), (a.0, a.1 + 1)]
      }
      lips[label] = [lip(from: inferior[1], toward: inferior[0]), lip(from: superior[0], toward: superior[1])]
      bone(
        "transverse process \(label)",
        [(m(30), lamina + 13), (m(48), lamina + 16), (m(48), lamina + 21), (m(30), lamina + 18)], surfaceCount: 2)
      landmark("facet joint \(label)", x: m(21 + gap / 2), z: lamina + 5.25)
      landmark("transverse process \(label)", x: m(39), z: lamina + 14.5)
    }
    // The joint is the fluid-filled gap; a trainee sees it as the break between the articular processes' bright
    // posterior surfaces, so the lips' echoes are the joint's own (``TargetEcho``).
    target("facet joint right", x: 21...sap, z: (lamina + 5.5)...(lamina + 11), seenThrough: lips["right"]!)
  }

  /// Longitudinal view of the sacral hiatus (x caudal-ward): dorsal sacral surface ending in the cornu at the
  /// hiatus apex, the sacrococcygeal ligament bridging the hiatus (18 mm × `windowScale`) to the coccyx, the sacral
  /// canal under it and its bony floor.
  mutating func sacralHiatus() {
    layers(deep: .connective)
    let dorsal = depth(4)
    let coccyx = -3 + 18 * parameters.windowScale  // cranial end of the coccyx
    band(x: -80...80, z: (dorsal + 2.5)...(dorsal + 7), .fat)  // sacral canal (epidural fat)
    bone(
      "ventral sacral wall", [(-80, dorsal + 7), (80, dorsal + 9), (80, dorsal + 40), (-80, dorsal + 40)],
      surfaceCount: 2)
    bone(
      "dorsal sacrum",
      [(-80, dorsal), (-8, dorsal), (-5, dorsal - 2), (-3, dorsal), (-3, dorsal + 2.5), (-80, dorsal + 2.5)],
      surfaceCount: 4)
    band(x: -3...coccyx, z: dorsal...(dorsal + 2.5), .ligament)
    bone("coccyx", [(coccyx, dorsal + 0.5), (80, dorsal + 4), (80, dorsal + 9), (coccyx, dorsal + 5)], surfaceCount: 2)
    // The target is where a caudal needle ends: the canal at the hiatus apex, 3 mm either side of the sacrum's
    // caudal edge — half of it under the dorsal sacrum, seen only through the hiatus.
    target("sacral hiatus", x: -6...min(0, coccyx), z: (dorsal + 2.5)...(dorsal + 7))
    landmark("dorsal sacrum", x: -14, z: dorsal)
    landmark("sacral cornu", x: -5, z: dorsal - 2)
    landmark("sacrococcygeal ligament", x: (coccyx - 3) / 2, z: dorsal)
    landmark("canal floor", x: (coccyx - 3) / 2, z: dorsal + 7 + 2 * ((coccyx - 3) / 2 + 80) / 160)
  }
}
