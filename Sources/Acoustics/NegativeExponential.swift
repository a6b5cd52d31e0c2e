import Foundation

/// e^{−x} for x ≥ 0 by table look-up with linear interpolation (step 1/64; relative error ≤ 1/(8·64²) = 3·10⁻⁵),
/// 0 beyond x = 32 (e^{−32} ≈ 10⁻¹⁴). Used for the per-element attenuation corrections of the RF kernel, where
/// libm's expf was 8 % of the run time.
struct NegativeExponential: @unchecked Sendable {
  static let shared = NegativeExponential()
  static let limit: Float = 32
  /// e^{−k/64} for k = 0 … 32·64 + 1; allocated once and never freed (shared by every kernel).
  let table: UnsafePointer<Float>

  private init() {
    let n = Int(Self.limit * 64) + 2
    let t = UnsafeMutablePointer<Float>.allocate(capacity: n)
    for k in 0..<n { t[k] = Float(exp(-Double(k) / 64)) }
    table = UnsafePointer(t)
  }

  @inline(__always)
  func value(_ x: Float) -> Float {
    if x >= Self.limit { return 0 }
    let u = max(x, 0) * 64
    let i = Int(u)
    let f = u - Float(i)
    return table[i] + f * (table[i + 1] - table[i])
  }
}
