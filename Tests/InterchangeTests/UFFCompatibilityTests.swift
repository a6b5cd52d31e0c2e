import FileFormats
import Foundation
import Interchange
import Scenario
import XCTest

/// Compatibility with independent implementations from PyPI (pyuff-ustb, ustb), in the venv scripts/python-env
/// makes: they read what we write, we read what they write, and USTB's beamformer images our file as we do.
final class UFFCompatibilityTests: XCTestCase {
  /// Three wires imaged by an L11-5v through steered plane waves (by default three), written as channel_data.uff.
  func pointTargets(anglesDeg: String = "[-5, 0, 5]") throws -> (
    dir: URL, result: SimulationResult, scenario: Scenario
  ) {
    let s = try Scenario.parse(
      yaml: """
        probe: L11-5v
        transmit: {scheme: plane_wave, angles_deg: \(anglesDeg)}
        scatterers:
          points:
            - {x_mm: -5, z_mm: 12}
            - {x_mm: 0, z_mm: 20}
            - {x_mm: 5, z_mm: 28}
        beamform: {f_number: 1.5, window: rectangular}
        image: {x_mm: [-10, 10], z_mm: [8, 32], pixel_mm: 0.1}
        outputs: {channel_data: uff}
        """)
    var result = SimulationPipeline(scenario: s, threads: 2).run()
    let dir = Support.temporaryDirectory()
    try SimulationOutput.write(&result, scenario: s, to: dir)
    return (dir, result, s)
  }

  func testPyuffReadsOurFile() throws {
    let (dir, result, _) = try pointTargets()
    let r = try Support.runPython("uff_describe.py", [dir.appendingPathComponent("channel_data.uff").path])
    XCTAssertEqual(r.status, 0, r.output)
    let json = try XCTUnwrap(
      r.output.split(separator: "\n").last.flatMap {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      })
    let rf = result.channelData
    XCTAssertEqual(json["data_shape"] as? [Int], [rf.sampleCount, rf.elementCount, rf.eventCount, 1])
    XCTAssertEqual(json["probe_class"] as? String, "LinearArray")
    XCTAssertEqual(json["elements"] as? Int, 128)
    let x = try XCTUnwrap(json["x"] as? [Double])
    for (e, el) in rf.probe.elements.enumerated() { XCTAssertEqual(x[e], el.xMetres, accuracy: 1e-12) }
    XCTAssertEqual(json["pitch"] as? Double ?? 0, 0.3e-3, accuracy: 1e-12)
    XCTAssertEqual(json["waves"] as? Int, 3)
    XCTAssertEqual(json["wavefronts"] as? [Int], [0, 0, 0])
    let azimuths = try XCTUnwrap(json["azimuths"] as? [Double])
    for (a, want) in zip(azimuths, [-5.0, 0, 5]) { XCTAssertEqual(a, want * .pi / 180, accuracy: 1e-12) }
    XCTAssertEqual(json["sampling_frequency"] as? Double, rf.samplingFrequencyHz)
    XCTAssertEqual(json["pulse_center_frequency"] as? Double, rf.probe.centerFrequencyHz)
    // The samples themselves, in MATLAB's [sample, channel, wave, frame] order.
    let head = try XCTUnwrap(json["first_trace_head"] as? [Double])
    for n in 0..<8 { XCTAssertEqual(head[n], Double(rf.data[n]), accuracy: 1e-12) }
  }

  /// A single-wave file (one plane wave at 3°): pyuff-ustb finds the one wave with its source and delay.
  func testPyuffReadsOurSingleWaveFile() throws {
    let (dir, result, _) = try pointTargets(anglesDeg: "[3]")
    let r = try Support.runPython("uff_describe.py", [dir.appendingPathComponent("channel_data.uff").path])
    XCTAssertEqual(r.status, 0, r.output)
    let json = try XCTUnwrap(
      r.output.split(separator: "\n").last.flatMap {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      })
    XCTAssertEqual(json["waves"] as? Int, 1)
    XCTAssertEqual(json["wavefronts"] as? [Int], [0])
    XCTAssertEqual(json["distances"] as? [String], ["inf"])
    let azimuths = try XCTUnwrap(json["azimuths"] as? [Double])
    XCTAssertEqual(azimuths.first ?? 0, 3 * .pi / 180, accuracy: 1e-12)
    let rf = result.channelData
    XCTAssertEqual(json["data_shape"] as? [Int], [rf.sampleCount, rf.elementCount, 1, 1])
    // And we read it back as the one event we wrote.
    let back = try UFF.read(dir.appendingPathComponent("channel_data.uff"))
    XCTAssertEqual(back.layout.sequence.count, 1)
  }

