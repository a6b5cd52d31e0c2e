import Acoustics
import Acquisition
import Phantom
import TestSupport
import XCTest

/// The elevation beam in the RF: a point off the scan plane echoes less, most of all at the lens focus, where the
/// slice is thinnest (about λF/H = 0.2 × 18 / 5 ≈ 0.7 mm wide at −6 dB for L11-5v).
final class ElevationTests: XCTestCase {
  func echo(y: Double, z: Double) -> Double {
    var s = ScattererSet()
    s.append(xMetres: 0, yMetres: Float(y), zMetres: Float(z), amplitude: 1)
    let rf = Imaging().channelData(
      s, sequence: TransmitSequence.planeWaves(probe: .l11_5v, anglesRadians: [0], soundSpeed: 1540),
      maximumDepthMetres: z + 5e-3)
    return rf.rms
  }

  func testOffPlanePointsFadeMostAtTheElevationFocus() {
    let atFocus = 20 * log10(echo(y: 2e-3, z: 18e-3) / echo(y: 0, z: 18e-3))
    let deep = 20 * log10(echo(y: 2e-3, z: 45e-3) / echo(y: 0, z: 45e-3))
    print("2 mm off plane: \(atFocus) dB at the 18 mm focus, \(deep) dB at 45 mm")
    // Two-way: the one-way elevation beam at 2 mm is well outside the focal slice, so below −20 dB two-way.
    XCTAssertLessThan(atFocus, -20)
    XCTAssertLessThan(deep, -1)
    XCTAssertGreaterThan(deep, atFocus + 6)
  }
}
