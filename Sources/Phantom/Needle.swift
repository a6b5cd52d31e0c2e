import Foundation

/// A straight hollow steel needle, placed by its tip.
///
/// Frame: x lateral, y elevation, z depth (metres). The shaft runs from the entry side down to the tip at
/// `insertionAngle` below the probe face (0 = parallel to the skin), coming in from the left (−x) or right (+x) end
/// of the probe; `elevationOffset` moves the whole needle out of the scan plane and `tilt` turns the shaft out of
/// it (the tip stays at `elevationOffset`).
public struct Needle: Sendable, Equatable {
  public enum Side: String, Sendable, CaseIterable { case left, right }
  public enum TipType: String, Sendable, CaseIterable { case quincke, tuohy, pencil }
  /// Which way a Quincke bevel's open face looks: toward the probe (up) or away from it (down).
  public enum Bevel: String, Sendable, CaseIterable { case up, down }
  /// What fills the lumen: saline (or blood, tissue fluid), a steel stylet, or air.
  public enum Lumen: String, Sendable, CaseIterable { case saline, stylet, air }

  public var gauge: Int
  public var tipX: Double
  public var tipZ: Double
  public var insertionAngleRadians: Double
  public var side: Side
  public var lengthMetres: Double
  public var elevationOffsetMetres: Double
  public var tiltRadians: Double
  public var tip: TipType
  public var bevel: Bevel
  /// The lumen's content as given (nil: ``lumenContent``'s default).
  public var lumen: Lumen?
  /// The shaft's finish: a polished mirror, dimpled or coated (``NeedleSurface``).
  public var surface: NeedleSurface = .plain

  /// What fills the lumen: as given, else a stylet for a Tuohy (epidural) or pencil-point (spinal) needle, which are
  /// advanced with their stylet in, and saline for a Quincke bevel (nerve-block and hypodermic needles, flushed).
  public var lumenContent: Lumen { lumen ?? (tip == .quincke ? .saline : .stylet) }

  public init(
    gauge: Int, tipX: Double, tipZ: Double, insertionAngleRadians: Double, side: Side = .left,
    lengthMetres: Double = 90e-3, elevationOffsetMetres: Double = 0, tiltRadians: Double = 0, tip: TipType = .quincke,
    bevel: Bevel = .up
  ) {
    self.gauge = gauge
    self.tipX = tipX
    self.tipZ = tipZ
    self.insertionAngleRadians = insertionAngleRadians
    self.side = side
    self.lengthMetres = lengthMetres
    self.elevationOffsetMetres = elevationOffsetMetres
    self.tiltRadians = tiltRadians
    self.tip = tip
    self.bevel = bevel
  }

  /// The insertion angle and side of a shaft aimed from `entry` to `tip` (x, z in metres, the probe frame):
  /// θ = atan2(z_tip − z_entry, |x_tip − x_entry|), from the left when the entry lies at smaller x (or straight above).
  /// nil unless the entry lies above the tip and θ ≤ 89°.
  public static func insertion(from entry: SIMD2<Double>, to tip: SIMD2<Double>) -> (angleRadians: Double, side: Side)?
  {
    let (dx, dz) = (tip.x - entry.x, tip.y - entry.y)
    let angle = atan2(dz, abs(dx))
    guard dz > 0, angle <= 89 * .pi / 180 else { return nil }
    return (angle, dx >= 0 ? .left : .right)
  }

  /// Outer and inner diameters (m) of the regular-wall chart, gauges 17–27 (`docs/physics.md`).
  public static let diameters: [Int: (outer: Double, inner: Double)] = [
    17: (1.473e-3, 1.067e-3), 18: (1.270e-3, 0.838e-3), 19: (1.067e-3, 0.686e-3), 20: (0.908e-3, 0.603e-3),
    21: (0.819e-3, 0.514e-3), 22: (0.718e-3, 0.413e-3), 23: (0.641e-3, 0.337e-3), 24: (0.565e-3, 0.311e-3),
    25: (0.514e-3, 0.260e-3), 26: (0.464e-3, 0.260e-3), 27: (0.413e-3, 0.210e-3),
  ]

  public var outerDiameterMetres: Double { Self.diameters[gauge]!.outer }
  public var innerDiameterMetres: Double { Self.diameters[gauge]!.inner }

  /// Unit vector from the tip back along the shaft toward the hub.
  public var backward: SIMD3<Double> {
    let sx: Double = side == .left ? -1 : 1
    let c = cos(insertionAngleRadians)
    return SIMD3(sx * c * cos(tiltRadians), c * sin(tiltRadians), -sin(insertionAngleRadians))
  }

  public var tipPoint: SIMD3<Double> { SIMD3(tipX, elevationOffsetMetres, tipZ) }

  /// Where the shaft enters the body (z = 0), or its hub end when the whole needle is inside.
  public var entryPoint: SIMD3<Double> {
    let b = backward
    let toSkin = b.z < 0 ? tipZ / -b.z : .infinity
    return tipPoint + b * min(lengthMetres, toSkin)
  }

  /// Distance (m) from `p` to the shaft segment between the entry point and the tip.
  public func distance(to p: SIMD3<Double>) -> Double {
    let a = tipPoint
    let d = entryPoint - a
    let l2 = (d * d).sum()
    let t = l2 > 0 ? min(1, max(0, ((p - a) * d).sum() / l2)) : 0
    let q = a + d * t - p
    return (q * q).sum().squareRoot()
  }
}

extension Needle.Lumen {
  /// The lumen's content as a medium: CSF's properties for saline (tissue fluid), air, steel for a stylet.
  public var tissue: Tissue {
    switch self {
    case .saline: .csf
    case .air: .air
    case .stylet: .steel
    }
  }
}
