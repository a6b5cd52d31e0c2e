import CFFTW

/// Real-input discrete Fourier transforms of one length, batched, through FFTW's r2c/c2r plans.
///
/// Conventions are FFTW's: forward `X[k] = Σ_n x[n] e^{-2πi kn/N}` for `k = 0 … N/2` (interleaved re, im);
/// inverse is unnormalised, so `inverse(forward(x)) = N·x`.
public struct RealFFT: Sendable {
  /// Transform length N.
  public let length: Int
  /// Number of half-spectrum bins, N/2 + 1.
  public var binCount: Int { length / 2 + 1 }

  public init(length: Int) {
    precondition(length > 0)
    self.length = length
  }

  /// Forward transforms of `batch` rows of `length` floats each, into `batch` rows of `binCount` complex values
  /// (interleaved, `2·binCount` floats per row).
  public func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, batch: Int = 1) {
    let plan = FFTPlanCache.shared.plan(.init(kind: .realForward, length: length, batch: batch))
    output.withMemoryRebound(to: fftwf_complex.self, capacity: binCount * batch) { out in
      fftwf_execute_dft_r2c(plan, UnsafeMutablePointer(mutating: input), out)
    }
  }

  /// Inverse (unnormalised) transforms of `batch` half spectra into real rows. The input is left unspecified
  /// afterwards (FFTW's c2r overwrites it), so pass a scratch copy.
  public func inverse(_ input: UnsafeMutablePointer<Float>, _ output: UnsafeMutablePointer<Float>, batch: Int = 1) {
    let plan = FFTPlanCache.shared.plan(.init(kind: .realInverse, length: length, batch: batch))
    input.withMemoryRebound(to: fftwf_complex.self, capacity: binCount * batch) { inp in
      fftwf_execute_dft_c2r(plan, inp, output)
    }
  }

  /// Forward transform of one array (convenience for small, one-off uses).
  public func forward(_ x: [Float]) -> [Float] {
    precondition(x.count == length)
    var out = [Float](repeating: 0, count: 2 * binCount)
    x.withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { o in forward(i.baseAddress!, o.baseAddress!) }
    }
    return out
  }

  /// Inverse transform of one half spectrum, normalised by 1/N so that `inverseNormalised(forward(x)) = x`.
  public func inverseNormalised(_ spectrum: [Float]) -> [Float] {
    precondition(spectrum.count == 2 * binCount)
    var scratch = spectrum
    var out = [Float](repeating: 0, count: length)
    scratch.withUnsafeMutableBufferPointer { i in
      out.withUnsafeMutableBufferPointer { o in inverse(i.baseAddress!, o.baseAddress!) }
    }
    let s = 1 / Float(length)
    for i in out.indices { out[i] *= s }
    return out
  }
}
