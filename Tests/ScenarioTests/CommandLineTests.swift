import FileFormats
import Foundation
import XCTest

/// The `us-sim` executable: outputs on success, a clear error and nothing written on a bad scenario.
final class CommandLineTests: XCTestCase {
  var executable: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("us-sim")
  }

  func run(_ args: [String]) throws -> (status: Int32, stderr: String, stdout: String) {
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    let err = Pipe()
    let out = Pipe()
    p.standardError = err
    p.standardOutput = out
    try p.run()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: e, as: UTF8.self), String(decoding: o, as: UTF8.self))
  }

  func temporaryDirectory() -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
  }

  func testBadScenarioFailsWithFieldAndWritesNothing() throws {
    try XCTSkipUnless(
      FileManager.default.isExecutableFile(atPath: executable.path), "us-sim not built next to the tests")
    let dir = temporaryDirectory()
    let scene = dir.appendingPathComponent("bad.yaml")
    try "probe: L11-5v\nimage: {pixel_mm: -1}\n".write(to: scene, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out")
    let r = try run(["simulate", scene.path, "--out", out.path])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.stderr.contains("image.pixel_mm"), r.stderr)
    XCTAssertTrue(r.stderr.contains("-1"), r.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
  }

  func testSimulateWritesCompleteOutputs() throws {
    try XCTSkipUnless(
      FileManager.default.isExecutableFile(atPath: executable.path), "us-sim not built next to the tests")
    let dir = temporaryDirectory()
    let scene = dir.appendingPathComponent("points.yaml")
    try """
    probe: L11-5v
    scatterers: {points: [{x_mm: 0, z_mm: 15}]}
    image: {x_mm: [-5, 5], z_mm: [10, 20], pixel_mm: 0.1}
    outputs: {rf: true, iq: true}
    """.write(to: scene, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out")
    let r = try run(["simulate", scene.path, "--out", out.path, "--threads", "2"])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("scatterers"), r.stdout)
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    XCTAssertEqual(files, ["bmode.png", "envelope.npy", "iq.npy", "meta.json", "metrics.json", "rf.npy", "rf.yaml"])
    let env = try NumpyArray.decode(Data(contentsOf: out.appendingPathComponent("envelope.npy")))
    XCTAssertEqual(env.shape, [101, 101])
    let rf = try NumpyArray.decode(Data(contentsOf: out.appendingPathComponent("rf.npy")))
    XCTAssertEqual(rf.shape.count, 3)
    XCTAssertEqual(rf.shape[2], 128)
    let meta =
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("meta.json")))
      as! [String: Any]
    let timings = meta["timings_s"] as! [String: Double]
    XCTAssertEqual(Set(timings.keys), ["simulate", "beamform", "envelope", "write"])
    XCTAssertEqual((meta["image"] as! [String: Any])["x_mm"].map { ($0 as! [Double]).count }, 101)
    XCTAssertEqual(meta["seed"] as? Int, 7)
  }
}
