import Foundation

/// Two figures of how a spine image reads (`docs/metrics.md`, "Bone" and "Posterior complex"), on a linear envelope
/// (row-major, `rows × columns`, row 0 shallowest) with the frame's ground truth on the same grid.
public enum AnatomyImageMetrics {
  /// The bone-surface band: in each column, the pixels within `halfWidthPixels` (one axial resolution) either side of
  /// the column's shallowest bone face — the surface the probe sees first, `halfWidthPixels` rows above the first
  /// bone pixel and as many from it down. Columns without bone hold none.
  public static func boneSurfaceBand(bone: [UInt8], columns: Int, halfWidthPixels n: Int) -> [Bool] {
    var band = [Bool](repeating: false, count: bone.count)
    let rows = bone.count / columns
    for c in 0..<columns {
      guard let r0 = (0..<rows).first(where: { bone[$0 * columns + c] != 0 }) else { continue }
      for r in max(0, r0 - n)..<min(rows, r0 + n) { band[r * columns + c] = true }
    }
    return band
  }

  /// Bone-surface brightness (dB): the mean E over the bone-surface band against the 99th percentile of E over the
  /// pixels outside bone, the band and `excluded` (needles): `20·log10(mean_band / P99_outside)`. Positive when the
  /// bone surfaces are, on average, brighter than all but 1 % of everything else — the clinical look, where bone is
  /// the brightest structure. Nil without bone, or with fewer than 100 pixels outside.
  public static func boneSurfaceBrightnessDb(
    envelope e: [Float], columns: Int, bone: [UInt8], excluded: [UInt8]?, halfWidthPixels: Int
  ) -> Double? {
    let band = boneSurfaceBand(bone: bone, columns: columns, halfWidthPixels: halfWidthPixels)
    let inside = e.indices.filter { band[$0] }.map { Double(e[$0]) }
    let outside = e.indices.filter { !band[$0] && bone[$0] == 0 && (excluded?[$0] ?? 0) == 0 }.map { Double(e[$0]) }
    guard !inside.isEmpty, outside.count >= 100 else { return nil }
    let sorted = outside.sorted()
    let p99 = sorted[min(sorted.count - 1, Int((0.99 * Double(sorted.count)).rounded(.down)))]
    let mean = inside.reduce(0, +) / Double(inside.count)
    guard p99 > 0, mean > 0 else { return nil }
    return 20 * log10(mean / p99)
  }

  /// The posterior complex over the canal (dB) in the columns where an acoustic window shows both: per column, the
  /// complex runs from the first pixel of class `complexTop` (the ligamentum flavum) down to the first pixel of class
  /// `canal` (CSF) — flavum, posterior epidural space and dura —, and the canal from there down to the next pixel of
  /// another class; `marginPixels` (one axial resolution) are left out of the canal at both ends, so that the blur of
  /// its bright boundaries does not count. A column counts only when none of its complex and canal pixels is
  /// `excluded` (bone, shadow, needles). `20·log10(mean E_complex / mean E_canal)` over the pooled pixels; nil when no
  /// column counts.
  public static func complexOverCanalDb(
    envelope e: [Float], columns: Int, labels: [UInt8], complexTop: UInt8, canal: UInt8, excluded: [UInt8],
    marginPixels m: Int
  ) -> Double? {
    let rows = e.count / columns
    var complex: [Double] = []
    var fluid: [Double] = []
    for c in 0..<columns {
      func at(_ r: Int) -> Int { r * columns + c }
      guard let top = (0..<rows).first(where: { labels[at($0)] == complexTop }),
        let start = (top..<rows).first(where: { labels[at($0)] == canal })
      else { continue }
      let end = (start..<rows).first { labels[at($0)] != canal } ?? rows
      let inner = (start + m)..<max(start + m, end - m)
      guard !inner.isEmpty, (top..<end).allSatisfy({ excluded[at($0)] == 0 }) else { continue }
      complex += (top..<start).map { Double(e[at($0)]) }
      fluid += inner.map { Double(e[at($0)]) }
    }
    guard !complex.isEmpty, !fluid.isEmpty else { return nil }
    let (a, b) = (complex.reduce(0, +) / Double(complex.count), fluid.reduce(0, +) / Double(fluid.count))
    guard a > 0, b > 0 else { return nil }
    return 20 * log10(a / b)
  }
}
