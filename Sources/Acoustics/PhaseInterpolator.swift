import Foundation

/// The fine grid's phases of a band-limited signal from samples on a coarser grid: K − 1 short filters, one per
/// phase, so that a transmit waveform built half an RF sample apart can be read as if it had been built on the fine
/// grid (``ScattererKernel/transmit``, the default's coarse waveform: K = 4 phases per half sample).
///
/// Phase φ of grid sample i is the value at `(i + φ/K)·Δ` (Δ the grid step, 1/fs_grid), estimated from the L grid
/// samples around it: `x̂ = Σ_t h_φ[t]·x[i + t]`, t = −L/2 + 1 … L/2. The taps are the Wiener (least mean square)
/// interpolator for a signal of power spectrum S on [0, fs_grid/2]: with `ρ(τ) = ∫ S(f) cos(2πfτ) df`,
///
///     Σ_u h_φ[u]·ρ((t − u)Δ) = ρ((φ/K − t)Δ)   for every t,
///     ε_φ² = (ρ(0) − Σ_t h_φ[t]·ρ((φ/K − t)Δ)) / ρ(0)   (relative mean-square error).
///
/// S is the envelope of every echo's spectrum a bank holds, each normalised to its own peak: 1 below the
/// unattenuated two-way pulse's spectral peak f_p, `|X·H²|²(f) / |X·H²|²(f_p)` above it. Attenuation,
/// `e^{−αf}`, only tilts a spectrum toward lower frequencies, so an attenuated echo normalised to its peak lies under
/// this envelope at every f (above f_p it falls at least as fast as the unattenuated one); a pulse P then errs by at
/// most `ε²·max|P|²·∫S / ∫|P|²` (Parseval). A floor of 10⁻⁹ keeps the normal equations well conditioned.
/// Numerically (MUST's response, one cycle): on the RF grid itself (fs = 4·fc, K = 8) 20 taps are needed for −80 dB
/// (16 give −71 to −78 dB); half an RF sample apart (8·fc, K = 4), 8 taps give −92 to −93 dB for the four presets
/// (`CoarseTransmitTests`), which is why the kernel builds the waveform there.
public struct PhaseInterpolator: Sendable, Equatable {
  /// K, the phases per grid sample (phase 0 is the sample itself).
  public let phases: Int
  /// L, taps per phase (even).
  public let taps: Int
  /// `coefficients[(φ − 1)·L + t]` is h_φ at offset t − (L/2 − 1), φ = 1 … K − 1.
  public let coefficients: [Float]
  /// The largest ε_φ over the phases, dB (10·log10 of the relative mean-square error).
  public let errorDb: Double

  /// Filters for a grid of `fs` samples per second whose phases' error ε_φ² stays at or under `targetDb`, with the
  /// fewest taps of 8, 12, … 32; nil when 32 do not reach it (a grid too coarse for the pulse's band).
  public static func design(
    model: PulseModel, samplingFrequencyHz fs: Double, phases k: Int, targetDb: Double = defaultTargetDb
  ) -> PhaseInterpolator? {
    let spectrum = envelopeSpectrum(model: model, samplingFrequencyHz: fs)
    for taps in stride(from: 8, through: 32, by: 4) {
      let made = PhaseInterpolator(spectrum: spectrum, samplingFrequencyHz: fs, phases: k, taps: taps)
      if made.errorDb <= targetDb { return made }
    }
    return nil
  }

  /// −80 dB: the level to which each echo's own pulse is tabulated (``PulseBank/defaultSupportLevelDb``), so the
  /// interpolation adds an error no larger than the tables' own.
  public static let defaultTargetDb = -80.0

  /// S(f) on the midpoints of `count` equal bins over [0, fs/2], with its bin width.
  static func envelopeSpectrum(
    model: PulseModel, samplingFrequencyHz fs: Double, count: Int = 4096
  ) -> (values: [Double], binHz: Double) {
    let df = fs / 2 / Double(count)
    let power = (0..<count).map { k -> Double in
      let m = model.spectrumMagnitude((Double(k) + 0.5) * df)
      return m * m
    }
    let peakIndex = power.indices.max { power[$0] < power[$1] } ?? 0
    let peak = max(power[peakIndex], .leastNormalMagnitude)
    let values = power.indices.map { k in (k <= peakIndex ? 1 : power[k] / peak) + 1e-9 }
    return (values, df)
  }

  init(spectrum: (values: [Double], binHz: Double), samplingFrequencyHz fs: Double, phases k: Int, taps l: Int) {
    precondition(l % 2 == 0 && k > 1)
    phases = k
    taps = l
    let df = spectrum.binHz
    let frequencies = spectrum.values.indices.map { (Double($0) + 0.5) * df }
    func rho(_ tauSeconds: Double) -> Double {
      var sum = 0.0
      for (f, s) in zip(frequencies, spectrum.values) { sum += s * cos(2 * Double.pi * f * tauSeconds) }
      return sum * df
    }
    let offsets = (0..<l).map { $0 - (l / 2 - 1) }
    // ρ((t − u)Δ) depends on t − u alone: 2L − 1 values.
    let lags = (-(l - 1)...(l - 1)).map { rho(Double($0) / fs) }
    let r0 = rho(0)
    var coefficients: [Float] = []
    var worst = 0.0
    for phase in 1..<k {
      var matrix = offsets.flatMap { t in offsets.map { u in lags[t - u + l - 1] } }
      let rhs = offsets.map { t in rho((Double(phase) / Double(k) - Double(t)) / fs) }
      let h = Self.solve(&matrix, rhs, size: l)
      let captured = zip(h, rhs).reduce(0) { $0 + $1.0 * $1.1 }
      worst = max(worst, (r0 - captured) / r0)
      coefficients += h.map(Float.init)
    }
    self.coefficients = coefficients
    errorDb = 10 * log10(max(worst, 1e-30))
  }

  /// x solving A·x = b for the symmetric positive definite `size` × `size` matrix A (row-major, overwritten), by
  /// Cholesky factorisation.
  static func solve(_ a: inout [Double], _ b: [Double], size n: Int) -> [Double] {
    for j in 0..<n {
      var d = a[j * n + j]
      for p in 0..<j { d -= a[j * n + p] * a[j * n + p] }
      let root = d.squareRoot()
      a[j * n + j] = root
      for i in (j + 1)..<n {
        var s = a[i * n + j]
        for p in 0..<j { s -= a[i * n + p] * a[j * n + p] }
        a[i * n + j] = s / root
      }
    }
    var y = b
    for i in 0..<n {
      for p in 0..<i { y[i] -= a[i * n + p] * y[p] }
      y[i] /= a[i * n + i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      for p in (i + 1)..<n { y[i] -= a[p * n + i] * y[p] }
      y[i] /= a[i * n + i]
    }
    return y
  }
}
