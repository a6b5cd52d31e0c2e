import Foundation

/// Small numeric helpers shared by the test targets.
public enum Signals {
  /// sqrt(Σ(a−b)²) / sqrt(Σ b²): relative RMS difference of `a` against the reference `b`.
  public static func relativeRMSError(_ a: [Float], reference b: [Float]) -> Double {
    precondition(a.count == b.count)
    var num = 0.0
    var den = 0.0
    for i in a.indices {
      let d = Double(a[i]) - Double(b[i])
      num += d * d
      den += Double(b[i]) * Double(b[i])
    }
    return (num / max(den, 1e-300)).squareRoot()
  }

  /// Mean of the values.
  public static func mean(_ x: [Float]) -> Double { x.reduce(0) { $0 + Double($1) } / Double(max(x.count, 1)) }

  /// Population standard deviation.
  public static func standardDeviation(_ x: [Float]) -> Double {
    let m = mean(x)
    return (x.reduce(0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(max(x.count, 1))).squareRoot()
  }

  /// Least-squares slope of y against x.
  public static func slope(x: [Double], y: [Double]) -> Double {
    let mx = x.reduce(0, +) / Double(x.count)
    let my = y.reduce(0, +) / Double(y.count)
    var sxy = 0.0
    var sxx = 0.0
    for i in x.indices {
      sxy += (x[i] - mx) * (y[i] - my)
      sxx += (x[i] - mx) * (x[i] - mx)
    }
    return sxy / sxx
  }
}
