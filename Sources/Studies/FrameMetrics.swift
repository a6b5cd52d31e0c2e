import FileFormats
import Foundation
import Metrics
import Phantom

/// The metrics of one frame (`docs/metrics.md`), written as `metrics.json` beside it.
///
/// - Per needle, on the probe-facing wall band: contrast (dB), CNR, gCNR, visible length fraction, tip contrast,
///   shaft peak, needle shadow, and whether tip and entry are visible in the image (``NeedleVisibility``).
/// - Speckle SNR, mean/std of E (1.91 for Rayleigh), in the frame's homogeneous speckle region: the most common
///   tissue class (or speckle region) away from its edges by 1 mm, outside shadows, bone, needles, targets and
/// 2 mm around point targets, each row divided by its own mean first (depth compensation)
/// (``RegionMetrics/homogeneousRegion(classes:excluded:columns:marginPixels:)``).
/// - Shadow depth (dB) below bone, when the frame has a shadow
/// (``RegionMetrics/shadowDepthDb(envelope:columns:shadow:excluded:)``).
/// - Bone-surface brightness (dB): the mean E over the shallowest bone face's band against the 99th percentile of E
///   elsewhere, when the frame has bone
///   (``AnatomyImageMetrics/boneSurfaceBrightnessDb(envelope:columns:bone:excluded:halfWidthPixels:)``).
/// - The posterior complex over the canal (dB), where an acoustic window shows ligamentum flavum above CSF
///   (``AnatomyImageMetrics/complexOverCanalDb(envelope:columns:labels:complexTop:canal:excluded:marginPixels:)``).
/// - Point targets: axial and lateral FWHM (mm) and the peak's offset from the true position.
/// - Cysts (every disk region after the first region): contrast, CNR, gCNR with the metrics.md regions.
public struct FrameMetrics: Equatable {
  public struct Needle: Equatable {
    public var gauge: Int
    public var visibility: NeedleVisibility
  }
  public struct Point: Equatable {
    public var position: SIMD2<Double>
    public var axialFWHMMetres: Double?
    public var lateralFWHMMetres: Double?
    public var peakOffsetMetres: Double
  }
  public struct Cyst: Equatable {
    public var centre: SIMD2<Double>
    public var radiusMetres: Double
    public var contrastDb: Double
    public var cnr: Double
    public var gcnr: Double
  }

  public var needles: [Needle]
  public var speckleSNR: Double?
  public var specklePixels: Int
  public var shadowDepthDb: Double?
  public var boneSurfaceDb: Double?
  public var complexOverCanalDb: Double?
  public var points: [Point]
  public var cysts: [Cyst]

