import Foundation

extension RegionShape {
  /// The distance (m) from `p` to the shape's outline and the outline's unit normal at its nearest point (sign
  /// arbitrary): the nearest edge's normal for rectangles and polygons, the radial direction for disks, and for
  /// ellipses the gradient of `(u/a)² + (v/b)²` at `p` (exact on the outline, where it is used) with the distance
  /// estimated as `|√((u/a)² + (v/b)²) − 1|·min(a, b)`.
  public func nearestOutline(to p: SIMD2<Double>) -> (distance: Double, normal: SIMD2<Double>) {
    switch self {
    case .rectangle(let x0, let x1, let z0, let z1):
      return Self.nearestEdge(of: [SIMD2(x0, z0), SIMD2(x1, z0), SIMD2(x1, z1), SIMD2(x0, z1)], to: p)
    case .polygon(let v):
      return Self.nearestEdge(of: v, to: p)
    case .disk(let cx, let cz, let r):
      let d = p - SIMD2(cx, cz)
      let length = (d * d).sum().squareRoot()
      return (abs(length - r), length > 0 ? d / length : SIMD2(0, 1))
    case .ellipse(let cx, let cz, let a, let b, let angle):
      let d = p - SIMD2(cx, cz)
      let (c, s) = (cos(angle), sin(angle))
      let u = d.x * c + d.y * s
      let v = -d.x * s + d.y * c
      // Gradient in the ellipse's frame, rotated back.
      let gu = u / (a * a)
      let gv = v / (b * b)
      var n = SIMD2(gu * c - gv * s, gu * s + gv * c)
      let length = (n * n).sum().squareRoot()
      n = length > 0 ? n / length : SIMD2(0, 1)
      let level = ((u * u) / (a * a) + (v * v) / (b * b)).squareRoot()
      return (abs(level - 1) * min(a, b), n)
    case .raster(let m):
      return m.nearestOutline(to: p)
    }
  }

  /// The nearest edge of the closed outline through `v`: its distance from `p` and its unit normal (straight down,
  /// (0, 1), for an edge of no length, which is nearest only when every edge is).
  static func nearestEdge(of v: [SIMD2<Double>], to p: SIMD2<Double>) -> (distance: Double, normal: SIMD2<Double>) {
    var best = (distance: Double.infinity, normal: SIMD2<Double>(0, 1))
    for i in v.indices {
      let a = v[i]
      let b = v[(i + 1) % v.count]
      let d = b - a
      let length = (d * d).sum().squareRoot()
      let distance = distance(from: p, toSegmentFrom: a, to: b)
      if distance < best.distance { best = (distance, length > 0 ? SIMD2(d.y, -d.x) / length : SIMD2(0, 1)) }
    }
    return best
  }
}
