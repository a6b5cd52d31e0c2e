import Acoustics
import Phantom
import XCTest

/// The order in which the simulator takes scatterers (``RFSimulator/sortedForLocality(_:bandMetres:)``).
final class LocalityOrderTests: XCTestCase {
  /// The integer-key sort gives exactly the order of comparing (band, lateral position reversed in odd bands,
  /// original index) directly, for scatterers above and below z = 0, on both sides of x = 0, with exact ties and
  /// with x = −0 and +0 (equal as numbers, so their original order decides).
  func testKeySortEqualsTheDirectComparison() {
    var rng = RandomSource(seed: 7)
    var s = ScattererSet()
    for i in 0..<5000 {
      var x = Float(rng.uniform(-20e-3, 20e-3))
      var z = Float(rng.uniform(-5e-3, 60e-3))
      if i % 50 == 0 { x = 0 }
      if i % 50 == 25 { x = -0.0 }
      if i % 7 == 0 { x = Float((x * 1e4).rounded()) / 1e4 }  // exact ties in x
      if i % 11 == 0 { z = Float((z * 1e3).rounded()) / 1e3 }
      s.append(xMetres: x, yMetres: Float(i), zMetres: z, amplitude: Float(i))
    }
    let band: Float = 0.4e-3
    let sorted = RFSimulator<HomogeneousMedium>.sortedForLocality(s, bandMetres: band)
    let bands = s.z.map { Int(($0 / band).rounded(.down)) }
    let expected = s.z.indices.sorted { i, j in
      if bands[i] != bands[j] { return bands[i] < bands[j] }
      let xi = bands[i] % 2 == 0 ? s.x[i] : -s.x[i]
      let xj = bands[j] % 2 == 0 ? s.x[j] : -s.x[j]
      return xi < xj || (xi == xj && i < j)
    }
    // The amplitudes carry the original indices.
    XCTAssertEqual(sorted.amplitude.map { Int($0) }, expected)
    XCTAssertEqual(sorted.y, sorted.amplitude)
    XCTAssertEqual(sorted.x, expected.map { s.x[$0] })
  }
}
