import Foundation
import Phantom

/// A medium with needles in it: every path of `base` that passes through a needle's shaft also carries that
/// needle's transmission (``NeedleCrossing``), so tissue beyond a needle lies in its shadow. Travel times and
/// attenuations are the base medium's (the sound that does cross a shaft is delayed by a few nanoseconds; that is
/// left out). Paths that start or end on a needle keep everything: a needle does not shadow its own echoes.
public struct NeedleShadowedMedium<Base: Medium>: Medium {
  public let base: Base
  public let crossings: [NeedleCrossing]
  /// The shallowest depth (m) any needle's shaft reaches: a point above it is shadowed by none.
  let shallowestMetres: Float
  /// Each needle's axis in the scan plane (tip and entry, x and z), its outer diameter, and the least depth and the
  /// elevations its axis reaches (m), for the tests of ``paths(fromElementsX:z:to:lengths:count:into:)``.
  let shafts: [Shaft]

  struct Shaft {
    let tip: SIMD2<Double>
    let entry: SIMD2<Double>
    let diameter: Double
    let shallowest: Double
    let elevations: ClosedRange<Double>
  }

  public init(base: Base, crossings: [NeedleCrossing]) {
    self.base = base
    self.crossings = crossings
    shallowestMetres =
      crossings.map {
        Float(min($0.needle.tipPoint.z, $0.needle.entryPoint.z) - $0.needle.outerDiameterMetres / 2)
      }.min() ?? .infinity
    shafts = crossings.map {
      let (tip, entry) = ($0.needle.tipPoint, $0.needle.entryPoint)
      return Shaft(
        tip: SIMD2(tip.x, tip.z), entry: SIMD2(entry.x, entry.z), diameter: $0.needle.outerDiameterMetres,
        shallowest: min(tip.z, entry.z), elevations: min(tip.y, entry.y)...max(tip.y, entry.y))
    }
  }

  public var soundSpeedMetresPerSecond: Double { base.soundSpeedMetresPerSecond }
  public var attenuationExponent: Double { base.attenuationExponent }
  public var maximumAttenuationDbPerCmPerMHz: Double { base.maximumAttenuationDbPerCmPerMHz }

  /// The product of the needles' factors along the segment from `a` to `b`.
  func shadowing(from a: SIMD3<Float>, to b: SIMD3<Float>) -> Float {
    if max(a.z, b.z) < shallowestMetres { return 1 }
    let (p, q) = (SIMD3<Double>(a), SIMD3<Double>(b))
    return Float(crossings.reduce(1.0) { $0 * $1.factor(from: p, to: q) })
  }

  public func path(from a: SIMD3<Float>, to b: SIMD3<Float>, length: Float) -> AcousticPath {
    var p = base.path(from: a, to: b, length: length)
    p.transmission *= shadowing(from: a, to: b)
    return p
  }

