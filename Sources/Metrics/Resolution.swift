/// Resolution of a point target as in the PICMUS evaluation code (`docs/metrics.md`, "Resolution"):
/// take the profile through the peak, interpolate it 10× (linearly), and measure its full width at −6 dB below the
/// peak (half amplitude of the linear envelope).
public enum Resolution {
  /// Full width (in the profile's own units) where `profile` (linear envelope) stays above half its peak, around the
  /// peak, after 10× linear interpolation of samples spaced `spacing` apart. Nil when the profile does not fall to
  /// half on both sides.
  public static func fullWidthHalfMaximum(_ profile: [Float], spacing: Double) -> Double? {
    guard profile.count >= 3, let peakIndex = profile.indices.max(by: { profile[$0] < profile[$1] }) else { return nil }
    let factor = 10
    var fine: [Double] = []
    for i in 0..<(profile.count - 1) {
      for k in 0..<factor {
        let f = Double(k) / Double(factor)
        fine.append(Double(profile[i]) * (1 - f) + Double(profile[i + 1]) * f)
      }
    }
    fine.append(Double(profile.last!))
    let p = peakIndex * factor
    let half = fine[p] / 2
    var lo = p
    while lo > 0 && fine[lo] > half { lo -= 1 }
    var hi = p
    while hi < fine.count - 1 && fine[hi] > half { hi += 1 }
    guard fine[lo] <= half, fine[hi] <= half else { return nil }
    return Double(hi - lo) * spacing / Double(factor)
  }
}
