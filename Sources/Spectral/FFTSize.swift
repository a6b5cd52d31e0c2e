/// Transform lengths FFTW handles fastest: products of 2, 3, 5 and 7.
public enum FFTSize {
  /// The smallest length ≥ `n` whose only prime factors are 2, 3, 5 and 7.
  public static func good(atLeast n: Int) -> Int {
    var m = max(n, 1)
    while true {
      var r = m
      for p in [2, 3, 5, 7] { while r % p == 0 { r /= p } }
      if r == 1 { return m }
      m += 1
    }
  }
}
