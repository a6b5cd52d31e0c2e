import Acoustics
import Beamform
import ConfigReading
import FileFormats
import Foundation
import Phantom

/// Writes a run's files into an output folder, each atomically (temporary name, then rename):
/// `bmode.png`, `envelope.npy` (float32, (nz, nx), row 0 shallowest), optionally `rf.npy` (float32,
/// events × samples × elements) and `iq.npy` (complex64 beamformed image on the beamforming grid), and `meta.json`
/// (written last, so its presence marks a complete output).
public enum SimulationOutput {
  /// Software version written into `meta.json`.
  public static let version = "0.1.0"

  /// Dataset samples choose their image's name, leave the envelope out unless asked, and leave the timings out of
  /// `meta.json` (so that the same sample always has the same bytes).
  public struct Layout: Sendable {
    public var imageName = "bmode.png"
    public var envelope = true
    public var timings = true
    public init(imageName: String = "bmode.png", envelope: Bool = true, timings: Bool = true) {
      self.imageName = imageName
      self.envelope = envelope
      self.timings = timings
    }
  }

  ///
  /// Refuses (before writing anything) a result whose envelope, channel data or beamformed image holds a NaN or an
  /// infinity: every written array is finite.
  public static func write(_ result: inout SimulationResult, scenario: Scenario, to dir: URL, layout: Layout = Layout())
    throws
  {
    let start = Date()
    try checkFinite(result)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let nz = result.zAxisMetres.count
    let nx = result.xAxisMetres.count
    try PNGImage.writeGrayscale(
      result.bmode, width: nx, height: nz, pixelSizeMetres: scenario.image.pixelMetres,
      to: dir.appendingPathComponent(layout.imageName))
    if layout.envelope {
      try NumpyArray.write(result.envelope, shape: [nz, nx], to: dir.appendingPathComponent("envelope.npy"))
    }
    let rf = result.channelData
    if scenario.outputs.rf {
      try NumpyArray.write(
        rf.samplesByElementOrder(), shape: [rf.eventCount, rf.sampleCount, rf.elementCount],
        to: dir.appendingPathComponent("rf.npy"))
      try AtomicFile.write(Data(rfSidecar(rf).utf8), to: dir.appendingPathComponent("rf.yaml"))
    }
    if scenario.outputs.channelData == .uff {
      try writeUFF(result, scenario: scenario, to: dir.appendingPathComponent("channel_data.uff"))
    }
    if scenario.outputs.iq {
      try AtomicFile.write(
        NumpyArray.encodeComplex64(result.beamformed, shape: [result.grid.rows, result.grid.columns]),
        to: dir.appendingPathComponent("iq.npy"))
    }
    try writeGroundTruth(result, scenario: scenario, to: dir)
    result.timings["write"] = Date().timeIntervalSince(start)
    var meta = try frameMetadata(result, scenario: scenario).merged(into: metadata(result, scenario: scenario))
    if !layout.timings { meta["timings_s"] = nil }
    let json = try JSONSerialization.data(withJSONObject: meta, options: [.prettyPrinted, .sortedKeys])
    try AtomicFile.write(json, to: dir.appendingPathComponent("meta.json"))
  }

  /// A result that is not a number somewhere (an overflow in float32) is an error, not an image.
  static func checkFinite(_ r: SimulationResult) throws {
    let arrays = [("envelope", r.envelope), ("beamformed image", r.beamformed), ("channel data", r.channelData.data)]
    for (name, values) in arrays where !values.allSatisfy(\.isFinite) {
      throw ScenarioError(
        field: "(whole scenario)", value: "the \(name) holds NaN or infinite values",
        allowed: "echoes within float32's range: smaller point amplitudes or echogenicities")
    }
  }

  /// Whether `dir` holds an earlier output of `simulate` or `beamform` (its `meta.json`, or its frames'
  /// `frame-NNNN/meta.json`, written by us-sim), which a new run may replace as a whole.
  public static func isEarlierOutput(_ dir: URL) -> Bool {
    func written(_ meta: URL) -> Bool {
      guard let data = try? Data(contentsOf: meta),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let software = json["software"] as? [String: Any]
      else { return false }
      return software["name"] as? String == "us-sim"
    }
    if written(dir.appendingPathComponent("meta.json")) { return true }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    let frames = names.filter { $0.hasPrefix("frame-") }
    return !frames.isEmpty
      && frames.allSatisfy { written(dir.appendingPathComponent($0).appendingPathComponent("meta.json")) }
  }

  /// A length in metres as millimetres, rounded to the nanometre (hides binary rounding such as 0.24999999999999994).
  public static func mm(_ metres: Double) -> Double { (metres * 1e9).rounded() / 1e6 }

