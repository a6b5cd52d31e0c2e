/// Speckle statistics (`docs/metrics.md`, "Speckle").
public enum Speckle {
  /// mean(E)/std(E) of linear envelope values: 1.91 for a Rayleigh envelope (fully developed speckle,
  /// √(π/(4 − π)); Burckhardt, IEEE Trans. Sonics Ultrason. 25(1), 1978).
  public static func snr(_ e: [Float]) -> Double {
    let (m, v) = Contrast.meanVariance(e)
    return m / v.squareRoot()
  }

  /// The Rayleigh value √(π/(4 − π)).
  public static let rayleighSNR = (Double.pi / (4 - Double.pi)).squareRoot()
}
