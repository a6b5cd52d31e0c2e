import Acoustics
import Foundation
import XCTest

/// The vectorised e^{−x} of the RF kernel against libm: relative error below 10⁻⁵ over [−80, 80].
final class NegativeExponentialTests: XCTestCase {
  func testMatchesExp() {
    var worst = 0.0
    for i in 0..<4000 {
      let x0 = Float(i) * 0.04 - 80
      let x = SIMD8<Float>(x0, x0 + 0.001, x0 + 0.003, x0 + 0.005, x0 + 0.007, x0 + 0.011, x0 + 0.013, x0 + 0.017)
      let v = NegativeExponential.value(x)
      for l in 0..<8 {
        let e = exp(-Double(x[l]))
        worst = max(worst, abs(Double(v[l]) - e) / e)
      }
    }
    XCTAssertLessThan(worst, 1e-5)
    XCTAssertEqual(NegativeExponential.value(SIMD8(repeating: 0))[0], 1, accuracy: 1e-7)
  }
}
