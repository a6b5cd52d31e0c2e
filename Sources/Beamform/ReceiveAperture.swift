import Acquisition
import Foundation

/// The receive aperture of delay-and-sum: which elements take part in a pixel's sum, and with what weight. The
/// beamformer, the shadow masks of the ground truth and the exercise planner all use this one rule, so what a mask
/// calls shadowed is what the image lost.
///
/// For a point at offset (u across, v along the element's normal) from an element:
/// ```
/// F > 0:  w = window(2F·|u| / v)   when v > 0 and 2F·|u| ≤ v,  else the element does not take part
/// F = 0:  w = window(s)            when v > 0,  s ∈ [−1, 1] the element's place across the array
/// ```
/// (an aperture of width v/F centred on the point's projection: the classic dynamic-aperture rule; F = 0 keeps the
/// whole array, apodised across it).
///
/// **Receive steering** (``steered``): a plane wave steered by θ meets a reflector perpendicular to it (a needle
/// shaft tilted by θ, a sloping bone face) and its echo returns against the wave's direction d = (sin θ, cos θ),
/// reaching a flat array z·tan θ to the side of the point, where an unsteered aperture of half-width z/(2F) barely
/// reaches when θ ≳ arctan(1/(2F)) (18° at F = 1.5). A steered aperture is centred where the line from the point
/// against d meets the array instead: with d's components (d_u, d_v) in the element's frame, the element's offset
/// from that line is `u' = u − v·d_u/d_v`, and `u'` replaces `u` above (flat array: `u' = u − v·tan θ`). The
/// aperture keeps its width; only its centre moves. Scanners' needle-enhancement modes steer transmit and receive
/// together this way. Steering applies to plane waves only (a focused, diverging or single-element event keeps the
/// unsteered rule), and only to elements facing the returning wave (d_v > 0).
public struct ReceiveAperture: Sendable, Equatable {
  /// Receive f-number F = depth / aperture width; 0 = the whole array.
  public var fNumber: Double
  /// Apodisation across the active aperture.
  public var window: ApodizationWindow

  /// The default f-number.
  public static let defaultFNumber = 1.5
  public static let defaultWindow = ApodizationWindow.hann
  /// Accepted f-numbers: beyond 20 an aperture at 5 cm depth is narrower than 2.5 mm, a few elements.
  public static let fNumberRange: ClosedRange<Double> = 0...20
  /// The accepted f-numbers in words, for error messages.
  public static let fNumberAllowed = "a number 0…20 (0 = the whole aperture)"

  /// Whether each plane-wave event's aperture is steered with its wave (see above).
  public var steered: Bool

  public init(fNumber: Double = defaultFNumber, window: ApodizationWindow = defaultWindow, steered: Bool = false) {
    self.fNumber = fNumber
    self.window = window
    self.steered = steered
  }

  /// The steering tangent d_u/d_v of `event` for an element whose normal is turned by `normalAngle` (radians) from
  /// +z: 0 when the aperture is not steered or the event is not a plane wave; nil when the element does not face
  /// the returning wave (d_v ≤ 0), so that it takes no part.
  public func steeringTangent(of event: TransmitEvent, normalAngleRadians a: Double) -> Double? {
    guard steered, case .plane(let theta) = event.wavefront else { return 0 }
    let (du, dv) = (sin(theta) * cos(a) - cos(theta) * sin(a), sin(theta) * sin(a) + cos(theta) * cos(a))
    return dv > 1e-9 ? du / dv : nil
  }

  /// Per event of `sequence`, the steering tangent of each element (normals turned by `normalAnglesRadians`), +∞
  /// for an element that does not face the returning wave (it then takes part in no aperture); empty when nothing
  /// is steered (F = 0 has no centre to move).
  public func steeringTangents(of sequence: [TransmitEvent], normalAnglesRadians: [Double]) -> [[Float]] {
    let tangents = sequence.map { event in
      normalAnglesRadians.map { steeringTangent(of: event, normalAngleRadians: $0).map(Float.init) ?? .infinity }
    }
    return limitsAperture && tangents.joined().contains { $0 != 0 } ? tangents : []
  }

  /// Whether the f-number limits the aperture (F > 0).
  public var limitsAperture: Bool { fNumber > 0 }

  /// 2F in single precision, as the kernels use it.
  public var twiceFNumber: Float { Float(2 * fNumber) }

  /// The weight of an element when the whole array receives (F = 0): the window at its place s ∈ [−1, 1].
  public func wholeArrayWeight(arrayPosition s: Double) -> Float { Float(window.weight(s)) }

  /// The weight of element `index` of `count` when the whole array receives (F = 0).
  public func wholeArrayWeight(element index: Int, of count: Int) -> Float {
    wholeArrayWeight(arrayPosition: count == 1 ? 0 : 2 * Double(index) / Double(count - 1) - 1)
  }

  /// The weight under an f-number (F > 0) for a point at lateral offset u and normal offset v > 0 from the element:
  /// window(2F·|u|/v), nil outside the aperture. Single precision, as the row kernels compute it lane by lane.
  @inline(__always)
  public func limitedWeight(lateral u: Float, normal v: Float) -> Float? {
    let s = abs(u) * (twiceFNumber / v)
    if !(s <= 1) { return nil }
    return window.weightSingle(s)
  }

  /// The whole rule: an element's weight for a point at (u, v) from it, nil when the element does not take part;
  /// `wholeArrayWeight` is the element's ``wholeArrayWeight(arrayPosition:)``, used when F = 0; `steeringTangent`
  /// the event's ``steeringTangent(of:normalAngleRadians:)`` for this element (0: unsteered).
  @inline(__always)
  public func weight(lateral u: Float, normal v: Float, wholeArrayWeight: Float, steeringTangent t: Float = 0) -> Float?
  {
    if v <= 0 { return nil }
    guard limitsAperture else { return wholeArrayWeight }
    return limitedWeight(lateral: u - v * t, normal: v)
  }
}
