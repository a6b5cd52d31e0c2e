import Acoustics
import Acquisition
import Beamform
import Foundation
import XCTest

final class ImageProcessingTests: XCTestCase {
  func testLogCompressionMapsDynamicRange() {
    let g = LogCompression.grayscale([1, 0.1, 0.001, 0.0001], dynamicRangeDb: 60)
    XCTAssertEqual(g, [255, 170, 0, 0])
    XCTAssertEqual(LogCompression.grayscale([1, 0.5], dynamicRangeDb: 60, gainDb: 6)[0], 255)
    // Total: NaN and infinity are black and do not set the peak (the pipelines refuse them before this point).
    XCTAssertEqual(LogCompression.grayscale([1, .nan, 0.1, .infinity], dynamicRangeDb: 60), [255, 0, 170, 0])
  }

  func testWindowsAtCentreAndEdge() {
    for w in ApodizationWindow.allCases { XCTAssertEqual(w.weight(0), 1, accuracy: 1e-12) }
    XCTAssertEqual(ApodizationWindow.hann.weight(1), 0, accuracy: 1e-12)
    XCTAssertEqual(ApodizationWindow.hann.weight(0.5), 0.5, accuracy: 1e-12)
    XCTAssertEqual(ApodizationWindow.tukey.weight(0.4), 1)
    XCTAssertEqual(ApodizationWindow.rectangular.weight(1.01), 0)
  }

  /// Scan conversion reproduces a function that is linear in (θ, r), and leaves pixels outside the sector at 0.
  func testScanConversionInterpolatesInPolarCoordinates() {
    let angles = ImageGrid.axis(from: -0.5, to: 0.5, step: 0.01)
    let ranges = ImageGrid.axis(from: 0.05, to: 0.1, step: 0.0005)
    let grid = ImageGrid(.polar(angles: angles, ranges: ranges, apexX: 0, apexZ: -0.04))
    var v = [Float](repeating: 0, count: grid.rows * grid.columns)
    for (ir, r) in ranges.enumerated() {
      for (ia, a) in angles.enumerated() { v[ir * angles.count + ia] = Float(2 * a + 10 * r) }
    }
    let xs = [0.0, 0.01, 0.2]
    let zs = [0.03, 0.04]
    let out = ScanConversion.toCartesian(v, from: grid, x: xs, z: zs)
    for (iz, z) in zs.enumerated() {
      for (ix, x) in xs.enumerated() where ix < 2 {
        let a = atan2(x, z + 0.04)
        let r = hypot(x, z + 0.04)
        XCTAssertEqual(Double(out[iz * xs.count + ix]), 2 * a + 10 * r, accuracy: 1e-4)
      }
      XCTAssertEqual(out[iz * xs.count + 2], 0)
    }
  }
}
