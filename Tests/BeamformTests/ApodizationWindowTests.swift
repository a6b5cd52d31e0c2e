import Acquisition
import Beamform
import XCTest

/// The single-precision windows of the delay-and-sum kernels (``ApodizationWindow/weights(_:)``) against the
/// definitions in double precision (``ApodizationWindow/weight(_:)``).
final class ApodizationWindowTests: XCTestCase {
  /// Over s ∈ [0, 1] the polynomial Hann and Tukey tapers stay within 2·10⁻⁷ of cos² (the Taylor series' error is
  /// below 6·10⁻⁸, float rounding adds the rest); beyond the aperture (s > 1) and for s not a number the weight is 0.
  func testWeightsMatchTheDefinitions() {
    for window in ApodizationWindow.allCases {
      var worst = 0.0
      for start in stride(from: 0, to: 4097, by: 8) {
        let s = SIMD8<Float>((0..<8).map { Float(start + $0) / 4096 })
        let w = window.weights(s)
        for l in 0..<8 where s[l] <= 1 {
          worst = max(worst, abs(Double(w[l]) - window.weight(Double(s[l]))))
        }
      }
      XCTAssertLessThan(worst, 2e-7, "\(window)")
      let outside = window.weights(SIMD8(1.0001, 1.01, 1.5, 2, 10, .infinity, .nan, 1 + Float.ulpOfOne))
      XCTAssertEqual(outside, .zero, "\(window)")
    }
  }
}
