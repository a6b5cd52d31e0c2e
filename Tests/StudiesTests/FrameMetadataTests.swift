import Foundation
import Scenario
import Studies
import XCTest

/// The typed part of `meta.json`: both writers put it in, the studies read it back, and a frame that lacks a field
/// they need is an error naming the field, not a default.
final class FrameMetadataTests: XCTestCase {
  func testBothWritersWriteWhatTheStudiesRead() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-meta-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    var s = try Scenario.parse(
      yaml: """
        probe: L11-5v
        medium: {sound_speed_m_s: 1500}
        scatterers: {points: [{x_mm: 0, z_mm: 15}]}
        beamform: {f_number: 1.25, window: tukey}
        image: {x_mm: [-4, 4], z_mm: [10, 20], pixel_mm: 0.2, dynamic_range_db: 50}
        outputs: {channel_data: uff}
        """)
    s.seed = 3
    let simulated = dir.appendingPathComponent("simulated")
    var result = SimulationPipeline(scenario: s, threads: 2).run()
    try SimulationOutput.write(&result, scenario: s, to: simulated)
    let meta = try FrameMetadata.read(
      Data(contentsOf: simulated.appendingPathComponent("meta.json")), file: "meta.json")
    XCTAssertEqual(meta.beamform, .init(fNumber: 1.25, window: "tukey", soundSpeedMS: 1500))
    XCTAssertEqual(meta.probe.bandwidthPercent ?? 0, 77, accuracy: 1e-9)
    XCTAssertEqual(meta.image.shape, [result.zAxisMetres.count, result.xAxisMetres.count])
    XCTAssertEqual(meta.image.dynamicRangeDb, 50)

    // The written UFF beamformed again: the same fields, with the file's pulse bandwidth and sound speed.
    let recording = try RecordingInput.load(simulated.appendingPathComponent("channel_data.uff"))
    let pipeline = RecordingPipeline(recording: recording, threads: 2)
    let grids = try XCTUnwrap(pipeline.grids())
    let beamformed = dir.appendingPathComponent("beamformed")
    try RecordingOutput.write(
      pipeline.image(frame: 0, grids: grids), pipeline: pipeline,
      source: simulated.appendingPathComponent("channel_data.uff"), to: beamformed)
    let again = try FrameMetadata.read(
      Data(contentsOf: beamformed.appendingPathComponent("meta.json")), file: "meta.json")
    XCTAssertEqual(again.beamform.soundSpeedMS, 1500)
    XCTAssertEqual(again.probe.bandwidthPercent ?? 0, 77, accuracy: 1e-6)
    XCTAssertEqual(again.software, meta.software)
    // And the studies read both frames.
    XCTAssertNoThrow(try FrameData.load(from: simulated))
    XCTAssertNoThrow(try FrameData.load(from: beamformed))
  }

  func testAMissingOrMistypedFieldIsNamed() throws {
    let good = FrameMetadata(
      software: .init(name: "us-sim", version: "0"),
      probe: .init(name: "L11-5v", layout: "linear", elements: 128, fcMHz: 7.6, pitchMm: 0.3, bandwidthPercent: nil),
      beamform: .init(fNumber: 1.5, window: "hann", soundSpeedMS: 1540),
      image: .init(xMm: [0, 0.1], zMm: [1], shape: [1, 2], dynamicRangeDb: 60, gainDb: 0))
    let written = try good.merged(into: ["beamform": ["grid": ["kind": "cartesian"]], "seed": 1])
    let data = try JSONSerialization.data(withJSONObject: written)
    XCTAssertEqual(try FrameMetadata.read(data, file: "m.json"), good)
    // A writer's own keys stay beside the typed ones; an unknown bandwidth is written as null, not left out.
    XCTAssertNotNil((written["beamform"] as? [String: Any])?["grid"])
    XCTAssertTrue((written["probe"] as? [String: Any])?["bandwidth_percent"] is NSNull)
    XCTAssertTrue((written["probe"] as? [String: Any])?["virtual_apex_mm"] is NSNull)

    func message(_ edit: (inout [String: Any]) -> Void) -> String? {
      var m = written
      edit(&m)
      let bytes = try! JSONSerialization.data(withJSONObject: m)
      do {
        _ = try FrameMetadata.read(bytes, file: "m.json")
        return nil
      } catch { return "\(error)" }
    }
    XCTAssertEqual(
      message { m in
        var b = m["beamform"] as! [String: Any]
        b["sound_speed_m_s"] = nil
        m["beamform"] = b
      }, "m.json: beamform.sound_speed_m_s is missing")
    XCTAssertEqual(
      message { m in
        var i = m["image"] as! [String: Any]
        i["x_mm"] = [0, "a"]
        m["image"] = i
      }, "m.json: image.x_mm[1] is not a number")
    XCTAssertEqual(message { $0["probe"] = nil }, "m.json: probe is missing")
  }
}

extension FrameMetadataTests {
  /// A convex probe's frame says where its beams come from (the arc's centre, (0, −R)), which the needle metrics'
  /// wall line needs; a sector frame without it is refused by name, a linear one writes null.
  func testVirtualApexIsWrittenAndNeeded() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-apex-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let s = try Scenario.parse(
      yaml: """
        probe: C5-2v
        scatterers: {points: [{x_mm: 0, z_mm: 30}]}
        image: {x_mm: [-4, 4], z_mm: [25, 35], pixel_mm: 0.5}
        """)
    var result = SimulationPipeline(scenario: s, threads: 2).run()
    try SimulationOutput.write(&result, scenario: s, to: dir)
    let url = dir.appendingPathComponent("meta.json")
    let meta = try FrameMetadata.read(Data(contentsOf: url), file: "meta.json")
    XCTAssertEqual(meta.probe.virtualApexMm, [0, SimulationOutput.mm(-s.probe.radiusMetres)])
    XCTAssertEqual(try FrameData.load(from: dir).beams, .apex(SIMD2(0, -s.probe.radiusMetres)))
    var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    var probe = json["probe"] as! [String: Any]
    probe["virtual_apex_mm"] = nil
    json["probe"] = probe
    try JSONSerialization.data(withJSONObject: json).write(to: url)
    XCTAssertThrowsError(try FrameData.load(from: dir)) { error in
      XCTAssertTrue("\(error)".contains("probe.virtual_apex_mm is missing"), "\(error)")
    }
  }
}
