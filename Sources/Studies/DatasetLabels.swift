import Acoustics
import Acquisition
import Foundation
import Metrics
import Phantom
import Scenario

/// A sample's labels for machine learning: needle keypoints with visibility flags, and COCO annotations (needle
/// keypoints + segmentation, bone and acoustic-shadow segmentations) from the ground-truth masks.
///
/// Coordinates: COCO's, x = column + 0.5 and y = row + 0.5 for the centre of pixel (column, row), row 0 shallowest.
/// A needle has two keypoints, `entry` (where its shaft enters the image) and `tip`, each with COCO's flag, read
/// from the image itself (``NeedleVisibility``, `docs/metrics.md` "Needle visibility"): 2 when the image shows the
/// point (tip contrast ≥ 6 dB; the first 5 mm of wall band ≥ 6 dB over its background); 1 in the image but not
/// visible; 0 not in the image (x = y = 0). Geometry never makes a point visible; it only says why one may not be:
/// `inShadow` (the shadow mask) and `inPlane` (within the two-way −6 dB half-width of the elevation beam at that
/// depth, from the probe's lens, ``ElevationBeam``, less the needle's radius) are kept beside the flag.
public enum DatasetLabels {
  public static let categories: [[String: Any]] = [
    ["id": 1, "name": "needle", "supercategory": "instrument", "keypoints": ["entry", "tip"], "skeleton": [[1, 2]]],
    ["id": 2, "name": "bone", "supercategory": "anatomy"],
    ["id": 3, "name": "acoustic_shadow", "supercategory": "artefact"],
  ]

  /// Regions smaller than this (pixels) are left out of the bone and shadow segmentations.
  static let minimumRegionPixels = 4

  public struct Keypoint {
    public var x: Double
    public var y: Double
    public var visibility: Int
    public var inShadow: Bool
    public var inPlane: Bool
  }

  /// The needle's shaft in the image plane as `labels.json` writes it (mm, rounded as written), so that the flags
  /// here and `metrics.json`, which reads it back, measure the same band.
  public static func shaft(_ n: Needle) -> ShaftGeometry {
    let mm = SimulationOutput.mm
    let entry = n.entryPoint
    return ShaftGeometry(
      entry: SIMD2(mm(entry.x), mm(entry.z)) * 1e-3, tip: SIMD2(mm(n.tipX), mm(n.tipZ)) * 1e-3,
      outerDiameterMetres: mm(n.outerDiameterMetres) * 1e-3)
  }

  /// Each needle's visibility measured on the result's image (``NeedleVisibility``: wall band, probe-side
  /// background without bone and the other needles).
  public static func visibility(result r: SimulationResult, scenario s: Scenario) -> [NeedleVisibility] {
    let shafts = s.needles.map(shaft)
    let apex = s.probe.sectorApex
    let beams: BeamOrigin = s.probe.layout == .linear ? .parallel : .apex(SIMD2(apex.xMetres, apex.zMetres))
    return shafts.indices.map { k in
      NeedleVisibility.measure(
        envelope: r.envelope, x: r.xAxisMetres, z: r.zAxisMetres, shaft: shafts[k],
        others: shafts.indices.filter { $0 != k }.map { shafts[$0] }, axialResolutionMetres: s.axialResolutionMetres,
        beams: beams,
        excluded: r.groundTruth?.bone)
    }
  }

  /// The entry and tip keypoints of a needle on a result's image, flagged by `seen` (the needle's
  /// ``visibility(result:scenario:)``).
  public static func keypoints(
    _ n: Needle, seen: NeedleVisibility, result r: SimulationResult, scenario s: Scenario
  ) -> [Keypoint] {
    let w = r.xAxisMetres.count
    let h = r.zAxisMetres.count
    let px = s.image.pixelMetres
    let x0 = r.xAxisMetres.first ?? 0
    let z0 = r.zAxisMetres.first ?? 0
    let tip = n.tipPoint
    let entry = n.entryPoint
    // Pixel-index coordinates (centre of pixel (c, r) at (c, r)); the image spans −0.5 … n − 0.5.
    let a = SIMD2((tip.x - x0) / px, (tip.z - z0) / px)
    let b = SIMD2((entry.x - x0) / px, (entry.z - z0) / px)
    guard let (t0, t1) = clip(a, b, width: Double(w), height: Double(h)) else {
      return [
        Keypoint(x: 0, y: 0, visibility: 0, inShadow: false, inPlane: false),
        Keypoint(x: 0, y: 0, visibility: 0, inShadow: false, inPlane: false),
      ]
    }
    let beam = ElevationBeam.shared(
      elementHeightMetres: s.probe.elementHeightMetres, elevationFocusMetres: s.probe.elevationFocusMetres,
      wavelengthMetres: s.probe.wavelength(soundSpeed: s.medium.soundSpeedMetresPerSecond),
      maximumRangeMetres: max(tip.z, entry.z, 1e-3) + 1e-3, maximumElevationMetres: abs(tip.y) + abs(entry.y) + 1e-3,
      threads: 1)
    func point(_ t: Double, present: Bool, seen: Bool) -> Keypoint {
      guard present else { return Keypoint(x: 0, y: 0, visibility: 0, inShadow: false, inPlane: false) }
      let p = a + (b - a) * t
      let c = min(max(Int(p.x.rounded()), 0), w - 1)
      let row = min(max(Int(p.y.rounded()), 0), h - 1)
      let i = row * w + c
      let shadow = (r.groundTruth?.shadow[i] ?? 0) != 0
      let imaged = r.envelope[i] > 0
      let q = tip + (entry - tip) * t
      let rho = Float(max(q.z, 1e-3))
      let off = Float(max(abs(q.y) - n.outerDiameterMetres / 2, 0))
      let ratio =
        beam.value(elevationMetres: off, rangeMetres: rho)
        / max(beam.value(elevationMetres: 0, rangeMetres: rho), 1e-30)
      let inPlane = ratio * ratio >= 0.5
      let visible = imaged && seen
      return Keypoint(
        x: ((p.x + 0.5) * 1e3).rounded() / 1e3, y: ((p.y + 0.5) * 1e3).rounded() / 1e3, visibility: visible ? 2 : 1,
        inShadow: shadow, inPlane: inPlane)
    }
    return [point(t1, present: true, seen: seen.entryVisible), point(t0, present: t0 == 0, seen: seen.tipVisible)]
  }

