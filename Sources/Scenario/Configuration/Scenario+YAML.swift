import Acoustics
import Acquisition
import Beamform
import ConfigReading
import FileFormats
import Foundation
import Phantom
import Yams

extension Scenario {
  static let topKeys = [
    "probe", "medium", "phantom", "needles", "transmit", "scatterers", "beamform", "image", "acquisition", "outputs",
    "seed",
    "physics",
  ]

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

    let probe = try ProbeDescription.parse(top["probe"] ?? ConfigNode(nil, path: "probe"))
    let medium = try parseMedium(top["medium"] ?? ConfigNode(nil, path: "medium"))
    let transmit = try parseTransmit(top["transmit"] ?? ConfigNode(nil, path: "transmit"), probe: probe)
    let scatterers = try parseScatterers(top["scatterers"] ?? ConfigNode(nil, path: "scatterers"), base: baseDirectory)
    let beamform = try parseBeamform(top["beamform"] ?? ConfigNode(nil, path: "beamform"))
    let image = try parseImage(top["image"] ?? ConfigNode(nil, path: "image"), probe: probe, medium: medium)
    let acquisition = try parseAcquisition(
      top["acquisition"] ?? ConfigNode(nil, path: "acquisition"), probe: probe, medium: medium)
    let outputs = try parseOutputs(top["outputs"] ?? ConfigNode(nil, path: "outputs"))
    var seed: UInt64 = 7
    if let s = top["seed"], s.isPresent {
      seed = UInt64(try s.integer(in: 0...Int.max, "a whole number ≥ 0"))
    }
    let phantom = try parsePhantom(top["phantom"] ?? ConfigNode(nil, path: "phantom"), base: baseDirectory)
    let needles = try parseNeedles(
      top["needles"] ?? ConfigNode(nil, path: "needles"), anatomy: { phantom.map { $0.build() } })
    var scenario = Scenario(
      probe: probe, medium: medium, transmit: transmit, scatterers: scatterers, beamform: beamform, image: image,
      acquisition: acquisition, outputs: outputs, seed: seed, phantom: phantom, needles: needles)
    scenario.physics = try parsePhysics(top["physics"] ?? ConfigNode(nil, path: "physics"))
    try scenario.validate()
    return scenario
  }

  static func parseMedium(_ n: ConfigNode) throws -> HomogeneousMedium {
    let m = try n.mapping(allowed: ["sound_speed_m_s", "attenuation_db_cm_mhz", "attenuation_exponent"])
    var medium = HomogeneousMedium()
    if let v = m["sound_speed_m_s"] {
      medium.soundSpeedMetresPerSecond = try v.number(in: 300...6000, "a number 300…6000")
    }
    if let v = m["attenuation_db_cm_mhz"] {
      medium.attenuationDbPerCmPerMHz = try v.number(in: 0...50, "a number 0…50")
    }
    if let v = m["attenuation_exponent"] { medium.attenuationExponent = try v.number(in: 0...3, "a number 0…3") }
    return medium
  }

  static func parseTransmit(_ n: ConfigNode, probe: Probe) throws -> TransmitPlan {
    let m = try n.mapping(allowed: [
      "scheme", "angles_deg", "cycles", "focus_mm", "lines", "tx_f_number", "source_mm", "tx_window",
    ])
    var t = TransmitPlan()
    if let v = m["scheme"] { t.scheme = try v.choice(of: TransmitPlan.Scheme.self) }
    if let v = m["angles_deg"] {
      t.anglesRadians = try v.numbers(count: nil, in: -60...60, "a list of angles in degrees, each in −60…60").map {
        $0 * .pi / 180
      }
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
    if let v = m["source_mm"] {
      t.sourceDistanceMetres = try v.number(in: 0.1...10000, "a distance in mm 0.1…10000") * 1e-3
    }
    if let v = m["tx_window"] {
      guard t.scheme != .syntheticAperture else {
        throw v.error(
          "tx_window only with plane_wave, diverging or focused; synthetic_aperture fires one element at a time")
      }
      let s = try v.string()
      guard let w = ApodizationWindow(rawValue: s) else { throw v.error(ApodizationWindow.allowed) }
      t.txWindow = w
    }
    return t
  }

  static func parseBeamform(_ n: ConfigNode) throws -> ReceiveAperture {
    let m = try n.mapping(allowed: ["f_number", "window", "receive_steering"])
    var b = ReceiveAperture()
    if let v = m["f_number"] {
      b.fNumber = try v.number(in: ReceiveAperture.fNumberRange, ReceiveAperture.fNumberAllowed)
    }
    if let v = m["window"] {
      let s = try v.string()
      guard let w = ApodizationWindow(rawValue: s) else { throw v.error(ApodizationWindow.allowed) }
      b.window = w
    }
    if let v = m["receive_steering"] { b.steered = try v.bool() }
    return b
  }

  static func parseImage(_ n: ConfigNode, probe: Probe, medium: HomogeneousMedium) throws -> ImagePlan {
    let m = try n.mapping(allowed: ["x_mm", "z_mm", "pixel_mm", "dynamic_range_db", "gain_db", "field_of_view"])
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
    if let v = m["dynamic_range_db"] {
      img.dynamicRangeDb = try v.number(in: LogCompression.dynamicRangeDbRange, LogCompression.dynamicRangeAllowed)
    }
    if let v = m["gain_db"] { img.gainDb = try v.number(in: LogCompression.gainDbRange, LogCompression.gainAllowed) }
    if let v = m["field_of_view"] {
      let allowed = ImagePlan.FieldOfView.allCases.map(\.rawValue).joined(separator: " | ")
      guard let f = ImagePlan.FieldOfView(rawValue: try v.string()) else { throw v.error(allowed) }
      guard f == .rectangle || probe.layout != .linear else {
        throw v.error("rectangle with a linear probe (a sector needs a convex or phased probe)")
      }
      img.fieldOfView = f
    }
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
    let m = try n.mapping(allowed: ["sampling_mhz", "noise_snr_db", "noise_floor_db", "tgc_db_per_cm", "exact"])
    var a = AcquisitionPlan(defaultsFor: probe, medium: medium)
    if let v = m["sampling_mhz"] {
      let fsMHz = try v.number(in: 0.2...1000, "a sampling rate in MHz ≥ 2·fc")
      guard fsMHz * 1e6 >= 2 * probe.centerFrequencyHz else {
        throw v.error("a sampling rate in MHz ≥ 2·fc (\(2 * probe.centerFrequencyHz / 1e6))")
      }
      a.samplingFrequencyHz = fsMHz * 1e6
    }
    if let v = m["noise_snr_db"], v.isPresent {
      a.noiseSnrDb = try v.number(in: -40...200, "a signal-to-noise ratio in dB, −40…200")
    }
    if let v = m["noise_floor_db"], v.isPresent {
      let allowed = "a noise level in dB relative to a perfect mirror's echo at 10 mm, −200…0, without noise_snr_db"
      a.noiseFloorDb = try v.number(in: -200...0, allowed)
      if a.noiseSnrDb != nil { throw v.error(allowed) }
    }
    if let v = m["tgc_db_per_cm"], v.isPresent {
      if case .scalar(let s) = v.node!, s.string == "auto" {
        a.tgcFollowsTissues = true
      } else if case .scalar(let s) = v.node!, s.string == "off" {
        a.tgcDbPerCm = nil
      } else {
        a.tgcDbPerCm = try v.number(in: 0...100, "auto, off, or a gain in dB/cm 0…100")
      }
    }
    if let v = m["exact"] { a.exact = try v.bool() }
    return a
  }

  static func parseOutputs(_ n: ConfigNode) throws -> OutputPlan {
    let m = try n.mapping(allowed: ["rf", "iq", "channel_data"])
    return OutputPlan(
      rf: try m["rf"]?.bool() ?? false, iq: try m["iq"]?.bool() ?? false,
      channelData: try m["channel_data"].map { try $0.choice(of: ChannelDataFormat.self) })
  }
}
