import Acoustics
import Acquisition
import Phantom
import TestSupport
import XCTest

/// Validation 5: the model is linear in the scatterers (first-order Born): superposition and scaling hold.
final class LinearityTests: XCTestCase {
  func simulate(_ s: ScattererSet) -> ChannelData {
    Imaging(medium: HomogeneousMedium()).channelData(
      s, sequence: TransmitSequence.planeWaves(probe: .l11_5v, anglesRadians: [0.05], soundSpeed: 1540),
      maximumDepthMetres: 40e-3)
  }

  func testSuperpositionOfTwoScatterers() {
    let a = Imaging.points([(-3e-3, 15e-3)])
    let b = Imaging.points([(4e-3, 27e-3)], amplitude: -0.6)
    var both = a
    both.append(contentsOf: b)
    let ra = simulate(a)
    let rb = simulate(b)
    let sum = zip(ra.data, rb.data).map { $0 + $1 }
    XCTAssertLessThan(Signals.relativeRMSError(simulate(both).data, reference: sum), 1e-5)
  }

  func testDoublingAmplitudeDoublesRF() {
    let one = simulate(Imaging.points([(2e-3, 20e-3)]))
    let two = simulate(Imaging.points([(2e-3, 20e-3)], amplitude: 2))
    XCTAssertGreaterThan(one.rms, 0)
    XCTAssertLessThan(Signals.relativeRMSError(two.data, reference: one.data.map { 2 * $0 }), 1e-6)
  }
}
