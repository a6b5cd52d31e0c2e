import Foundation

/// A complex number in double precision: the arithmetic of the layered-media coefficients (``ElasticPlate``).
public struct ComplexNumber: Sendable, Equatable {
  public var re: Double
  public var im: Double

  public init(_ re: Double, _ im: Double = 0) {
    self.re = re
    self.im = im
  }

  public static let i = ComplexNumber(0, 1)

  public var magnitude: Double { hypot(re, im) }
  public var squaredMagnitude: Double { re * re + im * im }

  public static func + (a: Self, b: Self) -> Self { Self(a.re + b.re, a.im + b.im) }
  public static func - (a: Self, b: Self) -> Self { Self(a.re - b.re, a.im - b.im) }
  public static prefix func - (a: Self) -> Self { Self(-a.re, -a.im) }
  public static func * (a: Self, b: Self) -> Self { Self(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re) }
  public static func * (a: Double, b: Self) -> Self { Self(a * b.re, a * b.im) }
  public static func / (a: Self, b: Self) -> Self {
    let d = b.squaredMagnitude
    return Self((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
  }

  /// e^{z}.
  public static func exp(_ z: Self) -> Self { Foundation.exp(z.re) * Self(cos(z.im), sin(z.im)) }

  /// √(x) of a real x on the branch with a non-negative imaginary part: a real wavenumber when x > 0, an evanescent
  /// one (i·√−x, decaying along e^{i·k·z} for growing z) when x < 0.
  public static func wavenumber(squared x: Double) -> Self {
    x >= 0 ? Self(x.squareRoot()) : Self(0, (-x).squareRoot())
  }

  /// The solution of the square system `a · x = b` (rows of `a`), by Gaussian elimination with partial pivoting;
  /// nil when the system is singular.
  public static func solve(_ a: [[Self]], _ b: [Self]) -> [Self]? {
    var m = a
    var v = b
    let n = v.count
    for c in 0..<n {
      guard let p = (c..<n).max(by: { m[$0][c].magnitude < m[$1][c].magnitude }), m[p][c].magnitude > 0 else {
        return nil
      }
      m.swapAt(c, p)
      v.swapAt(c, p)
      for r in (c + 1)..<n {
        let f = m[r][c] / m[c][c]
        for k in c..<n { m[r][k] = m[r][k] - f * m[c][k] }
        v[r] = v[r] - f * v[c]
      }
    }
    var x = [Self](repeating: Self(0), count: n)
    for r in stride(from: n - 1, through: 0, by: -1) {
      var s = v[r]
      for k in (r + 1)..<n { s = s - m[r][k] * x[k] }
      x[r] = s / m[r][r]
    }
    return x
  }
}