  /// The phantom's regions and point targets, in the scenario file's units.
  static func phantomDescription(_ p: PhantomDescription, scattererCount: Int) -> [String: Any] {
    let regions: [[String: Any]] = p.regions.map { r in
      var d: [String: Any] = [
        "density_per_mm2": r.densityPerMm2, "echogenicity_db": r.echogenicityDb, "thickness_mm": mm(r.thicknessMetres),
      ]
      switch r.shape {
      case .rectangle(let x0, let x1, let z0, let z1):
        d["shape"] = "rectangle"
        d["x_mm"] = [mm(x0), mm(x1)]
        d["z_mm"] = [mm(z0), mm(z1)]
      case .disk(let x, let z, let radius):
        d["shape"] = "disk"
        d["center_mm"] = [mm(x), mm(z)]
        d["radius_mm"] = mm(radius)
      case .ellipse(let x, let z, let a, let b, let angle):
        d["shape"] = "ellipse"
        d["center_mm"] = [mm(x), mm(z)]
        d["semi_axes_mm"] = [mm(a), mm(b)]
        d["angle_deg"] = angle * 180 / .pi
      case .polygon(let vertices):
        d["shape"] = "polygon"
        d["vertices_mm"] = vertices.map { [mm($0.x), mm($0.y)] }
      case .raster:
        d["shape"] = "raster"
      }
      return d
    }
    let points: [[String: Any]] = p.points.map {
      ["x_mm": mm($0.xMetres), "y_mm": mm($0.yMetres), "z_mm": mm($0.zMetres), "amplitude": $0.amplitude]
    }
    return ["count": scattererCount, "regions": regions, "points": points, "from_file": p.extra.count]
  }

  /// The fields every frame's `meta.json` has (``FrameMetadata``).
  static func frameMetadata(_ r: SimulationResult, scenario s: Scenario) -> FrameMetadata {
    FrameMetadata(
      software: .init(name: "us-sim", version: version),
      probe: .init(s.probe, bandwidthPercent: s.probe.fractionalBandwidth * 100),
      beamform: .init(
        fNumber: s.beamform.fNumber, window: s.beamform.window.rawValue, receiveSteering: s.beamform.steered,
        soundSpeedMS: s.medium.soundSpeedMetresPerSecond),
      image: .init(
        xMm: r.xAxisMetres.map(mm), zMm: r.zAxisMetres.map(mm), shape: [r.zAxisMetres.count, r.xAxisMetres.count],
        dynamicRangeDb: s.image.dynamicRangeDb, gainDb: s.image.gainDb))
  }

  /// Every parameter actually used, the axes, the seed, the version and the stage timings (with
  /// ``frameMetadata(_:scenario:)`` merged in by the writer).
  public static func metadata(_ r: SimulationResult, scenario s: Scenario) -> [String: Any] {
    let p = s.probe
    let rf = r.channelData
    var transmit: [String: Any] = [
      "scheme": s.transmit.scheme.rawValue, "cycles": s.transmit.cycles, "events": rf.eventCount,
    ]
    if s.transmit.scheme != .syntheticAperture { transmit["tx_window"] = s.transmit.txWindow.rawValue }
    switch s.transmit.scheme {
    case .planeWave: transmit["angles_deg"] = s.transmit.anglesRadians.map { $0 * 180 / .pi }
    case .diverging:
      transmit["angles_deg"] = s.transmit.anglesRadians.map { $0 * 180 / .pi }
      transmit["source_mm"] = mm(s.transmit.resolvedSourceDistance(probe: p))
    case .focused:
      switch s.transmit.focus {
      case .depth(let d):
        transmit["focus_mm"] = mm(d)
        transmit["lines"] = rf.eventCount
        transmit["tx_f_number"] = s.transmit.txFNumber
      case .point(let x, let z): transmit["focus_mm"] = [mm(x), mm(z)]
      }
    case .syntheticAperture: break
    }
    var probe: [String: Any] = [
      "element_width_mm": mm(p.elementWidthMetres), "kerf_mm": mm(p.kerfMetres),
      "element_height_mm": mm(p.elementHeightMetres),
    ]
    probe["elevation_focus_mm"] = p.elevationFocusMetres.isFinite ? mm(p.elevationFocusMetres) : NSNull()
    probe["radius_mm"] = p.radiusMetres.isFinite ? mm(p.radiusMetres) : NSNull()
    let img = s.image
    return [
      "seed": s.seed,
      "probe": probe,
      "medium": [
        "sound_speed_m_s": s.medium.soundSpeedMetresPerSecond,
        "attenuation_db_cm_mhz": s.medium.attenuationDbPerCmPerMHz,
        "attenuation_exponent": s.medium.attenuationExponent,
      ],
      "transmit": transmit,
      "scatterers": phantomDescription(s.scatterers, scattererCount: r.scattererCount),
      "beamform": ["grid": gridDescription(r.grid)],
      "image": ["pixel_mm": mm(img.pixelMetres)],
      "acquisition": [
        "sampling_mhz": rf.samplingFrequencyHz / 1e6, "start_time_s": rf.startTimeSeconds, "samples": rf.sampleCount,
        "noise_snr_db": s.acquisition.noiseSnrDb.map { $0 as Any } ?? NSNull(),
        "noise_floor_db": s.acquisition.noiseFloorDb.map { $0 as Any } ?? NSNull(),
        "tgc_follows_tissues": s.acquisition.tgcFollowsTissues,
        "exact": s.acquisition.exact,
        "tgc_db_per_cm": s.acquisition.tgcDbPerCm.map { $0 as Any } ?? NSNull(),
      ],
      "physics": [
        "probe_response": s.physics.probeResponse.rawValue, "elevation_dispersion": s.physics.elevationDispersion,
        "interfaces_at_incidence": s.physics.interfacesAtIncidence, "calibration": s.physics.calibration.rawValue,
      ],
      "outputs": [
        "rf": s.outputs.rf, "iq": s.outputs.iq,
        "channel_data": s.outputs.channelData.map { $0.rawValue as Any } ?? NSNull(),
      ],
      "phantom": s.phantom.map(anatomyDescription) ?? NSNull(),
      "needles": needleLabels(r, scenario: s),
      "timings_s": r.timings,
    ]
  }

