/// Connected regions of a binary mask and their outer boundaries as polygons (for COCO segmentations).
///
/// Regions are 4-connected. A boundary runs along pixel edges: pixel (c, r) covers [c, c+1] × [r, r+1], so the
/// polygon encloses exactly the region's pixels (holes not subtracted), in COCO's pixel coordinates.
public enum MaskContours {
  public struct Region {
    /// Polygon vertices (x, y), clockwise on screen, only where the boundary turns.
    public var polygon: [SIMD2<Int>]
    public var pixelCount: Int
    /// Bounding box: first column, first row, width, height (pixels).
    public var box: (x: Int, y: Int, width: Int, height: Int)
    /// Mean (column, row) of the region's pixel centres.
    public var centroid: SIMD2<Double>
  }

  /// Every 4-connected region of `mask` (non-zero pixels) with at least `minimumPixels`, in order of first pixel
  /// (row by row).
  public static func regions(_ mask: [UInt8], width w: Int, height h: Int, minimumPixels: Int = 1) -> [Region] {
    var label = [Int32](repeating: 0, count: w * h)
    var out: [Region] = []
    var next: Int32 = 0
    var stack: [Int] = []
    for start in 0..<(w * h) where mask[start] != 0 && label[start] == 0 {
      next += 1
      label[start] = next
      stack.append(start)
      var count = 0
      var (c0, c1, r0, r1) = (w, -1, h, -1)
      var sum = SIMD2<Double>()
      while let i = stack.popLast() {
        let r = i / w
        let c = i % w
        count += 1
        sum += SIMD2(Double(c) + 0.5, Double(r) + 0.5)
        (c0, c1, r0, r1) = (min(c0, c), max(c1, c), min(r0, r), max(r1, r))
        for (dc, dr) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
          let cc = c + dc
          let rr = r + dr
          guard cc >= 0, cc < w, rr >= 0, rr < h else { continue }
          let j = rr * w + cc
          if mask[j] != 0 && label[j] == 0 {
            label[j] = next
            stack.append(j)
          }
        }
      }
      guard count >= minimumPixels else { continue }
      let polygon = trace(label, id: next, width: w, height: h, start: (start % w, start / w))
      out.append(
        Region(
          polygon: polygon, pixelCount: count, box: (c0, r0, c1 - c0 + 1, r1 - r0 + 1), centroid: sum / Double(count)))
    }
    return out
  }

  /// Walks the outer boundary of region `id` with the region on the right, from the top-left corner of its first
  /// pixel (row by row), heading right. At each corner the two pixels ahead decide: the right one outside → turn
  /// right; both inside → turn left; otherwise straight on. Diagonal-only contacts are left outside (4-connectivity).
  static func trace(_ label: [Int32], id: Int32, width w: Int, height h: Int, start: (Int, Int)) -> [SIMD2<Int>] {
    func inside(_ c: Int, _ r: Int) -> Bool { c >= 0 && c < w && r >= 0 && r < h && label[r * w + c] == id }
    // Directions: right, down, left, up (screen coordinates, y down); right-hand turn = +1.
    let steps = [SIMD2(1, 0), SIMD2(0, 1), SIMD2(-1, 0), SIMD2(0, -1)]
    let begin = SIMD2(start.0, start.1)
    var p = begin
    var d = 0
    var vertices: [SIMD2<Int>] = [begin]
    repeat {
      p &+= steps[d]
      let (x, y) = (p.x, p.y)
      // Pixels ahead-left and ahead-right of corner (x, y) for each heading.
      let (left, right): (Bool, Bool)
      switch d {
      case 0: (left, right) = (inside(x, y - 1), inside(x, y))
      case 1: (left, right) = (inside(x, y), inside(x - 1, y))
      case 2: (left, right) = (inside(x - 1, y), inside(x - 1, y - 1))
      default: (left, right) = (inside(x - 1, y - 1), inside(x, y - 1))
      }
      let turn = !right ? 1 : (left ? 3 : 0)
      if turn != 0 {
        d = (d + turn) % 4
        if p != begin { vertices.append(p) }
      }
    } while !(p == begin && d == 0)
    return vertices
  }
}
