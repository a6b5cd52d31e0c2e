import Foundation

/// Log compression of a linear envelope E into 8-bit B-mode grey levels:
/// ```
/// B = 20·log10(E / max E) + gain          (dB, ≤ gain)
/// grey = round(255 · clamp((B + DR) / DR, 0, 1))
/// ```
/// with dynamic range DR (default 60 dB) and gain in dB (default 0: the brightest pixel is white). Total: a NaN or
/// infinite value (which the pipelines refuse before this point) is black and does not count for max E.
public enum LogCompression {
  public static let defaultDynamicRangeDb = 60.0
  public static let defaultGainDb = 0.0
  /// Accepted dynamic ranges and gains (dB), with the words error messages use.
  public static let dynamicRangeDbRange: ClosedRange<Double> = 1...200
  public static let dynamicRangeAllowed = "a number of dB, 1…200"
  public static let gainDbRange: ClosedRange<Double> = -100...100
  public static let gainAllowed = "a number of dB, −100…100"

  public static func grayscale(
    _ envelope: [Float], dynamicRangeDb: Double = defaultDynamicRangeDb, gainDb: Double = defaultGainDb
  ) -> [UInt8] {
    let peak = Double(envelope.lazy.filter(\.isFinite).max() ?? 0)
    guard peak > 0 else { return [UInt8](repeating: 0, count: envelope.count) }
    return envelope.map { e in
      guard e.isFinite else { return 0 }
      let b = 20 * log10(max(Double(e), 1e-30) / peak) + gainDb
      let v = min(max((b + dynamicRangeDb) / dynamicRangeDb, 0), 1)
      return UInt8((255 * v).rounded())
    }
  }
}
