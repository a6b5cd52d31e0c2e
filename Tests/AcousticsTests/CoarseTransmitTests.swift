import Acoustics
import Acquisition
import Foundation
import Phantom
import TestSupport
import XCTest

/// The transmit waveform built half an RF sample apart, its other fine-grid phases interpolated
/// (``PhaseInterpolator``, ``SimulationSettings/coarseTransmitWaveform``). The filters are checked against the
/// pulse's own Fourier integral, which shares nothing with the simulator; the channel data against the exact sum and
/// the per-pair reference sum, which share its pulse bank but neither the factored waveform nor its grid.
final class CoarseTransmitTests: XCTestCase {
  /// p(t) = 2·Re ∫₀^{3fc} X(f)·H²(f)·A(f)·e^{2πift} df by direct summation over 2¹⁴ frequencies (no FFT, no table),
  /// A(f) = 10^{−a·(f/fc)/20} an attenuation of `a` dB at fc.
  func pulse(_ model: PulseModel, attenuationDbAtFc a: Double, at times: [Double]) -> [Double] {
    let fc = model.centerFrequencyHz
    let count = 1 << 14
    let df = 3 * fc / Double(count)
    let bins = (0..<count).map { k -> (w: Double, re: Double, im: Double) in
      let f = (Double(k) + 0.5) * df
      let x = model.excitationSpectrum(f)
      let h = model.probeResponse(f) * pow(10, -a * f / fc / 20)
      return (2 * Double.pi * f, x.re * h, x.im * h)
    }
    return times.map { t in
      var sum = 0.0
      for b in bins { sum += b.re * cos(b.w * t) - b.im * sin(b.w * t) }
      return 2 * sum * df
    }
  }

  /// The interpolated phases of an analytic pulse, sampled at 8·fc (half the RF sampling interval at fs = 4·fc, as
  /// the kernel builds the waveform), against the pulse itself: relative RMS error per phase within the filter's
  /// design error, `ε² ≤ ε_design²·∫S/∫|P|²` (S the envelope spectrum the filters are
  /// designed for, which bounds |P|² normalised to its peak: the bound is exact for a band-limited pulse, by
  /// Parseval). Unattenuated and attenuated by 60 dB at fc (its spectrum slid down), for the four presets' pulses.
  func testPhasesOfAnAnalyticPulse() throws {
    for probe in Probe.presets {
      let model = PulseModel(
        centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth, response: .must)
      let fs = 8 * probe.centerFrequencyHz
      let filters = try XCTUnwrap(PhaseInterpolator.design(model: model, samplingFrequencyHz: fs, phases: 4))
      XCTAssertLessThanOrEqual(filters.errorDb, PhaseInterpolator.defaultTargetDb)
      for attenuation in [0.0, 60.0] {
        // 192 samples around the pulse (its −80 dB support is under ±12 periods), and the 3 phases between.
        let coarseTimes = (-96..<96).map { Double($0) / fs }
        let coarse = pulse(model, attenuationDbAtFc: attenuation, at: coarseTimes)
        let energy = coarse.reduce(0) { $0 + $1 * $1 }
        var worst = -Double.infinity
        for phase in 1..<4 {
          let exact = pulse(
            model, attenuationDbAtFc: attenuation, at: coarseTimes.map { $0 + Double(phase) / (4 * fs) })
          var error = 0.0
          for i in 16..<176 {
            var sum = 0.0
            for t in 0..<filters.taps {
              sum +=
                Double(filters.coefficients[(phase - 1) * filters.taps + t]) * coarse[i + t - (filters.taps / 2 - 1)]
            }
            error += (sum - exact[i]) * (sum - exact[i])
          }
          worst = max(worst, 10 * log10(error / energy))
        }
        let bound = filters.errorDb + boundDb(model, attenuationDbAtFc: attenuation, samplingFrequencyHz: fs)
        print(
          String(
            format: "%@, %.0f dB at fc: worst phase %.1f dB (design %.1f dB, %d taps; bound %.1f dB)", probe.name,
            attenuation, worst, filters.errorDb, filters.taps, bound))
        XCTAssertLessThanOrEqual(worst, bound, "\(probe.name), \(attenuation) dB")
        XCTAssertLessThan(worst, -75, "\(probe.name), \(attenuation) dB")
      }
    }
  }

  /// 10·log10(max|P|²·∫S / ∫|P|²) over [0, fs/2]: S the filters' envelope spectrum (1 below the unattenuated pulse's
  /// peak, its normalised power above), P the attenuated pulse's spectrum. The error of a pulse P is
  /// ∫|P|²|E_φ|² ≤ max|P|²·∫S|E_φ|² = max|P|²·ε²·∫S, since |P|²/max|P|² ≤ S.
  func boundDb(_ model: PulseModel, attenuationDbAtFc a: Double, samplingFrequencyHz fs: Double) -> Double {
    let count = 1 << 14
    let df = fs / 2 / Double(count)
    let unattenuated = (0..<count).map { k -> Double in
      let m = model.spectrumMagnitude((Double(k) + 0.5) * df)
      return m * m
    }
    let peakIndex = unattenuated.indices.max { unattenuated[$0] < unattenuated[$1] }!
    let envelope = unattenuated.indices.map { $0 <= peakIndex ? 1 : unattenuated[$0] / unattenuated[peakIndex] }
    let attenuated = unattenuated.indices.map { k in
      unattenuated[k] * pow(10, -a * (Double(k) + 0.5) * df / model.centerFrequencyHz / 10)
    }
    let peak = attenuated.max()!
    return 10 * log10(peak * envelope.reduce(0, +) / attenuated.reduce(0, +))
  }

