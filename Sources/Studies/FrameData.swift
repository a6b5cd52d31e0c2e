import Acquisition
import FileFormats
import Foundation
import Metrics
import Phantom
import Scenario

/// One written frame as the metrics see it, read back from its output folder (`envelope.npy`, `meta.json`, and when
/// present `labels.json` and the masks), so that metrics computed right after a run and recomputed later by
/// `us-sim metrics` read the very same numbers.
public struct FrameData {
  /// Linear envelope (rows × columns, row 0 shallowest) and the pixel centres (m).
  public var envelope: [Float]
  public var x: [Double]
  public var z: [Double]
  /// Needles (with their gauge) from `labels.json`.
  public var needles: [(gauge: Int, shaft: ShaftGeometry)] = []
  /// Ground-truth masks on the same grid (nil for scenes without ground truth).
  public var tissueLabels: [UInt8]?
  /// The tissue classes' names by index (`labels.json`'s `tissue_classes`; empty without labels).
  public var tissueClasses: [UInt8: String] = [:]
  public var bone: [UInt8]?
  public var shadow: [UInt8]?
  public var needleMask: [UInt8]?
  public var target: [UInt8]?
  /// The scenario's speckle regions and point targets (scenes built from regions rather than an anatomy).
  public var regions: [RegionShape] = []
  public var points: [SIMD2<Double>] = []
  /// c / (2·B) with B = fractional bandwidth × fc (the axial resolution of the needle mask; nil when the frame's
  /// `meta.json` gives no bandwidth, a recording that does not say), and λ·F# (receive; F# taken as at least 1, which
  /// also stands for "the whole aperture", F# = 0). c is the beamforming sound speed.
  public var axialResolutionMetres: Double?
  public var lateralResolutionMetres: Double
  /// Where the image's beams come from (`meta.json`'s `probe.virtual_apex_mm`; parallel for linear arrays).
  public var beams: BeamOrigin = .parallel

