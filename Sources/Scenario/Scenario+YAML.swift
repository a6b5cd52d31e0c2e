import Acoustics
import Beamform
import FileFormats
import Foundation
import Phantom
import Yams

extension Scenario {
  static let topKeys = ["probe", "medium", "transmit", "scatterers", "beamform", "image", "acquisition", "outputs", "seed"]

  /// Reads a scenario file; relative paths inside it (`scatterers.file`) are resolved against its folder.
  public static func load(contentsOf url: URL) throws -> Scenario {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw ScenarioError(field: "(file)", value: url.path, allowed: "a readable UTF-8 YAML file")
    }
    return try parse(yaml: text, baseDirectory: url.deletingLastPathComponent())
  }

  /// Parses scenario YAML. Every field is checked before anything runs; the first problem is thrown.
  public static func parse(yaml: String, baseDirectory: URL = URL(fileURLWithPath: ".")) throws -> Scenario {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      throw ScenarioError(field: "(file)", value: "unparsable YAML", allowed: "valid YAML (\(error))")
    }
    let top = try ConfigNode(root, path: "").mapping(allowed: topKeys)

    let probe = try parseProbe(top["probe"] ?? ConfigNode(nil, path: "probe"))
    let medium = try parseMedium(top["medium"] ?? ConfigNode(nil, path: "medium"))
    let transmit = try parseTransmit(top["transmit"] ?? ConfigNode(nil, path: "transmit"), probe: probe)
    let phantom = try parseScatterers(top["scatterers"] ?? ConfigNode(nil, path: "scatterers"), base: baseDirectory)
    let beamform = try parseBeamform(top["beamform"] ?? ConfigNode(nil, path: "beamform"))
    let image = try parseImage(top["image"] ?? ConfigNode(nil, path: "image"), probe: probe, medium: medium)
    let acquisition = try parseAcquisition(top["acquisition"] ?? ConfigNode(nil, path: "acquisition"), probe: probe, medium: medium)
    let outputs = try parseOutputs(top["outputs"] ?? ConfigNode(nil, path: "outputs"))
    var seed: UInt64 = 7
    if let s = top["seed"], s.isPresent {
      seed = UInt64(try s.integer(in: 0...Int.max, "a whole number ≥ 0"))
    }
    let scenario = Scenario(
      probe: probe, medium: medium, transmit: transmit, phantom: phantom, beamform: beamform, image: image,
      acquisition: acquisition, outputs: outputs, seed: seed)
    try scenario.validate()
    return scenario
  }

  static let probeKeys = [
    "preset", "layout", "elements", "fc_mhz", "pitch_mm", "element_width_mm", "kerf_mm", "bandwidth_percent",
    "radius_mm", "element_height_mm", "elevation_focus_mm",
  ]

  static func parseProbe(_ n: ConfigNode) throws -> Probe {
    let names = Probe.presets.map(\.name).joined(separator: ", ")
    if !n.isPresent { return .l11_5v }
    if case .scalar = n.node! {
      let name = try n.string()
      guard let p = Probe.preset(named: name) else { throw n.error("a preset name (\(names)) or a mapping") }
      return p
    }
    let m = try n.mapping(allowed: probeKeys)
    var p: Probe
    if let pn = m["preset"], pn.isPresent {
      let name = try pn.string()
      guard let preset = Probe.preset(named: name) else { throw pn.error("one of \(names)") }
      p = preset
    } else {
      // A custom probe names everything that has no sensible default.
      for key in ["layout", "elements", "fc_mhz", "pitch_mm", "bandwidth_percent", "element_height_mm"] where m[key] == nil {
        throw ScenarioError(
          field: n.child(key), value: "(missing)", allowed: "a value: a custom probe (no preset) needs \(key)", line: n.line)
      }
      p = Probe(
        name: "custom", layout: .linear, elementCount: 1, centerFrequencyHz: 1e6, pitchMetres: 1e-3,
        elementWidthMetres: 0.9e-3, fractionalBandwidth: 0.7, elementHeightMetres: 5e-3)
    }
    if let v = m["layout"] {
      let s = try v.string()
      guard let l = Probe.Layout(rawValue: s) else { throw v.error("linear, convex or phased") }
      p.layout = l
    }
    if let v = m["elements"] { p.elementCount = try v.integer(in: 1...4096, "a whole number 1…4096") }
    if let v = m["fc_mhz"] { p.centerFrequencyHz = try v.number(in: 0.1...100, "a number 0.1…100") * 1e6 }
    if let v = m["pitch_mm"] {
      let kerf = p.kerfMetres
      p.pitchMetres = try v.number(in: 1e-3...100, "a number > 0") * 1e-3
      if m["element_width_mm"] == nil && m["kerf_mm"] == nil { p.elementWidthMetres = max(p.pitchMetres - kerf, p.pitchMetres * 0.5) }
    }
    if let v = m["element_width_mm"] { p.elementWidthMetres = try v.number(in: 1e-4...100, "a number > 0") * 1e-3 }
    if let v = m["kerf_mm"] {
      let kerf = try v.number(in: 0...100, "a number ≥ 0") * 1e-3
      guard kerf < p.pitchMetres else { throw v.error("less than the pitch (\(p.pitchMetres * 1e3) mm)") }
      p.elementWidthMetres = p.pitchMetres - kerf
    }
    if m["element_width_mm"] == nil && m["kerf_mm"] == nil && m["preset"] == nil { p.elementWidthMetres = p.pitchMetres * 0.9 }
    if let v = m["bandwidth_percent"] { p.fractionalBandwidth = try v.number(in: 5...200, "a number 5…200") / 100 }
    if let v = m["radius_mm"] { p.radiusMetres = try v.number(in: 1...10000, "a number 1…10000") * 1e-3 }
    if let v = m["element_height_mm"] { p.elementHeightMetres = try v.number(in: 0.01...200, "a number 0.01…200") * 1e-3 }
    if let v = m["elevation_focus_mm"] { p.elevationFocusMetres = try v.number(in: 0.1...10000, "a number 0.1…10000") * 1e-3 }
    if p.layout == .convex && !p.radiusMetres.isFinite {
      throw ScenarioError(field: n.child("radius_mm"), value: "(missing)", allowed: "a radius for a convex probe", line: n.line)
    }
    if p.layout != .convex { p.radiusMetres = .infinity }
    if p.name != "custom" && m.keys.contains(where: { $0 != "preset" }) { p.name += " (modified)" }
    if let problem = p.problems.first {
      throw ScenarioError(field: n.child(problem.field), value: problem.value, allowed: problem.allowed, line: n.line)
    }
    return p
  }

  static func parseMedium(_ n: ConfigNode) throws -> HomogeneousMedium {
    let m = try n.mapping(allowed: ["sound_speed_m_s", "attenuation_db_cm_mhz", "attenuation_exponent"])
    var medium = HomogeneousMedium()
    if let v = m["sound_speed_m_s"] { medium.soundSpeedMetresPerSecond = try v.number(in: 300...6000, "a number 300…6000") }
    if let v = m["attenuation_db_cm_mhz"] { medium.attenuationDbPerCmPerMHz = try v.number(in: 0...50, "a number 0…50") }
    if let v = m["attenuation_exponent"] { medium.attenuationExponent = try v.number(in: 0...3, "a number 0…3") }
    return medium
  }

  static func parseTransmit(_ n: ConfigNode, probe: Probe) throws -> TransmitPlan {
    let m = try n.mapping(allowed: ["scheme", "angles_deg", "cycles", "focus_mm", "lines", "tx_f_number", "source_mm"])
    var t = TransmitPlan()
    if let v = m["scheme"] {
      let s = try v.string()
      guard let scheme = TransmitPlan.Scheme(rawValue: s) else {
        throw v.error(TransmitPlan.Scheme.allCases.map(\.rawValue).joined(separator: ", "))
      }
      t.scheme = scheme
    }
    if let v = m["angles_deg"] {
      t.anglesRadians = try v.numbers(count: nil, in: -60...60, "a list of angles in degrees, each in −60…60").map { $0 * .pi / 180 }
    }
    if let v = m["cycles"] { t.cycles = try v.number(in: 0.1...100, "a number of cycles 0.1…100") }
    if let v = m["focus_mm"] {
      if case .sequence = v.node! {
        let p = try v.numbers(count: 2, in: -1000...1000, "[x, z] in mm with z > 0")
        guard p[1] > 0 else { throw v.error("[x, z] in mm with z > 0") }
        t.focus = .point(x: p[0] * 1e-3, z: p[1] * 1e-3)
      } else {
        t.focus = .depth(try v.number(in: 0.1...1000, "a focal depth in mm (0.1…1000) or a point [x, z]") * 1e-3)
      }
    }
    if let v = m["lines"] { t.lines = try v.integer(in: 1...4096, "a whole number of scan lines 1…4096") }
    if let v = m["tx_f_number"] { t.txFNumber = try v.number(in: 0...100, "a number ≥ 0 (0 = the whole array)") }
    if let v = m["source_mm"] { t.sourceDistanceMetres = try v.number(in: 0.1...10000, "a distance in mm 0.1…10000") * 1e-3 }
    return t
  }

  static let regionKeys = [
    "shape", "x_mm", "z_mm", "center_mm", "radius_mm", "semi_axes_mm", "angle_deg", "density_per_mm2",
    "echogenicity_db", "anechoic", "thickness_mm",
  ]

  static func parseScatterers(_ n: ConfigNode, base: URL) throws -> PhantomDescription {
    let m = try n.mapping(allowed: ["points", "file", "regions"])
    var ph = PhantomDescription()
    for p in try (m["points"] ?? ConfigNode(nil, path: "")).list() {
      let pm = try p.mapping(allowed: ["x_mm", "y_mm", "z_mm", "amplitude"])
      guard let x = pm["x_mm"], let z = pm["z_mm"] else { throw p.error("a point with x_mm and z_mm") }
      ph.points.append(
        PointTarget(
          xMetres: try x.number(in: -1000...1000, "a number in mm") * 1e-3,
          yMetres: try pm["y_mm"].map { try $0.number(in: -1000...1000, "a number in mm") }.map { $0 * 1e-3 } ?? 0,
          zMetres: try z.number(in: 0.001...1000, "a depth in mm > 0") * 1e-3,
          amplitude: try pm["amplitude"]?.number("a number") ?? 1))
    }
    if let f = m["file"], f.isPresent {
      let path = try f.string()
      let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
      guard let data = try? Data(contentsOf: url) else { throw f.error("a readable .npy file (looked for \(url.path))") }
      let array: (values: [Double], shape: [Int])
      do { array = try NumpyArray.decode(data) } catch { throw f.error("a float32/float64 .npy array (N, 4): \(error)") }
      guard array.shape.count == 2, array.shape[1] == 4 else {
        throw f.error("an array of shape (N, 4) with columns x_mm, y_mm, z_mm, amplitude", value: "shape \(array.shape)")
      }
      for i in 0..<array.shape[0] {
        let r = Array(array.values[(4 * i)..<(4 * i + 4)])
        guard r.allSatisfy(\.isFinite) else { throw f.error("finite values", value: "row \(i): \(r)") }
        ph.extra.append(xMetres: Float(r[0] * 1e-3), yMetres: Float(r[1] * 1e-3), zMetres: Float(r[2] * 1e-3), amplitude: Float(r[3]))
      }
    }
    for r in try (m["regions"] ?? ConfigNode(nil, path: "")).list() {
      let rm = try r.mapping(allowed: regionKeys)
      guard let shapeNode = rm["shape"] else { throw r.error("a region with a shape (rectangle, disk or ellipse)") }
      let shapeName = try shapeNode.string()
      func need(_ key: String) throws -> ConfigNode {
        guard let v = rm[key] else {
          throw ScenarioError(field: r.child(key), value: "(missing)", allowed: "a value for a \(shapeName)", line: r.line)
        }
        return v
      }
      let shape: RegionShape
      switch shapeName {
      case "rectangle":
        let x = try need("x_mm").range(in: -1000...1000, "[min, max] in mm")
        let z = try need("z_mm").range(in: 0...1000, "[min, max] depth in mm, ≥ 0")
        shape = .rectangle(xMin: x.lowerBound * 1e-3, xMax: x.upperBound * 1e-3, zMin: z.lowerBound * 1e-3, zMax: z.upperBound * 1e-3)
      case "disk":
        let c = try need("center_mm").numbers(count: 2, in: -1000...1000, "[x, z] in mm")
        let rad = try need("radius_mm").number(in: 1e-3...1000, "a radius in mm > 0")
        shape = .disk(x: c[0] * 1e-3, z: c[1] * 1e-3, radius: rad * 1e-3)
      case "ellipse":
        let c = try need("center_mm").numbers(count: 2, in: -1000...1000, "[x, z] in mm")
        let ax = try need("semi_axes_mm").numbers(count: 2, in: 1e-3...1000, "[a, b] in mm, both > 0")
        let ang = try rm["angle_deg"]?.number(in: -360...360, "an angle in degrees") ?? 0
        shape = .ellipse(x: c[0] * 1e-3, z: c[1] * 1e-3, a: ax[0] * 1e-3, b: ax[1] * 1e-3, angle: ang * .pi / 180)
      default:
        throw shapeNode.error("rectangle, disk or ellipse")
      }
      var density = try rm["density_per_mm2"]?.number(in: 0...10000, "a density 0…10000 per mm²") ?? 20
      if let a = rm["anechoic"], try a.bool() { density = 0 }
      ph.regions.append(
        SpeckleRegion(
          shape: shape, densityPerMm2: density,
          echogenicityDb: try rm["echogenicity_db"]?.number(in: -100...100, "a level in dB, −100…100") ?? 0,
          thicknessMetres: (try rm["thickness_mm"]?.number(in: 0...100, "a thickness in mm, 0…100") ?? 0) * 1e-3))
    }
    return ph
  }

  static func parseBeamform(_ n: ConfigNode) throws -> BeamformPlan {
    let m = try n.mapping(allowed: ["f_number", "window"])
    var b = BeamformPlan()
    if let v = m["f_number"] { b.fNumber = try v.number(in: 0...100, "a number ≥ 0 (0 = the whole aperture)") }
    if let v = m["window"] {
      let s = try v.string()
      guard let w = ApodizationWindow(rawValue: s) else { throw v.error("hann, tukey or rectangular") }
      b.window = w
    }
    return b
  }

  static func parseImage(_ n: ConfigNode, probe: Probe, medium: HomogeneousMedium) throws -> ImagePlan {
    let m = try n.mapping(allowed: ["x_mm", "z_mm", "pixel_mm", "dynamic_range_db", "gain_db"])
    var img = defaultImage(probe: probe, medium: medium)
    if let v = m["x_mm"] {
      let r = try v.range(in: -1000...1000, "[min, max] in mm")
      img.xRangeMetres = (r.lowerBound * 1e-3)...(r.upperBound * 1e-3)
    }
    if let v = m["z_mm"] {
      let r = try v.range(in: 0...1000, "[min, max] depth in mm, ≥ 0")
      img.zRangeMetres = (r.lowerBound * 1e-3)...(r.upperBound * 1e-3)
    }
    if let v = m["pixel_mm"] { img.pixelMetres = try v.number(in: 0.001...10, "a pixel size in mm, 0.001…10") * 1e-3 }
    if let v = m["dynamic_range_db"] { img.dynamicRangeDb = try v.number(in: 1...200, "a number of dB, 1…200") }
    if let v = m["gain_db"] { img.gainDb = try v.number(in: -100...100, "a number of dB, −100…100") }
    return img
  }

  /// The image when none is given: the array's width (±40 mm for sector probes) from 1 mm to 40 mm (linear) or
  /// 80 mm (convex, phased), with pixels of λ/2.
  static func defaultImage(probe: Probe, medium: HomogeneousMedium) -> ImagePlan {
    let lambda = probe.wavelength(soundSpeed: medium.soundSpeedMetresPerSecond)
    if probe.layout == .linear {
      let half = probe.apertureMetres / 2
      return ImagePlan(xRangeMetres: -half...half, zRangeMetres: 1e-3...40e-3, pixelMetres: lambda / 2)
    }
    return ImagePlan(xRangeMetres: -40e-3...40e-3, zRangeMetres: 1e-3...80e-3, pixelMetres: lambda / 2)
  }

  static func parseAcquisition(_ n: ConfigNode, probe: Probe, medium: HomogeneousMedium) throws -> AcquisitionPlan {
    let m = try n.mapping(allowed: ["sampling_mhz", "noise_snr_db", "tgc_db_per_cm"])
    var a = AcquisitionPlan(samplingFrequencyHz: 4 * probe.centerFrequencyHz, tgcDbPerCm: 2 * medium.attenuationDbPerCmPerMHz * probe.centerFrequencyHz / 1e6)
    if let v = m["sampling_mhz"] {
      let fsMHz = try v.number(in: 0.2...1000, "a sampling rate in MHz ≥ 2·fc")
      guard fsMHz * 1e6 >= 2 * probe.centerFrequencyHz else { throw v.error("a sampling rate in MHz ≥ 2·fc (\(2 * probe.centerFrequencyHz / 1e6))") }
      a.samplingFrequencyHz = fsMHz * 1e6
    }
    if let v = m["noise_snr_db"], v.isPresent { a.noiseSnrDb = try v.number(in: -40...200, "a signal-to-noise ratio in dB, −40…200") }
    if let v = m["tgc_db_per_cm"], v.isPresent {
      if case let .scalar(s) = v.node!, s.string == "auto" {
      } else if case let .scalar(s) = v.node!, s.string == "off" {
        a.tgcDbPerCm = nil
      } else {
        a.tgcDbPerCm = try v.number(in: 0...100, "auto, off, or a gain in dB/cm 0…100")
      }
    }
    return a
  }

  static func parseOutputs(_ n: ConfigNode) throws -> OutputPlan {
    let m = try n.mapping(allowed: ["rf", "iq"])
    return OutputPlan(rf: try m["rf"]?.bool() ?? false, iq: try m["iq"]?.bool() ?? false)
  }
}
