import Acquisition
import ConfigReading
import FileFormats
import Foundation
import Interchange
import Scenario
import XCTest

/// Files we cannot read are refused with the HDF5 path at fault; the CLI exits non-zero and writes nothing.
final class UFFErrorTests: XCTestCase {
  /// A valid file (a small point-target run, two plane waves so that the sequence is an array) broken by pyuff's
  /// h5py in one way.
  func broken(_ mode: String) throws -> URL {
    let dir = Support.temporaryDirectory()
    let good = dir.appendingPathComponent("good.uff")
    let s = try Scenario.parse(
      yaml: """
        probe: L11-5v
        transmit: {scheme: plane_wave, angles_deg: [-2, 2]}
        scatterers: {points: [{x_mm: 0, z_mm: 10}]}
        image: {x_mm: [-5, 5], z_mm: [5, 15], pixel_mm: 0.2}
        """)
    try UFF.write(ChannelRecording(SimulationPipeline(scenario: s, threads: 2).run().channelData), to: good)
    let bad = dir.appendingPathComponent("\(mode).uff")
    let r = try Support.runPython("uff_tamper.py", [good.path, bad.path, mode])
    XCTAssertEqual(r.status, 0, r.output)
    return bad
  }

  func assertRefused(_ mode: String, path: String, message: String, file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let url = try broken(mode)
    XCTAssertThrowsError(try UFF.read(url), file: file, line: line) { error in
      guard let e = error as? HDF5Error else { return XCTFail("\(error)", file: file, line: line) }
      XCTAssertEqual(e.path, path, file: file, line: line)
      XCTAssertTrue(e.message.contains(message), e.message, file: file, line: line)
    }
  }

  func testWrongVersion() throws { try assertRefused("version", path: "/", message: "'v2.0.0' is not supported") }

  func testMissingCompulsoryField() throws {
    try assertRefused("missing", path: "/channel_data/sampling_frequency", message: "missing (a compulsory field)")
  }

  func testUnsupportedWavefront() throws {
    try assertRefused("photoacoustic", path: "/channel_data/sequence/sequence_0001/wavefront", message: "photoacoustic")
  }

  func testDataDisagreeingWithTheProbe() throws {
    try assertRefused("channels", path: "/channel_data/data", message: "127 channels but the probe has 128 elements")
  }

  /// The command line: a clear message naming the path, a non-zero exit, and no output folder.
  func testCommandLineRefusesWithoutWriting() throws {
    let bad = try broken("missing")
    let out = bad.deletingLastPathComponent().appendingPathComponent("out")
    let r = try Support.run(Support.executable, ["beamform", bad.path, "--out", out.path])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.output.contains("/channel_data/sampling_frequency: missing"), r.output)
    XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
  }

  /// A sidecar that disagrees with its .npy names the field.
  func testSidecarErrorsNameTheField() throws {
    let dir = Support.temporaryDirectory()
    let npy = dir.appendingPathComponent("rf.npy")
    try NumpyArray.write([Float](repeating: 0, count: 2 * 100 * 64), shape: [2, 100, 64], to: npy)
    let sidecar = dir.appendingPathComponent("rf.yaml")
    func refusal(_ yaml: String) -> ScenarioError? {
      try? yaml.write(to: sidecar, atomically: true, encoding: .utf8)
      do {
        _ = try RecordingInput.load(npy)
        return nil
      } catch { return error as? ScenarioError }
    }
    XCTAssertEqual(
      refusal("probe: L11-5v\nsampling_mhz: 20\ntransmit: [{plane_deg: 0}, {plane_deg: 5}]\n")?.field, "probe")
    XCTAssertEqual(
      refusal("probe: {preset: L11-5v, elements: 64}\nsampling_mhz: 20\ntransmit: [{plane_deg: 0}]\n")?.field,
      "transmit")
    XCTAssertEqual(
      refusal(
        "probe: {preset: L11-5v, elements: 64}\nsampling_mhz: 20\ntransmit: [{plane_deg: 0}, {focus_mm: [0, -3]}]\n")?
        .field, "transmit[1].focus_mm")
    XCTAssertEqual(
      refusal("probe: {preset: L11-5v, elements: 64}\ntransmit: [{plane_deg: 0}, {plane_deg: 1}]\n")?.field,
      "sampling_mhz")
    XCTAssertNil(
      refusal("probe: {preset: L11-5v, elements: 64}\nsampling_mhz: 20\ntransmit: [{plane_deg: 0}, {plane_deg: 1}]\n"))
    try FileManager.default.removeItem(at: sidecar)
    XCTAssertThrowsError(try RecordingInput.load(npy)) { error in
      XCTAssertEqual((error as? ScenarioError)?.field, "(sidecar)")
    }
  }
}
