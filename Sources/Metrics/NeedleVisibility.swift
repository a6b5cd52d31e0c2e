import Foundation

/// Needle visibility on a linear envelope image, measured on the probe-facing wall as `docs/metrics.md` ("Needle
/// visibility") defines it; tables call this variant "wall band".
///
/// With u the shaft's direction, n its in-plane normal toward the probe (``ShaftGeometry/probeSideNormal(_:)``),
/// `t = (p − entry)·u` and `s = (p − entry)·n` a pixel's coordinates, a = OD/2 and δ = c/(2B) the axial resolution:
/// - **Wall band**: 0 ≤ t ≤ L and |s − s_w(t)| ≤ δ, where `s_w(t) = a·(b̂·n)` is the wall line, the centreline moved
///   by a toward the probe along the local beam b̂ (``BeamOrigin``).
/// - **Background**: 0 ≤ t ≤ L and a + 1 mm ≤ s ≤ a + 4 mm (probe side only); **far side**: the mirror band
///   −a − 4 mm ≤ s ≤ −a − 1 mm. Both leave out pixels outside the imaged region (E = 0, e.g. beyond a sector's
///   edge), bone (`excluded`) and pixels within 1 mm of another needle's wall.
/// - Contrast (dB), CNR and gCNR: ``Contrast`` with inside = wall band, outside = background.
/// - Visible length fraction: the wall band in 1 mm segments of t; a segment (with wall and background pixels) is
///   visible when its mean E is ≥ 6 dB over the mean E of the background pixels of the same t range.
/// - Tip contrast (dB): mean E in a disk of radius max(OD, 0.5 mm) at the tip against the background with
///   t ≥ L − 5 mm. Shaft peak (dB): the 95th percentile of E in the wall band over the background's mean.
/// - Needle shadow (dB): mean E of the far side over the background's (meaningful in a scene whose needle
///   reverberation is off: otherwise the comet tail fills the far side).
/// - Image-based visibility: the tip is visible when its tip contrast is ≥ 6 dB; the entry (where the shaft enters
///   the image) when the first five 1 mm segments holding wall-band pixels in the image, pooled, are ≥ 6 dB over
///   their background. Both are false when they cannot be measured.
public struct NeedleVisibility: Sendable, Equatable {
  public var contrastDb: Double
  public var cnr: Double
  public var gcnr: Double
  public var visibleLengthFraction: Double
  public var tipContrastDb: Double
  public var shaftPeakDb: Double
  public var shadowDb: Double
  public var tipVisible: Bool
  public var entryVisible: Bool
  /// Pixels in the wall band and in the background (0 when the shaft is outside the image: the metrics are NaN).
  public var wallPixels: Int
  public var backgroundPixels: Int

  public static let bandOffsetMetres = 1e-3
  public static let bandWidthMetres = 3e-3
  public static let segmentMetres = 1e-3
  public static let visibleThresholdDb = 6.0
  public static let tipBandLengthMetres = 5e-3
  public static let entrySegments = 5
  public static let shaftPeakPercentile = 0.95