  /// The base medium's paths, each through the needles that may lie across it: a needle is looked at only when its
  /// shaft (in the scan plane, widened by its diameter) comes within reach of the triangle between the point and the
  /// array's outermost elements, which holds every element's path in the scan plane, and when a path can meet it in
  /// elevation; then only for the elements in the wedge of directions from the point that can meet it (``Reach``).
  /// Every test is conservative, so nothing that crosses is skipped and the factors are those of
  /// ``shadowing(from:to:)``.
  public func paths(
    fromElementsX x: UnsafePointer<Float>, z: UnsafePointer<Float>, to point: SIMD3<Float>,
    lengths: UnsafePointer<Float>, count: Int, into out: PathBuffers
  ) {
    base.paths(fromElementsX: x, z: z, to: point, lengths: lengths, count: count, into: out)
    if point.z < shallowestMetres || count == 0 { return }
    var (left, right, deepest) = (0, 0, z[0])
    for e in 1..<count {
      if x[e] < x[left] { left = e }
      if x[e] > x[right] { right = e }
      deepest = max(deepest, z[e])
    }
    let fan = (
      SIMD2<Double>(Double(point.x), Double(point.z)), SIMD2<Double>(Double(x[left]), Double(z[left])),
      SIMD2<Double>(Double(x[right]), Double(z[right]))
    )
    withUnsafeTemporaryAllocation(of: Reach.self, capacity: crossings.count) { reach in
      var anyNear = false
      for (i, shaft) in shafts.enumerated() {
        let near =
          Self.segment(shaft.tip, shaft.entry, comesWithin: shaft.diameter, ofTriangle: fan)
          && Self.elevation(of: point, deepestElement: Double(deepest), canMeet: shaft)
        reach.initializeElement(
          at: i, to: near ? Reach(from: fan.0, toward: shaft.tip, shaft.entry, margin: shaft.diameter) : .nowhere)
        anyNear = anyNear || near
      }
      defer { _ = reach.deinitialize() }
      guard anyNear else { return }
      withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { factors in
        factors.initialize(repeating: 1)
        let target = SIMD3<Double>(point)
        // Needle by needle, each element's factors multiplied in the needles' order, as `shadowing` does.
        crossings.withUnsafeBufferPointer { needles in
          for i in needles.indices {
            if case .nowhere = reach[i] { continue }
            let (needle, wedge) = (needles[i], reach[i])  // one copy per point, not one per element
            for e in 0..<count where out.transmissions[e] != 0 {
              let element = SIMD2<Double>(Double(x[e]), Double(z[e]))
              guard wedge.contains(element) else { continue }
              factors[e] *= needle.factor(from: SIMD3(element.x, 0, element.y), to: target)
            }
          }
        }
        for e in 0..<count where out.transmissions[e] != 0 { out.transmissions[e] *= Float(factors[e]) }
      }
    }
  }

  /// Whether a straight path from an element (elevation 0, depth at most `deepestElement`) to `point` can pass
  /// within the outer radius of the shaft's axis, judged by elevation. Such a path reaches the axis's neighbourhood
  /// at a depth z_X ≥ z_shaft − a (a the outer radius, z_shaft the axis's least depth), that is at a fraction
  /// f = (z_X − z_e)/(z_p − z_e) ≥ f_min = (z_shaft − a − z_deepest)/(z_p − z_deepest) of its way, where its
  /// elevation is f·y_p; the axis's elevations there lie within the shaft's range, widened by a. So unless
  /// [f_min·y_p, y_p] meets that range, no path does (a is taken as the diameter, to spare rounding).
  static func elevation(of point: SIMD3<Float>, deepestElement: Double, canMeet shaft: Shaft) -> Bool {
    let (y, depth) = (Double(point.y), Double(point.z))
    let low = shaft.shallowest - shaft.diameter
    let fraction =
      low > deepestElement && depth > deepestElement ? min(1, (low - deepestElement) / (depth - deepestElement)) : 0
    let band = (shaft.elevations.lowerBound - shaft.diameter)...(shaft.elevations.upperBound + shaft.diameter)
    let reached = min(fraction * y, y)...max(fraction * y, y)
    return reached.overlaps(band)
  }

  /// The elements (2-D positions in the scan plane) whose straight path to a point may cross a shaft: those in the
  /// wedge from the point that holds the rectangle around the shaft's axis widened by `margin` on every side (at
  /// least the outer radius). A path whose projection on the scan plane leaves the wedge stays farther than the
  /// outer radius from the projected axis, so in 3-D too (projection does not lengthen distances), and the shaft
  /// passes it whole: ``NeedleCrossing/factor(from:to:)`` is exactly 1 for it. Every element when the point lies in
  /// the rectangle, where every direction may cross; none when the shaft is out of reach.
  enum Reach {
    case nowhere
    case everywhere
    /// The wedge's edges from its apex, counterclockwise first: d is inside when cross(first, d) ≥ 0 and
    /// cross(d, last) ≥ 0.
    case wedge(apex: SIMD2<Double>, first: SIMD2<Double>, last: SIMD2<Double>)

