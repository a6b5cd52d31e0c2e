import Foundation

/// Contrast metrics between an inside and an outside set of linear envelope values
/// (`docs/metrics.md`, "Contrast").
public enum Contrast {
  static func meanVariance(_ x: [Float]) -> (Double, Double) {
    let m = x.reduce(0.0) { $0 + Double($1) } / Double(max(x.count, 1))
    let v = x.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(max(x.count, 1))
    return (m, v)
  }

  /// Contrast (dB) = 20·log10(mean E_in / mean E_out).
  public static func contrastDb(inside: [Float], outside: [Float]) -> Double {
    20 * log10(meanVariance(inside).0 / meanVariance(outside).0)
  }

  /// CNR = |mean E_in − mean E_out| / sqrt(var E_in + var E_out).
  public static func cnr(inside: [Float], outside: [Float]) -> Double {
    let (mi, vi) = meanVariance(inside)
    let (mo, vo) = meanVariance(outside)
    return abs(mi - mo) / (vi + vo).squareRoot()
  }

  /// gCNR = 1 − Σ_k min(p_in(k), p_out(k)) over `bins` common bins spanning both sets
  /// (Rodriguez-Molares et al., IEEE TUFFC 67(4), 2020).
  public static func gcnr(inside: [Float], outside: [Float], bins: Int = 100) -> Double {
    let all = inside + outside
    guard let lo = all.min(), let hi = all.max(), hi > lo else { return 0 }
    func histogram(_ x: [Float]) -> [Double] {
      var h = [Double](repeating: 0, count: bins)
      for v in x { h[min(bins - 1, Int(Double(v - lo) / Double(hi - lo) * Double(bins)))] += 1 }
      return h.map { $0 / Double(x.count) }
    }
    let a = histogram(inside)
    let b = histogram(outside)
    return 1 - zip(a, b).reduce(0) { $0 + min($1.0, $1.1) }
  }
}
