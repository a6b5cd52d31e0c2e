import Acquisition
import Beamform
import XCTest

/// The receive-aperture rule the beamformer and the shadow masks share: an aperture of width v/F centred on the
/// point, apodised by the window; the whole array, apodised across it, at F = 0.
final class ReceiveApertureTests: XCTestCase {
  func testApertureWidthIsDepthOverFNumber() {
    let a = ReceiveAperture(fNumber: 2, window: .hann)
    let v: Float = 40e-3
    // Half-width v/(2F) = 10 mm: inside just below, outside just above, nothing behind the element.
    XCTAssertNotNil(a.weight(lateral: 9.99e-3, normal: v, wholeArrayWeight: 1))
    XCTAssertNil(a.weight(lateral: 10.01e-3, normal: v, wholeArrayWeight: 1))
    XCTAssertNil(a.weight(lateral: -10.01e-3, normal: v, wholeArrayWeight: 1))
    XCTAssertNil(a.weight(lateral: 0, normal: -1e-3, wholeArrayWeight: 1))
    // The window over the aperture: hann(s) = cos²(πs/2) at s = 2F·|u|/v, in single precision.
    for u in stride(from: -9.5e-3, through: 9.5e-3, by: 0.5e-3) {
      let s = abs(u) * 2 * 2 / Double(v)
      let expected = cos(Double.pi * s / 2) * cos(Double.pi * s / 2)
      XCTAssertEqual(Double(a.weight(lateral: Float(u), normal: v, wholeArrayWeight: 1)!), expected, accuracy: 2e-7)
    }
  }

  func testZeroFNumberKeepsTheWholeArrayApodisedAcrossIt() {
    let a = ReceiveAperture(fNumber: 0, window: .hann)
    XCTAssertFalse(a.limitsAperture)
    // Far to the side the element still receives, with its own place's weight; behind it, not.
    XCTAssertEqual(a.weight(lateral: 50e-3, normal: 1e-3, wholeArrayWeight: 0.25), 0.25)
    XCTAssertNil(a.weight(lateral: 0, normal: 0, wholeArrayWeight: 0.25))
    // Across a 5-element array: hann at s = −1, −½, 0, ½, 1.
    let weights = (0..<5).map { Double(a.wholeArrayWeight(element: $0, of: 5)) }
    for (w, e) in zip(weights, [0, 0.5, 1, 0.5, 0]) { XCTAssertEqual(w, e, accuracy: 1e-7) }
    XCTAssertEqual(a.wholeArrayWeight(element: 0, of: 1), 1)
  }

  func testRangesAreTheOnesErrorsName() {
    XCTAssertTrue(ReceiveAperture.fNumberRange.contains(ReceiveAperture.defaultFNumber))
    XCTAssertTrue(ReceiveAperture.fNumberAllowed.contains("0…20"))
    XCTAssertEqual(ApodizationWindow.allowed, "rectangular, hann, tukey")
  }
}
