import Metrics
import XCTest

/// ``ImageBudget`` on images whose errors are known in closed form.
final class ImageBudgetTests: XCTestCase {
  /// A 20 × 20 mm image at 1 mm pixels: 16 tiles of 5 × 5 mm.
  let x: [Float] = (0..<400).map { Float($0 % 20) * 1e-3 }
  let z: [Float] = (0..<400).map { Float($0 / 20) * 1e-3 }

  func testFrameAndTileErrors() {
    // Exact: amplitude 1 everywhere; the other image 2 % too large in the tile x, z ∈ [5, 10) mm and exact elsewhere.
    let exact = [Float](repeating: 0, count: 800).enumerated().map { $0.offset % 2 == 0 ? Float(1) : 0 }
    var other = exact
    for p in 0..<400 where (5e-3..<10e-3).contains(x[p]) && (5e-3..<10e-3).contains(z[p]) { other[2 * p] = 1.02 }
    let e = ImageBudget.errors(exact: exact, other: other, x: x, z: z)
    // 25 of 400 pixels off by 0.02: frame √(25·0.02²/400) = 0.005; that tile 0.02.
    XCTAssertEqual(e.frame, 0.005, accuracy: 1e-6)
    XCTAssertEqual(e.worstTile, 0.02, accuracy: 1e-6)
  }

  func testTilesFarBelowThePeakAreNotHeldToTheBudget() {
    // One bright tile (amplitude 1000) and the rest at 1, 60 dB lower: a 50 % error there counts in the frame only.
    var exact = [Float](repeating: 0, count: 800)
    var other = exact
    for p in 0..<400 {
      let bright = x[p] < 5e-3 && z[p] < 5e-3
      exact[2 * p] = bright ? 1000 : 1
      other[2 * p] = bright ? 1000 : 1.5
    }
    let e = ImageBudget.errors(exact: exact, other: other, x: x, z: z)
    XCTAssertEqual(e.worstTile, 0, accuracy: 1e-12)
    XCTAssertEqual(e.frame, (375 * 0.25 / (25 * 1e6 + 375)).squareRoot(), accuracy: 1e-9)
  }
}
