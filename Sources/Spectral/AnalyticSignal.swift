import CFFTW

/// The analytic signal `x_a = x + i·H{x}` of real rows, by FFT (batched, one plan per shape).
///
/// ```
/// X = FFT(x zero-padded to N)
/// X_a[0] = X[0],  X_a[k] = 2·X[k] for 0 < k < N/2,  X_a[N/2] = X[N/2] (N even),  X_a[k] = 0 for k > N/2
/// x_a = IFFT(X_a) / N, first `length` samples
/// ```
/// Its magnitude is the envelope and its angle the instantaneous phase (Marple, "Computing the discrete-time
/// analytic signal via FFT", IEEE Trans. Signal Process. 47(9), 1999). Rows are zero-padded to a fast FFTW length of
/// at least `length + padding` so that the circular transform's wrap-around falls in the padding.
public struct AnalyticSignal: Sendable {
  /// Samples per row.
  public let length: Int
  /// FFT length used (≥ length + padding, only factors 2, 3, 5, 7).
  public let fftLength: Int

  /// - Parameters:
  ///   - length: samples per row.
  ///   - padding: zeros appended before the transform (default 64 samples, about 16 periods at 4 samples/period).
  public init(length: Int, padding: Int = 64) {
    precondition(length > 0)
    self.length = length
    self.fftLength = FFTSize.good(atLeast: length + padding)
  }

  /// Transforms `batch` real rows (`length` floats each, contiguous) into complex rows (`2·length` floats each,
  /// interleaved re, im).
  public func transform(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, batch: Int) {
    let n = fftLength
    let half = n / 2 + 1
    let padded = UnsafeMutablePointer<Float>.allocate(capacity: n * batch)
    let spectrum = UnsafeMutablePointer<Float>.allocate(capacity: 2 * half * batch)
    let full = UnsafeMutablePointer<Float>.allocate(capacity: 2 * n * batch)
    let result = UnsafeMutablePointer<Float>.allocate(capacity: 2 * n * batch)
    defer {
      padded.deallocate()
      spectrum.deallocate()
      full.deallocate()
      result.deallocate()
    }
    padded.initialize(repeating: 0, count: n * batch)
    for b in 0..<batch { (padded + b * n).update(from: input + b * length, count: length) }
    RealFFT(length: n).forward(padded, spectrum, batch: batch)

    full.initialize(repeating: 0, count: 2 * n * batch)
    for b in 0..<batch {
      let s = spectrum + 2 * half * b
      let f = full + 2 * n * b
      f[0] = s[0]
      f[1] = s[1]
      let lastDoubled = (n % 2 == 0) ? half - 2 : half - 1
      if lastDoubled >= 1 {
        for k in 1...lastDoubled {
          f[2 * k] = 2 * s[2 * k]
          f[2 * k + 1] = 2 * s[2 * k + 1]
        }
      }
      if n % 2 == 0 {
        f[2 * (half - 1)] = s[2 * (half - 1)]
        f[2 * (half - 1) + 1] = s[2 * (half - 1) + 1]
      }
    }
    let plan = FFTPlanCache.shared.plan(.init(kind: .complexBackward, length: n, batch: batch))
    full.withMemoryRebound(to: fftwf_complex.self, capacity: n * batch) { i in
      result.withMemoryRebound(to: fftwf_complex.self, capacity: n * batch) { o in
        fftwf_execute_dft(plan, i, o)
      }
    }
    let scale = 1 / Float(n)
    for b in 0..<batch {
      let r = result + 2 * n * b
      let o = output + 2 * length * b
      for i in 0..<(2 * length) { o[i] = r[i] * scale }
    }
  }

  /// Convenience for one row: returns interleaved complex samples.
  public func transform(_ x: [Float]) -> [Float] {
    precondition(x.count == length)
    var out = [Float](repeating: 0, count: 2 * length)
    x.withUnsafeBufferPointer { i in
      out.withUnsafeMutableBufferPointer { o in transform(i.baseAddress!, o.baseAddress!, batch: 1) }
    }
    return out
  }

  /// Envelope |x_a| of one row.
  public func envelope(_ x: [Float]) -> [Float] {
    let a = transform(x)
    var e = [Float](repeating: 0, count: length)
    for i in 0..<length {
      let re = a[2 * i]
      let im = a[2 * i + 1]
      e[i] = (re * re + im * im).squareRoot()
    }
    return e
  }
}
