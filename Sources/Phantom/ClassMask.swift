import Foundation

/// One class of a label image (a segmented slice): the pixels that hold it, on a grid of square pixels in the
/// probe frame. Pixel (row r, column c) is centred at `(x0 + c·p, z0 + r·p)` and covers ±p/2 around its centre.
/// It is the shape of a ``RegionShape/raster(_:)`` region: its outline follows the pixels' edges (a staircase, which
/// reflects like the smooth outline when the pixels are well under half a wavelength).
public struct ClassMask: Sendable, Equatable {
  public let rows: Int
  public let columns: Int
  public let pixelMetres: Double
  /// Centre of pixel (0, 0): x, z (m).
  public let originMetres: SIMD2<Double>
  /// rows × columns, row-major (rows along depth).
  public let inside: [Bool]

  public init(rows: Int, columns: Int, pixelMetres: Double, originMetres: SIMD2<Double>, inside: [Bool]) {
    precondition(rows > 0 && columns > 0 && inside.count == rows * columns && pixelMetres > 0)
    self.rows = rows
    self.columns = columns
    self.pixelMetres = pixelMetres
    self.originMetres = originMetres
    self.inside = inside
  }

  /// Whether pixel (r, c) exists and holds the class.
  @inline(__always)
  func holds(_ r: Int, _ c: Int) -> Bool { r >= 0 && r < rows && c >= 0 && c < columns && inside[r * columns + c] }

  /// The pixel (row, column) whose square contains (x, z).
  @inline(__always)
  func pixel(x: Double, z: Double) -> (Int, Int) {
    (Int(((z - originMetres.y) / pixelMetres).rounded()), Int(((x - originMetres.x) / pixelMetres).rounded()))
  }

  public func contains(x: Double, z: Double) -> Bool {
    let (r, c) = pixel(x: x, z: z)
    return holds(r, c)
  }

  /// The centre (x, z) of pixel (r, c).
  func centre(_ r: Int, _ c: Int) -> SIMD2<Double> {
    originMetres + SIMD2(Double(c), Double(r)) * pixelMetres
  }

  var count: Int { inside.reduce(0) { $0 + ($1 ? 1 : 0) } }

  /// The edges between a pixel of the class and one that is not (or the image's border), as segments (a, b) with
  /// the unit normal pointing out of the class.
  func boundaryEdges(rows rowRange: Range<Int>? = nil, columns columnRange: Range<Int>? = nil)
    -> [(a: SIMD2<Double>, b: SIMD2<Double>, normal: SIMD2<Double>)]
  {
    let h = pixelMetres / 2
    var out: [(a: SIMD2<Double>, b: SIMD2<Double>, normal: SIMD2<Double>)] = []
    for r in rowRange ?? 0..<rows {
      for c in columnRange ?? 0..<columns where holds(r, c) {
        let m = centre(r, c)
        if !holds(r - 1, c) { out.append((m + SIMD2(-h, -h), m + SIMD2(h, -h), SIMD2(0, -1))) }
        if !holds(r + 1, c) { out.append((m + SIMD2(-h, h), m + SIMD2(h, h), SIMD2(0, 1))) }
        if !holds(r, c - 1) { out.append((m + SIMD2(-h, -h), m + SIMD2(-h, h), SIMD2(-1, 0))) }
        if !holds(r, c + 1) { out.append((m + SIMD2(h, -h), m + SIMD2(h, h), SIMD2(1, 0))) }
      }
    }
    return out
  }

  /// The nearest pixel edge of the outline within 4 pixels of `p`: its distance and normal (∞ and straight down
  /// when there is none that close, as a far outline does not decide a crossing's angle).
  func nearestOutline(to p: SIMD2<Double>) -> (distance: Double, normal: SIMD2<Double>) {
    let (r, c) = pixel(x: p.x, z: p.y)
    let edges = boundaryEdges(
      rows: max(0, r - 4)..<max(0, min(rows, r + 5)), columns: max(0, c - 4)..<max(0, min(columns, c + 5)))
    var best = (distance: Double.infinity, normal: SIMD2<Double>(0, 1))
    for e in edges {
      let d = RegionShape.distance(from: p, toSegmentFrom: e.a, to: e.b)
      if d < best.distance { best = (d, e.normal) }
    }
    return best
  }
}
