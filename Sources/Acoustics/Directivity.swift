import Foundation
import KernelSupport

/// In-plane directivity of a strip element of width w, with the soft-baffle obliquity factor, at fc:
///
/// ```
/// D(θ) = cos θ · sinc(π w sin θ / λ),   sinc(u) = sin(u)/u
/// ```
/// θ is the angle between the element normal and the direction to the point. This is the narrowband (fc) form of
/// the directivity MUST's pfield/SIMUS use (Garcia, "SIMUS: an open-source simulator for medical ultrasound
/// imaging. Part I", Comput. Methods Programs Biomed. 218, 2022, eq. 4); points behind the element (cos θ ≤ 0)
/// receive nothing.
///
/// The sinc factor is tabulated over sin θ ∈ [−1, 1] in 4096 steps and read by linear interpolation (error below
/// (2/4096)²/8·(πw/λ)², under 10⁻⁶ for the presets).
public struct Directivity: Sendable {
  static let steps = 4096
  /// sinc(π w s / λ) at s = −1 + 2i/steps.
  let table: [Float]

  public init(elementWidthMetres: Double, wavelengthMetres: Double) {
    let k = Double.pi * elementWidthMetres / wavelengthMetres
    table = (0...(Self.steps + 1)).map { i in
      let u = k * (-1 + 2 * Double(i) / Double(Self.steps))
      return Float(abs(u) < 1e-9 ? 1 : sin(u) / u)
    }
  }

  /// D for the given sine and cosine of θ.
  @inline(__always)
  public func value(sinTheta: Float, cosTheta: Float) -> Float {
    if cosTheta <= 0 { return 0 }
    let x = (min(max(sinTheta, -1), 1) + 1) * Float(Self.steps / 2)
    let i = Int(x)
    let f = x - Float(i)
    return table.withUnsafeBufferPointer { t in cosTheta * (t[i] + f * (t[i + 1] - t[i])) }
  }

  /// D for eight elements at once (same table, same interpolation). Lanes with cos θ ≤ 0 get 0; sin θ and cos θ
  /// must be finite.
  @inline(__always)
  func value(sinTheta s: SIMD8<Float>, cosTheta c: SIMD8<Float>) -> SIMD8<Float> {
    var clamped = s
    clamped.replace(with: -1, where: s .< -1)
    clamped.replace(with: 1, where: s .> 1)
    let (i, f) = ((clamped + 1) * Float(Self.steps / 2)).floorAndFraction()
    return table.withUnsafeBufferPointer { t in
      let lo = SIMD8<Float>.gather(t.baseAddress!, i)
      let hi = SIMD8<Float>.gather(t.baseAddress! + 1, i)
      var d = c * (lo + f * (hi - lo))
      d.replace(with: 0, where: c .<= 0)
      return d
    }
  }
}
