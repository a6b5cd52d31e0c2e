import Foundation
import Phantom

/// What a straight ray keeps of its pressure amplitude when it crosses a needle's shaft: the walls as elastic plates
/// (``ElasticPlate``) at the ray's incidence, and the lumen's content. The propagation medium's share of a needle's
/// shadow (one way; a path's transmission in the sense of ``AcousticPath``).
///
/// **Geometry.** The shaft is a cylinder of outer radius R_o and inner radius R_i on the segment from the tip to the
/// entry point. A ray at distance b from the axis (its impact parameter) and at angle φ to the axis meets the outer
/// surface at incidence θ_o from its normal, `cos θ_o = sin φ · √(1 − (b/R_o)²)`, and, for b < R_i, crosses the
/// near wall, the lumen and the far wall, which meets it at the same angle by symmetry.
///
/// **Walls.** Each wall is a flat steel plate of the wall's thickness R_o − R_i at θ_o (the plate approximation of a
/// curved wall, good while the wall is thin against the radius, as it is for 17–27G: 0.1–0.2 mm walls on 0.2–0.7 mm
/// radii). Multiple reflections inside the lumen arrive later, as the needle's reverberation, and are not part of the
/// direct ray. A ray that grazes the wall only (R_i ≤ b < R_o) crosses one wall's thickness.
///
/// **Lumen.** `saline` (or blood, tissue fluid: soft tissue's impedance within a few percent) passes the ray between
/// the walls: T = T_wall(θ_o)². A `stylet` fills the lumen with steel: the ray crosses one steel plate as thick as the
/// cross-section's chord, 2√(R_o² − b²). `air` passes nothing (steel against air reflects all but ~10⁻³ of the
/// amplitude at each face: below −100 dB across the needle, which this returns as 0).
public struct NeedleCrossing: Sendable {
  public typealias Lumen = Needle.Lumen

  public let needle: Needle
  public let lumen: Lumen
  /// The surrounding tissue's density (kg/m³) and speed (m/s), and the frequency the plates are evaluated at (Hz).
  public let fluidDensity: Double
  public let fluidSpeed: Double
  public let frequencyHz: Double
  /// |T| of the plates a ray crosses, over cos θ_o = k/``cosineSteps`` (k = 0…cosineSteps): the wall, and for a
  /// stylet the rod's chord at b/R_o = j/``chordSteps`` (j = 0…chordSteps). Read by linear interpolation.
  let wallByCosine: [Double]
  let rodByChord: [[Double]]
  static let cosineSteps = 256
  static let chordSteps = 64
  /// The shaft's geometry, from `needle` once (its diameters are a table lookup and its entry point trigonometry, too
  /// slow for every element's path): outer and inner radius (m), the tip, the unit vector from the tip toward the
  /// entry and the length between them (m).
  let outerRadius: Double
  let innerRadius: Double
  let tip: SIMD3<Double>
  let axisUnit: SIMD3<Double>
  let axisLength: Double

  /// The crossing of `needle` with its lumen's content (``Phantom/Needle/lumenContent``) unless `lumen` is given.
  public init(needle: Needle, lumen: Lumen? = nil, surrounding: Tissue, frequencyHz: Double) {
    let lumen = lumen ?? needle.lumenContent
    self.needle = needle
    self.lumen = lumen
    fluidDensity = surrounding.densityKgPerCubicMetre
    fluidSpeed = surrounding.soundSpeedMetresPerSecond
    self.frequencyHz = frequencyHz
    let (ro, ri) = (needle.outerDiameterMetres / 2, needle.innerDiameterMetres / 2)
    (outerRadius, innerRadius) = (ro, ri)
    tip = needle.tipPoint
    let axis = needle.entryPoint - tip
    axisLength = (axis * axis).sum().squareRoot()
    axisUnit = axisLength > 0 ? axis / axisLength : .zero
    func table(thickness: Double) -> [Double] {
      (0...Self.cosineSteps).map { k in
        ElasticPlate.steel(thicknessMetres: thickness).coefficients(
          fluidDensity: surrounding.densityKgPerCubicMetre, fluidSpeed: surrounding.soundSpeedMetresPerSecond,
          incidenceRadians: acos(Double(k) / Double(Self.cosineSteps)), frequencyHz: frequencyHz
        ).transmission.magnitude
      }.map { $0.isFinite ? min($0, 1) : 0 }  // grazing incidence (cos θ = 0) passes nothing
    }
    wallByCosine = table(thickness: ro - ri)
    rodByChord =
      lumen == .stylet
      ? (0...Self.chordSteps).map { j in
        let b = ro * Double(j) / Double(Self.chordSteps)
        return table(thickness: 2 * (ro * ro - b * b).squareRoot())
      } : []
  }

