import Acquisition
import ConfigReading
import FileFormats
import Foundation
import Yams

/// `.npy` channel data described by a YAML or JSON sidecar (README, "Beamforming channel data"):
/// ```yaml
/// axes: [events, samples, elements]   # the .npy's axis order; "frames" may lead (this is rf.npy's order)
/// probe: L11-5v                       # a preset name or a mapping, as in a scenario's probe:
/// sampling_mhz: 20.832
/// start_time_us: 0                    # time of sample 0 on the data's clock
/// sound_speed_m_s: 1540
/// modulation_mhz: 0                   # > 0: complex I/Q data demodulated at this frequency
/// transmit:                           # one entry per event, exactly one of plane_deg, focus_mm, source_mm, element
///   - {plane_deg: -5, first_firing_us: 0}
///   - {source_mm: [0, -20]}           # a diverging wave from a virtual source behind the array
///   - {focus_mm: [0, 30], apodization: [0, 1, 1, …]}
///   - {element: 0}                    # one element alone (0-based index)
/// ```
/// `first_firing_us` is when the event's first active element fired on the data's clock (0 when the clock starts
/// at the first firing, as in data simulated here).
public enum ChannelDataSidecar {
  static let keys = ["axes", "probe", "sampling_mhz", "start_time_us", "sound_speed_m_s", "modulation_mhz", "transmit"]
  static let waveKeys = ["plane_deg", "focus_mm", "source_mm", "element", "first_firing_us", "apodization"]
  static let axisNames = ["frames", "events", "elements", "samples"]

