import Foundation

/// A needle's shaft in the image plane: entry point and tip (x, z in metres) and its outer diameter (m).
public struct ShaftGeometry: Sendable, Equatable {
  public var entry: SIMD2<Double>
  public var tip: SIMD2<Double>
  public var outerDiameterMetres: Double

  public init(entry: SIMD2<Double>, tip: SIMD2<Double>, outerDiameterMetres: Double) {
    self.entry = entry
    self.tip = tip
    self.outerDiameterMetres = outerDiameterMetres
  }

  var length: Double { ((tip - entry) * (tip - entry)).sum().squareRoot() }

  /// Distance along the shaft from the entry (m) and distance across it from the centreline (m) of point p.
  func coordinates(_ p: SIMD2<Double>) -> (along: Double, across: Double) {
    let d = tip - entry
    let l = max(length, 1e-12)
    let u = d / l
    let q = p - entry
    return ((q * u).sum(), abs(q.x * u.y - q.y * u.x))
  }
}

/// Needle visibility on a linear envelope image, as `docs/metrics.md` ("Needle visibility") defines it.
///
/// - Shaft mask: pixels within OD/2 + (axial resolution)/2 of the centreline, from the entry point to the tip.
/// - Background: a band on both sides, from 1 mm beyond the shaft's wall (OD/2 + 1 mm) to 3 mm further
///   (`bandWidthMetres`, within the 2–4 mm the definition allows), along the same stretch, clipped to the image and
///   leaving out pixels within 1 mm of any other needle's wall.
/// - Needle contrast (dB), CNR and gCNR: ``Contrast`` with inside = shaft, outside = band.
/// - Visible length fraction: 1 mm segments along the shaft (those with pixels in the image); a segment is visible
///   when its mean E is at least 6 dB above the mean E of its own stretch of band.
/// - Tip contrast (dB): mean E in a disk of radius max(OD, 0.5 mm) at the tip against the band around the last
///   5 mm of shaft.
public struct NeedleVisibility: Sendable, Equatable {
  public var contrastDb: Double
  public var cnr: Double
  public var gcnr: Double
  public var visibleLengthFraction: Double
  public var tipContrastDb: Double
  /// Pixels in the shaft mask and in the band (0 when the shaft is outside the image: the metrics are then NaN).
  public var shaftPixels: Int
  public var bandPixels: Int

  public static let bandOffsetMetres = 1e-3
  public static let bandWidthMetres = 3e-3
  public static let segmentMetres = 1e-3
  public static let visibleThresholdDb = 6.0
  public static let tipBandLengthMetres = 5e-3

  /// - Parameters:
  ///   - envelope: linear envelope, row-major (z.count × x.count), row 0 at z[0].
  ///   - x, z: the pixel centres (m).
  ///   - others: the other needles of the frame, kept out of the band.
  public static func measure(
    envelope e: [Float], x: [Double], z: [Double], shaft: ShaftGeometry, others: [ShaftGeometry] = [],
    axialResolutionMetres axial: Double
  ) -> NeedleVisibility {
    let a = shaft.outerDiameterMetres / 2
    let length = shaft.length
    let segments = max(1, Int((length / segmentMetres).rounded(.up)))
    var inside: [Float] = []
    var outside: [Float] = []
    var segmentIn = [(Double, Int)](repeating: (0, 0), count: segments)
    var segmentOut = [(Double, Int)](repeating: (0, 0), count: segments)
    var tipDisk: [Float] = []
    var tipBand: [Float] = []
    let tipRadius = max(shaft.outerDiameterMetres, 0.5e-3)
    for (r, zr) in z.enumerated() {
      for (c, xc) in x.enumerated() {
        let p = SIMD2(xc, zr)
        let v = e[r * x.count + c]
        let d = p - shaft.tip
        if (d * d).sum() <= tipRadius * tipRadius { tipDisk.append(v) }
        let (along, across) = shaft.coordinates(p)
        guard along >= 0, along <= length else { continue }
        let k = min(segments - 1, Int(along / segmentMetres))
        if across <= a + axial / 2 {
          inside.append(v)
          segmentIn[k] = (segmentIn[k].0 + Double(v), segmentIn[k].1 + 1)
        } else if across >= a + bandOffsetMetres, across <= a + bandOffsetMetres + bandWidthMetres {
          let nearOther = others.contains { o in
            let (oa, oc) = o.coordinates(p)
            return oa >= 0 && oa <= o.length && oc <= o.outerDiameterMetres / 2 + bandOffsetMetres
          }
          if nearOther { continue }
          outside.append(v)
          segmentOut[k] = (segmentOut[k].0 + Double(v), segmentOut[k].1 + 1)
          if along >= length - tipBandLengthMetres { tipBand.append(v) }
        }
      }
    }
    var measured = 0
    var visible = 0
    for k in 0..<segments where segmentIn[k].1 > 0 && segmentOut[k].1 > 0 {
      measured += 1
      let ratio = (segmentIn[k].0 / Double(segmentIn[k].1)) / (segmentOut[k].0 / Double(segmentOut[k].1))
      if 20 * log10(ratio) >= visibleThresholdDb { visible += 1 }
    }
    let usable = !inside.isEmpty && !outside.isEmpty
    return NeedleVisibility(
      contrastDb: usable ? Contrast.contrastDb(inside: inside, outside: outside) : .nan,
      cnr: usable ? Contrast.cnr(inside: inside, outside: outside) : .nan,
      gcnr: usable ? Contrast.gcnr(inside: inside, outside: outside) : .nan,
      visibleLengthFraction: measured > 0 ? Double(visible) / Double(measured) : .nan,
      tipContrastDb: !tipDisk.isEmpty && !tipBand.isEmpty
        ? Contrast.contrastDb(inside: tipDisk, outside: tipBand) : .nan,
      shaftPixels: inside.count, bandPixels: outside.count)
  }
}
