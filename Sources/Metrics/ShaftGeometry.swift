import Foundation

/// Where an image's beams come from, which sets the "local beam direction" of `docs/metrics.md`: parallel to +z
/// (linear arrays) or from a virtual apex (x, z in metres; the arc centre of a convex array, the array centre of a
/// phased one).
public enum BeamOrigin: Sendable, Equatable {
  case parallel
  case apex(SIMD2<Double>)

  /// The unit vector from `p` back toward the probe along the beam through `p`.
  public func towardProbe(at p: SIMD2<Double>) -> SIMD2<Double> {
    switch self {
    case .parallel: return SIMD2(0, -1)
    case .apex(let a):
      let d = a - p
      let l = (d * d).sum().squareRoot()
      return l > 0 ? d / l : SIMD2(0, -1)
    }
  }
}

/// A needle's shaft in the image plane: entry point and tip (x, z in metres) and its outer diameter (m).
public struct ShaftGeometry: Sendable, Equatable {
  public var entry: SIMD2<Double>
  public var tip: SIMD2<Double>
  public var outerDiameterMetres: Double

  public init(entry: SIMD2<Double>, tip: SIMD2<Double>, outerDiameterMetres: Double) {
    self.entry = entry
    self.tip = tip
    self.outerDiameterMetres = outerDiameterMetres
  }

  var length: Double { ((tip - entry) * (tip - entry)).sum().squareRoot() }

  /// The unit vector from the entry to the tip.
  var direction: SIMD2<Double> { (tip - entry) / max(length, 1e-12) }

  /// Distance along the shaft from the entry (m) and unsigned distance across it from the centreline (m) of point p.
  func coordinates(_ p: SIMD2<Double>) -> (along: Double, across: Double) {
    let (along, across) = signedCoordinates(p, normal: SIMD2(-direction.y, direction.x))
    return (along, abs(across))
  }

  /// Distance along the shaft from the entry and signed distance `(p − entry)·normal` across it (m).
  func signedCoordinates(_ p: SIMD2<Double>, normal n: SIMD2<Double>) -> (along: Double, across: Double) {
    let q = p - entry
    return ((q * direction).sum(), (q * n).sum())
  }

  /// The unit normal of the shaft in the image plane that points to the probe's side: the one of ±(−u_z, u_x)
  /// (u the shaft's direction) whose dot product with ``BeamOrigin/towardProbe(at:)`` at the shaft's middle is
  /// positive.
  func probeSideNormal(_ beams: BeamOrigin) -> SIMD2<Double> {
    let n = SIMD2(-direction.y, direction.x)
    return (n * beams.towardProbe(at: (entry + tip) / 2)).sum() >= 0 ? n : -n
  }

  /// The signed across-distance (along ``probeSideNormal(_:)``) of the probe-facing wall line where it passes the
  /// shaft point `along` metres from the entry: the centreline point q moved by OD/2 toward the probe along the
  /// local beam, `s_w = (OD/2)·(b̂(q)·n)` (`docs/metrics.md`, "Wall band").
  func wallOffset(along: Double, normal n: SIMD2<Double>, beams: BeamOrigin) -> Double {
    let q = entry + direction * along
    return outerDiameterMetres / 2 * (beams.towardProbe(at: q) * n).sum()
  }
}