  /// - Parameters:
  ///   - envelope: linear envelope, row-major (z.count × x.count), row 0 at z[0]; x and z ascending.
  ///   - x, z: the pixel centres (m).
  ///   - others: the other needles of the frame, kept out of the background.
  ///   - beams: where the image's beams come from (the wall line's direction of shift).
  ///   - excluded: pixels kept out of the background and far side (bone), same layout as `envelope`.
  public static func measure(
    envelope e: [Float], x: [Double], z: [Double], shaft: ShaftGeometry, others: [ShaftGeometry] = [],
    axialResolutionMetres axial: Double, beams: BeamOrigin = .parallel, excluded: [UInt8]? = nil
  ) -> NeedleVisibility {
    let a = shaft.outerDiameterMetres / 2
    let length = shaft.length
    let n = shaft.probeSideNormal(beams)
    let segments = max(1, Int((length / segmentMetres).rounded(.up)))
    var wall: [Float] = []
    var background: [Float] = []
    var farSide = (0.0, 0)
    var segmentWall = [(Double, Int)](repeating: (0, 0), count: segments)
    var segmentBackground = [(Double, Int)](repeating: (0, 0), count: segments)
    var tipDisk: [Float] = []
    var tipBackground: [Float] = []
    let tipRadius = max(shaft.outerDiameterMetres, 0.5e-3)
    let reach = a + bandOffsetMetres + bandWidthMetres + axial
    let (columns, rows) = (
      indices(x, from: shaft.entry.x, shaft.tip.x, reach), indices(z, from: shaft.entry.y, shaft.tip.y, reach)
    )
    for r in rows {
      for c in columns {
        let v = e[r * x.count + c]
        guard v > 0 else { continue }  // outside the imaged region
        let p = SIMD2(x[c], z[r])
        let d = p - shaft.tip
        if (d * d).sum() <= tipRadius * tipRadius { tipDisk.append(v) }
        let (along, s) = shaft.signedCoordinates(p, normal: n)
        guard along >= 0, along <= length else { continue }
        let k = min(segments - 1, Int(along / segmentMetres))
        if abs(s - shaft.wallOffset(along: along, normal: n, beams: beams)) <= axial {
          wall.append(v)
          segmentWall[k] = (segmentWall[k].0 + Double(v), segmentWall[k].1 + 1)
          continue
        }
        let beyond = abs(s) - a
        guard beyond >= bandOffsetMetres, beyond <= bandOffsetMetres + bandWidthMetres,
          excluded?[r * x.count + c] ?? 0 == 0, !others.contains(where: { near($0, p) })
        else { continue }
        if s < 0 {
          farSide = (farSide.0 + Double(v), farSide.1 + 1)
          continue
        }
        background.append(v)
        segmentBackground[k] = (segmentBackground[k].0 + Double(v), segmentBackground[k].1 + 1)
        if along >= length - tipBandLengthMetres { tipBackground.append(v) }
      }
    }
    func db(_ inside: (Double, Int), _ outside: (Double, Int)) -> Double {
      guard inside.1 > 0, outside.1 > 0 else { return .nan }
      return 20 * log10((inside.0 / Double(inside.1)) / (outside.0 / Double(outside.1)))
    }
    let measured = (0..<segments).filter { segmentWall[$0].1 > 0 && segmentBackground[$0].1 > 0 }
    let visible = measured.filter { db(segmentWall[$0], segmentBackground[$0]) >= visibleThresholdDb }
    // The entry: the first segments with wall-band pixels in the image, pooled.
    let entry = (0..<segments).filter { segmentWall[$0].1 > 0 }.prefix(entrySegments)
    let entryDb = db(
      entry.reduce((0.0, 0)) { ($0.0 + segmentWall[$1].0, $0.1 + segmentWall[$1].1) },
      entry.reduce((0.0, 0)) { ($0.0 + segmentBackground[$1].0, $0.1 + segmentBackground[$1].1) })
    let usable = !wall.isEmpty && !background.isEmpty
    let backgroundSum = (background.reduce(0.0) { $0 + Double($1) }, background.count)
    let tipDb =
      !tipDisk.isEmpty && !tipBackground.isEmpty ? Contrast.contrastDb(inside: tipDisk, outside: tipBackground) : .nan
    return NeedleVisibility(
      contrastDb: usable ? Contrast.contrastDb(inside: wall, outside: background) : .nan,
      cnr: usable ? Contrast.cnr(inside: wall, outside: background) : .nan,
      gcnr: usable ? Contrast.gcnr(inside: wall, outside: background) : .nan,
      visibleLengthFraction: measured.isEmpty ? .nan : Double(visible.count) / Double(measured.count),
      tipContrastDb: tipDb,
      shaftPeakDb: usable ? db((Double(percentile(wall, shaftPeakPercentile)), 1), backgroundSum) : .nan,
      shadowDb: db(farSide, backgroundSum),
      tipVisible: tipDb >= visibleThresholdDb, entryVisible: entryDb >= visibleThresholdDb,
      wallPixels: wall.count, backgroundPixels: background.count)
  }

  /// Whether p lies within 1 mm of another needle's wall, along its shaft.
  static func near(_ other: ShaftGeometry, _ p: SIMD2<Double>) -> Bool {
    let (along, across) = other.coordinates(p)
    return along >= 0 && along <= other.length && across <= other.outerDiameterMetres / 2 + bandOffsetMetres
  }

  /// The indices of the ascending axis `axis` within `reach` of the interval between `u` and `v`.
  static func indices(_ axis: [Double], from u: Double, _ v: Double, _ reach: Double) -> Range<Int> {
    let (lo, hi) = (min(u, v) - reach, max(u, v) + reach)
    let first = axis.firstIndex { $0 >= lo } ?? axis.count
    let end = axis.lastIndex { $0 <= hi }.map { $0 + 1 } ?? 0
    return first..<max(first, end)
  }

  /// The `q`-quantile of `values` (the value at rank ⌈q·n⌉ of the sorted values; nearest-rank definition).
  static func percentile(_ values: [Float], _ q: Double) -> Float {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
  }
}
