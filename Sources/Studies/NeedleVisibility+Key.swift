import Foundation
import Metrics

extension NeedleVisibility {
  /// What a dataset sample or an exercise key says about a needle as the image shows it: whether its tip and entry
  /// are visible, its tip and wall-band contrast (dB, to 0.01 dB; null when not measurable) and visible length
  /// fraction (`docs/metrics.md`, "Needle visibility").
  var keyFields: [String: Any] {
    func rounded(_ x: Double) -> Any { x.isFinite ? (x * 100).rounded() / 100 : NSNull() }
    return [
      "tip_visible": tipVisible, "entry_visible": entryVisible, "tip_contrast_db": rounded(tipContrastDb),
      "wall_contrast_db": rounded(contrastDb), "visible_length_fraction": rounded(visibleLengthFraction),
    ]
  }
}