  /// A grid too close to the band has no filter of 32 taps or fewer, and the simulator keeps the fine grid: MUST's
  /// response sampled at 2.6·fc, or the Gaussian response at 4·fc, whose spectrum is 20 dB down at 2·fc. At twice
  /// those rates (the kernel's half-sample grid for fs = 1.3·fc and 2·fc) they have one.
  func testNoFilterWhenTheBandReachesNyquist() {
    let must = PulseModel(centerFrequencyHz: 5e6, fractionalBandwidth: 0.8, response: .must)
    XCTAssertNil(PhaseInterpolator.design(model: must, samplingFrequencyHz: 2.6 * 5e6, phases: 4))
    XCTAssertNotNil(PhaseInterpolator.design(model: must, samplingFrequencyHz: 5.2 * 5e6, phases: 4))
    let gaussian = PulseModel(centerFrequencyHz: 5e6, fractionalBandwidth: 0.8, response: .gaussian)
    XCTAssertNil(PhaseInterpolator.design(model: gaussian, samplingFrequencyHz: 4 * 5e6, phases: 4))
  }

  func simulator(_ probe: Probe, coarse: Bool) -> RFSimulator<HomogeneousMedium> {
    attenuatedSimulator(probe, coarse: coarse)
  }

  func speckle(count: Int, seed: UInt64) -> ScattererSet {
    var rng = RandomSource(seed: seed)
    var s = ScattererSet()
    for _ in 0..<count {
      s.append(
        xMetres: Float(rng.uniform(-20e-3, 20e-3)), yMetres: Float(rng.uniform(-1e-3, 1e-3)),
        zMetres: Float(rng.uniform(5e-3, 60e-3)), amplitude: Float(rng.gaussian()))
    }
    return s
  }

  /// Channel data with the coarse waveform against the exact sum, per event: within −70 dB relative RMS (the filters'
  /// −80 dB design, with 10 dB for the array factor's reweighting of the band). The budget for written channel data is
  /// −40 dB. Plane waves (L11-5v, 0° and 10°), diverging waves (C5-2v, P4-2v), 0.5 dB/cm/MHz.
  func testChannelDataAgainstTheExactSum() {
    let cases: [(Probe, [TransmitEvent])] = [
      (.l11_5v, TransmitSequence.planeWaves(probe: .l11_5v, anglesRadians: [0, 10 * .pi / 180], soundSpeed: 1540)),
      (
        .c5_2v,
        TransmitSequence.divergingWaves(
          probe: .c5_2v, anglesRadians: [0, 0.2], sourceDistanceMetres: 0.02, soundSpeed: 1540)
      ),
      (
        .p4_2v,
        TransmitSequence.divergingWaves(probe: .p4_2v, anglesRadians: [0], sourceDistanceMetres: 0.01, soundSpeed: 1540)
      ),
    ]
    for (probe, sequence) in cases {
      let set = speckle(count: 400, seed: 11)
      let fast = simulator(probe, coarse: true).simulate(scatterers: set, sequence: sequence)
      let exact = simulator(probe, coarse: false).simulate(scatterers: set, sequence: sequence)
      let perEvent = fast.data.count / sequence.count
      for e in sequence.indices {
        let range = (e * perEvent)..<((e + 1) * perEvent)
        let error = Signals.relativeRMSError(Array(fast.data[range]), reference: Array(exact.data[range]))
        print(
          String(format: "coarse transmit, %@ event %d: %.1f dB from the exact sum", probe.name, e, 20 * log10(error)))
        XCTAssertLessThan(20 * log10(error), -70, "\(probe.name), event \(e)")
        XCTAssertGreaterThan(error, 0, "\(probe.name), event \(e): the coarse waveform was not used")
      }
    }
  }

  /// Against the per-pair reference sum (every scatterer, element and event summed directly from the same pulse
  /// bank, no shared waveform):
  /// the same 1 % as the fine grid's (``FactoredSynthesisTests``), and no further from it than the fine grid is.
  func testAgainstThePerPairReference() {
    let probe = Probe.l11_5v
    let set = speckle(count: 60, seed: 3)
    let sequence = TransmitSequence.planeWaves(probe: probe, anglesRadians: [0, 0.1], soundSpeed: 1540)
    let reference = simulator(probe, coarse: false).simulateReference(scatterers: set, sequence: sequence)
    let coarse = Signals.relativeRMSError(
      simulator(probe, coarse: true).simulate(scatterers: set, sequence: sequence).data, reference: reference.data)
    let fine = Signals.relativeRMSError(
      simulator(probe, coarse: false).simulate(scatterers: set, sequence: sequence).data, reference: reference.data)
    print(String(format: "per-pair reference: coarse %.5f, fine %.5f", coarse, fine))
    XCTAssertLessThan(coarse, 0.01)
    XCTAssertLessThan(abs(coarse - fine), 1e-3 * fine + 1e-5)
  }
}

/// The RF simulator of the transmit-waveform tests (``CoarseTransmitTests``, ``TransmitTailTests``): a uniform medium
/// of 0.5 dB/cm/MHz, MUST's probe response, fs = 4·fc, 100 µs of record, 2 threads; `coarse` builds the transmit
/// waveform half an RF sample apart, `tail` leaves its tails out of the receive.
func attenuatedSimulator(_ probe: Probe, coarse: Bool, tail: Float? = nil) -> RFSimulator<HomogeneousMedium> {
  let fs = 4 * probe.centerFrequencyHz
  var settings = SimulationSettings(samplingFrequencyHz: fs, sampleCount: Int(100e-6 * fs), threads: 2)
  settings.coarseTransmitWaveform = coarse
  settings.transmitTailLevel = tail
  return RFSimulator(
    probe: probe, medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0.5),
    pulse: PulseModel(
      centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth, response: .must),
    settings: settings)
}
