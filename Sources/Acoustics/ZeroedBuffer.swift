/// Zero-filled scratch columns of the synthesis kernels.
extension UnsafeMutablePointer where Pointee: Numeric {
  /// `count` zeros, newly allocated (the caller deallocates).
  static func zeroed(_ count: Int) -> Self {
    let p = Self.allocate(capacity: count)
    p.initialize(repeating: 0, count: count)
    return p
  }
}
