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
  /// Each needle's axis in the scan plane (tip and entry, x and z) and its outer diameter (m), for the fan test.
  let shafts: [(tip: SIMD2<Double>, entry: SIMD2<Double>, diameter: Double)]

  public init(base: Base, crossings: [NeedleCrossing]) {
    self.base = base
    self.crossings = crossings
    shallowestMetres =
      crossings.map {
        Float(min($0.needle.tipPoint.z, $0.needle.entryPoint.z) - $0.needle.outerDiameterMetres / 2)
      }.min() ?? .infinity
    shafts = crossings.map {
      let (tip, entry) = ($0.needle.tipPoint, $0.needle.entryPoint)
      return (SIMD2(tip.x, tip.z), SIMD2(entry.x, entry.z), $0.needle.outerDiameterMetres)
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
  /// array's outermost elements, which holds every element's path in the scan plane (elevation is not used to
  /// skip, so nothing that crosses is skipped).
  public func paths(
    fromElementsX x: UnsafePointer<Float>, z: UnsafePointer<Float>, to point: SIMD3<Float>,
    lengths: UnsafePointer<Float>, count: Int, into out: PathBuffers
  ) {
    base.paths(fromElementsX: x, z: z, to: point, lengths: lengths, count: count, into: out)
    if point.z < shallowestMetres || count == 0 { return }
    var (left, right) = (0, 0)
    for e in 1..<count {
      if x[e] < x[left] { left = e }
      if x[e] > x[right] { right = e }
    }
    let fan = (
      SIMD2<Double>(Double(point.x), Double(point.z)), SIMD2<Double>(Double(x[left]), Double(z[left])),
      SIMD2<Double>(Double(x[right]), Double(z[right]))
    )
    withUnsafeTemporaryAllocation(of: Bool.self, capacity: crossings.count) { near in
      var anyNear = false
      for (i, shaft) in shafts.enumerated() {
        near[i] = Self.segment(shaft.tip, shaft.entry, comesWithin: shaft.diameter, ofTriangle: fan)
        anyNear = anyNear || near[i]
      }
      guard anyNear else { return }
      crossings.withUnsafeBufferPointer { needles in
        for e in 0..<count where out.transmissions[e] != 0 {
          let (p, q) = (SIMD3<Double>(Double(x[e]), 0, Double(z[e])), SIMD3<Double>(point))
          var factor = 1.0
          for i in needles.indices where near[i] { factor *= needles[i].factor(from: p, to: q) }
          out.transmissions[e] *= Float(factor)
        }
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
