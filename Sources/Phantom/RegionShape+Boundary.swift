import Foundation

extension RegionShape {
  /// Points along the boundary about `spacing` metres apart, each with the unit normal of the boundary there (its
  /// sign is arbitrary; ``TissueMap`` looks at both sides).
  public func boundaryPoints(spacing: Double) -> [(point: SIMD2<Double>, normal: SIMD2<Double>)] {
    switch self {
    case .rectangle(let x0, let x1, let z0, let z1):
      return Self.polyline(
        [SIMD2(x0, z0), SIMD2(x1, z0), SIMD2(x1, z1), SIMD2(x0, z1)], closed: true, spacing: spacing)
    case .polygon(let v):
      return Self.polyline(v, closed: true, spacing: spacing)
    case .disk(let cx, let cz, let r):
      return Self.ellipse(centre: SIMD2(cx, cz), a: r, b: r, angle: 0, spacing: spacing)
    case .ellipse(let cx, let cz, let a, let b, let angle):
      return Self.ellipse(centre: SIMD2(cx, cz), a: a, b: b, angle: angle, spacing: spacing)
    case .raster(let m):
      return m.boundaryEdges().flatMap { e in
        Self.polyline([e.a, e.b], closed: false, spacing: spacing).map { ($0.point, e.normal) }
      }
    }
  }

  /// Distance from `p` to the segment from `a` to `b` (same units as the points): to the nearest point
  /// `a + t·(b − a)`, t clamped to [0, 1] (to `a` when the segment has no length).
  public static func distance(from p: SIMD2<Double>, toSegmentFrom a: SIMD2<Double>, to b: SIMD2<Double>) -> Double {
    let d = b - a
    let length2 = (d * d).sum()
    let t = length2 == 0 ? 0 : min(max(((p - a) * d).sum() / length2, 0), 1)
    let q = a + d * t - p
    return (q * q).sum().squareRoot()
  }

  /// Distance from `p` to the outline of the polygon through `v` (closed).
  public static func distance(from p: SIMD2<Double>, toOutline v: [SIMD2<Double>]) -> Double {
    nearestEdge(of: v, to: p).distance
  }

  /// Points every `spacing` (or a little less, so each edge is divided evenly) along the edges through `v`,
  /// at the middle of each step.
  static func polyline(_ v: [SIMD2<Double>], closed: Bool, spacing: Double) -> [(
    point: SIMD2<Double>, normal: SIMD2<Double>
  )] {
    var out: [(point: SIMD2<Double>, normal: SIMD2<Double>)] = []
    let edges = closed ? v.count : v.count - 1
    for i in 0..<max(0, edges) {
      let a = v[i]
      let b = v[(i + 1) % v.count]
      let d = b - a
      let length = (d * d).sum().squareRoot()
      if length == 0 { continue }
      let n = Int((length / spacing).rounded(.up))
      let normal = SIMD2(d.y, -d.x) / length
      for k in 0..<n {
        out.append((a + d * ((Double(k) + 0.5) / Double(n)), normal))
      }
    }
    return out
  }

  static func ellipse(centre: SIMD2<Double>, a: Double, b: Double, angle: Double, spacing: Double)
    -> [(point: SIMD2<Double>, normal: SIMD2<Double>)]
  {
    // Ramanujan's perimeter, then equal steps of the parameter (the arc length per step varies by at most b/a).
    let h = ((a - b) * (a - b)) / ((a + b) * (a + b))
    let perimeter = Double.pi * (a + b) * (1 + 3 * h / (10 + (4 - 3 * h).squareRoot()))
    let n = max(8, Int((perimeter / spacing).rounded(.up)))
    let (c, s) = (cos(angle), sin(angle))
    return (0..<n).map { k in
      let t = 2 * Double.pi * (Double(k) + 0.5) / Double(n)
      let u = SIMD2(a * cos(t), b * sin(t))
      let nu = SIMD2(b * cos(t), a * sin(t))
      let p = centre + SIMD2(u.x * c - u.y * s, u.x * s + u.y * c)
      let nr = SIMD2(nu.x * c - nu.y * s, nu.x * s + nu.y * c)
      return (p, nr / (nr * nr).sum().squareRoot())
    }
  }
}
