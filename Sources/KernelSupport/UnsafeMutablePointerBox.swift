/// A pointer that the work items of a parallel loop write to, each its own part (rows of an image, batches of
/// traces).
public struct UnsafeMutablePointerBox: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<Float>
  public init(_ p: UnsafeMutablePointer<Float>) { pointer = p }
}
