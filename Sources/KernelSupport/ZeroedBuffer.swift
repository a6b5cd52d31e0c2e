/// Zero-filled scratch columns of the synthesis and beamforming kernels.
extension UnsafeMutablePointer where Pointee: Numeric {
  /// `count` zeros, newly allocated (the caller deallocates).
  public static func zeroed(_ count: Int) -> Self {
    let p = Self.allocate(capacity: count)
    p.initialize(repeating: 0, count: count)
    return p
  }
}