  /// The part [t0, t1] of the segment a + (b − a)t, 0 ≤ t ≤ 1, inside the image (Liang–Barsky), or nil.
  static func clip(_ a: SIMD2<Double>, _ b: SIMD2<Double>, width: Double, height: Double) -> (Double, Double)? {
    var t0 = 0.0
    var t1 = 1.0
    let d = b - a
    for (p, q) in [(-d.x, a.x + 0.5), (d.x, width - 0.5 - a.x), (-d.y, a.y + 0.5), (d.y, height - 0.5 - a.y)] {
      if p == 0 {
        if q < 0 { return nil }
      } else {
        let t = q / p
        if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
      }
    }
    return t0 <= t1 ? (t0, t1) : nil
  }

  /// COCO fields of a set of regions: segmentation polygons, area (pixels) and bounding box.
  static func cocoShape(_ regions: [MaskContours.Region]) -> [String: Any] {
    let polygons = regions.map { $0.polygon.flatMap { [$0.x, $0.y] } }
    let area = regions.reduce(0) { $0 + $1.pixelCount }
    guard let first = regions.first else { return ["segmentation": [[Int]](), "area": 0, "bbox": [0, 0, 0, 0]] }
    var (x0, y0, x1, y1) = (first.box.x, first.box.y, first.box.x + first.box.width, first.box.y + first.box.height)
    for r in regions.dropFirst() {
      (x0, y0) = (min(x0, r.box.x), min(y0, r.box.y))
      (x1, y1) = (max(x1, r.box.x + r.box.width), max(y1, r.box.y + r.box.height))
    }
    return ["segmentation": polygons, "area": area, "bbox": [x0, y0, x1 - x0, y1 - y0]]
  }

  /// The COCO image entry and annotations of sample `index` (annotation ids index × 1000 + k, so that they are the
  /// same whichever shard made the sample), and the needles' keypoints.
  static func coco(index: Int, fileName: String, result r: SimulationResult, scenario s: Scenario) -> (
    image: [String: Any], annotations: [[String: Any]], keypoints: [[Keypoint]], seen: [NeedleVisibility]
  ) {
    let w = r.xAxisMetres.count
    let h = r.zAxisMetres.count
    var annotations: [[String: Any]] = []
    func add(_ category: Int, _ fields: [String: Any]) {
      var a = fields
      a["id"] = index * 1000 + annotations.count + 1
      a["image_id"] = index
      a["category_id"] = category
      a["iscrowd"] = 0
      annotations.append(a)
    }
    let seen = visibility(result: r, scenario: s)
    let keypoints = s.needles.indices.map { Self.keypoints(s.needles[$0], seen: seen[$0], result: r, scenario: s) }
    // Needle mask regions go to the needle whose shaft (in pixels) passes nearest their centre.
    var needleRegions = [[MaskContours.Region]](repeating: [], count: s.needles.count)
    if let truth = r.groundTruth, !s.needles.isEmpty {
      let px = s.image.pixelMetres
      let origin = SIMD2(r.xAxisMetres.first ?? 0, r.zAxisMetres.first ?? 0)
      let shafts = s.needles.map { n -> (SIMD2<Double>, SIMD2<Double>) in
        let e = n.entryPoint
        return ((SIMD2(n.tipX, n.tipZ) - origin) / px + 0.5, (SIMD2(e.x, e.z) - origin) / px + 0.5)
      }
      for region in MaskContours.regions(truth.needle, width: w, height: h) {
        func distance(_ k: Int) -> Double {
          RegionShape.distance(from: region.centroid, toSegmentFrom: shafts[k].0, to: shafts[k].1)
        }
        let k = shafts.indices.min { distance($0) < distance($1) }!
        needleRegions[k].append(region)
      }
    }
    for (k, kp) in keypoints.enumerated() {
      let shown = kp.filter { $0.visibility > 0 }
      guard !shown.isEmpty || !needleRegions[k].isEmpty else { continue }
      var fields = cocoShape(needleRegions[k])
      if needleRegions[k].isEmpty {
        let xs = shown.map(\.x)
        let ys = shown.map(\.y)
        fields["bbox"] = [xs.min()!, ys.min()!, xs.max()! - xs.min()!, ys.max()! - ys.min()!]
      }
      fields["keypoints"] = kp.flatMap { [$0.x, $0.y, Double($0.visibility)] }
      fields["num_keypoints"] = shown.count
      fields["needle_index"] = k
      add(1, fields)
    }
    if let truth = r.groundTruth {
      for (category, mask) in [(2, truth.bone), (3, truth.shadow)] {
        for region in MaskContours.regions(mask, width: w, height: h, minimumPixels: minimumRegionPixels) {
          add(category, cocoShape([region]))
        }
      }
    }
    let image: [String: Any] = ["id": index, "file_name": fileName, "width": w, "height": h]
    return (image, annotations, keypoints, seen)
  }
}
