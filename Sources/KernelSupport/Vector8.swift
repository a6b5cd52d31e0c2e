/// Eight floats loaded from and stored to unaligned memory, and the multiply-add of the synthesis loops (and of the
/// beamformer's window polynomial).
///
/// With the FMA unit (`FUSED_MULTIPLY_ADD`, set by Package.swift when the build machine has it) `a + b·c` is one
/// fused instruction per lane and rounds once; without it, a multiply and an add (a fused multiply-add there would be
/// a library call per lane).
public typealias Vector8 = SIMD8<Float>

extension SIMD8 where Scalar == Float {
  @inlinable @inline(__always)
  public static func load(_ p: UnsafePointer<Float>) -> Self {
    UnsafeRawPointer(p).loadUnaligned(as: Self.self)
  }

  @inlinable @inline(__always)
  public func store(to p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
  }
}

extension SIMD where Scalar == Float {
  /// self + b·c, for any lane count.
  @inlinable @inline(__always)
  public func adding(_ b: Self, times c: Float) -> Self { adding(b, times: Self(repeating: c)) }

  /// self + b·c, lane by lane, for any lane count.
  @inlinable @inline(__always)
  public func adding(_ b: Self, times c: Self) -> Self {
    #if FUSED_MULTIPLY_ADD
      return addingProduct(b, c)
    #else
      return self + b * c
    #endif
  }
}

extension SIMD8 where Scalar == Float {
  /// ⌊x⌋ as integers and x − ⌊x⌋, for |x| < 2²²: adding 1.5·2²³ to the whole number ⌊x⌋ puts it in the low
  /// mantissa bits, which avoids the generic (slow) float-to-integer conversion.
  @inlinable @inline(__always)
  public func floorAndFraction() -> (SIMD8<Int32>, Self) {
    let whole = rounded(.down)
    return (unsafeBitCast(whole + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000, self - whole)
  }

  /// `(p[i₀], …, p[i₇])`.
  @inlinable @inline(__always)
  public static func gather(_ p: UnsafePointer<Float>, _ i: SIMD8<Int32>) -> Self {
    Self(p[Int(i[0])], p[Int(i[1])], p[Int(i[2])], p[Int(i[3])], p[Int(i[4])], p[Int(i[5])], p[Int(i[6])], p[Int(i[7])])
  }
}

extension SIMD8 where Scalar == Int32 {
  @inlinable @inline(__always)
  public func store(to p: UnsafeMutablePointer<Int32>) {
    UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
  }
}
