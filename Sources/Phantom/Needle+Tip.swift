import Foundation

/// The surface a needle's tip type gives it, in the scan plane. The shapes are assumed typical geometry, not measured
/// values (`docs/physics.md`, "Needles"): a Quincke lancet bevel cut at β = 15° to the axis, a Tuohy tip curved by
/// 20° over its last two outer diameters toward the probe, a pencil point (Whitacre/Sprotte) a cone of half-angle
/// 15°. A stylet is taken to fill the lumen, so a bevel's face is solid steel.
public struct NeedleTipSurface: Sendable {
  /// How far back from the tip (along the shaft) the straight shaft's upper wall ends (m).
  public var setback: Double
  /// The surface as a polyline in 3-D (metres) with, at each vertex, its width in elevation (m) for a flat face, or
  /// the tube's local radius (m) for a curved one.
  var vertices: [(point: SIMD3<Double>, elevationWidth: Double, radius: Double?)]

  /// Points every `spacing` metres along the polyline, each with the interpolated width or radius.
  func points(spacing: Double) -> [(SIMD3<Double>, Double, Double?)] {
    var out: [(SIMD3<Double>, Double, Double?)] = []
    for (p, q) in zip(vertices, vertices.dropFirst()) {
      let d = q.point - p.point
      let length = (d * d).sum().squareRoot()
      let n = max(1, Int((length / spacing).rounded(.up)))
      for i in 0..<n {
        let f = (Double(i) + 0.5) / Double(n)
        let radius = p.radius.flatMap { a in q.radius.map { a + f * ($0 - a) } }
        out.append((p.point + d * f, p.elevationWidth + f * (q.elevationWidth - p.elevationWidth), radius))
      }
    }
    return out
  }
}

extension Needle {
  /// Lancet bevel angle of a Quincke tip, half-angle of a pencil point's cone, and a Tuohy tip's curve (radians).
  static let bevelAngle = 15 * Double.pi / 180
  static let coneHalfAngle = 15 * Double.pi / 180
  static let tuohyCurve = 20 * Double.pi / 180

  /// Unit normal to the shaft in its plane through the beam axis, pointing toward the probe (smaller z).
  public var upward: SIMD3<Double> {
    let b = backward
    let inPlane = SIMD2(b.x, b.z) / (b.x * b.x + b.z * b.z).squareRoot()
    let up = SIMD3(-inPlane.y, 0, inPlane.x)
    return up.z > 0 ? -up : up
  }

  /// The tip's own surface:
  /// - Quincke, bevel up: the open face, from the heel on the upper wall `OD/tan β` back from the tip down to the
  ///   point on the lower wall — a flat ellipse (elevation width `OD·√(1 − (2s − 1)²)` along it) that faces the
  ///   probe at α + β. Bevel down: the face looks away from the probe and is not insonified; the upper wall runs
  ///   to the tip.
  /// - Tuohy: the last two outer diameters bend toward the probe by 20° on a circular arc, so the upper wall there
  ///   faces the probe at angles from α down to α − 20°: a steep Tuohy shows its curve.
  /// - Pencil point: the cone's upper line from its base on the upper wall `a/tan γ` back to the apex on the axis,
  ///   at α + γ, its radius shrinking to 0.
  public func tipSurface() -> NeedleTipSurface {
    let a = outerDiameterMetres / 2
    let f = -backward
    let up = upward
    let end = tipPoint
    switch tip {
    case .quincke:
      guard bevel == .up else { return NeedleTipSurface(setback: 0, vertices: []) }
      let heelBack = outerDiameterMetres / tan(Self.bevelAngle)
      let heel = end - f * heelBack + up * a
      let point = end - up * a
      let steps = 8
      let vertices = (0...steps).map { i -> (point: SIMD3<Double>, elevationWidth: Double, radius: Double?) in
        let s = Double(i) / Double(steps)
        let u = 2 * s - 1
        return (heel + (point - heel) * s, outerDiameterMetres * max(0, 1 - u * u).squareRoot(), nil)
      }
      return NeedleTipSurface(setback: heelBack, vertices: vertices)
    case .tuohy:
      let arc = 2 * outerDiameterMetres
      let radius = arc / Self.tuohyCurve
      // The arc starts at C, heading along the shaft, and bends toward the probe; it ends at the tip.
      let c = end - f * (radius * sin(Self.tuohyCurve)) - up * (radius * (1 - cos(Self.tuohyCurve)))
      let steps = 8
      let vertices = (0...steps).map { i -> (point: SIMD3<Double>, elevationWidth: Double, radius: Double?) in
        let phi = Self.tuohyCurve * Double(i) / Double(steps)
        let axis = c + f * (radius * sin(phi)) + up * (radius * (1 - cos(phi)))
        let normal = up * cos(phi) - f * sin(phi)
        return (axis + normal * a, 0, a)
      }
      let chord = end - c
      return NeedleTipSurface(setback: (chord * f).sum(), vertices: vertices)
    case .pencil:
      let back = a / tan(Self.coneHalfAngle)
      return NeedleTipSurface(
        setback: back, vertices: [(end - f * back + up * a, 0, a), (end, 0, 0)])
    }
  }
}