  /// `table` at cos θ = `cosine`, linearly interpolated.
  static func read(_ table: [Double], cosine: Double) -> Double {
    let u = min(1, max(0, cosine)) * Double(cosineSteps)
    let k = min(Int(u), cosineSteps - 1)
    let f = u - Double(k)
    return table[k] * (1 - f) + table[k + 1] * f
  }

  /// The rod's |T| at impact parameter b/R_o = `fraction` and cos θ = `cosine`, bilinearly interpolated.
  func rod(fraction: Double, cosine: Double) -> Double {
    let u = min(1, max(0, fraction)) * Double(Self.chordSteps)
    let j = min(Int(u), Self.chordSteps - 1)
    let f = u - Double(j)
    return Self.read(rodByChord[j], cosine: cosine) * (1 - f) + Self.read(rodByChord[j + 1], cosine: cosine) * f
  }

  /// The amplitude factor of a ray at impact parameter `b` (m) from the axis and at angle φ to it (`sinAngleToAxis`
  /// = sin φ); 1 when b ≥ R_o.
  public func factor(impactParameterMetres b: Double, sinAngleToAxis s: Double) -> Double {
    let (ro, ri) = (outerRadius, innerRadius)
    guard b < ro else { return 1 }
    let cosine = s * (1 - (b / ro) * (b / ro)).squareRoot()
    let wall = Self.read(wallByCosine, cosine: cosine)
    switch lumen {
    case .air: return b < ri ? 0 : wall
    case .stylet: return rod(fraction: b / ro, cosine: cosine)
    case .saline: return b < ri ? wall * wall : wall
    }
  }

  /// The amplitude factor of the straight segment from `p` to `q` (metres, probe frame): ``factor(impactParameterMetres:sinAngleToAxis:)``
  /// when the segment passes through the shaft, entering and leaving it between its ends; 1 when it passes beside,
  /// beyond the tip or the entry, or starts or ends on or inside the needle (a needle does not shadow its own echoes).
  public func factor(from p: SIMD3<Double>, to q: SIMD3<Double>) -> Double {
    let ro = outerRadius
    let (a, v, lengthAxis) = (tip, axisUnit, axisLength)
    let d = q - p
    let lengthRay = (d * d).sum().squareRoot()
    guard lengthAxis > 0, lengthRay > 0 else { return 1 }
    let u = d / lengthRay
    let w = p - a
    let c = (u * v).sum()
    let sin2 = max(0, 1 - c * c)
    guard sin2 > 1e-12 else { return 1 }  // along the axis: never through the wall's side
    // Closest points of the two lines: p + s·u and a + t·v.
    let (wu, wv) = ((w * u).sum(), (w * v).sum())
    let s = (c * wv - wu) / sin2
    let t = (wv - c * wu) / sin2
    let gap = w + u * s - v * t
    let b = (gap * gap).sum().squareRoot()
    guard b < ro, t > 0, t < lengthAxis else { return 1 }
    // Half the chord inside the (infinite) cylinder, along the ray; the whole chord must lie inside the segment.
    let half = (ro * ro - b * b).squareRoot() / sin2.squareRoot()
    guard s - half > 0, s + half < lengthRay else { return 1 }
    return factor(impactParameterMetres: b, sinAngleToAxis: sin2.squareRoot())
  }
}
