import Foundation

/// The two-way (pulse-echo) pulse: an excitation of N cycles at fc, filtered twice by the probe's response.
///
/// ```
/// excitation  x(t) = sin(2π fc (t + T/2)),  |t| ≤ T/2,  T = N / fc      (time zero at the excitation's centre)
/// probe, two-way  H²(f) = exp(−(f − fc)² / (2σ²)),  σ = B·fc / (2√(2 ln 2))
/// attenuation  A(f) = 10^(−a·(f / 1 MHz)^y / 20),  a in dB at 1 MHz (``AcousticPath``)
/// p(t) = F⁻¹{ X(f) · H²(f) · A(f) }
/// ```
/// B is the pulse-echo −6 dB fractional bandwidth (MUST's `param.bandwidth`), so H² falls to one half at
/// fc ± B·fc/2. Excitation as in MUST (`param.TXnow`, default 1 cycle). Attenuation is zero-phase (the small
/// dispersion of causal power-law media is neglected); it lowers and shifts the spectrum, so deep echoes are
/// weaker and lower in frequency (Gaussian theory: the centre frequency falls by σ²·(ln 10/20)·a/1 MHz for y = 1;
/// Kuc, IEEE Trans. Sonics Ultrason. 31, 1984).
public struct PulseModel: Sendable, Equatable {
  public var centerFrequencyHz: Double
  public var fractionalBandwidth: Double
  /// Excitation length in periods of fc.
  public var cycles: Double

  public init(centerFrequencyHz: Double, fractionalBandwidth: Double, cycles: Double = 1) {
    self.centerFrequencyHz = centerFrequencyHz
    self.fractionalBandwidth = fractionalBandwidth
    self.cycles = cycles
  }

  /// σ of the two-way Gaussian response (Hz).
  public var responseSigmaHz: Double { fractionalBandwidth * centerFrequencyHz / (2 * (2 * log(2.0)).squareRoot()) }

  /// Fourier transform of the centred excitation at frequency f (Hz), as (re, im).
  ///
  /// With ω0 = 2π fc, ω = 2π f: `X(ω) = e^{iωT/2} ∫₀ᵀ sin(ω0 s) e^{−iωs} ds`, evaluated in closed form.
  public func excitationSpectrum(_ f: Double) -> (re: Double, im: Double) {
    let t = cycles / centerFrequencyHz
    let w0 = 2 * Double.pi * centerFrequencyHz
    let w = 2 * Double.pi * f
    // ∫₀ᵀ e^{iκs} ds = (e^{iκT} − 1)/(iκ), → T as κ → 0.
    func integral(_ k: Double) -> (Double, Double) {
      if abs(k * t) < 1e-9 { return (t, 0) }
      return (sin(k * t) / k, (1 - cos(k * t)) / k)
    }
    let a = integral(w0 - w)
    let b = integral(-(w0 + w))
    // sin(ω0 s) = (e^{iω0 s} − e^{−iω0 s}) / 2i
    let dr = a.0 - b.0
    let di = a.1 - b.1
    let qr = di / 2
    let qi = -dr / 2
    let c = cos(w * t / 2)
    let s = sin(w * t / 2)
    return (qr * c - qi * s, qr * s + qi * c)
  }

  /// Amplitude of the two-way probe response H²(f).
  public func probeResponse(_ f: Double) -> Double {
    let d = f - centerFrequencyHz
    let s = responseSigmaHz
    return exp(-d * d / (2 * s * s))
  }

  /// |X(f)·H²(f)|, the magnitude spectrum of the unattenuated two-way pulse.
  public func spectrumMagnitude(_ f: Double) -> Double {
    let x = excitationSpectrum(f)
    return (x.re * x.re + x.im * x.im).squareRoot() * probeResponse(f)
  }

  /// The −6 dB (half-amplitude) full bandwidth of the unattenuated two-way pulse (Hz), found numerically.
  public func measuredBandwidthHz() -> Double {
    let fc = centerFrequencyHz
    let step = fc / 2000
    var peak = 0.0
    var fPeak = fc
    var f = step
    while f < 3 * fc {
      let m = spectrumMagnitude(f)
      if m > peak {
        peak = m
        fPeak = f
      }
      f += step
    }
    var lo = fPeak
    while lo > 0, spectrumMagnitude(lo) > peak / 2 { lo -= step / 10 }
    var hi = fPeak
    while spectrumMagnitude(hi) > peak / 2 { hi += step / 10 }
    return hi - lo
  }
}