  static func gridDescription(_ g: ImageGrid) -> [String: Any] {
    switch g.geometry {
    case .cartesian: return ["kind": "cartesian", "rows": g.rows, "columns": g.columns]
    case .polar(let angles, let ranges, let ax, let az):
      return [
        "kind": "polar", "rows": g.rows, "columns": g.columns,
        "angles_deg": [angles.first! * 180 / .pi, angles.last! * 180 / .pi],
        "ranges_mm": [ranges.first! * 1e3, ranges.last! * 1e3], "apex_mm": [ax * 1e3, az * 1e3],
      ]
    }
  }

  /// A short human-readable summary of a run.
  public static func summary(_ r: SimulationResult, scenario s: Scenario, outputDirectory: URL?) -> String {
    let rf = r.channelData
    let t = r.timings
    var lines = [
      "us-sim \(version): \(s.probe.name) (\(s.probe.elementCount) elements, \(String(format: "%.2f", s.probe.centerFrequencyHz / 1e6)) MHz), \(s.transmit.scheme.rawValue) × \(rf.eventCount) event(s)",
      "  scatterers      \(r.scattererCount)",
      "  RF              \(rf.eventCount) × \(rf.sampleCount) samples × \(rf.elementCount) channels at \(String(format: "%.2f", rf.samplingFrequencyHz / 1e6)) MHz",
      "  image           \(r.xAxisMetres.count) × \(r.zAxisMetres.count) pixels of \(String(format: "%.3f", s.image.pixelMetres * 1e3)) mm, x \(String(format: "%.1f…%.1f", s.image.xRangeMetres.lowerBound * 1e3, s.image.xRangeMetres.upperBound * 1e3)) mm, z \(String(format: "%.1f…%.1f", s.image.zRangeMetres.lowerBound * 1e3, s.image.zRangeMetres.upperBound * 1e3)) mm, \(Int(s.image.dynamicRangeDb)) dB",
      String(
        format: "  time            simulate %.2f s, beamform %.2f s, envelope %.2f s, write %.2f s", t["simulate"] ?? 0,
        t["beamform"] ?? 0, t["envelope"] ?? 0, t["write"] ?? 0),
    ]
    if let a = s.phantom {
      let own = a.custom.map { c in
        "\(c.patches.count) region(s) of your own" + (a.preset == .custom ? " over \(c.background?.name ?? "gel")" : "")
      }
      let fat = String(format: "%.0f", a.parameters.fatThicknessMetres * 1e3)
      let preset = "\(a.preset.rawValue) at \(a.parameters.level), fat \(fat) mm"
      let what = a.preset == .custom ? own ?? "" : preset + (own.map { " + " + $0 } ?? "")
      lines.insert("  phantom         \(what); \(s.needles.count) needle(s)", at: 1)
    }
    if let dir = outputDirectory {
      lines.append(
        "  wrote           \(dir.path)/bmode.png, envelope.npy, meta.json" + (s.outputs.rf ? ", rf.npy, rf.yaml" : "")
          + (s.outputs.channelData == .uff ? ", channel_data.uff" : "")
          + (s.outputs.iq ? ", iq.npy" : "") + (r.groundTruth != nil ? ", labels.json and masks" : ""))
    }
    return lines.joined(separator: "\n")
  }
}
