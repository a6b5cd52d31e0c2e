/// A pointer that the work items of a parallel loop write to, each its own part (rows of an image, batches of
/// traces).
struct UnsafeMutablePointerBox: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  init(_ p: UnsafeMutablePointer<Float>) { pointer = p }
}
