import FileFormats
import Foundation
import Phantom
import Scenario
import Studies
import TestSupport
import XCTest
import Yams

/// Datasets: distributions, identical bytes whatever the layout (one run, shards in one folder or merged from
/// several, workers, interruptions — a real process killed), COCO labels that agree with the masks, inspection, the
/// Python loader and the scheduler recipes.
final class DatasetTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static var executable: URL { Programs.usSim }

  func temporaryDirectory() -> URL { Programs.temporaryDirectory("us-sim-dataset") }

  /// A small, fast configuration: gel block, a small image, 0–2 needles, one of two probes.
  static let smallConfig = """
    scene:
      probe: {preset: {choice: [L11-5v, L12-3v]}}
      phantom: {preset: gel-block}
      needles:
        repeat:
          gauge: {choice: [18, 22, 25]}
          tip_mm: [{uniform: [-4, 4]}, {uniform: [10, 20]}]
          angle_deg: {uniform: [10, 40]}
          side: {choice: [left, right]}
          elevation_offset_mm: {normal: [0, 0.3], clip: [-1, 1]}
        count: {choice: [0, 1, 2], weights: [1, 3, 1]}
      transmit: {scheme: plane_wave, angles_deg: {choice: [[0], perpendicular]}}
      image: {x_mm: [-8, 8], z_mm: [6, 22], pixel_mm: 0.2, gain_db: {uniform: [-3, 3]}}
      acquisition: {noise_snr_db: {uniform: [25, 45]}}
    """

  func writeConfig(_ text: String = smallConfig) throws -> URL {
    let url = temporaryDirectory().appendingPathComponent("config.yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  /// Every file under `dir` (relative path → bytes), hidden files included.
  func tree(_ dir: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])!
    for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
      out[String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))] = try Data(
        contentsOf: url)
    }
    return out
  }

  func assertSameFiles(
    _ a: [String: Data], _ b: [String: Data], _ what: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), what, file: file, line: line)
    let differing = a.keys.sorted().filter { a[$0] != b[$0] }
    XCTAssertEqual(differing, [], "\(what): these files differ", file: file, line: line)
  }

  // MARK: Distributions

  func testDistributionsDrawWhatTheySay() throws {
    let t = try ParameterTemplate(
      try Yams.load(
        yaml: """
          a: {uniform: [2, 5]}
          b: {integer: [1, 3]}
          c: {normal: [0, 1], clip: [-0.5, 2]}
          d: {choice: [x, y], weights: [3, 1]}
          e: {repeat: {g: {choice: [18, 22]}}, count: {integer: [0, 2]}}
          f: {fixed: {uniform: [1, 2]}}
          g: [1, {uniform: [0, 1]}]
          """)!)
    var rng = RandomSource(seed: 5)
    var a: [Double] = []
    var b: [Int: Int] = [:]
    var c: [Double] = []
    var d = 0
    var e: [Int: Int] = [:]
    let n = 4000
    for _ in 0..<n {
      let (tree, drawn) = t.draw(&rng)
      let m = tree as! [String: Any]
      a.append(m["a"] as! Double)
      b[m["b"] as! Int, default: 0] += 1
      c.append(m["c"] as! Double)
      if (m["d"] as! String) == "x" { d += 1 }
      let list = m["e"] as! [Any]
      e[list.count, default: 0] += 1
      XCTAssertEqual(drawn["e.count"] as? Int, list.count)
      XCTAssertEqual((m["f"] as? [String: Any])?.keys.sorted(), ["uniform"])
      XCTAssertEqual((m["g"] as! [Any])[0] as? Int, 1)
      XCTAssertNotNil(drawn["g[1]"])
    }
    XCTAssertTrue(a.allSatisfy { $0 >= 2 && $0 < 5 })
    XCTAssertEqual(a.reduce(0, +) / Double(n), 3.5, accuracy: 0.05)  // σ of the mean ≈ 0.014
    XCTAssertEqual(b.keys.sorted(), [1, 2, 3])
    for k in 1...3 { XCTAssertEqual(Double(b[k]!) / Double(n), 1.0 / 3, accuracy: 0.03) }
    XCTAssertTrue(c.allSatisfy { $0 >= -0.5 && $0 <= 2 })
    // Truncated standard normal on [−0.5, 2]: mean (φ(−0.5) − φ(2)) / (Φ(2) − Φ(−0.5)) = 0.2979 / 0.6687 = 0.4455.
    XCTAssertEqual(c.reduce(0, +) / Double(n), 0.4455, accuracy: 0.03)
    XCTAssertEqual(Double(d) / Double(n), 0.75, accuracy: 0.03)
    XCTAssertEqual(e.keys.sorted(), [0, 1, 2])
    // The same seed draws the same values.
    var r1 = RandomSource(seed: 9)
    var r2 = RandomSource(seed: 9)
    XCTAssertEqual(
      try Yams.dump(object: t.draw(&r1).tree, sortKeys: true), try Yams.dump(object: t.draw(&r2).tree, sortKeys: true))
  }

  /// A sample's `scenario.yaml` is the scene it was made from: `us-sim simulate` on it remakes the very image (also
  /// when a draw chose the `perpendicular` steering, which scenario files do not know), and its numbers read as
  /// people write them.
  func testSampleIsRemadeFromItsScenarioFile() throws {
    let out = temporaryDirectory()
    let config = try DatasetConfig.load(contentsOf: try writeConfig())
    try DatasetGenerator(config: config, output: out, count: 6, seed: 3, workers: 2).run()
    var steered = 0
    for i in 0..<6 {
      let sample = out.appendingPathComponent(String(format: "samples/%06d", i))
      let yaml = try String(contentsOf: sample.appendingPathComponent("scenario.yaml"), encoding: .utf8)
      XCTAssertFalse(yaml.contains("e+"), yaml)
      XCTAssertFalse(yaml.contains("perpendicular"), yaml)
      let s = try Scenario.parse(yaml: yaml)
      if s.transmit.anglesRadians != [0] { steered += 1 }
      var result = SimulationPipeline(scenario: s, threads: 2).run()
      let again = temporaryDirectory()
      try SimulationOutput.write(
        &result, scenario: s, to: again, layout: .init(imageName: "image.png", envelope: false, timings: false))
      for file in ["image.png", "labels.json"] {
        XCTAssertEqual(
          try Data(contentsOf: again.appendingPathComponent(file)),
          try Data(contentsOf: sample.appendingPathComponent(file)), "sample \(i): \(file)")
      }
    }
    XCTAssertGreaterThan(steered, 0, "no sample drew the perpendicular steering: the test does not cover it")
  }

  func testBadConfigurationsNameTheField() throws {
    for (yaml, words) in [
      ("scene: {probe: {choice: []}}", ["probe", "choice"]),
      ("scene: {image: {gain_db: {uniform: [3]}}}", ["image.gain_db", "uniform", "[3]"]),
      ("scene: {image: {gain_db: {uniform: [1, 2], step: 1}}}", ["image.gain_db", "step"]),
      ("scene: {needles: {repeat: {gauge: 22, tip_mm: [0, 20]}}}", ["needles", "count"]),
      (
        "scene: {phantom: {preset: gel-block}, needles: [{gauge: {choice: [18, 30]}, tip_mm: [0, 20]}]}",
        ["needles[0].gauge", "30", "17…27"]
      ),
      ("scene: {}\noutputs: {envelope: maybe}", ["outputs.envelope", "maybe"]),
      ("scene: {}\ncolour: red", ["colour"]),
    ] {
      XCTAssertThrowsError(try DatasetConfig.parse(yaml: yaml, baseDirectory: URL(fileURLWithPath: "/tmp"))) { e in
        for w in words { XCTAssertTrue("\(e)".contains(w), "\(e) should name \(w)") }
      }
    }
  }

  // MARK: Layouts

  /// One run with one worker, three shards into separate folders then merged, two shards into one folder with two
  /// workers each, and an interrupted run resumed: all give the same bytes, file for file.
  func testEveryLayoutGivesIdenticalBytes() throws {
    let config = try DatasetConfig.load(contentsOf: try writeConfig())
    let count = 7
    let one = temporaryDirectory()
    XCTAssertTrue(try DatasetGenerator(config: config, output: one, count: count, seed: 11, workers: 1).run())
    let reference = try tree(one)
    XCTAssertEqual(reference.keys.filter { $0.hasSuffix("sample.json") }.count, count)
    XCTAssertNotNil(reference["manifest.jsonl"])
    XCTAssertNotNil(reference["annotations.json"])
    XCTAssertEqual(String(decoding: reference["manifest.jsonl"]!, as: UTF8.self).split(separator: "\n").count, count)

    // Three shards, three folders, then merged into the first.
    let shards = (0..<3).map { _ in temporaryDirectory() }
    for (i, dir) in shards.enumerated() {
      let complete = try DatasetGenerator(
        config: config, output: dir, count: count, seed: 11, shard: (i, 3), workers: 1
      ).run()
      XCTAssertFalse(complete)
      XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.jsonl").path))
    }
    XCTAssertThrowsError(try DatasetIndex.merge(into: shards[0], from: [shards[0], shards[1]])) { e in
      XCTAssertTrue("\(e)".contains("missing"), "\(e)")
    }
    XCTAssertEqual(try DatasetIndex.merge(into: shards[0], from: shards), count)
    assertSameFiles(try tree(shards[0]), reference, "3 shards merged")

    // Two shards into one folder, two workers each: the second to finish writes the index.
    let shared = temporaryDirectory()
    XCTAssertFalse(
      try DatasetGenerator(config: config, output: shared, count: count, seed: 11, shard: (1, 2), workers: 2).run())
    XCTAssertTrue(
      try DatasetGenerator(config: config, output: shared, count: count, seed: 11, shard: (0, 2), workers: 2).run())
    assertSameFiles(try tree(shared), reference, "2 shards in one folder, 2 workers")

    // Interrupted: a sample lost, another half-written, the index gone. Only that sample is made again.
    let samples = shared.appendingPathComponent("samples")
    try FileManager.default.removeItem(at: samples.appendingPathComponent("000003"))
    try FileManager.default.createDirectory(
      at: samples.appendingPathComponent(".000003.partial"), withIntermediateDirectories: true)
    try Data("{\"broken".utf8).write(to: samples.appendingPathComponent(".000003.partial/sample.json"))
    try FileManager.default.removeItem(at: shared.appendingPathComponent("manifest.jsonl"))
    let made = Counter()
    XCTAssertTrue(
      try DatasetGenerator(config: config, output: shared, count: count, seed: 11, workers: 2).run { done, total in
        made.record(done, total)
      })
    XCTAssertEqual(made.first, [count - 1, count])
    assertSameFiles(try tree(shared), reference, "resumed")

    // Another seed into the same folder is refused, and nothing is written.
    XCTAssertThrowsError(try DatasetGenerator(config: config, output: shared, count: count, seed: 12, workers: 1).run())
    { e in
      XCTAssertTrue("\(e)".contains("another dataset"), "\(e)")
    }
    assertSameFiles(try tree(shared), reference, "after a refused run")
  }

  /// A real `us-sim dataset` process killed (SIGKILL) after its first sample; rerunning the same command finishes the
  /// dataset with the same bytes as an uninterrupted run.
  func testKilledDatasetProcessResumes() throws {
    try XCTSkipUnless(
      FileManager.default.isExecutableFile(atPath: Self.executable.path), "us-sim not built next to the tests")
    let configURL = try writeConfig()
    let reference = temporaryDirectory()
    try DatasetGenerator(
      config: try DatasetConfig.load(contentsOf: configURL), output: reference, count: 8, seed: 3, workers: 2
    ).run()
    let out = temporaryDirectory().appendingPathComponent("dataset")
    func launch() throws -> Process {
      let p = Process()
      p.executableURL = Self.executable
      p.arguments = [
        "dataset", configURL.path, "--count", "8", "--seed", "3", "--out", out.path, "--workers", "1", "--quiet",
      ]
      try p.run()
      return p
    }
    let first = try launch()
    let deadline = Date().addingTimeInterval(120)
    var finished = 0
    while first.isRunning && Date() < deadline {
      finished = DatasetIndex.finished(out).count
      if finished >= 1 { break }
      usleep(10_000)
    }
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    XCTAssertEqual(first.terminationReason, .uncaughtSignal, "the dataset was finished before it could be interrupted")
    XCTAssertTrue((1..<8).contains(finished), "\(finished) samples when killed")
    let second = try launch()
    second.waitUntilExit()
    XCTAssertEqual(second.terminationStatus, 0)
    assertSameFiles(try tree(out), try tree(reference), "killed and resumed")
  }

  // MARK: Labels

  /// Outer boundaries of synthetic masks: a rectangle, an L, two regions touching only at a corner.
  func testMaskBoundariesArePixelExact() {
    var mask = [UInt8](repeating: 0, count: 10 * 8)
    for r in 2..<5 { for c in 3..<7 { mask[r * 10 + c] = 1 } }
    var regions = MaskContours.regions(mask, width: 10, height: 8)
    XCTAssertEqual(regions.count, 1)
    XCTAssertEqual(regions[0].polygon, [SIMD2(3, 2), SIMD2(7, 2), SIMD2(7, 5), SIMD2(3, 5)])
    XCTAssertEqual(regions[0].pixelCount, 12)
    XCTAssertTrue(regions[0].box == (3, 2, 4, 3))
    // An L: the square plus a column below its left edge.
    for r in 5..<7 { mask[r * 10 + 3] = 1 }
    regions = MaskContours.regions(mask, width: 10, height: 8)
    XCTAssertEqual(regions[0].polygon, [SIMD2(3, 2), SIMD2(7, 2), SIMD2(7, 5), SIMD2(4, 5), SIMD2(4, 7), SIMD2(3, 7)])
    XCTAssertEqual(regions[0].pixelCount, 14)
    // Shoelace area of the polygon = pixel count (no holes).
    let p = regions[0].polygon
    let area = abs(zip(p, p.dropFirst() + [p[0]]).reduce(0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y }) / 2
    XCTAssertEqual(area, 14)
    // A pixel touching the L only diagonally is a region of its own (4-connectivity).
    mask[7 * 10 + 4] = 1
    regions = MaskContours.regions(mask, width: 10, height: 8)
    XCTAssertEqual(regions.count, 2)
    XCTAssertEqual(regions[1].polygon, [SIMD2(4, 7), SIMD2(5, 7), SIMD2(5, 8), SIMD2(4, 8)])
  }

  /// COCO annotations and keypoint flags agree with the masks and the image: every present tip's flag is 2 exactly
  /// when its measured tip contrast is ≥ 6 dB (never from geometry); a needle in plane, clear of bone and at a shallow
  /// 10° shows (2; at 20° its tip stands 5.7–6.6 dB over the gel, on the rule's edge); one 3 mm out of the plane of
  /// an L11-5v (beyond its elevation beam at 19 mm, and 4 mm below the line of the first shaft, whose end's
  /// diffraction runs on along it) does not (1, and it is out of plane);
  /// a tip beneath the transverse view's spinous process does not (1, in its shadow); a tip outside the image is 0.
  /// Segmentation areas equal the masks' pixel counts (bone and shadow regions ≥ 4 pixels).
  func testCocoLabelsAgreeWithMasksAndGeometry() throws {
    let config = try DatasetConfig.parse(
      yaml: """
        scene:
          choice:
            - probe: L11-5v
              phantom: {preset: gel-block}
              needles:
                - {gauge: 22, tip_mm: [0, 15], angle_deg: 10, side: left}
                - {gauge: 22, tip_mm: [3, 19], angle_deg: 20, side: right, elevation_offset_mm: 3}
                - {gauge: 22, tip_mm: [30, 15], angle_deg: 20, side: right}
              image: {x_mm: [-8, 8], z_mm: [6, 22], pixel_mm: 0.2}
            - probe: C5-2v
              phantom: {preset: lumbar-transverse-facet, fat_thickness_mm: 12}
              needles: [{gauge: 22, tip_mm: [0, 55], angle_deg: 40, side: right}]
              transmit: {scheme: diverging, angles_deg: [0]}
              image: {x_mm: [-30, 30], z_mm: [2, 70], pixel_mm: 0.4}
        """, baseDirectory: URL(fileURLWithPath: "/tmp"))
    // Draw until both options have been made (the choice is the only random value).
    let out = temporaryDirectory()
    try DatasetGenerator(config: config, output: out, count: 6, seed: 2, workers: 2).run()
    let coco = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("annotations.json")))
        as? [String: Any])
    let categories = try XCTUnwrap(coco["categories"] as? [[String: Any]])
    XCTAssertEqual(categories.map { $0["name"] as? String }, ["needle", "bone", "acoustic_shadow"])
    let annotations = try XCTUnwrap(coco["annotations"] as? [[String: Any]])
    XCTAssertEqual(Set(annotations.map { $0["id"] as! Int }).count, annotations.count, "annotation ids are unique")
    var seen = Set<String>()
    for line in try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8).split(
      separator: "\n")
    {
      let s = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let files = s["files"] as! [String: Any]
      let masks = files["masks"] as! [String: String]
      func mask(_ name: String) throws -> [Double] {
        try NumpyArray.decode(Data(contentsOf: out.appendingPathComponent(masks[name]!))).values
      }
      let width = s["width"] as! Int
      let shadow = try mask("shadow")
      let bone = try mask("bone")
      let needles = s["needles"] as! [[String: Any]]
      let mine = annotations.filter { $0["image_id"] as? Int == s["index"] as? Int }
      // Areas: the regions kept cover the masks but for specks under 4 pixels.
      for (category, m) in [(2, bone), (3, shadow)] {
        let total = Int(m.reduce(0, +))
        let area = mine.filter { $0["category_id"] as? Int == category }.reduce(0) { $0 + ($1["area"] as! Int) }
        XCTAssertLessThanOrEqual(area, total)
        XCTAssertGreaterThanOrEqual(Double(area), Double(total) * 0.98)
      }
      for n in needles {
        let tip = n["tip_xy"] as! [Double]
        let v = n["tip_visibility"] as! Int
        if v > 0 {
          let i = Int((tip[1] - 0.5).rounded()) * width + Int((tip[0] - 0.5).rounded())
          XCTAssertEqual(n["tip_in_shadow"] as! Bool, shadow[i] != 0)
          XCTAssertEqual(v, ((n["tip_contrast_db"] as? Double) ?? -.infinity) >= 6 ? 2 : 1)
          XCTAssertEqual(n["tip_visible"] as! Bool, v == 2)
        }
      }
      if (s["preset"] as? String) == "gel-block" {
        seen.insert("gel")
        XCTAssertEqual(needles.map { $0["tip_visibility"] as! Int }, [2, 1, 0])
        XCTAssertEqual(needles.map { $0["tip_in_plane"] as! Bool }, [true, false, false])
        let needleAnnotations = mine.filter { $0["category_id"] as? Int == 1 }
        XCTAssertEqual(needleAnnotations.count, 2, "the needle wholly outside the image has no annotation")
        let first = try XCTUnwrap(needleAnnotations.first { $0["needle_index"] as? Int == 0 })
        let kp = first["keypoints"] as! [Double]
        XCTAssertEqual(kp.count, 6)
        XCTAssertEqual(kp[3], 40.5, accuracy: 1e-9)  // tip x = 0 mm → column 40 → COCO 40.5
        XCTAssertEqual(kp[4], 45.5, accuracy: 1e-9)  // tip z = 15 mm → row 45
        XCTAssertEqual(kp[0], 0, accuracy: 1e-9)  // the shaft enters at the image's left edge
        // The needle mask is each shaft projected onto the image plane, the out-of-plane one included.
        XCTAssertEqual(needleAnnotations.reduce(0) { $0 + ($1["area"] as! Int) }, Int(try mask("needle").reduce(0, +)))
      } else {
        seen.insert("lumbar")
        XCTAssertEqual(needles.map { $0["tip_visibility"] as! Int }, [1])
        XCTAssertEqual(needles.map { $0["tip_in_shadow"] as! Bool }, [true])
        XCTAssertGreaterThan(mine.filter { $0["category_id"] as? Int == 2 }.count, 2)
      }
    }
    XCTAssertEqual(seen, ["gel", "lumbar"], "six draws should include both scenes")
  }

  // MARK: Tools around the dataset

  func testInspectionPythonLoaderAndSchedulerRecipes() throws {
    try XCTSkipUnless(
      FileManager.default.isExecutableFile(atPath: Self.executable.path), "us-sim not built next to the tests")
    let configURL = try writeConfig()
    let reference = temporaryDirectory()
    try DatasetGenerator(
      config: try DatasetConfig.load(contentsOf: configURL), output: reference, count: 6, seed: 4, workers: 2
    ).run()

    // Inspection: counts and histograms, and a contact sheet.
    let inspection = try DatasetInspection(folder: reference)
    let report = inspection.report()
    XCTAssertTrue(report.contains("6 of 6 samples"), report)
    XCTAssertTrue(report.contains("needles[0].gauge"), report)
    XCTAssertTrue(report.contains("probe.preset"), report)
    let sheet = temporaryDirectory().appendingPathComponent("sheet.png")
    XCTAssertEqual(try inspection.contactSheet(count: 4, seed: 1, tile: 96, to: sheet).count, 4)
    let png = try Data(contentsOf: sheet)
    XCTAssertEqual(png[16..<24].map { $0 }, [0, 0, 0, 204, 0, 0, 0, 204])  // 2 × 2 tiles of 96 + gaps of 4
    XCTAssertEqual(png[25], 2, "RGB")

    // The Python example reads the manifest, an image and its masks with numpy alone.
    let manifest = try String(contentsOf: reference.appendingPathComponent("manifest.jsonl"), encoding: .utf8).split(
      separator: "\n")
    let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(manifest[2].utf8)) as? [String: Any])
    let image = try PNGImage.decodeGrayscale(
      Data(contentsOf: reference.appendingPathComponent((entry["files"] as! [String: Any])["image"] as! String)))
    let mean = Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(image.pixels.count)
    let python = try run(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["python3", Self.root.appendingPathComponent("examples/datasets/load_dataset.py").path, reference.path, "2"])
    XCTAssertEqual(python.status, 0, python.output)
    XCTAssertTrue(
      python.output.contains(
        "6 samples; sample 000002: image (\(image.height), \(image.width)) uint8, mean \(String(format: "%.1f", mean))"),
      python.output)
    XCTAssertTrue(python.output.contains("mask needle:"), python.output)

    // Slurm job array: tasks 0…2 of 3 into one folder; the last writes the index. Same bytes as one run.
    let slurm = temporaryDirectory()
    for task in [2, 0, 1] {
      let r = try run(
        Self.root.appendingPathComponent("examples/datasets/slurm-array.sh"), [configURL.path, "6", "4", slurm.path],
        environment: [
          "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_CPUS_PER_TASK": "1",
          "US_SIM": Self.executable.path,
        ])
      XCTAssertEqual(r.status, 0, r.output)
    }
    assertSameFiles(try tree(slurm), try tree(reference), "Slurm array")

    // Kubernetes Indexed Job: the manifest's command, run once per completion index with JOB_COMPLETION_INDEX,
    // its config and output paths pointed at this test's.
    let job = try XCTUnwrap(
      try Yams.load(
        yaml: String(
          contentsOf: Self.root.appendingPathComponent("examples/datasets/k8s-indexed-job.yaml"), encoding: .utf8))
        as? [String: Any])
    let spec = try XCTUnwrap(job["spec"] as? [String: Any])
    XCTAssertEqual(spec["completionMode"] as? String, "Indexed")
    let completions = try XCTUnwrap(spec["completions"] as? Int)
    let container = try XCTUnwrap(
      (((spec["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?.first)
    var command = try XCTUnwrap(container["command"] as? [String])
    XCTAssertEqual(command.first, "us-sim")
    XCTAssertEqual(command[command.firstIndex(of: "--shard")! + 1], "\(completions)")
    command[2] = configURL.path
    command[command.firstIndex(of: "--count")! + 1] = "6"
    command[command.firstIndex(of: "--seed")! + 1] = "4"
    let k8s = temporaryDirectory()
    command[command.firstIndex(of: "--out")! + 1] = k8s.path
    for index in 0..<completions {
      let r = try run(Self.executable, Array(command.dropFirst()), environment: ["JOB_COMPLETION_INDEX": "\(index)"])
      XCTAssertEqual(r.status, 0, r.output)
    }
    assertSameFiles(try tree(k8s), try tree(reference), "Kubernetes Indexed Job")

    // --shard K without a scheduler's index is a clear error.
    let bad = try run(
      Self.executable, ["dataset", configURL.path, "--count", "6", "--out", temporaryDirectory().path, "--shard", "3"],
      environment: [:])
    XCTAssertNotEqual(bad.status, 0)
    XCTAssertTrue(bad.output.contains("SLURM_ARRAY_TASK_ID"), bad.output)
  }

  /// Runs a program without the schedulers' shard variables of the machine running the tests.
  func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (
    status: Int32, output: String
  ) {
    try Programs.run(
      executable, arguments, environment: environment,
      unset: ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "JOB_COMPLETION_INDEX"])
  }
}

/// The first (done, total) reported.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var first: [Int] = []
  func record(_ done: Int, _ total: Int) {
    lock.lock()
    defer { lock.unlock() }
    if first.isEmpty { first = [done, total] }
  }
}
