import FileFormats
import Foundation
import Scenario
import XCTest

/// Validation 8: the same scenario and seed give byte-identical `envelope.npy` (and RF) with 1 and with 2 threads.
final class ReproducibilityTests: XCTestCase {
  func testDefaultSceneIsByteIdenticalAcrossThreadCounts() throws {
    var s = Scenario.defaultScene
    s.image.pixelMetres = 0.2e-3  // same scene, coarser pixels: keeps the test quick
    let one = SimulationPipeline(scenario: s, threads: 1).run()
    let two = SimulationPipeline(scenario: s, threads: 2).run()
    let shape = [one.zAxisMetres.count, one.xAxisMetres.count]
    XCTAssertEqual(NumpyArray.encode(one.envelope, shape: shape), NumpyArray.encode(two.envelope, shape: shape))
    XCTAssertEqual(one.channelData.data, two.channelData.data)
    XCTAssertEqual(one.bmode, two.bmode)
    XCTAssertGreaterThan(one.envelope.max()!, 0)
  }

  func testDifferentSeedsGiveDifferentSpeckle() {
    var s = Scenario.defaultScene
    s.image.pixelMetres = 0.3e-3
    let a = SimulationPipeline(scenario: s, threads: 2).run()
    s.seed = 8
    let b = SimulationPipeline(scenario: s, threads: 2).run()
    XCTAssertNotEqual(a.envelope, b.envelope)
  }
}
