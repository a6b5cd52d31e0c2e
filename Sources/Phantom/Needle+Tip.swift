import Foundation

/// The surface a needle's tip type gives it, in the scan plane. The shapes are assumed typical geometry, not measured
/// values (`docs/physics.md`, "Needles"): a Quincke lancet bevel cut at β = 15° to the axis, a Tuohy tip curved by
/// 20° over its last two outer diameters toward the probe, a pencil point (Whitacre/Sprotte) a cone of half-angle
/// 15°. What a Quincke bevel's open face shows depends on the lumen: a stylet makes it solid steel, saline or air
/// leave the lumen open (``NeedleTipSurface/Facing``).
public struct NeedleTipSurface: Sendable {
  /// What a stretch of the tip's surface is, which sets its reflection coefficient (`Needle.echoes`).
  public enum Facing: Sendable, Equatable {
    /// Steel facing the surrounding tissue: the outer wall, a bevel's face, a Tuohy's curve, a cone.
    case steel
    /// The lumen's content facing the tissue through a bevel's opening, as a correction to a face taken as steel
    /// across its whole outer chord: R(tissue → lumen) − R(tissue → steel) over the lumen's chord.
    case lumenOverSteel
    /// The lumen's far (lower) wall seen through the opening across a fluid lumen: R(lumen → steel) times the
    /// two-way transmission tissue → lumen → tissue.
    case lumenWall
  }

  /// One polyline of the surface: what it is, and its vertices in 3-D (metres) with, at each, its width in
  /// elevation (m) for a flat face, or the local radius (m) of a curved one.
  public struct Part: Sendable {
    public var facing: Facing
    public var vertices: [(point: SIMD3<Double>, elevationWidth: Double, radius: Double?)]
  }

  /// How far back from the tip (along the shaft) the straight shaft's upper wall ends (m).
  public var setback: Double
  /// The surface's polylines.
  public var parts: [Part]

  /// Points every `spacing` metres along each polyline, each with the interpolated width or radius and its facing.
  func points(spacing: Double) -> [(point: SIMD3<Double>, width: Double, radius: Double?, facing: Facing)] {
    var out: [(point: SIMD3<Double>, width: Double, radius: Double?, facing: Facing)] = []
    for part in parts {
      for (p, q) in zip(part.vertices, part.vertices.dropFirst()) {
        let d = q.point - p.point
        let length = (d * d).sum().squareRoot()
        let n = max(1, Int((length / spacing).rounded(.up)))
        for i in 0..<n {
          let f = (Double(i) + 0.5) / Double(n)
          let radius = p.radius.flatMap { a in q.radius.map { a + f * ($0 - a) } }
          let width = p.elevationWidth + f * (q.elevationWidth - p.elevationWidth)
          out.append((p.point + d * f, width, radius, part.facing))
        }
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
  /// - Quincke, bevel up: the open face, from the heel on the upper wall `L = OD/tan β` back from the tip down to the
  ///   point on the lower wall, a flat ellipse facing the probe at α + β. At height h above the axis (from +a at the
  ///   heel to −a at the point) the plane cuts the tube's outside along a chord `2√(a² − h²)` wide in elevation and
  ///   the lumen along `2√(Rᵢ² − h²)` (|h| < Rᵢ). A stylet fills the lumen (the whole chord is steel); a fluid or air
  ///   lumen leaves the inner chord open (``NeedleTipSurface/Facing/lumenOverSteel``). Through an open saline lumen
  ///   the beam meets the inside of the lower wall: a concave strip of radius Rᵢ at −Rᵢ below the axis, parallel to
  ///   the shaft, where the face's cut lies between ±Rᵢ — `ID/tan β` long, ending `(a − Rᵢ)/tan β` short of the point.
  ///   Scanners show it as a short line beyond and below the shaft's apparent end (the "bayonet" line of a long
  ///   bevel, seen with the bevel up).
  ///   Bevel down: the face looks away from the probe and is not insonified; the upper wall runs to the tip.
  /// - Tuohy: the last two outer diameters bend toward the probe by 20° on a circular arc, so the upper wall there
  ///   faces the probe at angles from α down to α − 20°: a steep Tuohy shows its curve.
  /// - Pencil point: the cone's upper line from its base on the upper wall `a/tan γ` back to the apex on the axis,
  ///   at α + γ, its radius shrinking to 0.
  /// The tip has no echo beyond these surfaces: where a surface ends (heel, point, apex) its echo ends as the
  /// surface integral ends, and that end is all that a steep tip returns.
  public func tipSurface() -> NeedleTipSurface {
    let a = outerDiameterMetres / 2
    let f = -backward
    let up = upward
    let end = tipPoint
    switch tip {
    case .quincke:
      guard bevel == .up else { return NeedleTipSurface(setback: 0, parts: []) }
      let tanBeta = tan(Self.bevelAngle)
      let length = outerDiameterMetres / tanBeta
      let heel = end - f * length + up * a
      let point = end - up * a
      let ri = innerDiameterMetres / 2
      /// Half-chord of a circle of radius `r` at height `h` from its centre.
      func halfChord(_ r: Double, _ h: Double) -> Double { max(0, r * r - h * h).squareRoot() }
      let steps = 16
      let along = (0...steps).map { Double($0) / Double(steps) }
      let face = along.map { s in (point: heel + (point - heel) * s, h: a * (1 - 2 * s)) }
      var parts = [
        NeedleTipSurface.Part(facing: .steel, vertices: face.map { ($0.point, 2 * halfChord(a, $0.h), nil) })
      ]
      guard lumenContent != .stylet else { return NeedleTipSurface(setback: length, parts: parts) }
      // The opening: the inner chord, from where the cut reaches the lumen's top (h = Rᵢ) to its bottom (h = −Rᵢ).
      let (s0, s1) = ((a - ri) / outerDiameterMetres, (a + ri) / outerDiameterMetres)
      let opening = along.map { s0 + (s1 - s0) * $0 }
      parts.append(
        .init(
          facing: .lumenOverSteel,
          vertices: opening.map { s in (heel + (point - heel) * s, 2 * halfChord(ri, a * (1 - 2 * s)), nil) }))
      if lumenContent == .saline {
        // The lower wall's inside under the opening: the axis at s·L from the heel, Rᵢ below it.
        let axisAtHeel = end - f * length
        parts.append(
          .init(
            facing: .lumenWall,
            vertices: [s0, s1].map { s in (axisAtHeel + f * (s * length) - up * ri, 0, ri) }))
      }
      return NeedleTipSurface(setback: length, parts: parts)
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
      return NeedleTipSurface(setback: (chord * f).sum(), parts: [.init(facing: .steel, vertices: vertices)])
    case .pencil:
      let back = a / tan(Self.coneHalfAngle)
      return NeedleTipSurface(
        setback: back, parts: [.init(facing: .steel, vertices: [(end - f * back + up * a, 0, a), (end, 0, 0)])])
    }
  }
}
