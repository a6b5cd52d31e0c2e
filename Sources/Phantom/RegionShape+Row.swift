extension RegionShape {
  /// Whether each point `(xs[c], z)` of a row lies inside, as ``contains(x:z:)`` answers point by point. A
  /// polygon's edges are crossed with the row once; each point then counts the crossings to its right (even-odd
  /// rule), so a row costs edges + points × crossings instead of points × edges.
  public func contains(row xs: [Double], z: Double) -> [Bool] {
    guard case .polygon(let v) = self else { return xs.map { contains(x: $0, z: z) } }
    var crossings: [Double] = []
    var j = v.count - 1
    for i in v.indices {
      if let c = Self.crossing(v[i], v[j], z: z) { crossings.append(c) }
      j = i
    }
    if crossings.isEmpty { return [Bool](repeating: false, count: xs.count) }
    return xs.map { x in crossings.reduce(false) { inside, c in x < c ? !inside : inside } }
  }

  /// The x (metres) where the polygon edge a → b crosses the row at depth z, when one end lies below it (z greater)
  /// and the other not; nil otherwise. The one formula of both ``contains(x:z:)`` and ``contains(row:z:)``.
  @inline(__always)
  static func crossing(_ a: SIMD2<Double>, _ b: SIMD2<Double>, z: Double) -> Double? {
    (a.y > z) != (b.y > z) ? a.x + (z - a.y) / (b.y - a.y) * (b.x - a.x) : nil
  }
}
