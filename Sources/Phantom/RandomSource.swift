import Foundation

/// A seeded, portable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Same seed → same stream on every machine and thread count; `derived(_:)` gives independent streams for
/// separate purposes (scatterer positions, noise, …) so that adding one consumer does not shift another.
/// Reference: D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47 (2021).
public struct RandomSource: RandomNumberGenerator, Sendable {
  private var s: (UInt64, UInt64, UInt64, UInt64)

  /// Seeds the state from `seed` with SplitMix64, as the xoshiro authors recommend.
  public init(seed: UInt64) {
    var sm = seed
    func splitMix(_ v: inout UInt64) -> UInt64 {
      v &+= 0x9E37_79B9_7F4A_7C15
      var z = v
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s = (splitMix(&sm), splitMix(&sm), splitMix(&sm), splitMix(&sm))
  }

  /// An independent stream for `purpose` (a small label such as 1 = scatterers, 2 = noise) of the same seed.
  public static func derived(seed: UInt64, purpose: UInt64) -> RandomSource {
    RandomSource(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ (purpose &+ 0x632B_E59B_D9B4_E019) &* 0xD1B5_4A32_D192_ED03)
  }

  public mutating func next() -> UInt64 {
    let result = rotl(s.1 &* 5, 7) &* 9
    let t = s.1 << 17
    s.2 ^= s.0
    s.3 ^= s.1
    s.1 ^= s.2
    s.0 ^= s.3
    s.2 ^= t
    s.3 = rotl(s.3, 45)
    return result
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform in [a, b).
  public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

  /// Standard normal deviate (Box–Muller; one value per call, deterministic).
  public mutating func gaussian() -> Double {
    let u1 = max(uniform(), 0x1.0p-60)
    let u2 = uniform()
    return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// +1 or −1 with equal probability: the sign of a ``gaussian()`` deviate, so it takes the same draws from the
  /// stream (what follows in the stream does not move when a Gaussian amplitude becomes a signed one).
  public mutating func sign() -> Double { gaussian() < 0 ? -1 : 1 }

  /// Poisson deviate with mean `lambda` (Knuth's method for small means, a rounded normal for large ones).
  public mutating func poisson(mean lambda: Double) -> Int {
    if lambda <= 0 { return 0 }
    if lambda > 60 { return max(0, Int((lambda + lambda.squareRoot() * gaussian()).rounded())) }
    let l = exp(-lambda)
    var k = 0
    var p = 1.0
    repeat {
      k += 1
      p *= uniform()
    } while p > l
    return k - 1
  }
}
