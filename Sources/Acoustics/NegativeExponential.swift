import Foundation

/// e^{−x} for x ≥ 0 by table look-up with linear interpolation (step 1/64; relative error ≤ 1/(8·64²) = 3·10⁻⁵),
/// 0 beyond x = 32 (e^{−32} ≈ 10⁻¹⁴). Used for the per-element attenuation corrections of the RF kernel, where
/// libm's expf was 8 % of the run time.
enum NegativeExponential {
  static let step: Float = 1.0 / 64
  static let limit: Float = 32
  static let table: [Float] = (0...Int(32 * 64) + 1).map { Float(exp(-Double($0) / 64)) }

  @inline(__always)
  static func value(_ x: Float) -> Float {
    if x >= limit { return 0 }
    let u = max(x, 0) * 64
    let i = Int(u)
    let f = u - Float(i)
    return table.withUnsafeBufferPointer { t in t[i] + f * (t[i + 1] - t[i]) }
  }
}
