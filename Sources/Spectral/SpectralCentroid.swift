/// The power-weighted mean frequency of a few traces, `f̄ = Σ f_k |X_k|² / Σ |X_k|²` over the half spectrum —
/// the centre frequency of RF data whose file does not name its pulse.
public enum SpectralCentroid {
  /// - Parameters:
  ///   - samples: traces of `traceLength` samples one after another (real), or interleaved (re, im) pairs when
  ///     `stride` is 2 (the real parts are used).
  ///   - traces: how many traces from the start to average.
  public static func meanFrequency(
    _ samples: [Float], traceLength n: Int, traces: Int, stride: Int = 1, samplingFrequencyHz fs: Double
  ) -> Double {
    let fft = RealFFT(length: n)
    var power = 0.0
    var moment = 0.0
    for t in 0..<traces {
      let trace = (0..<n).map { samples[(t * n + $0) * stride] }
      let spectrum = fft.forward(trace)
      for k in 0..<fft.binCount {
        let p = Double(spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1])
        power += p
        moment += p * Double(k) * fs / Double(n)
      }
    }
    return power > 0 ? moment / power : fs / 4
  }
}