  public static func compute(_ f: FrameData) -> FrameMetrics {
    let columns = f.x.count
    let count = f.envelope.count
    let needles = f.needles.enumerated().map { (i, n) in
      Needle(
        gauge: n.gauge,
        visibility: NeedleVisibility.measure(
          envelope: f.envelope, x: f.x, z: f.z, shaft: n.shaft,
          others: f.needles.enumerated().filter { $0.offset != i }.map(\.element.shaft),
          // FrameData.load refuses needles without a bandwidth, so frames with needles have an axial resolution.
          axialResolutionMetres: f.axialResolutionMetres!, beams: f.beams, excluded: f.bone))
    }
    // Classes and exclusions for the speckle region.
    var classes = f.tissueLabels.map { $0.map(Int.init) } ?? [Int](repeating: 0, count: count)
    var excluded = [Bool](repeating: false, count: count)
    for mask in [f.bone, f.shadow, f.needleMask, f.target].compactMap({ $0 }) {
      for i in 0..<count where mask[i] != 0 { excluded[i] = true }
    }
    let pixel = columns > 1 ? abs(f.x[1] - f.x[0]) : 1e-4
    for (r, zr) in f.z.enumerated() {
      for (c, xc) in f.x.enumerated() {
        let i = r * columns + c
        if f.tissueLabels == nil, !f.regions.isEmpty {
          classes[i] = f.regions.lastIndex { $0.contains(x: xc, z: zr) }.map { $0 + 1 } ?? 0
        }
        if f.points.contains(where: { abs($0.x - xc) <= 2e-3 && abs($0.y - zr) <= 2e-3 }) { excluded[i] = true }
      }
    }
    let region = RegionMetrics.homogeneousRegion(
      classes: classes, excluded: excluded, columns: columns, marginPixels: max(1, Int((1e-3 / pixel).rounded())))
    // Depth-compensated: each row of the region divided by its own mean, so that attenuation and the elevation
    // focus (level changing with depth) do not count as speckle variance; rows with fewer than 32 pixels are left out.
    var byRow: [Int: [Float]] = [:]
    for i in region { byRow[i / columns, default: []].append(f.envelope[i]) }
    var speckle: [Float] = []
    for row in byRow.keys.sorted() {
      let v = byRow[row]!
      guard v.count >= 32 else { continue }
      let mean = v.reduce(0, +) / Float(v.count)
      if mean > 0 { speckle += v.map { $0 / mean } }
    }
    /// The pixels in any of `masks`.
    func union(_ masks: [[UInt8]?]) -> [UInt8] {
      var other = [UInt8](repeating: 0, count: count)
      for mask in masks.compactMap({ $0 }) { for i in 0..<count where mask[i] != 0 { other[i] = 1 } }
      return other
    }
    var shadowDepth: Double?
    if let shadow = f.shadow, shadow.contains(where: { $0 != 0 }) {
      shadowDepth = RegionMetrics.shadowDepthDb(
        envelope: f.envelope, columns: columns, shadow: shadow, excluded: union([f.bone, f.needleMask]))
    }
    // One axial resolution in rows (the needle band's half-width); without a bandwidth, one wavelength-scale 0.3 mm.
    let rowPixel = f.z.count > 1 ? abs(f.z[1] - f.z[0]) : pixel
    let resolutionRows = max(1, Int(((f.axialResolutionMetres ?? 0.3e-3) / rowPixel).rounded()))
    var boneSurface: Double?
    if let bone = f.bone, bone.contains(where: { $0 != 0 }) {
      boneSurface = AnatomyImageMetrics.boneSurfaceBrightnessDb(
        envelope: f.envelope, columns: columns, bone: bone, excluded: f.needleMask, halfWidthPixels: resolutionRows)
    }
    var complexOverCanal: Double?
    if let labels = f.tissueLabels, let flavum = f.tissueClasses.first(where: { $0.value == "ligament" })?.key,
      let csf = f.tissueClasses.first(where: { $0.value == "CSF" })?.key
    {
      complexOverCanal = AnatomyImageMetrics.complexOverCanalDb(
        envelope: f.envelope, columns: columns, labels: labels, complexTop: flavum, canal: csf,
        excluded: union([f.bone, f.shadow, f.needleMask]), marginPixels: resolutionRows)
    }
    let points = f.points.compactMap { p -> Point? in
      guard let m = RegionMetrics.point(envelope: f.envelope, x: f.x, z: f.z, at: p) else { return nil }
      return Point(
        position: p, axialFWHMMetres: m.axialMetres, lateralFWHMMetres: m.lateralMetres,
        peakOffsetMetres: m.peakOffsetMetres)
    }
    let cysts = f.regions.dropFirst().compactMap { shape -> Cyst? in
      guard case .disk(let x, let z, let radius) = shape,
        let m = RegionMetrics.cyst(
          envelope: f.envelope, x: f.x, z: f.z, centre: SIMD2(x, z), radiusMetres: radius,
          lateralResolutionMetres: f.lateralResolutionMetres)
      else { return nil }
      return Cyst(centre: SIMD2(x, z), radiusMetres: radius, contrastDb: m.contrastDb, cnr: m.cnr, gcnr: m.gcnr)
    }
    return FrameMetrics(
      needles: needles, speckleSNR: speckle.count >= 100 ? Speckle.snr(speckle) : nil, specklePixels: speckle.count,
      shadowDepthDb: shadowDepth, boneSurfaceDb: boneSurface, complexOverCanalDb: complexOverCanal, points: points,
      cysts: cysts)
  }

