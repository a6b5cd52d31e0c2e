import Acoustics
import Acquisition
import Beamform
import ConfigReading
import Foundation
import Phantom

/// A scenario written back as a scenario file: the inverse of ``Scenario/parse(yaml:baseDirectory:)``.
///
/// Each section holds the values that differ from what the parser fills in when the key is left out (the defaults,
/// including those derived from other sections: λ/2 pixels, sampling at 4·fc, the medium's TGC), in the file's
/// units (mm, MHz, degrees, percent), each written with the digits that make the parser's conversion give back the
/// very same double (``FileUnit/written(_:)``). So a scenario read from a file, or built from values in those units,
/// reads back as itself: `parse(yaml(s)) == s`. A value that no number in the file's unit converts to exactly
/// (degrees × π/180 skips some doubles, so an insertion angle from `atan2` may be one) reads back within an ulp, and
/// writing that again gives the same text.
///
/// Two things a file refers to cannot be written back without the file: scatterers read from a `.npy` file
/// (`scatterers.file`) and tissues painted from a label image (`phantom.label_image`); encoding throws for them.
extension Scenario {
  /// The scenario as a scenario file.
  public func yaml() throws -> String { try YAMLWriter.text(yamlTree()) }

  /// The scenario as a tree of YAML values, keyed as scenario files are.
  public func yamlTree() throws -> [String: Any] {
    var tree: [String: Any] = ["probe": try Self.encode(probe), "seed": Int(seed)]
    func section(_ key: String, _ values: [String: Any]) { if !values.isEmpty { tree[key] = values } }
    section("medium", Self.encode(medium))
    section("transmit", Self.encode(transmit))
    section("scatterers", try Self.encode(scatterers))
    section("beamform", Self.encode(beamform))
    section("image", Self.encode(image, default: Self.defaultImage(probe: probe, medium: medium)))
    section("acquisition", Self.encode(acquisition, default: AcquisitionPlan(defaultsFor: probe, medium: medium)))
    section("outputs", Self.encode(outputs))
    section("physics", Self.encode(physics))
    if let phantom { tree["phantom"] = try Self.encode(phantom) }
    if !needles.isEmpty { tree["needles"] = needles.map(Self.encode) }
    return tree
  }

  /// A mapping being written: `set` keeps a value only when it differs from what the parser would fill in.
  struct Entries {
    var values: [String: Any] = [:]
    mutating func set<T: Equatable>(_ key: String, _ value: T, default d: T, as written: (T) -> Any) {
      if value != d { values[key] = written(value) }
    }
    mutating func set(_ key: String, _ value: Double, default d: Double, unit: FileUnit = .plain) {
      set(key, value, default: d, as: unit.written)
    }
  }

  /// Lengths (m) as a file's millimetres.
  static func mm(_ x: Double) -> YAMLWriter.Number { FileUnit.millimetres.written(x) }
  static func mm(_ r: ClosedRange<Double>) -> [YAMLWriter.Number] { [mm(r.lowerBound), mm(r.upperBound)] }