  /// Files pyuff-ustb writes from channel data computed in Python (USTB's time conventions, non-zero initial time
  /// and wave delays, two frames with the point 2 mm deeper in the second): RF float, I/Q and int16.
  func testWeBeamformFilesPyuffWrites() throws {
    let dir = Support.temporaryDirectory()
    var envelopes: [String: [Float]] = [:]
    for kind in ["rf", "iq", "int16"] {
      let url = dir.appendingPathComponent("\(kind).uff")
      let w = try Support.runPython("uff_point_target.py", [url.path, kind, "2"])
      XCTAssertEqual(w.status, 0, w.output)
      let recording = try UFF.read(url)
      XCTAssertEqual(recording.frameCount, 2)
      XCTAssertEqual(recording.isComplex, kind == "iq")
      let imaging = RecordingImaging(xRangeMetres: -6e-3...6e-3, zRangeMetres: 15e-3...30e-3, pixelMetres: 0.05e-3)
      let pipeline = RecordingPipeline(recording: recording, imaging: imaging, threads: 2)
      let grids = try XCTUnwrap(pipeline.grids())
      for frame in 0..<2 {
        let image = pipeline.image(frame: frame, grids: grids)
        let p = Support.peak(image.envelope, columns: grids.x.count)
        // The point is at (2, 20 + 2·frame) mm; the peak within a pixel or two (0.05 mm each).
        XCTAssertEqual(grids.x[p.column] * 1e3, 2, accuracy: 0.1, "\(kind) frame \(frame)")
        XCTAssertEqual(grids.z[p.row] * 1e3, 20 + 2 * Double(frame), accuracy: 0.1, "\(kind) frame \(frame)")
        if frame == 0 { envelopes[kind] = image.envelope }
      }
    }
    XCTAssertGreaterThan(Support.correlation(envelopes["rf"]!, envelopes["iq"]!), 0.99)
    XCTAssertGreaterThan(Support.correlation(envelopes["rf"]!, envelopes["int16"]!), 0.999)
  }

  /// A one-member wave array as pyuff-ustb writes it (`array = 1`, `size = [1 1]`, one child): we read the one wave
  /// with its delay and image the point where it is.
  func testWeReadAOneWaveArrayPyuffWrites() throws {
    let url = Support.temporaryDirectory().appendingPathComponent("one-wave.uff")
    let w = try Support.runPython("uff_point_target.py", [url.path, "rf", "1", "1"])
    XCTAssertEqual(w.status, 0, w.output)
    let recording = try UFF.read(url)
    XCTAssertEqual(recording.layout.sequence.count, 1)
    let imaging = RecordingImaging(xRangeMetres: -6e-3...6e-3, zRangeMetres: 15e-3...30e-3, pixelMetres: 0.05e-3)
    let pipeline = RecordingPipeline(recording: recording, imaging: imaging, threads: 2)
    let grids = try XCTUnwrap(pipeline.grids())
    let image = pipeline.image(frame: 0, grids: grids)
    let p = Support.peak(image.envelope, columns: grids.x.count)
    XCTAssertEqual(grids.x[p.column] * 1e3, 2, accuracy: 0.1)
    XCTAssertEqual(grids.z[p.row] * 1e3, 20, accuracy: 0.1)
  }

  /// USTB's delay-and-sum (the Python ustb package) on our file and its scan, receive aperture boxcar at F = 1.5,
  /// against our envelope of the same run: normalised correlation ≥ 0.95.
  func testUSTBBeamformsOurFileLikeWeDo() throws {
    let (dir, result, _) = try pointTargets()
    let out = dir.appendingPathComponent("ustb.npy")
    let r = try Support.runPython(
      "ustb_beamform.py", [dir.appendingPathComponent("channel_data.uff").path, "1.5", out.path])
    XCTAssertEqual(r.status, 0, r.output)
    let ustb = try NumpyArray.decode(Data(contentsOf: out)).values.map(Float.init)
    XCTAssertEqual(ustb.count, result.envelope.count)
    let c = Support.correlation(result.envelope, ustb)
    XCTAssertGreaterThanOrEqual(c, 0.95)
    print("USTB vs us-sim envelope correlation: \(c)")
  }
}
