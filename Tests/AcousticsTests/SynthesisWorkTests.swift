import Acoustics
import Acquisition
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
  /// its attenuation level's pulse, two multiply-adds per fine sample: the rows (fine samples, table samples 8 apart)
  /// that hold the level's own support ±h around the table's centre c, with a row to spare either side and in whole
  /// vectors, ⌊(c − h)/8⌋ − 2 up to ⌊(c + h)/8⌋ + 2 (``PulseBank/entryHalfSupportSamples``; unattenuated here). A
  /// second scatterer at the mirror place across the array's axis doubles both counts (at the same place it would
  /// join the first's echo, ``ScattererSet/delaySeconds``).
  func testTransmitCountIsTheElementsPulsesAndCountsAddUp() {
    let imaging = Imaging()
    let fs = 4 * imaging.probe.centerFrequencyHz
    let bank = PulseBank(
      model: imaging.pulse, tableStepSeconds: 1 / (fs * 64), maximumAttenuationDb: 0, attenuationExponent: 1)
    let (c, h) = (bank.centerIndex, bank.entryHalfSupportSamples[0])
    let rows = (c + h) / 8 + 2 - max(0, (c - h) / 8 - 2)
    let span = (rows + 7) / 8 * 8
    XCTAssertLessThan(span, (bank.phaseLength(stride: 8) + 7) / 8 * 8)  // shorter than the most attenuated level's
    let one = count(Imaging.points([(1e-3, 20e-3)]), threads: 1)
    XCTAssertEqual(one.transmit, 2 * span * 128)
    XCTAssertGreaterThan(one.receive, 0)
    let two = count(Imaging.points([(1e-3, 20e-3), (-1e-3, 20e-3)]), threads: 1)
    XCTAssertEqual(two.transmit, 2 * one.transmit)
    XCTAssertEqual(two.receive, 2 * one.receive)
  }

  /// 2000 scatterers fill four blocks, so the lanes' counts are summed: the total is the same on 1 and 2 threads.
  func testCountDoesNotDependOnThreads() {
    var s = ScattererSet()
    for i in 0..<2000 {
      s.append(xMetres: Float(i % 40 - 20) * 4e-4, yMetres: 0, zMetres: 10e-3 + Float(i / 40) * 5e-4, amplitude: 1)
    }
    let one = count(s, threads: 1)
    let two = count(s, threads: 2)
    XCTAssertGreaterThan(one.receive, 0)
    XCTAssertEqual(two.receive, one.receive)
    XCTAssertEqual(two.transmit, one.transmit)
  }
}