  /// A preset's name when `p` is that preset; `{preset, …}` with the fields that differ when it is a modified
  /// preset; every field when it is a custom probe.
  static func encode(_ p: Probe) throws -> Any {
    if let preset = Probe.preset(named: p.name), preset == p { return p.name }
    let suffix = " (modified)"
    var e = Entries()
    let base: Probe
    if p.name.hasSuffix(suffix), let preset = Probe.preset(named: String(p.name.dropLast(suffix.count))) {
      base = preset
      e.values["preset"] = preset.name
      // A modified preset keeps its "(modified)" name only with a key besides `preset`.
      e.values["fc_mhz"] = p.centerFrequencyHz / 1e6
    } else if p.name == "custom" {
      // A custom probe names every field but the radius of a flat array and the lens.
      base = Probe(
        name: "custom", layout: .linear, elementCount: 0, centerFrequencyHz: 0, pitchMetres: 0, elementWidthMetres: 0,
        fractionalBandwidth: 0, elementHeightMetres: 0)
      e.values["layout"] = p.layout.rawValue
    } else {
      throw ScenarioError(
        field: "probe", value: p.name, allowed: "a preset, a modified preset or a custom probe, as files give them")
    }
    e.set("layout", p.layout, default: base.layout, as: \.rawValue)
    e.set("elements", p.elementCount, default: base.elementCount) { $0 }
    e.set("fc_mhz", p.centerFrequencyHz, default: base.centerFrequencyHz, unit: .megahertz)
    e.set("pitch_mm", p.pitchMetres, default: base.pitchMetres, unit: .millimetres)
    // The parser derives the width from a new pitch unless given, so a new pitch takes its width along: as the kerf
    // when that reads back as this width (a file that gave the kerf), else as the width.
    if p.elementWidthMetres != base.elementWidthMetres || p.pitchMetres != base.pitchMetres {
      let kerf = YAMLWriter.fifteenDigits(FileUnit.millimetres.inFile(p.pitchMetres - p.elementWidthMetres))
      if p.pitchMetres - FileUnit.millimetres.read(kerf) == p.elementWidthMetres {
        e.values["kerf_mm"] = kerf
      } else {
        e.values["element_width_mm"] = mm(p.elementWidthMetres)
      }
    }
    e.set("bandwidth_percent", p.fractionalBandwidth, default: base.fractionalBandwidth, unit: .percent)
    if p.layout == .convex, p.radiusMetres != base.radiusMetres || base.layout != .convex {
      e.values["radius_mm"] = mm(p.radiusMetres)
    }
    e.set("element_height_mm", p.elementHeightMetres, default: base.elementHeightMetres, unit: .millimetres)
    if p.elevationFocusMetres != base.elevationFocusMetres {
      guard p.elevationFocusMetres.isFinite else {
        throw ScenarioError(
          field: "probe.elevation_focus_mm", value: "none (no lens)",
          allowed: "a focal distance: a file cannot remove a preset's lens")
      }
      e.values["elevation_focus_mm"] = mm(p.elevationFocusMetres)
    }
    return e.values
  }

  static func encode(_ m: HomogeneousMedium) -> [String: Any] {
    let d = HomogeneousMedium()
    var e = Entries()
    e.set("sound_speed_m_s", m.soundSpeedMetresPerSecond, default: d.soundSpeedMetresPerSecond)
    e.set("attenuation_db_cm_mhz", m.attenuationDbPerCmPerMHz, default: d.attenuationDbPerCmPerMHz)
    e.set("attenuation_exponent", m.attenuationExponent, default: d.attenuationExponent)
    return e.values
  }

  static func encode(_ t: TransmitPlan) -> [String: Any] {
    let d = TransmitPlan()
    var e = Entries()
    e.set("scheme", t.scheme, default: d.scheme, as: \.rawValue)
    e.set("angles_deg", t.anglesRadians, default: d.anglesRadians) { $0.map(FileUnit.degrees.written) }
    e.set("cycles", t.cycles, default: d.cycles)
    e.set("focus_mm", t.focus, default: d.focus) { focus in
      switch focus {
      case .depth(let z): return mm(z)
      case .point(let x, let z): return [mm(x), mm(z)]
      }
    }
    e.set("lines", t.lines, default: d.lines) { $0! }
    e.set("tx_f_number", t.txFNumber, default: d.txFNumber)
    e.set("source_mm", t.sourceDistanceMetres, default: d.sourceDistanceMetres) { mm($0!) }
    e.set("tx_window", t.txWindow, default: d.txWindow, as: \.rawValue)
    return e.values
  }

  static func encode(_ b: ReceiveAperture) -> [String: Any] {
    let d = ReceiveAperture()
    var e = Entries()
    e.set("f_number", b.fNumber, default: d.fNumber)
    e.set("window", b.window, default: d.window, as: \.rawValue)
    if b.steered != d.steered { e.values["receive_steering"] = b.steered }
    return e.values
  }

