import Foundation
import Spectral
import XCTest

/// Validation 1: the FFT analytic signal recovers the envelope of a Gaussian-modulated cosine.
final class AnalyticSignalTests: XCTestCase {
  /// x(t) = exp(−t²/(2s²))·cos(2π f t) with f = 5 MHz, s = 0.3 µs, sampled at 40 MHz: |x_a| must equal the
  /// Gaussian within 1 % of its peak away from the edges (the envelope's band is far below f, so Bedrosian's
  /// theorem makes the Gaussian the exact envelope).
  func testEnvelopeOfGaussianModulatedCosine() {
    let fs = 40e6
    let f = 5e6
    let s = 0.3e-6
    let n = 1000
    let t0 = Double(n) / 2 / fs
    let x = (0..<n).map { i -> Float in
      let t = Double(i) / fs - t0
      return Float(exp(-t * t / (2 * s * s)) * cos(2 * Double.pi * f * t))
    }
    let env = AnalyticSignal(length: n).envelope(x)
    var worst = 0.0
    for i in 100..<(n - 100) {
      let t = Double(i) / fs - t0
      worst = max(worst, abs(Double(env[i]) - exp(-t * t / (2 * s * s))))
    }
    XCTAssertLessThan(worst, 0.01)
  }

  /// A batch gives the same rows as one-by-one transforms, and a sine's analytic signal is a unit phasor.
  func testBatchedTransformMatchesSingleRows() {
    let n = 256
    let rows: [[Float]] = (0..<3).map { r in
      (0..<n).map { Float(sin(2 * Double.pi * Double($0) * Double(8 + r) / Double(n))) }
    }
    let a = AnalyticSignal(length: n, padding: 0)
    var out = [Float](repeating: 0, count: 2 * n * 3)
    let flat = rows.flatMap { $0 }
    flat.withUnsafeBufferPointer { i in
      out.withUnsafeMutableBufferPointer { o in a.transform(i.baseAddress!, o.baseAddress!, batch: 3) }
    }
    for r in 0..<3 {
      let single = a.transform(rows[r])
      for i in 0..<(2 * n) { XCTAssertEqual(out[2 * n * r + i], single[i], accuracy: 1e-5) }
      // sin → −i·e^{iωt}: magnitude 1 everywhere for whole periods.
      for i in 0..<n { XCTAssertEqual(hypot(single[2 * i], single[2 * i + 1]), 1, accuracy: 1e-4) }
    }
  }

  func testFFTSizesHaveOnlySmallFactors() {
    XCTAssertEqual(FFTSize.good(atLeast: 1000), 1000)
    XCTAssertEqual(FFTSize.good(atLeast: 1009), 1024)
    XCTAssertEqual(FFTSize.good(atLeast: 11), 12)
  }

  func testRealFFTRoundTrip() {
    let x: [Float] = (0..<30).map { Float($0 % 7) - 3 }
    let fft = RealFFT(length: 30)
    let back = fft.inverseNormalised(fft.forward(x))
    for i in x.indices { XCTAssertEqual(back[i], x[i], accuracy: 1e-5) }
  }
}
