import Acoustics
import Acquisition
import Foundation
import Phantom
import TestSupport
import XCTest

/// The transmit waveform's tails left out of the receive (``SimulationSettings/transmitTailLevel``, ε): each echo
/// leaves out at most ε² of its waveform's energy, a scatterer brighter than the median proportionally less. The
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

  /// A bright point (100 times the speckle's amplitude, the median) among 300 speckle scatterers: its tails are cut
  /// at ε/100, so its own error e_b holds at most (1.1·ε/100)² of its echo's energy E_b (1.1 for the traces'
  /// resampling, as above). The trimmed channel data's error energy then stays within
  /// `alone + e_b + 2·√(alone·e_b)` (Cauchy–Schwarz for the cross term), `alone` the speckle's error without the
  /// point; cut at ε, the point alone could leave out 10⁴ times e_b.
  func testBrightScatterersKeepTheirTails() {
    let probe = Probe.l11_5v
    let sequence = Self.cases[0].1
    var rng = RandomSource(seed: 5)
    var speckle = ScattererSet()
    for _ in 0..<300 {
      speckle.append(
        xMetres: Float(rng.uniform(-15e-3, 15e-3)), yMetres: Float(rng.uniform(-1e-3, 1e-3)),
        zMetres: Float(rng.uniform(5e-3, 50e-3)), amplitude: rng.uniform(0, 1) < 0.5 ? -1 : 1)
    }
    var point = ScattererSet()
    point.append(xMetres: 2e-3, yMetres: 0, zMetres: 25e-3, amplitude: 100)
    var withPoint = speckle
    withPoint.append(xMetres: 2e-3, yMetres: 0, zMetres: 25e-3, amplitude: 100)
    func energy(_ x: [Float]) -> Double { x.reduce(0) { $0 + Double($1 * $1) } }
    func errorEnergy(_ set: ScattererSet) -> Double {
      let full = simulator(probe, tail: nil).simulate(scatterers: set, sequence: sequence).data
      let trimmed = simulator(probe, tail: level).simulate(scatterers: set, sequence: sequence).data
      return energy(zip(full, trimmed).map { $1 - $0 })
    }
    let alone = errorEnergy(speckle)
    let together = errorEnergy(withPoint)
    let echo = energy(simulator(probe, tail: nil).simulate(scatterers: point, sequence: sequence).data)
    let pointError = echo * pow(1.1 * Double(level) / 100, 2)
    let bound = alone + pointError + 2 * (alone * pointError).squareRoot()
    print(
      String(
        format: "tails: error energy with the bright point %.4g, without %.4g, bound %.4g (cut at ε: up to %.4g)",
        together, alone, bound, alone + echo * pow(Double(level), 2)))
    XCTAssertGreaterThan(alone, 0)
    XCTAssertLessThanOrEqual(together, bound)
  }
}
