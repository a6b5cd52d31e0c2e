import Acquisition
import KernelSupport

extension ApodizationWindow {
  /// w(s) of eight arguments s ≥ 0 in single precision, for the delay-and-sum kernels; 0 where s > 1 or s is not a
  /// number. Both kernels call it, so they weigh a pixel alike (it replaces a 1024-step table: looking up eight
  /// entries one by one cost about a sixth of a plane-wave frame's delay-and-sum).
  ///
  /// Hann and the tapers of Tukey go through one odd polynomial:
  /// ```
  /// cos²(πs/2) = (1 − sin(πt))/2,   t = s − ½ ∈ [−½, ½]
  /// sin(πt) ≈ Σ_{k=0…5} (−1)^k (πt)^{2k+1} / (2k+1)!       (Taylor; error < 6·10⁻⁸ at |πt| = π/2)
  /// tukey(s) = 1 for s ≤ ½, hann(2s − 1) above            (α = 0.5)
  /// ```
  /// Against ``weight(_:)`` in double precision the error stays below 2·10⁻⁷ (`ApodizationWindowTests`).
  @inline(__always)
  public func weights(_ s: SIMD8<Float>) -> SIMD8<Float> {
    typealias V = SIMD8<Float>
    var w: V
    switch self {
    case .rectangular:
      w = V(repeating: 1)
    case .hann:
      w = Self.hann(s)
    case .tukey:
      w = Self.hann(2 * s - 1)
      w.replace(with: 1, where: s .<= 0.5)
    }
    w.replace(with: 0, where: .!(s .<= 1))
    return w
  }

  /// cos²(πs/2) for s in [0, 1] (arguments outside are clamped).
  @inline(__always)
  static func hann(_ s: SIMD8<Float>) -> SIMD8<Float> {
    typealias V = SIMD8<Float>
    var c = s
    c.replace(with: 0, where: c .< 0)
    c.replace(with: 1, where: c .> 1)
    let x = Float.pi * (c - 0.5)
    let x2 = x * x
    // sin(x)/x = 1 − x²/3! + x⁴/5! − x⁶/7! + x⁸/9! − x¹⁰/11!, by Horner in x².
    var p = V(repeating: -1 / 39_916_800)
    p = V(repeating: 1 / 362_880).adding(p, times: x2)
    p = V(repeating: -1 / 5040).adding(p, times: x2)
    p = V(repeating: 1 / 120).adding(p, times: x2)
    p = V(repeating: -1 / 6).adding(p, times: x2)
    p = V(repeating: 1).adding(p, times: x2)
    return 0.5 - 0.5 * (p * x)
  }

  /// w(s) of one argument, computed as ``weights(_:)`` computes each lane.
  func weightSingle(_ s: Float) -> Float { weights(SIMD8(repeating: s))[0] }
}
