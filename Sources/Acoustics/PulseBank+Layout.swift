import Foundation
import Spectral

extension PulseBank {
  /// Attenuation (dB at fc) of the pulse whose support sets the tables' common length: 120 dB, the level beyond
  /// which the simulator drops echoes (``RFSimulator``'s negligible attenuation). More attenuated entries (the
  /// elevation tilt can add a little) are cut at the common length.
  static var supportReferenceAttenuationDbAtFc: Double { 120 }

  /// The longest support as a multiple of the unattenuated pulse's. MUST's response stays within it (C5-2v at 120 dB
  /// at fc: 1.38 times, numpy); a Gaussian response, whose spectrum attenuation pushes through zero frequency, would
  /// otherwise need a slowly decaying low-frequency tail tabulated (28 µs at −80 dB for the L11-5v at 120 dB at fc,
  /// against 0.34 µs unattenuated): its most attenuated levels are cut at twice the unattenuated support.
  static var longestSupportRatio: Int { 2 }

  /// The FFT grid on which a bank's pulses are computed: `n` coarse samples (even) `coarseStep` apart, t = 0 at
  /// index n/2, and the unattenuated two-way spectrum X·H² delayed by n/2 samples.
  struct Layout {
    let n: Int
    let bins: Int
    /// Bin spacing (Hz).
    let df: Double
    let fft: RealFFT
    /// X(f_k)·H²(f_k)·(−1)^k·2^s: the delay by n/2 samples, e^{−iπk}, which puts t = 0 on index n/2 for an even n,
    /// and a power of two that brings the pulse's samples near 1. Unscaled they are about T/10 (T the excitation's
    /// length, 10⁻⁷ s), and an attenuated entry's tails, squared for its envelope, fell among the single-precision
    /// subnormals, whose arithmetic is tens of times slower: half the bank's time went there. Scaling by a power of two
    /// is exact, so the tables, normalised to the unattenuated peak, are the same.
    let base: [ComplexNumber]

    init(model: PulseModel, n: Int, coarseStep: Double) {
      precondition(n % 2 == 0)
      self.n = n
      fft = RealFFT(length: n)
      bins = fft.binCount
      df = 1 / (Double(n) * coarseStep)
      let spectrum = (0..<fft.binCount).map { [df] k in
        let f = Double(k) * df
        let x = model.excitationSpectrum(f)
        let h = model.probeResponse(f)
        let sign: Double = k % 2 == 0 ? 1 : -1
        return ComplexNumber(x.re * h * sign, x.im * h * sign)
      }
      // (2/n)·Σ|X·H²| bounds the pulse's peak.
      let bound = 2 / Double(n) * spectrum.reduce(0) { $0 + $1.squaredMagnitude.squareRoot() }
      let power = bound > 0 ? pow(2, -log2(bound).rounded()) : 1
      base = spectrum.map { ComplexNumber($0.re * power, $0.im * power) }
    }

    /// The pulse p(t) with the spectrum's amplitudes scaled by `att` (one per bin), and its quadrature q(t), the
    /// Hilbert transform (the spectrum times −i on positive frequencies), so that √(p² + q²) is the envelope.
    func pulse(attenuation att: [Double]) -> (p: [Float], q: [Float]) {
      var spec = [Float](repeating: 0, count: 2 * bins)
      var quad = [Float](repeating: 0, count: 2 * bins)
      for k in 0..<bins {
        let (re, im) = (base[k].re * att[k], base[k].im * att[k])
        spec[2 * k] = Float(re)
        spec[2 * k + 1] = Float(im)
        if k > 0, k < n / 2 {  // DC and Nyquist carry no quadrature
          quad[2 * k] = Float(im)
          quad[2 * k + 1] = Float(-re)
        }
      }
      return (fft.inverseNormalised(spec), fft.inverseNormalised(quad))
    }

    /// The envelope's peak, max √(p² + q²) (the square root of the largest p² + q²: the root is monotone).
    static func envelopePeak(_ p: [Float], _ q: [Float]) -> Float {
      precondition(p.count == q.count)
      return p.withUnsafeBufferPointer { pb in
        q.withUnsafeBufferPointer { qb in
          var largest: Float = 0
          for i in 0..<pb.count { largest = max(largest, pb[i] * pb[i] + qb[i] * qb[i]) }
          return largest.squareRoot()
        }
      }
    }

    /// The largest distance from index n/2 (coarse samples) at which the envelope exceeds `level` of its own peak:
    /// that of the first or the last sample above it, found from the ends inward.
    static func halfSupport(_ p: [Float], _ q: [Float], level: Double) -> Int {
      let threshold = Float(level) * envelopePeak(p, q)
      let squared = threshold * threshold
      let centre = p.count / 2
      return p.withUnsafeBufferPointer { pb in
        q.withUnsafeBufferPointer { qb in
          func above(_ i: Int) -> Bool { pb[i] * pb[i] + qb[i] * qb[i] > squared }
          guard let first = (0..<pb.count).first(where: above) else { return 0 }
          let last = (first..<pb.count).reversed().first(where: above)!
          return max(abs(first - centre), abs(last - centre))
        }
      }
    }
  }
}