  /// The metrics as a JSON object (numbers rounded to 10⁻⁶; NaN and missing values as null).
  public var json: [String: Any] {
    func n(_ v: Double?) -> Any {
      guard let v, v.isFinite else { return NSNull() }
      return (v * 1e6).rounded() / 1e6
    }
    func mm(_ v: Double?) -> Any { n(v.map { $0 * 1e3 }) }
    return [
      "definitions":
        "docs/metrics.md; needles on the wall band (probe-facing wall ± one axial resolution) against the probe-side background 1-4 mm beyond the outer surface",
      "needles": needles.map { m -> [String: Any] in
        let v = m.visibility
        return [
          "gauge": m.gauge, "contrast_db": n(v.contrastDb), "cnr": n(v.cnr), "gcnr": n(v.gcnr),
          "visible_length_fraction": n(v.visibleLengthFraction), "tip_contrast_db": n(v.tipContrastDb),
          "shaft_peak_db": n(v.shaftPeakDb), "needle_shadow_db": n(v.shadowDb), "tip_visible": v.tipVisible,
          "entry_visible": v.entryVisible, "wall_pixels": v.wallPixels, "background_pixels": v.backgroundPixels,
        ]
      },
      "speckle_snr": n(speckleSNR), "speckle_pixels": specklePixels, "shadow_depth_db": n(shadowDepthDb),
      "bone_surface_db": n(boneSurfaceDb), "posterior_complex_over_canal_db": n(complexOverCanalDb),
      "points": points.map {
        [
          "x_mm": mm($0.position.x), "z_mm": mm($0.position.y), "axial_fwhm_mm": mm($0.axialFWHMMetres),
          "lateral_fwhm_mm": mm($0.lateralFWHMMetres), "peak_offset_mm": mm($0.peakOffsetMetres),
        ]
      },
      "cysts": cysts.map {
        [
          "centre_mm": [mm($0.centre.x), mm($0.centre.y)], "radius_mm": mm($0.radiusMetres),
          "contrast_db": n($0.contrastDb), "cnr": n($0.cnr), "gcnr": n($0.gcnr),
        ]
      },
    ]
  }

  /// Reads the frame in `dir`, computes its metrics and writes `metrics.json` there (atomically).
  @discardableResult
  public static func write(forFrameIn dir: URL) throws -> FrameMetrics {
    let m = compute(try FrameData.load(from: dir))
    let data = try JSONSerialization.data(withJSONObject: m.json, options: [.prettyPrinted, .sortedKeys])
    try AtomicFile.write(data, to: dir.appendingPathComponent("metrics.json"))
    return m
  }
}

extension FrameMetrics {
  /// A few printed lines.
  public var summary: String {
    func f(_ v: Double?, _ format: String) -> String { v.map { $0.isFinite ? String(format: format, $0) : "—" } ?? "—" }
    var lines: [String] = []
    for n in needles {
      let v = n.visibility
      lines.append(
        "  needle \(n.gauge)G      contrast \(f(v.contrastDb, "%.1f")) dB, CNR \(f(v.cnr, "%.2f")), gCNR \(f(v.gcnr, "%.2f")), visible \(f(v.visibleLengthFraction * 100, "%.0f")) % of its length, tip \(f(v.tipContrastDb, "%.1f")) dB (wall band)"
      )
    }
    lines.append("  speckle SNR     \(f(speckleSNR, "%.2f")) (Rayleigh 1.91; \(specklePixels) pixels)")
    if shadowDepthDb != nil { lines.append("  shadow depth    \(f(shadowDepthDb, "%.1f")) dB below bone") }
    if boneSurfaceDb != nil {
      lines.append("  bone surface    \(f(boneSurfaceDb, "%.1f")) dB over the 99th percentile elsewhere")
    }
    if complexOverCanalDb != nil {
      lines.append("  window          posterior complex \(f(complexOverCanalDb, "%.1f")) dB over the canal")
    }
    for p in points {
      lines.append(
        "  point (\(f(p.position.x * 1e3, "%.1f")), \(f(p.position.y * 1e3, "%.1f")) mm)  FWHM axial \(f(p.axialFWHMMetres.map { $0 * 1e3 }, "%.2f")) mm, lateral \(f(p.lateralFWHMMetres.map { $0 * 1e3 }, "%.2f")) mm"
      )
    }
    for c in cysts {
      lines.append(
        "  cyst r \(f(c.radiusMetres * 1e3, "%.1f")) mm    contrast \(f(c.contrastDb, "%.1f")) dB, CNR \(f(c.cnr, "%.2f")), gCNR \(f(c.gcnr, "%.2f"))"
      )
    }
    return lines.joined(separator: "\n")
  }
}
