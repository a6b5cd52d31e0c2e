import Foundation

/// Apodization windows over an active aperture, argument s ∈ [−1, 1] (0 = aperture centre): the receive aperture of
/// delay-and-sum, and the transmit sub-aperture of focused lines.
///
/// ```
/// rectangular  w(s) = 1
/// hann         w(s) = cos²(πs/2)
/// tukey        w(s) = 1 for |s| ≤ 1 − α,  else cos²(π(|s| − 1 + α)/(2α)),  α = 0.5   (USTB's tukey50)
/// ```
public enum ApodizationWindow: String, Sendable, CaseIterable, Equatable {
  case rectangular
  case hann
  case tukey

  /// The windows' names in words, for error messages ("rectangular, hann, tukey").
  public static let allowed = allCases.map(\.rawValue).joined(separator: ", ")

  /// w(s); 0 outside [−1, 1].
  public func weight(_ s: Double) -> Double {
    let a = abs(s)
    if a > 1 { return 0 }
    switch self {
    case .rectangular: return 1
    case .hann: return cos(Double.pi * a / 2) * cos(Double.pi * a / 2)
    case .tukey:
      let alpha = 0.5
      if a <= 1 - alpha { return 1 }
      let c = cos(Double.pi * (a - 1 + alpha) / (2 * alpha))
      return c * c
    }
  }
}
