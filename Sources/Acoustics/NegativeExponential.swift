/// e^{−x} on 8 lanes at once, for the per-element attenuation corrections of the RF kernel.
///
/// ```
/// e^{−x} = 2^{−t},  t = x·log2(e) = k + f,  k = round(t),  f ∈ [−½, ½]
/// 2^{−f} = e^{u},  u = −f·ln 2 ∈ [−0.35, 0.35]:  degree-5 Taylor polynomial, relative error ≤ u⁶/720 < 3·10⁻⁶
/// 2^{−k}: the float with exponent field 127 − k
/// ```
/// k is found without a float-to-int conversion: adding 1.5·2²³ rounds t to an integer held in the low mantissa
/// bits. x is clamped to [−80, 80] (e^{∓80} ≈ 2·10^{∓35}; the exponent field 127 − k stays within 12…242).
public enum NegativeExponential {
  @inline(__always)
  public static func value(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let magic = SIMD8<Float>(repeating: 12_582_912)  // 1.5·2²³
    // Clamp to [−80, 80] with selects (SIMD min/max are not inlined).
    var t = x * 1.442_695_04
    t.replace(with: -80 * 1.442_695_04, where: t .< -80 * 1.442_695_04)
    t.replace(with: 80 * 1.442_695_04, where: t .> 80 * 1.442_695_04)
    let m = t + magic
    let k = m - magic
    let u = (k - t) * 0.693_147_18
    var p = u * (1 / 120) + 1 / 24
    p = p * u + 1 / 6
    p = p * u + 0.5
    p = p * u + 1
    p = p * u + 1
    let kInt = unsafeBitCast(m, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((127 &- kInt) &<< 23, to: SIMD8<Float>.self)
    return p * scale
  }

  /// Fills `out[i] = e^{−c·(a[i] − reference)}` for i < n (n rounded up to a multiple of 8 must fit both); above 1
  /// for paths less attenuated than the reference.
  @inline(__always)
  public static func corrections(
    _ a: UnsafePointer<Float>, reference: Float, coefficient c: Float, count n: Int,
    into out: UnsafeMutablePointer<Float>
  ) {
    var i = 0
    while i < n {
      let v = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
      let x = (v - reference) * c
      UnsafeMutableRawPointer(out + i).storeBytes(of: value(x), as: SIMD8<Float>.self)
      i += 8
    }
  }
}