  /// Reads `npy` with its sidecar (`sidecar`, or the .npy's name with .yaml, .yml or .json).
  public static func read(npy: URL, sidecar: URL? = nil) throws -> ChannelRecording {
    let base = npy.deletingPathExtension()
    let candidates = sidecar.map { [$0] } ?? ["yaml", "yml", "json"].map { base.appendingPathExtension($0) }
    guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
      throw ScenarioError(
        field: "(sidecar)", value: candidates.map(\.lastPathComponent).joined(separator: ", ") + " (missing)",
        allowed: "a YAML or JSON file next to the .npy describing probe, sampling and transmit (or --sidecar FILE)")
    }
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw ScenarioError(field: "(sidecar)", value: url.path, allowed: "a readable UTF-8 YAML or JSON file")
    }
    let root: Node?
    do { root = try Yams.compose(yaml: text) } catch {
      throw ScenarioError(field: "(sidecar)", value: "unparsable YAML/JSON", allowed: "valid YAML or JSON (\(error))")
    }
    let array: (values: [Double], shape: [Int])
    do { array = try NumpyArray.decode(Data(contentsOf: npy)) } catch {
      throw ScenarioError(field: "(data)", value: npy.path, allowed: "a readable .npy array (\(error))")
    }
    if let i = ChannelRecording.firstImplausibleSample(array.values) {
      throw ScenarioError(
        field: "(data)", value: String(format: "%@: value %d is %g", npy.lastPathComponent, i + 1, array.values[i]),
        allowed: String(format: "finite samples within ±%g", ChannelRecording.maximumSampleMagnitude))
    }
    return try parse(ConfigNode(root, path: ""), array: array)
  }

  static func parse(_ n: ConfigNode, array: (values: [Double], shape: [Int])) throws -> ChannelRecording {
    let m = try n.mapping(allowed: keys)
    func required(_ key: String) throws -> ConfigNode {
      guard let v = m[key], v.isPresent else {
        throw ScenarioError(
          field: key, value: "(missing)", allowed: "a value (the sidecar must give \(key))", line: n.line)
      }
      return v
    }
    let probe = try ProbeDescription.parse(try required("probe"))
    let fs = try required("sampling_mhz").number(in: 0.001...10_000, "a sampling frequency in MHz, 0.001…10000") * 1e6
    let t0 = try m["start_time_us"].map { try $0.number(in: -10_000...10_000, "a time in µs, ±10000") * 1e-6 } ?? 0
    let c =
      try m["sound_speed_m_s"].map {
        try $0.number(in: ChannelData.soundSpeedRange, ChannelData.soundSpeedAllowed)
      } ?? ChannelData.defaultSoundSpeedMetresPerSecond
    let fMod =
      try m["modulation_mhz"].map { try $0.number(in: 0...10_000, "a frequency in MHz ≥ 0 (0 for RF data)") * 1e6 } ?? 0

    // Axes: the .npy's order, complex data having its (re, im) axis last.
    let complexAxis = array.shape.count >= 1 && fMod > 0 ? 1 : 0
    let rank = array.shape.count - complexAxis
    let defaultAxes = Array(["frames", "events", "samples", "elements"].suffix(rank))
    var axes = defaultAxes
    if let a = m["axes"] {
      axes = try a.list().map { item in
        let name = try item.string()
        guard axisNames.contains(name) else { throw item.error("one of \(axisNames.joined(separator: ", "))") }
        return name
      }
      guard Set(axes).count == axes.count, axes.count == rank, Set(["samples", "elements"]).isSubset(of: axes) else {
        throw a.error(
          "\(rank) distinct names for the .npy's \(rank) axes (shape \(array.shape)), including samples and elements")
      }
    }
    if fMod > 0, array.shape.last != 2 {
      throw ScenarioError(
        field: "modulation_mhz", value: "\(fMod / 1e6)",
        allowed: "0 for real RF data; I/Q data must be a complex .npy (complex64 or complex128)")
    }
    func size(_ axis: String) -> Int { axes.firstIndex(of: axis).map { array.shape[$0] } ?? 1 }
    let (frames, events, elements, samples) = (size("frames"), size("events"), size("elements"), size("samples"))
    guard elements == probe.elementCount else {
      throw ScenarioError(
        field: "probe", value: "\(probe.name) (\(probe.elementCount) elements)",
        allowed: "a probe with \(elements) elements, the size of the .npy's elements axis (shape \(array.shape))")
    }
    let sequence = try parseTransmit(try required("transmit"), probe: probe, soundSpeed: c, events: events)

    // Reorder into frames × events × elements × samples (× re, im).
    let width = fMod > 0 ? 2 : 1
    var strides = [Int](repeating: 0, count: rank)
    var step = width
    for i in (0..<rank).reversed() {
      strides[i] = step
      step *= array.shape[i]
    }
    func strideOf(_ axis: String) -> Int { axes.firstIndex(of: axis).map { strides[$0] } ?? 0 }
    let (sf, se, sl, ss) = (strideOf("frames"), strideOf("events"), strideOf("elements"), strideOf("samples"))
    var out = [Float](repeating: 0, count: frames * events * elements * samples * width)
    var o = 0
    for f in 0..<frames {
      for e in 0..<events {
        for l in 0..<elements {
          for s in 0..<samples {
            let i = f * sf + e * se + l * sl + s * ss
            for k in 0..<width { out[o + k] = Float(array.values[i + k]) }
            o += width
          }
        }
      }
    }
    let layout = ChannelData(
      probe: probe, sequence: sequence, samplingFrequencyHz: fs, startTimeSeconds: t0, sampleCount: samples,
      soundSpeedMetresPerSecond: c, data: [])
    return ChannelRecording(
      layout: layout, frameCount: frames, modulationFrequencyHz: fMod, isComplex: fMod > 0, samples: out,
      pulse: (probe.centerFrequencyHz, probe.fractionalBandwidth))
  }

  static func parseTransmit(_ n: ConfigNode, probe: Probe, soundSpeed c: Double, events: Int) throws -> [TransmitEvent]
  {
    let items = try n.list()
    guard items.count == events else {
      throw n.error("\(events) entries, one per event of the .npy", value: "\(items.count) entries")
    }
    return try items.enumerated().map { i, item in
      let m = try item.mapping(allowed: waveKeys)
      let given = ["plane_deg", "focus_mm", "source_mm", "element"].filter { m[$0] != nil }
      guard given.count == 1 else {
        throw item.error(
          "exactly one of plane_deg, focus_mm, source_mm, element",
          value: given.isEmpty ? "none" : given.joined(separator: " and "))
      }
      let wavefront: Wavefront
      switch given[0] {
      case "plane_deg":
        wavefront = .plane(
          angleRadians: try m["plane_deg"]!.number(in: -89...89, "an angle in degrees, −89…89") * .pi / 180)
      case "focus_mm":
        let p = try m["focus_mm"]!.numbers(count: 2, in: -10_000...10_000, "[x, z] in mm with z > 0")
        guard p[1] > 0 else { throw m["focus_mm"]!.error("[x, z] in mm with z > 0 (in front of the array)") }
        wavefront = .focused(xMetres: p[0] * 1e-3, zMetres: p[1] * 1e-3)
      case "source_mm":
        let p = try m["source_mm"]!.numbers(count: 2, in: -10_000...10_000, "[x, z] in mm with z < 0")
        guard p[1] < 0 else { throw m["source_mm"]!.error("[x, z] in mm with z < 0 (behind the array)") }
        wavefront = .diverging(xMetres: p[0] * 1e-3, zMetres: p[1] * 1e-3)
      default:
        wavefront = .singleElement(
          index: try m["element"]!.integer(
            in: 0...(probe.elementCount - 1), "an element index 0…\(probe.elementCount - 1)"))
      }
      var apodization: [Float]?
      if let a = m["apodization"] {
        apodization = try a.numbers(
          count: probe.elementCount, in: 0...1e6, "\(probe.elementCount) weights ≥ 0, one per element"
        ).map(Float.init)
      }
      var event = TransmitEvent(probe: probe, wavefront: wavefront, apodization: apodization, soundSpeed: c)
      event.firstFiringTimeSeconds =
        try m["first_firing_us"].map { try $0.number(in: -10_000...10_000, "a time in µs, ±10000") * 1e-6 } ?? 0
      return event
    }
  }
}
