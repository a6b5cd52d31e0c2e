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

  /// The envelope's −60 dB half support: within the Gaussian record bound (excitation + 4 envelope deviations) for
  /// the Gaussian response, and the bank's own tabulated support (computed by FFT, a different path) within one
  /// sample at 4·fc for both responses. MUST's response rings more than twice as long.
  func testEnvelopeSupportMatchesTheBanks() {
    for response in [PulseModel.Response.gaussian, .must] {
      let m = PulseModel(centerFrequencyHz: 3.57e6, fractionalBandwidth: 0.79, response: response)
      let support = m.envelopeHalfSupportSeconds()
      let bank = PulseBank(
        model: m, tableStepSeconds: 1 / (3.57e6 * 4 * 64), maximumAttenuationDb: 0, attenuationExponent: 1)
      XCTAssertEqual(support, bank.halfSupportSeconds, accuracy: 1 / (4 * 3.57e6), "\(response)")
      let gaussianBound = 1 / 3.57e6 / 2 + 4 / (2 * Double.pi * m.equivalentGaussianSigmaHz)
      if response == .gaussian {
        XCTAssertLessThan(support, gaussianBound)
      } else {
        XCTAssertGreaterThan(support, 2 * gaussianBound)
      }
    }
  }
}
