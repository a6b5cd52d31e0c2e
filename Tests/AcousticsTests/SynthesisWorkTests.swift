import Acoustics
import Phantom
import TestSupport
import XCTest

/// The multiply-add count that `us-sim-bench` sets against the machine's peak (``SynthesisWork``).
final class SynthesisWorkTests: XCTestCase {
  let sequence = TransmitSequence.planeWaves(probe: .l11_5v, anglesRadians: [0], soundSpeed: 1540)

  func count(_ s: ScattererSet, threads: Int) -> (receive: Int, transmit: Int) {
    SynthesisWork.shared.reset()
    _ = Imaging(threads: threads).channelData(s, sequence: sequence, maximumDepthMetres: 40e-3)
    return SynthesisWork.shared.multiplyAdds
  }

  /// One scatterer in front of the L11-5v under a 0° plane wave: each of the 128 elements transmits to it and adds
  /// the pulse's whole table span, two multiply-adds per fine sample (span = the pulse bank's phase length at stride
  /// 8, in whole vectors). A second scatterer at the same place doubles both counts, and threads change nothing.
  func testTransmitCountIsTheElementsPulsesAndCountsAddUp() {
    let imaging = Imaging()
    let fs = 4 * imaging.probe.centerFrequencyHz
    let bank = PulseBank(
      model: imaging.pulse, tableStepSeconds: 1 / (fs * 64), maximumAttenuationDb: 0, attenuationExponent: 1)
    let span = (bank.phaseLength(stride: 8) + 7) / 8 * 8
    let one = count(Imaging.points([(1e-3, 20e-3)]), threads: 1)
    XCTAssertEqual(one.transmit, 2 * span * 128)
    XCTAssertGreaterThan(one.receive, 0)
    let two = count(Imaging.points([(1e-3, 20e-3), (1e-3, 20e-3)]), threads: 2)
    XCTAssertEqual(two.transmit, 2 * one.transmit)
    XCTAssertEqual(two.receive, 2 * one.receive)
  }
}
