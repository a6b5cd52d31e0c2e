import Foundation
import Scenario
import XCTest

/// Every shipped example scene parses and runs, and its brightest pixel is its bright marker point (amplitude 20),
/// within 1 mm: the chain works end to end for each probe layout and transmit scheme.
final class ExampleScenesTests: XCTestCase {
  /// examples/scenes, found from this source file's location.
  var scenes: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("examples/scenes")
  }

  func testEverySceneRunsAndShowsItsMarker() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: scenes.path).filter { $0.hasSuffix(".yaml") }
      .sorted()
    XCTAssertGreaterThanOrEqual(files.count, 6)
    for file in files {
      let s = try Scenario.load(contentsOf: scenes.appendingPathComponent(file))
      let marker = try XCTUnwrap(s.scatterers.points.first { $0.amplitude == 20 }, "\(file) has no marker point")
      let r = SimulationPipeline(scenario: s, threads: 2).run()
      XCTAssertTrue(r.envelope.allSatisfy(\.isFinite), file)
      let i = r.envelope.indices.max { r.envelope[$0] < r.envelope[$1] }!
      let x = r.xAxisMetres[i % r.xAxisMetres.count]
      let z = r.zAxisMetres[i / r.xAxisMetres.count]
      let error = hypot(x - marker.xMetres, z - marker.zMetres)
      print(
        String(
          format: "%@: %d scatterers, %d events, marker found %.2f mm from its place", file, r.scattererCount,
          r.channelData.eventCount, error * 1e3))
      XCTAssertLessThan(error, 1e-3, file)
    }
  }

  func testScattererFileIsRead() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scatterer-file-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    // Two scatterers in a float64 .npy written by hand: (N, 4) = x_mm, y_mm, z_mm, amplitude.
    let values: [Double] = [0, 0, 20, 5, 3, 0.5, 12, -1]
    var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), }"
    header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8))
    values.withUnsafeBytes { data.append(contentsOf: $0) }
    try data.write(to: dir.appendingPathComponent("points.npy"))
    try "scatterers: {file: points.npy}\nimage: {x_mm: [-5, 5], z_mm: [8, 24], pixel_mm: 0.1}\n"
      .write(to: dir.appendingPathComponent("scene.yaml"), atomically: true, encoding: .utf8)
    let s = try Scenario.load(contentsOf: dir.appendingPathComponent("scene.yaml"))
    XCTAssertEqual(s.scatterers.extra.count, 2)
    XCTAssertEqual(s.scatterers.extra.z[0], 0.020, accuracy: 1e-7)
    XCTAssertEqual(s.scatterers.extra.y[1], 0.0005, accuracy: 1e-7)
    XCTAssertEqual(s.scatterers.extra.amplitude[1], -1)
    let r = SimulationPipeline(scenario: s, threads: 2).run()
    let i = r.envelope.indices.max { r.envelope[$0] < r.envelope[$1] }!
    XCTAssertEqual(r.zAxisMetres[i / r.xAxisMetres.count], 0.020, accuracy: 0.3e-3)
  }
}