    init(from apex: SIMD2<Double>, toward tip: SIMD2<Double>, _ entry: SIMD2<Double>, margin: Double) {
      let axis = entry - tip
      let length = (axis * axis).sum().squareRoot()
      guard length > 0 else {
        self = .everywhere
        return
      }
      let along = axis / length * margin
      let across = SIMD2(-along.y, along.x)
      // The corners' directions from the point, on the stack (this runs once per point and shaft).
      let wedge = withUnsafeTemporaryAllocation(of: SIMD2<Double>.self, capacity: 4) {
        d -> (SIMD2<Double>, SIMD2<Double>)? in
        for k in 0..<4 {  // tip − along ∓ across, entry + along ± across: the rectangle in order
          let end = k < 2 ? tip - along : entry + along
          d.initializeElement(at: k, to: (k == 0 || k == 3 ? end - across : end + across) - apex)
        }
        defer { _ = d.deinitialize() }
        // Inside the rectangle (a convex polygon): every side on the same side of the point (sides d_k → d_{k+1}).
        var (left, right) = (true, true)
        for k in 0..<4 {
          let side = cross(d[(k + 1) % 4] - d[k], -d[k])
          left = left && side >= 0
          right = right && side <= 0
        }
        if left || right { return nil }
        // Seen from outside a convex polygon the corners span less than π: the first edge has every corner on or to
        // its left, the last every corner on or to its right.
        guard let first = d.first(where: { a in d.allSatisfy { cross(a, $0) >= 0 } }),
          let last = d.first(where: { a in d.allSatisfy { cross($0, a) >= 0 } })
        else { return nil }
        return (first, last)
      }
      guard let (first, last) = wedge else {
        self = .everywhere
        return
      }
      self = .wedge(apex: apex, first: first, last: last)
    }

    func contains(_ point: SIMD2<Double>) -> Bool {
      switch self {
      case .nowhere: return false
      case .everywhere: return true
      case .wedge(let apex, let first, let last):
        let d = point - apex
        return cross(first, d) >= 0 && cross(d, last) >= 0
      }
    }
  }

  /// Whether the segment from `a` to `b` comes within `r` of the triangle (2-D): an end inside it, or within `r` of
  /// one of its sides.
  static func segment(
    _ a: SIMD2<Double>, _ b: SIMD2<Double>, comesWithin r: Double,
    ofTriangle t: (SIMD2<Double>, SIMD2<Double>, SIMD2<Double>)
  ) -> Bool {
    func inside(_ p: SIMD2<Double>) -> Bool {
      let (d1, d2, d3) = (cross(t.1 - t.0, p - t.0), cross(t.2 - t.1, p - t.1), cross(t.0 - t.2, p - t.2))
      return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0)
    }
    if inside(a) || inside(b) { return true }
    return distance(a, b, t.0, t.1) <= r || distance(a, b, t.1, t.2) <= r || distance(a, b, t.2, t.0) <= r
  }

  /// u × v of two vectors of the plane (its z component).
  static func cross(_ u: SIMD2<Double>, _ v: SIMD2<Double>) -> Double { u.x * v.y - u.y * v.x }

  /// The distance between the segments ab and cd (2-D): 0 when they cross, else the least of the four end-to-segment
  /// distances.
  static func distance(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ c: SIMD2<Double>, _ d: SIMD2<Double>) -> Double {
    let (d1, d2) = (cross(b - a, c - a), cross(b - a, d - a))
    let (d3, d4) = (cross(d - c, a - c), cross(d - c, b - c))
    if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return 0 }
    let toSegment = RegionShape.distance(from:toSegmentFrom:to:)
    return min(toSegment(a, c, d), toSegment(b, c, d), toSegment(c, a, b), toSegment(d, a, b))
  }
}