  static func encode(_ i: ImagePlan, default d: ImagePlan) -> [String: Any] {
    var e = Entries()
    e.set("x_mm", i.xRangeMetres, default: d.xRangeMetres, as: mm)
    e.set("z_mm", i.zRangeMetres, default: d.zRangeMetres, as: mm)
    e.set("pixel_mm", i.pixelMetres, default: d.pixelMetres, unit: .millimetres)
    e.set("dynamic_range_db", i.dynamicRangeDb, default: d.dynamicRangeDb)
    e.set("gain_db", i.gainDb, default: d.gainDb)
    e.set("field_of_view", i.fieldOfView, default: d.fieldOfView, as: \.rawValue)
    return e.values
  }

  static func encode(_ a: AcquisitionPlan, default d: AcquisitionPlan) -> [String: Any] {
    var e = Entries()
    e.set("sampling_mhz", a.samplingFrequencyHz, default: d.samplingFrequencyHz, unit: .megahertz)
    e.set("noise_snr_db", a.noiseSnrDb, default: d.noiseSnrDb) { $0! }
    e.set("noise_floor_db", a.noiseFloorDb, default: d.noiseFloorDb) { $0! }
    if a.tgcFollowsTissues {
      e.values["tgc_db_per_cm"] = "auto"
    } else {
      e.set("tgc_db_per_cm", a.tgcDbPerCm, default: d.tgcDbPerCm) { $0.map { $0 as Any } ?? "off" }
    }
    if a.exact != d.exact { e.values["exact"] = a.exact }
    return e.values
  }

  static func encode(_ o: OutputPlan) -> [String: Any] {
    let d = OutputPlan()
    var e = Entries()
    e.set("rf", o.rf, default: d.rf) { $0 }
    e.set("iq", o.iq, default: d.iq) { $0 }
    e.set("channel_data", o.channelData, default: d.channelData) { $0!.rawValue }
    return e.values
  }

  static func encode(_ p: PhysicsPlan) -> [String: Any] {
    let d = PhysicsPlan()
    var e = Entries()
    e.set("probe_response", p.probeResponse, default: d.probeResponse, as: \.rawValue)
    e.set("elevation_dispersion", p.elevationDispersion, default: d.elevationDispersion) { $0 }
    e.set("interfaces_at_incidence", p.interfacesAtIncidence, default: d.interfacesAtIncidence) { $0 }
    e.set("calibration", p.calibration, default: d.calibration, as: \.rawValue)
    e.set("needle_shadow", p.needleShadow, default: d.needleShadow) { $0 }
    return e.values
  }

  /// Point targets and speckle regions (`scatterers:`).
  static func encode(_ s: PhantomDescription) throws -> [String: Any] {
    guard s.extra.count == 0 else {
      throw ScenarioError(
        field: "scatterers.file", value: "\(s.extra.count) scatterers read from a file",
        allowed: "points and regions (a scenario with scatterers from a file is written by copying its file)")
    }
    var out: [String: Any] = [:]
    if !s.points.isEmpty {
      out["points"] = s.points.map { p -> [String: Any] in
        var e = Entries()
        e.values["x_mm"] = mm(p.xMetres)
        e.values["z_mm"] = mm(p.zMetres)
        e.set("y_mm", p.yMetres, default: 0, unit: .millimetres)
        e.set("amplitude", p.amplitude, default: 1)
        return e.values
      }
    }
    if !s.regions.isEmpty {
      out["regions"] = try s.regions.map { r -> [String: Any] in
        var e = Entries()
        e.values = try encode(r.shape, field: "scatterers.regions")
        e.set("density_per_mm2", r.densityPerMm2, default: defaultRegionDensityPerMm2)
        e.set("echogenicity_db", r.echogenicityDb, default: 0)
        e.set("thickness_mm", r.thicknessMetres, default: 0, unit: .millimetres)
        return e.values
      }
    }
    return out
  }
}
