import Foundation
import Metrics
import XCTest

final class MetricsTests: XCTestCase {
  /// A sampled Gaussian exp(−x²/(2s²)) has FWHM 2s√(2 ln 2).
  func testFWHMOfGaussian() {
    let s = 1.0
    let profile = (-50...50).map { Float(exp(-pow(Double($0) * 0.1, 2) / (2 * s * s))) }
    XCTAssertEqual(
      Resolution.fullWidthHalfMaximum(profile, spacing: 0.1)!, 2 * s * (2 * log(2.0)).squareRoot(), accuracy: 0.01)
    XCTAssertNil(Resolution.fullWidthHalfMaximum([1, 1, 1], spacing: 1))
  }

  func testContrastCNRAndGCNR() {
    let inside: [Float] = [1, 1, 1, 1]
    let outside: [Float] = [10, 10, 10, 10]
    XCTAssertEqual(Contrast.contrastDb(inside: inside, outside: outside), -20, accuracy: 1e-9)
    XCTAssertEqual(Contrast.gcnr(inside: inside, outside: outside), 1, accuracy: 1e-9)
    XCTAssertEqual(Contrast.gcnr(inside: [1, 2, 3], outside: [1, 2, 3]), 0, accuracy: 1e-9)
    XCTAssertEqual(Contrast.cnr(inside: [0, 2], outside: [4, 6]), 4 / 2.0.squareRoot(), accuracy: 1e-9)
  }

  /// Rayleigh samples (|complex Gaussian|) give mean/std ≈ 1.91.
  func testSpeckleSNROfRayleighSamples() {
    var state: UInt64 = 12345
    func u() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) * 0x1.0p-53 + 1e-12
    }
    let e = (0..<50000).map { _ in Float((-2 * log(u())).squareRoot()) }
    XCTAssertEqual(Speckle.snr(e), Speckle.rayleighSNR, accuracy: 0.03)
  }
}