  public enum LoadError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String, String)
    public var description: String {
      switch self {
      case .missing(let path): return "\(path) is missing (is this a us-sim output folder?)"
      case .malformed(let path, let why): return "\(path): \(why)"
      }
    }
  }

  /// Reads the frame in `dir`.
  public static func load(from dir: URL) throws -> FrameData {
    func url(_ name: String) -> URL { dir.appendingPathComponent(name) }
    func bytes(_ name: String) throws -> Data {
      guard let data = try? Data(contentsOf: url(name)) else { throw LoadError.missing(url(name).path) }
      return data
    }
    func json(_ name: String, _ data: Data? = nil) throws -> [String: Any] {
      guard let object = try JSONSerialization.jsonObject(with: data ?? bytes(name)) as? [String: Any] else {
        throw LoadError.malformed(url(name).path, "not a JSON object")
      }
      return object
    }
    func array(_ name: String) throws -> (values: [Double], shape: [Int])? {
      guard let data = try? Data(contentsOf: url(name)) else { return nil }
      do { return try NumpyArray.decode(data) } catch { throw LoadError.malformed(url(name).path, "\(error)") }
    }
    let metaBytes = try bytes("meta.json")
    let meta = try json("meta.json", metaBytes)
    let typed: FrameMetadata
    do {
      typed = try FrameMetadata.read(metaBytes, file: url("meta.json").path)
    } catch let e as FrameMetadataError {
      throw LoadError.malformed(e.file, e.message)
    }
    guard let (values, shape) = try array("envelope.npy") else { throw LoadError.missing(url("envelope.npy").path) }
    let (xs, zs) = (typed.image.xMm, typed.image.zMm)
    guard shape == [zs.count, xs.count] else {
      throw LoadError.malformed(url("meta.json").path, "image.x_mm / z_mm do not match envelope.npy's shape \(shape)")
    }
    let fc = typed.probe.fcMHz * 1e6
    let c = typed.beamform.soundSpeedMS
    var frame = FrameData(
      envelope: values.map(Float.init), x: xs.map { $0 * 1e-3 }, z: zs.map { $0 * 1e-3 },
      axialResolutionMetres: typed.probe.bandwidthPercent.map {
        Probe.axialResolutionMetres(soundSpeed: c, centerFrequencyHz: fc, fractionalBandwidth: $0 / 100)
      },
      lateralResolutionMetres: c / fc * max(typed.beamform.fNumber, 1))
    if let apex = typed.probe.virtualApexMm {
      guard apex.count == 2 else {
        throw LoadError.malformed(url("meta.json").path, "probe.virtual_apex_mm is not a pair (x, z) of numbers")
      }
      frame.beams = .apex(SIMD2(apex[0], apex[1]) * 1e-3)
    } else if typed.probe.layout != Probe.Layout.linear.rawValue {
      throw LoadError.malformed(
        url("meta.json").path, "probe.virtual_apex_mm is missing, and a \(typed.probe.layout) probe's beams need it")
    }
    func mask(_ name: String) throws -> [UInt8]? {
      guard let (v, s) = try array(name) else { return nil }
      guard s == shape else { throw LoadError.malformed(url(name).path, "shape \(s) is not the envelope's \(shape)") }
      return v.map { UInt8($0) }
    }
    frame.tissueLabels = try mask("tissue_labels.npy")
    frame.bone = try mask("mask_bone.npy")
    frame.shadow = try mask("mask_shadow.npy")
    frame.needleMask = try mask("mask_needle.npy")
    frame.target = try mask("mask_target.npy")
    if FileManager.default.fileExists(atPath: url("labels.json").path) {
      let labels = try json("labels.json")
      for (k, name) in labels["tissue_classes"] as? [String: String] ?? [:] {
        if let i = UInt8(k) { frame.tissueClasses[i] = name }
      }
      for n in labels["needles"] as? [[String: Any]] ?? [] {
        guard let entry = numbers(n["entry_mm"]), let tip = numbers(n["tip_mm"]), entry.count == 2,
          tip.count == 2, let od = number(n["outer_diameter_mm"]), let gauge = number(n["gauge"])
        else {
          throw LoadError.malformed(
            url("labels.json").path, "a needle without entry_mm, tip_mm, outer_diameter_mm or gauge")
        }
        guard frame.axialResolutionMetres != nil else {
          throw LoadError.malformed(
            url("meta.json").path, "probe.bandwidth_percent is null, and the needle metrics need the pulse's bandwidth")
        }
        frame.needles.append(
          (
            Int(gauge),
            ShaftGeometry(
              entry: SIMD2(entry[0], entry[1]) * 1e-3, tip: SIMD2(tip[0], tip[1]) * 1e-3, outerDiameterMetres: od * 1e-3
            )
          ))
      }
    }
    let scatterers = meta["scatterers"] as? [String: Any] ?? [:]
    frame.regions = (scatterers["regions"] as? [[String: Any]] ?? []).compactMap(regionShape)
    frame.points = (scatterers["points"] as? [[String: Any]] ?? []).compactMap { p in
      guard let x = number(p["x_mm"]), let z = number(p["z_mm"]) else { return nil }
      return SIMD2(x, z) * 1e-3
    }
    return frame
  }

  /// A region's shape from its `meta.json` description (millimetres).
  static func regionShape(_ d: [String: Any]) -> RegionShape? {
    func pair(_ key: String) -> SIMD2<Double>? {
      guard let v = numbers(d[key]), v.count == 2 else { return nil }
      return SIMD2(v[0], v[1]) * 1e-3
    }
    switch d["shape"] as? String {
    case "rectangle":
      guard let x = pair("x_mm"), let z = pair("z_mm") else { return nil }
      return .rectangle(xMin: x[0], xMax: x[1], zMin: z[0], zMax: z[1])
    case "disk":
      guard let c = pair("center_mm"), let r = number(d["radius_mm"]) else { return nil }
      return .disk(x: c.x, z: c.y, radius: r * 1e-3)
    case "ellipse":
      guard let c = pair("center_mm"), let ab = pair("semi_axes_mm"), let angle = number(d["angle_deg"]) else {
        return nil
      }
      return .ellipse(x: c.x, z: c.y, a: ab.x, b: ab.y, angle: angle * .pi / 180)
    case "polygon":
      guard let v = d["vertices_mm"] as? [Any] else { return nil }
      return .polygon(v.compactMap(numbers).filter { $0.count == 2 }.map { SIMD2($0[0], $0[1]) * 1e-3 })
    default: return nil
    }
  }
}

/// A JSON number (integer or not) as a Double.
func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }
/// A JSON array of numbers as Doubles (nil when any element is not a number).
func numbers(_ any: Any?) -> [Double]? {
  guard let a = any as? [Any] else { return nil }
  let v = a.compactMap(number)
  return v.count == a.count ? v : nil
}
