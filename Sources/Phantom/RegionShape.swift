import Foundation

/// A shape in the scan plane (x lateral, z depth; metres), extruded in elevation. Polygon vertices are
/// `SIMD2(x, z)`.
public enum RegionShape: Sendable, Equatable {
  /// Axis-aligned rectangle `x ∈ [xMin, xMax]`, `z ∈ [zMin, zMax]`.
  case rectangle(xMin: Double, xMax: Double, zMin: Double, zMax: Double)
  /// Disk of centre `(x, z)` and radius `r`.
  case disk(x: Double, z: Double, radius: Double)
  /// Ellipse of centre `(x, z)`, semi-axes `a` (along the rotated x axis) and `b`, rotated by `angle` radians
  /// (positive from +x toward +z).
  case ellipse(x: Double, z: Double, a: Double, b: Double, angle: Double)
  /// Simple polygon through the vertices `(x, z)` in order (closed automatically).
  case polygon([SIMD2<Double>])
  /// The pixels of one class of a label image.
  case raster(ClassMask)

  /// The centre of area (x, z) in metres: for a polygon `(1/6A)·Σ (p_i + p_{i+1})·(p_i × p_{i+1})`.
  public var centroid: (x: Double, z: Double) {
    switch self {
    case .rectangle(let x0, let x1, let z0, let z1): return ((x0 + x1) / 2, (z0 + z1) / 2)
    case .disk(let cx, let cz, _), .ellipse(let cx, let cz, _, _, _): return (cx, cz)
    case .polygon(let v):
      var area = 0.0
      var c = SIMD2<Double>(0, 0)
      for i in v.indices {
        let a = v[i]
        let b = v[(i + 1) % v.count]
        let cross = a.x * b.y - b.x * a.y
        area += cross / 2
        c += (a + b) * cross
      }
      if abs(area) < 1e-18 {
        return (v.map(\.x).reduce(0, +) / Double(v.count), v.map(\.y).reduce(0, +) / Double(v.count))
      }
      return (c.x / (6 * area), c.y / (6 * area))
    case .raster(let m):
      var sum = SIMD2<Double>(0, 0)
      var n = 0.0
      for r in 0..<m.rows {
        for c in 0..<m.columns where m.holds(r, c) {
          sum += m.centre(r, c)
          n += 1
        }
      }
      return n > 0 ? (sum.x / n, sum.y / n) : (m.originMetres.x, m.originMetres.y)
    }
  }

  /// Whether the point `(x, z)` (metres) lies inside (boundary included).
  public func contains(x px: Double, z pz: Double) -> Bool {
    switch self {
    case .rectangle(let x0, let x1, let z0, let z1):
      return px >= x0 && px <= x1 && pz >= z0 && pz <= z1
    case .disk(let cx, let cz, let r):
      let dx = px - cx
      let dz = pz - cz
      return dx * dx + dz * dz <= r * r
    case .ellipse(let cx, let cz, let a, let b, let angle):
      let dx = px - cx
      let dz = pz - cz
      let u = dx * cos(angle) + dz * sin(angle)
      let v = -dx * sin(angle) + dz * cos(angle)
      return (u * u) / (a * a) + (v * v) / (b * b) <= 1
    case .polygon(let v):
      // Even-odd rule: count the edges a ray toward +x crosses.
      var inside = false
      var j = v.count - 1
      for i in v.indices {
        if let crossing = Self.crossing(v[i], v[j], z: pz), px < crossing { inside.toggle() }
        j = i
      }
      return inside
    case .raster(let m):
      return m.contains(x: px, z: pz)
    }
  }

  /// Area in square metres.
  public var area: Double {
    switch self {
    case .rectangle(let x0, let x1, let z0, let z1): return (x1 - x0) * (z1 - z0)
    case .disk(_, _, let r): return Double.pi * r * r
    case .ellipse(_, _, let a, let b, _): return Double.pi * a * b
    case .polygon(let v):
      // Shoelace formula.
      var twice = 0.0
      for i in v.indices {
        let a = v[i]
        let b = v[(i + 1) % v.count]
        twice += a.x * b.y - b.x * a.y
      }
      return abs(twice) / 2
    case .raster(let m):
      return Double(m.count) * m.pixelMetres * m.pixelMetres
    }
  }

  /// Bounding box `(xMin, xMax, zMin, zMax)` in metres.
  public var bounds: (xMin: Double, xMax: Double, zMin: Double, zMax: Double) {
    switch self {
    case .rectangle(let x0, let x1, let z0, let z1): return (x0, x1, z0, z1)
    case .disk(let cx, let cz, let r): return (cx - r, cx + r, cz - r, cz + r)
    case .ellipse(let cx, let cz, let a, let b, let angle):
      let hx = ((a * cos(angle)) * (a * cos(angle)) + (b * sin(angle)) * (b * sin(angle))).squareRoot()
      let hz = ((a * sin(angle)) * (a * sin(angle)) + (b * cos(angle)) * (b * cos(angle))).squareRoot()
      return (cx - hx, cx + hx, cz - hz, cz + hz)
    case .polygon(let v):
      return (v.map(\.x).min() ?? 0, v.map(\.x).max() ?? 0, v.map(\.y).min() ?? 0, v.map(\.y).max() ?? 0)
    case .raster(let m):
      var (r0, r1, c0, c1) = (m.rows, -1, m.columns, -1)
      for r in 0..<m.rows {
        for c in 0..<m.columns where m.holds(r, c) {
          (r0, r1, c0, c1) = (min(r0, r), max(r1, r), min(c0, c), max(c1, c))
        }
      }
      if r1 < 0 { return (m.originMetres.x, m.originMetres.x, m.originMetres.y, m.originMetres.y) }
      let lo = m.centre(r0, c0) - m.pixelMetres / 2
      let hi = m.centre(r1, c1) + m.pixelMetres / 2
      return (lo.x, hi.x, lo.y, hi.y)
    }
  }
}
