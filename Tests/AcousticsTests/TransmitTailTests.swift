import Acoustics
import Acquisition
import Foundation
import Phantom
import TestSupport
import XCTest

/// The transmit waveform's tails left out of the receive (``SimulationSettings/transmitTailLevel``, ε): each point's
/// echo leaves out at most ε² of its waveform's energy, sheets keep every sample, and the synthesis stays linear. The
/// reference is the same synthesis receiving every sample (the transmit waveform is built alike in both, half an RF
/// sample apart), so these tests check what the trimming leaves out, not the waveform.
final class TransmitTailTests: XCTestCase {
  let level = SimulationSettings.tailLevelForBudget

  func simulator(_ probe: Probe, tail: Float?) -> RFSimulator<HomogeneousMedium> {
    attenuatedSimulator(probe, coarse: true, tail: tail)
  }

  static let cases: [(Probe, [TransmitEvent])] = [
    (.l11_5v, TransmitSequence.planeWaves(probe: .l11_5v, anglesRadians: [0, 10 * .pi / 180], soundSpeed: 1540)),
    (
      .c5_2v,
      TransmitSequence.divergingWaves(
        probe: .c5_2v, anglesRadians: [0], sourceDistanceMetres: Probe.c5_2v.radiusMetres, soundSpeed: 1540)
    ),
    (
      .p4_2v,
      TransmitSequence.divergingWaves(probe: .p4_2v, anglesRadians: [0], sourceDistanceMetres: 0.01, soundSpeed: 1540)
    ),
  ]

  /// Per-event relative RMS error and the receive multiply-adds of the trimmed synthesis against the untrimmed one.
  func compare(_ probe: Probe, _ sequence: [TransmitEvent], _ set: ScattererSet) -> (errors: [Double], work: Double) {
    let work = SynthesisWork.shared
    let before = work.multiplyAdds.receive
    let full = simulator(probe, tail: nil).simulate(scatterers: set, sequence: sequence)
    let middle = work.multiplyAdds.receive
    let trimmed = simulator(probe, tail: level).simulate(scatterers: set, sequence: sequence)
    let after = work.multiplyAdds.receive
    let perEvent = full.data.count / sequence.count
    let errors = sequence.indices.map { e -> Double in
      let range = (e * perEvent)..<((e + 1) * perEvent)
      return Signals.relativeRMSError(Array(trimmed.data[range]), reference: Array(full.data[range]))
    }
    return (errors, Double(after - middle) / Double(middle - before))
  }

  /// One scatterer alone, at 10, 30 and 60 mm on and off the axis: each receiver's trace is its waveform W shifted
  /// and scaled, so every event's channel data stand within ε of the untrimmed ones (relative RMS; the bound holds
  /// for W's samples half an RF sample apart, and the traces resample W: 10 % allowed for that), and something was
  /// left out.
  func testOneEchoLeavesOutAtMostEpsilon() {
    for (probe, sequence) in Self.cases {
      for (x, z) in [(0.0, 10e-3), (5e-3, 30e-3), (-10e-3, 60e-3)] {
        var set = ScattererSet()
        set.append(xMetres: Float(x), yMetres: 0, zMetres: Float(z), amplitude: 1)
        let (errors, work) = compare(probe, sequence, set)
        for (e, error) in errors.enumerated() {
          print(
            String(
              format: "tails, %@ event %d, point (%.0f, %.0f) mm: %.1f dB (bound %.1f dB), receive work %.2f",
              probe.name, e, x * 1e3, z * 1e3, 20 * log10(error), 20 * log10(Double(level)), work))
          XCTAssertLessThanOrEqual(error, 1.1 * Double(level), "\(probe.name) event \(e) at \(z * 1e3) mm")
          XCTAssertGreaterThan(error, 0, "\(probe.name) event \(e) at \(z * 1e3) mm: no tail left out")
        }
        XCTAssertLessThan(work, 1, "\(probe.name): the receive did no less work")
      }
    }
  }

  /// Linear: the channel data of 300 speckle scatterers and a point 100 times as bright equal, to float rounding, the
  /// sum of those of two sets that split every amplitude unevenly (A = w·A + (1 − w)·A, w = ¼, ½, ¾ in turn and 0.1
  /// for the bright point, as a target's taper splits a frame, ``Studies/TargetEcho``) — what is left out depends on
  /// the waveform alone, not on the amplitude or on the other scatterers (a cut scaled by the amplitude against the
  /// set's median fails this).
  func testTheTrimmedSynthesisIsLinear() {
    let probe = Probe.l11_5v
    let sequence = Self.cases[0].1
    let (whole, first, second) = unevenlySplitScatterers(seed: 5, depthMetres: 5e-3...50e-3, bright: (2e-3, 25e-3))
    let sim = simulator(probe, tail: level)
    let all = sim.simulate(scatterers: whole, sequence: sequence).data
    let a = sim.simulate(scatterers: first, sequence: sequence).data
    let b = sim.simulate(scatterers: second, sequence: sequence).data
    let peak = all.map(abs).max()!
    let worst = zip(all, zip(a, b)).map { abs($0 - $1.0 - $1.1) }.max()!
    print(String(format: "tails: linearity %.2g of the peak", worst / peak))
    XCTAssertLessThan(worst / peak, 1e-5)
    XCTAssertGreaterThan(
      Signals.relativeRMSError(
        all, reference: simulator(probe, tail: nil).simulate(scatterers: whole, sequence: sequence).data),
      0, "no tail left out")
  }

  /// Specular sheets (a flat strip, a needle wall's strip) keep every sample: identical channel data with and
  /// without the trimming.
  func testSheetsKeepTheirWholeWaveform() {
    let probe = Probe.l11_5v
    let sequence = Self.cases[0].1
    var sheets = ScattererSet()
    sheets.append(xMetres: 0, yMetres: 0, zMetres: 20e-3, amplitude: 1, sheetRadius: .infinity)
    sheets.append(xMetres: 4e-3, yMetres: 0, zMetres: 30e-3, amplitude: 1, sheetRadius: 0.6e-3)
    let trimmed = simulator(probe, tail: level).simulate(scatterers: sheets, sequence: sequence).data
    let full = simulator(probe, tail: nil).simulate(scatterers: sheets, sequence: sequence).data
    XCTAssertEqual(trimmed, full)
  }
}
