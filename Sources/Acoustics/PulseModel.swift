import Foundation

/// The two-way (pulse-echo) pulse: an excitation of N cycles at fc, filtered twice by the probe's response.
///
/// ```
/// excitation  x(t) = sin(2π fc (t + T/2)),  |t| ≤ T/2,  T = N / fc      (time zero at the excitation's centre)
/// probe, two-way, Gaussian   H²(f) = exp(−ln 2 · (|f − fc| / (B·fc/2))²)
/// probe, two-way, MUST's     H²(f) = exp(−ln 2 · (|f − fc| / (B·fc/2))^p),  p = ln 126 / ln(2/B)  (scenarios' default)
/// attenuation  A(f) = 10^(−a·(f / 1 MHz)^y / 20),  a in dB at 1 MHz (``AcousticPath``)
/// p(t) = F⁻¹{ X(f) · H²(f) · A(f) }
/// ```
/// B is the pulse-echo −6 dB fractional bandwidth (MUST's `param.bandwidth`), so H² falls to one half at
/// fc ± B·fc/2 either way. MUST's response (PyMUST 0.1.9, `Param.getProbeFunction`; Garcia, "SIMUS: an open-source
/// simulator for medical ultrasound imaging. Part I", Comput. Methods Programs Biomed. 218, 2022) is a generalized
/// normal window whose exponent p makes it fall to 2⁻¹²⁶ at 0 and 2·fc (p ≈ 5 for the presets): flatter in the band
/// and steeper at its edges than the Gaussian, so its pulse is longer and attenuation cannot pull the echo far below
/// the band. Excitation as in MUST (`param.TXnow`, default 1 cycle). Attenuation is zero-phase (the small
/// dispersion of causal power-law media is neglected); it lowers and shifts the spectrum, so deep echoes are weaker
/// and lower in frequency (Gaussian theory: the centre frequency falls by σ²·(ln 10/20)·a/1 MHz for y = 1; Kuc,
/// IEEE Trans. Sonics Ultrason. 31, 1984).
public struct PulseModel: Sendable, Equatable {
  public var centerFrequencyHz: Double
  public var fractionalBandwidth: Double
  /// Excitation length in periods of fc.
  public var cycles: Double
  /// The shape of the probe's response H².
  public var response: Response

  /// The probe response's shape, both with the same −6 dB bandwidth (see the type's doc).
  public enum Response: String, Sendable, Equatable, Hashable, CaseIterable {
    /// exp(−ln 2·u²): the analytic reference (Gaussian theory of the attenuated echo's downshift) and this type's
    /// default; scenarios use MUST's unless `physics.probe_response` names this one.
    case gaussian
    /// MUST's generalized normal window exp(−ln 2·u^p), p = ln 126 / ln(2/B).
    case must
  }

  public init(
    centerFrequencyHz: Double, fractionalBandwidth: Double, cycles: Double = 1, response: Response = .gaussian
  ) {
    self.centerFrequencyHz = centerFrequencyHz
    self.fractionalBandwidth = fractionalBandwidth
    self.cycles = cycles
    self.response = response
  }

  /// Exponent p of the response: 2 for the Gaussian; for MUST's, H² = 2⁻¹²⁶ at f = 0 and 2·fc
  /// (`log(126)/log(2/B)`).
  public var responseExponent: Double { response == .must ? log(126) / log(2 / fractionalBandwidth) : 2 }

  /// σ (Hz) of the Gaussian that has the response's −6 dB bandwidth, `B·fc / (2√(2 ln 2))`: a frequency scale for
  /// sizing time windows (the pulse's envelope lasts a few `1/(2π σ)`), not the response itself.
  public var equivalentGaussianSigmaHz: Double {
    fractionalBandwidth * centerFrequencyHz / (2 * (2 * log(2.0)).squareRoot())
  }

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
    let u = abs(f - centerFrequencyHz) / (fractionalBandwidth * centerFrequencyHz / 2)
    return exp(-log(2.0) * pow(u, responseExponent))
  }

  /// |X(f)·H²(f)|, the magnitude spectrum of the unattenuated two-way pulse.
  public func spectrumMagnitude(_ f: Double) -> Double {
    let x = excitationSpectrum(f)
    return (x.re * x.re + x.im * x.im).squareRoot() * probeResponse(f)
  }

  /// Half the span (s) over which the unattenuated pulse's envelope `|∫₀^{2.5fc} X(f)·H²(f)·e^{2πift} df|` exceeds
  /// `level` of its peak, found numerically (fc/256 apart in frequency, fc/32 in time, out to the excitation plus
  /// 24 of the equivalent Gaussian's envelope deviations): how long a record must run past the last echo's arrival.
  /// MUST's response rings longer than a Gaussian of the same bandwidth (its steep band edges), about 2.7× at −60 dB.
  public func envelopeHalfSupportSeconds(level: Double = 1e-3) -> Double {
    let fc = centerFrequencyHz
    let spectrum = stride(from: fc / 512, to: 2.5 * fc, by: fc / 256).map { f -> (Double, Double, Double) in
      let x = excitationSpectrum(f)
      let h = probeResponse(f)
      return (2 * Double.pi * f, x.re * h, x.im * h)
    }
    func envelope(_ t: Double) -> Double {
      var re = 0.0
      var im = 0.0
      for (w, sr, si) in spectrum {
        let (c, s) = (cos(w * t), sin(w * t))
        re += sr * c - si * s
        im += sr * s + si * c
      }
      return (re * re + im * im).squareRoot()
    }
    let dt = 1 / (32 * fc)
    let reach = Int(((cycles / fc / 2 + 24 / (2 * Double.pi * equivalentGaussianSigmaHz)) / dt).rounded(.up))
    let values = (-reach...reach).map { envelope(Double($0) * dt) }
    let peak = values.max() ?? 0
    var half = 0
    for (i, v) in values.enumerated() where v > level * peak { half = max(half, abs(i - reach)) }
    return Double(half + 1) * dt
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
