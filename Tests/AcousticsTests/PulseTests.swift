import Acoustics
import Foundation
import Spectral
import XCTest

final class PulseTests: XCTestCase {
  /// The closed-form excitation spectrum equals a direct numerical integral of the centred N-cycle sine.
  func testExcitationSpectrumMatchesNumericalIntegral() {
    let m = PulseModel(centerFrequencyHz: 5e6, fractionalBandwidth: 0.7, cycles: 2.5)
    let t = 2.5 / 5e6
    for f in [0.0, 2e6, 5e6, 7.3e6] {
      var re = 0.0
      var im = 0.0
      let n = 20000
      let dt = t / Double(n)
      for k in 0..<n {
        let tk = -t / 2 + (Double(k) + 0.5) * dt
        let x = sin(2 * Double.pi * 5e6 * (tk + t / 2))
        re += x * cos(2 * Double.pi * f * tk) * dt
        im -= x * sin(2 * Double.pi * f * tk) * dt
      }
      let c = m.excitationSpectrum(f)
      XCTAssertEqual(c.re, re, accuracy: 1e-3 * t)
      XCTAssertEqual(c.im, im, accuracy: 1e-3 * t)
    }
  }

  /// The probe's pulse-echo bandwidth is what a very short excitation shows (within 5 %); a 1-cycle excitation is
  /// not flat across the band and narrows it somewhat (measured 67 % for L11-5v's 77 %), longer ones much more.
  func testBandwidthIsTheProbesForShortExcitations() {
    let b = 0.77 * 7.6e6
    let short = PulseModel(centerFrequencyHz: 7.6e6, fractionalBandwidth: 0.77, cycles: 0.25)
    XCTAssertEqual(short.measuredBandwidthHz(), b, accuracy: 0.05 * b)
    let one = PulseModel(centerFrequencyHz: 7.6e6, fractionalBandwidth: 0.77, cycles: 1).measuredBandwidthHz()
    XCTAssertTrue((0.6 * b...b).contains(one), "\(one)")
    let long = PulseModel(centerFrequencyHz: 7.6e6, fractionalBandwidth: 0.77, cycles: 4).measuredBandwidthHz()
    XCTAssertLessThan(long, 0.7 * one)
  }

  /// The tabulated pulse is centred (envelope peak at t = 0), normalised to 1, and an attenuated entry is weaker
  /// and lower in frequency.
  func testBankPulsesAreCentredAndAttenuationShiftsThemDown() {
    let m = PulseModel(centerFrequencyHz: 5e6, fractionalBandwidth: 0.7)
    let bank = PulseBank(model: m, tableStepSeconds: 1e-9, maximumAttenuationDb: 10, attenuationExponent: 1)
    let n = bank.tableLength
    let p0 = (0..<n).map { bank.value(entry: 0, timeSeconds: Double($0 - bank.centerIndex) * 1e-9) }
    let env = AnalyticSignal(length: n).envelope(p0)
    let peak = env.indices.max { env[$0] < env[$1] }!
    XCTAssertLessThan(abs(peak - bank.centerIndex), 3)
    XCTAssertEqual(env[peak], 1, accuracy: 0.02)
    let far = bank.entry(attenuationDb: 10)
    XCTAssertLessThan(bank.centroidHz[far], bank.centroidHz[0] - 0.2e6)
    let pFar = (0..<n).map { bank.value(entry: far, timeSeconds: Double($0 - bank.centerIndex) * 1e-9) }
    XCTAssertLessThan(AnalyticSignal(length: n).envelope(pFar).max()!, 0.5)
  }

  /// The envelope's half support at −60 dB and at the bank's default level: the bank's own support for its
  /// unattenuated entry (computed by FFT, a different path) within one sample at 4·fc for both responses. At −60 dB
  /// the Gaussian's lies within the Gaussian record bound (excitation + 4 envelope deviations) and MUST's response
  /// rings more than twice as long. An attenuated entry of MUST's pulse needs a longer support (its spectrum leans on
  /// the response's steep lower edge): C5-2v at −80 dB, 2.06 µs unattenuated and 2.27 µs at 8.4 dB/MHz (numpy).
  func testEnvelopeSupportMatchesTheBanks() {
    for levelDb in [-60.0, PulseBank.defaultSupportLevelDb] {
      for response in [PulseModel.Response.gaussian, .must] {
        let m = PulseModel(centerFrequencyHz: 3.57e6, fractionalBandwidth: 0.79, response: response)
        let support = m.envelopeHalfSupportSeconds(level: pow(10, levelDb / 20))
        let bank = PulseBank(
          model: m, tableStepSeconds: 1 / (3.57e6 * 4 * 64), maximumAttenuationDb: 8.4, attenuationExponent: 1,
          supportLevelDb: levelDb)
        let own = bank.entryHalfSupportSamples.map { Double($0) * bank.tableStepSeconds }
        XCTAssertEqual(support, own[0], accuracy: 1 / (4 * 3.57e6), "\(response) \(levelDb) dB")
        XCTAssertLessThanOrEqual(own.last!, bank.halfSupportSeconds)
        if response == .must, levelDb == -80 {
          XCTAssertEqual(own.last!, 2.27e-6, accuracy: 1 / (4 * 3.57e6))
        }
        guard levelDb == -60 else { continue }
        let gaussianBound = 1 / 3.57e6 / 2 + 4 / (2 * Double.pi * m.equivalentGaussianSigmaHz)
        if response == .gaussian {
          XCTAssertLessThan(support, gaussianBound)
        } else {
          XCTAssertGreaterThan(support, 2 * gaussianBound)
        }
      }
    }
  }

  /// The two-way pulse of a centred N-cycle sine through a real response H² is odd in time for whole N and even for
  /// half-integer N, so |p(t)| = |p(−t)| about the table's centre, whatever FFT length the bank picks. The probes and
  /// cycles here are ones whose work window once gave an odd FFT length (P4-2v with one cycle, C5-2v with two and
  /// three), where the half-length delay (−1)^k put every pulse half a coarse step (1/128 of a period) late: 9 % of
  /// the peak between mirrored samples (numpy, P4-2v).
  func testBankPulsesAreSymmetricInTime() {
    for (fc, bandwidth, cycles) in [(2.72e6, 0.74, 1.0), (3.57e6, 0.79, 2.0), (3.57e6, 0.79, 3.0), (7.6e6, 0.77, 1.5)] {
      let m = PulseModel(centerFrequencyHz: fc, fractionalBandwidth: bandwidth, cycles: cycles, response: .must)
      let bank = PulseBank(
        model: m, tableStepSeconds: 1 / (fc * 4 * 64), maximumAttenuationDb: 20, attenuationExponent: 1)
      for entry in [0, bank.entryCount - 1] {
        var asymmetry: Float = 0
        for i in 1..<bank.centerIndex {
          let t = Double(i) * bank.tableStepSeconds
          let (late, early) = (bank.value(entry: entry, timeSeconds: t), bank.value(entry: entry, timeSeconds: -t))
          asymmetry = max(asymmetry, abs(abs(late) - abs(early)))
        }
        XCTAssertLessThan(asymmetry, 1e-4, "\(fc) Hz, \(cycles) cycles, entry \(entry)")
      }
    }
  }
}
