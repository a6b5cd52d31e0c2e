import Foundation

/// Metrics over regions of a linear envelope image (row-major, `z.count × x.count`, row 0 at z[0]) as
/// `docs/metrics.md` defines them: point resolution, cyst contrast, shadow depth and the homogeneous
/// speckle region a frame's speckle SNR is measured in.
public enum RegionMetrics {
  /// A point target's resolution: in a ±1.8 mm window around `point`, the peak; the axial profile is the column
  /// through it, the lateral profile the row, each's −6 dB width after 10× interpolation
  /// (``Resolution/fullWidthHalfMaximum(_:spacing:)``). Also the peak's distance from the true position (m), which
  /// metrics.md asks to be within one wavelength. Nil when the window holds no pixel.
  public static func point(envelope e: [Float], x: [Double], z: [Double], at point: SIMD2<Double>)
    -> (axialMetres: Double?, lateralMetres: Double?, peakOffsetMetres: Double)?
  {
    let half = 1.8e-3
    let columns = x.indices.filter { abs(x[$0] - point.x) <= half }
    let rows = z.indices.filter { abs(z[$0] - point.y) <= half }
    guard !columns.isEmpty, !rows.isEmpty else { return nil }
    var best = (rows[0], columns[0])
    for r in rows { for c in columns where e[r * x.count + c] > e[best.0 * x.count + best.1] { best = (r, c) } }
    let axial = rows.map { e[$0 * x.count + best.1] }
    let lateral = columns.map { e[best.0 * x.count + $0] }
    let dz = z.count > 1 ? z[1] - z[0] : 0
    let dx = x.count > 1 ? x[1] - x[0] : 0
    let offset = SIMD2(x[best.1], z[best.0]) - point
    return (
      Resolution.fullWidthHalfMaximum(axial, spacing: dz), Resolution.fullWidthHalfMaximum(lateral, spacing: dx),
      (offset * offset).sum().squareRoot()
    )
  }

  /// A cyst of radius r at `centre`: inside = the disk of radius r − (lateral resolution), outside = the annulus of
  /// the same area just beyond r + (lateral resolution); contrast (dB), CNR and gCNR (``Contrast``). Nil when either
  /// region has no pixel in the image.
  public static func cyst(
    envelope e: [Float], x: [Double], z: [Double], centre: SIMD2<Double>, radiusMetres r: Double,
    lateralResolutionMetres lateral: Double
  ) -> (contrastDb: Double, cnr: Double, gcnr: Double)? {
    let rin = max(r - lateral, r / 2)
    let r0 = r + lateral
    let r1 = (r0 * r0 + rin * rin).squareRoot()
    var inside: [Float] = []
    var outside: [Float] = []
    for (row, zr) in z.enumerated() {
      for (c, xc) in x.enumerated() {
        let d = SIMD2(xc, zr) - centre
        let q = (d * d).sum()
        if q <= rin * rin {
          inside.append(e[row * x.count + c])
        } else if q >= r0 * r0 && q <= r1 * r1 {
          outside.append(e[row * x.count + c])
        }
      }
    }
    guard !inside.isEmpty, !outside.isEmpty else { return nil }
    return (
      Contrast.contrastDb(inside: inside, outside: outside), Contrast.cnr(inside: inside, outside: outside),
      Contrast.gcnr(inside: inside, outside: outside)
    )
  }

  /// Shadow depth (dB, positive when the shadow is darker): the mean E of the shadowed pixels against the mean E of
  /// the unshadowed ones at the same depths, each row weighted by its number of shadowed pixels:
  /// `20·log10(Σ_r n_r·lit_r / Σ_r n_r·shadow_r)` over the rows that hold both. `excluded` pixels (bone, needles)
  /// count as neither. Nil when no row holds both.
  public static func shadowDepthDb(envelope e: [Float], columns: Int, shadow: [UInt8], excluded: [UInt8]) -> Double? {
    let rows = e.count / max(columns, 1)
    var shadowSum = 0.0
    var litSum = 0.0
    for r in 0..<rows {
      var s = (0.0, 0)
      var l = (0.0, 0)
      for c in 0..<columns {
        let i = r * columns + c
        if excluded[i] != 0 { continue }
        if shadow[i] != 0 { s = (s.0 + Double(e[i]), s.1 + 1) } else { l = (l.0 + Double(e[i]), l.1 + 1) }
      }
      guard s.1 > 0, l.1 > 0 else { continue }
      shadowSum += s.0
      litSum += Double(s.1) * l.0 / Double(l.1)
    }
    guard shadowSum > 0, litSum > 0 else { return nil }
    return 20 * log10(litSum / shadowSum)
  }

  /// The pixels (indices) of a homogeneous speckle region: those of the most common class among the pixels not
  /// `excluded`, whose whole (2m+1)×(2m+1) neighbourhood (m = `marginPixels`) is of that class and not excluded —
  /// away from edges, interfaces, shadows, needles and targets.
  public static func homogeneousRegion<Label: BinaryInteger>(
    classes: [Label], excluded: [Bool], columns: Int, marginPixels m: Int
  ) -> [Int] {
    let rows = classes.count / max(columns, 1)
    var counts: [Label: Int] = [:]
    for i in classes.indices where !excluded[i] { counts[classes[i], default: 0] += 1 }
    // The most common class; on a tie the smallest label.
    guard let common = counts.min(by: { ($1.value, $0.key) < ($0.value, $1.key) })?.key else { return [] }
    // Integral image of the pixels that are usable (the common class, not excluded).
    var integral = [Int](repeating: 0, count: (rows + 1) * (columns + 1))
    for r in 0..<rows {
      var rowSum = 0
      for c in 0..<columns {
        let i = r * columns + c
        rowSum += (classes[i] == common && !excluded[i]) ? 1 : 0
        integral[(r + 1) * (columns + 1) + c + 1] = integral[r * (columns + 1) + c + 1] + rowSum
      }
    }
    let full = (2 * m + 1) * (2 * m + 1)
    var out: [Int] = []
    for r in m..<max(m, rows - m) {
      for c in m..<max(m, columns - m) {
        let (r0, r1, c0, c1) = (r - m, r + m + 1, c - m, c + m + 1)
        let sum =
          integral[r1 * (columns + 1) + c1] - integral[r0 * (columns + 1) + c1] - integral[r1 * (columns + 1) + c0]
          + integral[r0 * (columns + 1) + c0]
        if sum == full { out.append(r * columns + c) }
      }
    }
    return out
  }
}
