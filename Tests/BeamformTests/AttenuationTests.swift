import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom
import Spectral
import TestSupport
import XCTest

/// Validation 4: frequency-dependent attenuation lowers the speckle level with depth at the rate the pulse spectrum
/// predicts, and lowers the echoes' centre frequency as Gaussian-spectrum theory predicts. Each comparison divides a
/// 0.5 dB/cm/MHz simulation by a lossless one of the same scatterers, so geometry cancels and only attenuation
/// remains. TGC is off (the simulator never applies it by itself).
final class AttenuationTests: XCTestCase {
  let alphaDb = 0.5
  let imaging = Imaging()

  func simulate(alpha: Double, scatterers s: ScattererSet) -> ChannelData {
    var im = imaging
    im.medium = HomogeneousMedium(attenuationDbPerCmPerMHz: alpha)
    return im.channelData(
      s, sequence: TransmitSequence.planeWaves(probe: im.probe, anglesRadians: [0], soundSpeed: 1540),
      maximumDepthMetres: 52e-3)
  }

  var scatterers: ScattererSet {
    PhantomDescription(regions: [
      SpeckleRegion(shape: .rectangle(xMin: -6e-3, xMax: 6e-3, zMin: 8e-3, zMax: 52e-3), densityPerMm2: 60)
    ])
    .scatterers(seed: 11)
  }

  /// Mean speckle intensity of the echoes in 5 mm depth windows, attenuated over lossless, in dB, against
  /// `10·log10(∫|P(f)|²·A(f, 2z)² df / ∫|P(f)|² df)` with P the two-way pulse's spectrum and
  /// A(f, d) = 10^(−α·d·f/20); the slopes (dB/mm) of straight-line fits must agree within 10 %.
  ///
  /// The echoes are those of a single element transmitting and the central 32 receiving (one synthetic-aperture
  /// event), whose only frequency dependence is the pulse's and the medium's. (A plane wave's on-axis field is a
  /// coherent Fresnel-zone sum, √(λz) wide, that weights low frequencies about as 1/f, and receive focusing's spot
  /// area adds another 1/f; plane-wave images therefore lose level more slowly than the bare pulse spectrum says,
  /// measured here at 0.48 against 0.58 dB/mm.)
  func testSpeckleLevelFallsAtTheAttenuationRate() {
    let s = scatterers
    let event = [TransmitEvent(probe: imaging.probe, wavefront: .singleElement(index: 64), soundSpeed: 1540)]
    var im = imaging
    im.medium = HomogeneousMedium(attenuationDbPerCmPerMHz: alphaDb)
    let lossy = im.channelData(s, sequence: event, maximumDepthMetres: 52e-3)
    im.medium = HomogeneousMedium(attenuationDbPerCmPerMHz: 0)
    let lossless = im.channelData(s, sequence: event, maximumDepthMetres: 52e-3)
    let fs = lossy.samplingFrequencyHz
    let pulse = imaging.pulse
    var depths: [Double] = []
    var measured: [Double] = []
    var expected: [Double] = []
    for z in stride(from: 14.5e-3, through: 44.5e-3, by: 5e-3) {
      let n0 = Int(2 * (z - 2.5e-3) / 1540 * fs)
      let n1 = Int(2 * (z + 2.5e-3) / 1540 * fs)
      var p1 = 0.0
      var p0 = 0.0
      for e in 48..<80 {
        let a = lossy.trace(event: 0, element: e)
        let b = lossless.trace(event: 0, element: e)
        for n in n0..<n1 {
          p1 += Double(a[n] * a[n])
          p0 += Double(b[n] * b[n])
        }
      }
      depths.append(z * 1e3)
      measured.append(10 * log10(p1 / p0))
      var num = 0.0
      var den = 0.0
      var f = 0.05e6
      while f < 3 * pulse.centerFrequencyHz {
        let p2 = pow(pulse.spectrumMagnitude(f), 2)
        let a = pow(10, -alphaDb * (2 * z * 100) * (f / 1e6) / 20)
        num += p2 * a * a
        den += p2
        f += 0.05e6
      }
      expected.append(10 * log10(num / den))
    }
    let slopeMeasured = Signals.slope(x: depths, y: measured)
    let slopeExpected = Signals.slope(x: depths, y: expected)
    print("speckle level slope measured \(slopeMeasured) dB/mm, expected \(slopeExpected) dB/mm")
    XCTAssertEqual(slopeMeasured, slopeExpected, accuracy: 0.1 * abs(slopeExpected))
  }

  /// Centroid of the echo power spectrum in 5 mm windows of the RF (central 32 channels): attenuated minus
  /// lossless, against the same difference of the model's power spectrum |X·H²|² weighted by e^{−βf},
  /// β = 2·α_Np·(2z), summed numerically (to first order the shift is −β·Var(f), exactly so for a Gaussian; the
  /// sum holds for any response shape). The slopes over 15–45 mm must agree within 10 %.
  func testCentreFrequencyFallsWithDepth() {
    let s = scatterers
    let lossy = simulate(alpha: alphaDb, scatterers: s)
    let lossless = simulate(alpha: 0, scatterers: s)
    let fs = lossy.samplingFrequencyHz
    let c = 1540.0
    let window = Int(5e-3 * 2 / c * fs)
    let fft = RealFFT(length: FFTSize.good(atLeast: 4 * window))
    func centroid(_ rf: ChannelData, depth z: Double) -> Double {
      let start = Int((2 * (z - 2.5e-3) / c) * fs)
      var power = [Double](repeating: 0, count: fft.binCount)
      for e in 48..<80 {
        let tr = rf.trace(event: 0, element: e)
        var x = [Float](repeating: 0, count: fft.length)
        for i in 0..<window {
          let w = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(window - 1))
          x[i] = tr[start + i] * Float(w)
        }
        let spec = fft.forward(x)
        for k in 0..<fft.binCount { power[k] += Double(spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]) }
      }
      var num = 0.0
      var den = 0.0
      for k in 0..<fft.binCount {
        num += Double(k) * power[k]
        den += power[k]
      }
      return num / den * fs / Double(fft.length)
    }
    let pulse = imaging.pulse
    let alphaNp = alphaDb * log(10.0) / 20 * 100 / 1e6  // Np per metre per Hz
    // Centroid of the pulse's power spectrum after a two-way path 2z: |X H²|²·e^{−2·α_Np·f·2z}, summed numerically.
    func modelCentroid(depth z: Double) -> Double {
      var m0 = 0.0
      var m1 = 0.0
      var f = 0.025e6
      while f < 3 * pulse.centerFrequencyHz {
        let p2 = pow(pulse.spectrumMagnitude(f), 2) * exp(-2 * alphaNp * f * 2 * z)
        m0 += p2
        m1 += p2 * f
        f += 0.05e6
      }
      return m1 / m0
    }
    var depths: [Double] = []
    var shifts: [Double] = []
    var expectedShifts: [Double] = []
    for z in stride(from: 15e-3, through: 45e-3, by: 5e-3) {
      depths.append(z)
      shifts.append(centroid(lossy, depth: z) - centroid(lossless, depth: z))
      expectedShifts.append(modelCentroid(depth: z) - modelCentroid(depth: 0))
    }
    let slopeMeasured = Signals.slope(x: depths, y: shifts)
    let slopeExpected = Signals.slope(x: depths, y: expectedShifts)
    print("centre-frequency slope measured \(slopeMeasured / 1e6) kHz/mm, expected \(slopeExpected / 1e6) kHz/mm")
    XCTAssertEqual(slopeMeasured, slopeExpected, accuracy: 0.1 * abs(slopeExpected))
  }
}
