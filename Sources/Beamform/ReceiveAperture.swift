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

  public init(fNumber: Double = defaultFNumber, window: ApodizationWindow = defaultWindow) {
    self.fNumber = fNumber
    self.window = window
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
  /// `wholeArrayWeight` is the element's ``wholeArrayWeight(arrayPosition:)``, used when F = 0.
  @inline(__always)
  public func weight(lateral u: Float, normal v: Float, wholeArrayWeight: Float) -> Float? {
    if v <= 0 { return nil }
    guard limitsAperture else { return wholeArrayWeight }
    return limitedWeight(lateral: u, normal: v)
  }
}
