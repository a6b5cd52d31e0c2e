import ConfigReading
import Foundation
import Phantom

extension Scenario {
  /// `phantom: {preset: NAME, level, fat_thickness_mm, depth_scale, window_scale, probe_offset_mm, probe_tilt_deg,
  /// speeds_along_paths, elevation_thickness_mm, speckle_density_scale, tissues: {NAME: {…}}, background: TISSUE,
  /// regions: [{shape, …, tissue: TISSUE}, …]}`; without a preset, `background` and `regions` make the whole
  /// phantom (``Phantom/CustomTissues``). A TISSUE is a name (skin, fat, …) or `{base: NAME, name, …properties}`.
  static func parsePhantom(_ n: ConfigNode, base: URL) throws -> AnatomyPlan? {
    guard n.isPresent else { return nil }
    let m = try n.mapping(allowed: [
      "preset", "level", "fat_thickness_mm", "depth_scale", "window_scale", "probe_offset_mm", "probe_tilt_deg",
      "speeds_along_paths",
      "elevation_thickness_mm", "speckle_density_scale", "tissues", "background", "regions", "label_image",
    ])
    let own = m["background"] != nil || m["regions"] != nil || m["label_image"] != nil
    let preset: AnatomyPreset
    if let presetNode = m["preset"] {
      preset = try presetNode.choice(of: AnatomyPreset.self)
    } else if own {
      preset = .custom
    } else {
      throw ScenarioError(
        field: n.child("preset"), value: "(missing)",
        allowed: AnatomyPreset.allCases.map(\.rawValue).joined(separator: ", ") + ", or background and regions")
    }
    var plan = AnatomyPlan(preset: preset)
    if own {
      var custom = CustomTissues()
      if let b = m["background"] { custom.background = try parseTissue(b) }
      if preset == .custom, custom.background == nil { custom.background = .gel }
      if let li = m["label_image"] { custom.patches += try parseLabelImage(li, base: base) }
      for r in try (m["regions"] ?? ConfigNode(nil, path: "")).list() {
        let rm = try r.mapping(allowed: [
          "shape", "x_mm", "z_mm", "center_mm", "radius_mm", "semi_axes_mm", "angle_deg", "points_mm", "tissue",
        ])
        let shape = try parseShape(r, rm, allowed: ["rectangle", "layer", "disk", "ellipse", "polygon"])
        guard let t = rm["tissue"] else {
          throw ScenarioError(
            field: r.child("tissue"), value: "(missing)", allowed: "a tissue name or {base: NAME, …}", line: r.line)
        }
        custom.patches.append(CustomTissues.Patch(shape: shape, tissue: try parseTissue(t)))
      }
      plan.custom = custom
    }
    var p = AnatomyParameters()
    if let v = m["level"] {
      let level = try v.string()
      guard AnatomyParameters.levels.contains(level) else {
        throw v.error(AnatomyParameters.levels.joined(separator: ", "))
      }
      p.level = level
    }
    if let v = m["fat_thickness_mm"] {
      p.fatThicknessMetres = try v.number(in: 0...80, "a thickness in mm, 0…80") * 1e-3
    }
    if let v = m["depth_scale"] { p.depthScale = try v.number(in: 0.5...2, "a scale factor 0.5…2") }
    if let v = m["window_scale"] {
      p.windowScale = try v.number(in: 0.5...2, "a scale factor 0.5…2 of the preset's acoustic window")
    }
    if let v = m["probe_offset_mm"] {
      p.probeOffsetMetres = try v.number(in: -60...60, "an offset in mm, −60…60") * 1e-3
    }
    if let v = m["probe_tilt_deg"] {
      p.probeTiltRadians = try v.number(in: -30...30, "a tilt in degrees, −30…30") * .pi / 180
    }
    if let v = m["speeds_along_paths"] { plan.speedsAlongPaths = try v.bool() }
    if let v = m["elevation_thickness_mm"] {
      plan.elevationThicknessMetres = try v.number(in: 0...30, "a thickness in mm, 0…30") * 1e-3
    }
    if let v = m["tissues"] { p.tissueOverrides = try parseTissues(v) }
    if let v = m["speckle_density_scale"] {
      p.speckleDensityScale = try v.number(in: 1...100, "a factor 1…100 on every tissue's scatterer density")
    }
    plan.parameters = p
    return plan
  }

  /// The tissues of the presets, by name, for overrides.
  static let namedTissues: [Tissue] = [
    .skin, .fat, .muscle, .ligament, .connective, .softTissue, .csf, .corticalBone, .gel,
  ]

  /// `label_image: {file: F.npy, pixel_mm, origin_mm: [x, z], classes: {INDEX: TISSUE, …}}`: a 2-D array of class
  /// indices (rows along depth; uint8, int16 or int32, or whole numbers in a float array), pixel (0, 0) centred at
  /// `origin_mm` (default: the image centred on the probe's axis, its top row's edge at the skin). Each listed class
  /// becomes a region of its pixels (``Phantom/ClassMask``) with its tissue, in the order of the indices; pixels of
  /// unlisted classes show what lies under the image.
  static func parseLabelImage(_ n: ConfigNode, base: URL) throws -> [CustomTissues.Patch] {
    let m = try n.mapping(allowed: ["file", "pixel_mm", "origin_mm", "classes"])
    guard let f = m["file"], f.isPresent else {
      throw ScenarioError(
        field: n.child("file"), value: "(missing)", allowed: "a .npy file of class indices", line: n.line)
    }
    guard let pixelNode = m["pixel_mm"] else {
      throw ScenarioError(
        field: n.child("pixel_mm"), value: "(missing)", allowed: "a pixel size in mm, 0.001…10", line: n.line)
    }
    let pixel = try pixelNode.number(in: 0.001...10, "a pixel size in mm, 0.001…10") * 1e-3
    let array = try readNumpy(f, base: base, expected: "a 2-D .npy array of class indices")
    guard array.shape.count == 2, array.shape.allSatisfy({ $0 >= 1 && $0 <= 8192 }) else {
      throw f.error("a 2-D array of class indices, rows × columns, each 1…8192", value: "shape \(array.shape)")
    }
    let (rows, columns) = (array.shape[0], array.shape[1])
    if let bad = array.values.firstIndex(where: { !$0.isFinite || $0 != $0.rounded() || abs($0) > 1e9 }) {
      throw f.error(
        "whole class indices", value: "\(array.values[bad]) at row \(bad / columns), column \(bad % columns)")
    }
    var origin = SIMD2(-Double(columns - 1) / 2 * pixel, pixel / 2)
    if let o = m["origin_mm"] {
      let v = try o.numbers(count: 2, in: -1000...1000, "[x, z] in mm of the centre of pixel (0, 0)")
      origin = SIMD2(v[0], v[1]) * 1e-3
    }
    guard let classesNode = m["classes"] else {
      throw ScenarioError(
        field: n.child("classes"), value: "(missing)", allowed: "a mapping of class index → tissue", line: n.line)
    }
    var patches: [(Int, CustomTissues.Patch)] = []
    for (key, value) in try classesNode.entries("a mapping of class index → tissue") {
      guard let index = Int(key) else {
        throw ScenarioError(field: value.path, value: key, allowed: "a whole class index", line: value.line)
      }
      let mask = ClassMask(
        rows: rows, columns: columns, pixelMetres: pixel, originMetres: origin,
        inside: array.values.map { Int($0) == index })
      patches.append((index, CustomTissues.Patch(shape: .raster(mask), tissue: try parseTissue(value))))
    }
    return patches.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// The keys of `namedTissues`: lower case, underscores for spaces.
  static var tissueKeys: [String] { namedTissues.map { $0.name.replacingOccurrences(of: " ", with: "_").lowercased() } }

  /// A TISSUE: a name of ``namedTissues``, or `{base: NAME (default soft_tissue), name: TEXT, …properties}`.
  static func parseTissue(_ n: ConfigNode) throws -> Tissue {
    let names = tissueKeys
    if case .scalar = n.node {
      return namedTissues[names.firstIndex(of: try n.choice(among: names))!]
    }
    let m = try n.mapping(allowed: ["base", "name"] + tissueProperties)
    var t = Tissue.softTissue
    if let b = m["base"] { t = namedTissues[names.firstIndex(of: try b.choice(among: names))!] }
    if let v = m["name"] { t.name = try v.string(allowed: "a name for the tissue") }
    return try applyProperties(m, to: t)
  }

  static let tissueProperties = [
    "sound_speed_m_s", "density_kg_m3", "attenuation_db_cm_mhz", "attenuation_exponent", "scatterers_per_mm2",
    "amplitude_std", "roughness_mm",
  ]

  static func parseTissues(_ n: ConfigNode) throws -> [String: Tissue] {
    let names = tissueKeys
    let entries = try n.mapping(allowed: names)
    var out: [String: Tissue] = [:]
    for (key, v) in entries {
      let t = try applyProperties(v.mapping(allowed: tissueProperties), to: namedTissues[names.firstIndex(of: key)!])
      out[t.name] = t
    }
    return out
  }

  /// `t` with the properties of `m` (keys of ``tissueProperties``) applied.
  static func applyProperties(_ m: [String: ConfigNode], to tissue: Tissue) throws -> Tissue {
    var t = tissue
    if let x = m["sound_speed_m_s"] { t.soundSpeedMetresPerSecond = try x.number(in: 300...6000, "a number 300…6000") }
    if let x = m["density_kg_m3"] { t.densityKgPerCubicMetre = try x.number(in: 100...20000, "a number 100…20000") }
    if let x = m["attenuation_db_cm_mhz"] { t.attenuationDbPerCmPerMHz = try x.number(in: 0...50, "a number 0…50") }
    if let x = m["attenuation_exponent"] { t.attenuationExponent = try x.number(in: 0...3, "a number 0…3") }
    if let x = m["scatterers_per_mm2"] {
      t.scatterersPerSquareMillimetre = try x.number(in: 0...1000, "a density 0…1000")
    }
    if let x = m["amplitude_std"] { t.amplitudeStd = try x.number(in: 0...100, "a relative amplitude 0…100") }
    if let x = m["roughness_mm"] {
      t.surfaceRoughnessMetres = try x.number(in: 0...2, "an RMS surface height in mm, 0…2") * 1e-3
    }
    return t
  }

  /// `needles: [{gauge, tip_mm: [x, z] | target: NAME, angle_deg, side | entry_mm: [x, z], elevation_offset_mm,
  /// tilt_deg, tip, bevel, length_mm, lumen}, …]`. The tip is placed at `tip_mm` or at the centre of the anatomy's named
  /// target; the direction comes from `angle_deg` and `side`, or from an entry point `entry_mm` on the way in.
  static func parseNeedles(_ n: ConfigNode, anatomy build: () -> Anatomy?) throws -> [Needle] {
    var built: Anatomy??
    // The anatomy is built only when a needle names a target.
    func anatomy() -> Anatomy? {
      if built == nil { built = .some(build()) }
      return built!
    }
    guard n.isPresent else { return [] }
    return try n.list().map { v in
      let m = try v.mapping(allowed: [
        "gauge", "tip_mm", "target", "entry_mm", "angle_deg", "side", "elevation_offset_mm", "tilt_deg", "tip", "bevel",
        "length_mm", "lumen", "surface",
      ])
      guard let g = m["gauge"] else {
        throw ScenarioError(field: v.child("gauge"), value: "(missing)", allowed: "a gauge 17…27")
      }
      let tip: (x: Double, z: Double)
      switch (m["tip_mm"], m["target"]) {
      case (let t?, nil):
        let p = try t.numbers(count: 2, in: -500...500, "[x, z] in mm with z > 0")
        guard p[1] > 0 else { throw t.error("[x, z] in mm with z > 0") }
        tip = (p[0] * 1e-3, p[1] * 1e-3)
      case (nil, let t?):
        let targets = anatomy()?.targets ?? []
        let name = try t.string()
        guard let target = targets.first(where: { $0.name == name }) else {
          let names = targets.map(\.name)
          throw t.error(
            names.isEmpty
              ? "a target of a phantom preset (this scenario has no phantom)" : names.joined(separator: ", "))
        }
        tip = target.shape.centroid
      default:
        throw ScenarioError(
          field: v.child("tip_mm"), value: m["tip_mm"] == nil ? "(missing)" : "given with target",
          allowed: "the tip as tip_mm: [x, z], or target: NAME (one of the two)", line: v.line)
      }
      var needle = Needle(
        gauge: try g.integer(in: 17...27, "a gauge 17…27"), tipX: tip.x, tipZ: tip.z,
        insertionAngleRadians: defaultNeedleAngleRadians)
      if let e = m["entry_mm"] {
        if m["angle_deg"] != nil || m["side"] != nil {
          throw e.error("entry_mm alone, or angle_deg and side (the entry point sets both)")
        }
        let p = try e.numbers(count: 2, in: -500...500, "[x, z] in mm")
        guard let (angle, side) = Needle.insertion(from: SIMD2(p[0] * 1e-3, p[1] * 1e-3), to: SIMD2(tip.x, tip.z))
        else {
          throw e.error("a point above the tip and to one side of it (insertion angle 0…89°)")
        }
        needle.insertionAngleRadians = angle
        needle.side = side
      }
      if let x = m["angle_deg"] {
        needle.insertionAngleRadians = try x.number(in: 0...89, "an angle in degrees, 0…89") * .pi / 180
      }
      if let x = m["side"] { needle.side = try x.choice(of: Needle.Side.self) }
      if let x = m["bevel"] { needle.bevel = try x.choice(of: Needle.Bevel.self) }
      if let x = m["elevation_offset_mm"] {
        needle.elevationOffsetMetres = try x.number(in: -50...50, "mm, −50…50") * 1e-3
      }
      if let x = m["tilt_deg"] { needle.tiltRadians = try x.number(in: -45...45, "degrees, −45…45") * .pi / 180 }
      if let x = m["tip"] { needle.tip = try x.choice(of: Needle.TipType.self) }
      if let x = m["lumen"] { needle.lumen = try x.choice(of: Needle.Lumen.self) }
      if let x = m["length_mm"] { needle.lengthMetres = try x.number(in: 10...300, "a length in mm, 10…300") * 1e-3 }
      if let x = m["surface"] { needle.surface = try parseNeedleSurface(x) }
      return needle
    }
  }

  /// A needle's `surface`: `plain`; `{dimples: {diameter_um, depth_um, per_mm2, from_tip_mm: [near, far]}}`, an
  /// echogenic pattern of pits; or `{coating: {bubble_diameter_um, shear_modulus_mpa, per_mm2, from_tip_mm}}`, a
  /// polymer coating holding gas bubbles in a matrix of that shear modulus; or `{roughness: {rms_um, correlation_um}}`,
  /// a rough shaft. The file states the geometry (makers do not publish it; ``Phantom/NeedleSurface``).
  static func parseNeedleSurface(_ x: ConfigNode) throws -> NeedleSurface {
    let form =
      "plain, {dimples: {diameter_um, depth_um, per_mm2, from_tip_mm: [near, far]}}, "
      + "{coating: {bubble_diameter_um, shear_modulus_mpa, per_mm2, from_tip_mm: [near, far]}} "
      + "or {roughness: {rms_um, correlation_um}}"
    if case .scalar = x.node {
      guard try x.string(allowed: form) == "plain" else { throw x.error(form) }
      return .plain
    }
    let m = try x.mapping(allowed: ["dimples", "coating", "roughness"])
    guard m.count == 1 else { throw x.error(form) }
    if let d = m["dimples"] {
      let dm = try finishKeys(d, ["diameter_um", "depth_um", "per_mm2", "from_tip_mm"], of: "the dimples'")
      let diameter = FileUnit.micrometres.read(try dm["diameter_um"]!.number(in: 1...1000, "a diameter in µm, 1…1000"))
      let depthNode = dm["depth_um"]!
      let depth = FileUnit.micrometres.read(try depthNode.number(in: 0.1...500, "a depth in µm, 0.1…500"))
      guard depth <= diameter / 2 else {
        throw depthNode.error("a depth in µm up to half the diameter (a hemispherical pit at most)")
      }
      let density = try dm["per_mm2"]!.number(in: 0.01...1000, "dimples per mm², 0.01…1000")
      return .dimpled(
        DimplePattern(
          SurfacePit(diameterMetres: diameter, depthMetres: depth), perSquareMillimetre: density,
          fromTipMetres: try fromTip(dm["from_tip_mm"]!)))
    }
    if let r = m["roughness"] {
      let rm = try finishKeys(r, ["rms_um", "correlation_um"], of: "the roughness's")
      // Small heights and slopes, where first-order perturbation holds (``Phantom/SurfaceRoughness``): kσ ≤ 0.3 up to
      // 15 MHz, σ/ℓ ≤ 0.3.
      let rms = try rm["rms_um"]!.number(in: 0.01...5, "an RMS height in µm, 0.01…5")
      let lengthNode = rm["correlation_um"]!
      let length = try lengthNode.number(in: 1...500, "a correlation length in µm, 1…500")
      guard rms <= 0.3 * length else {
        throw lengthNode.error("a correlation length in µm at least 3.3 × the RMS height (slopes up to 0.3)")
      }
      return .rough(
        SurfaceRoughness(
          rmsHeightMetres: FileUnit.micrometres.read(rms), correlationLengthMetres: FileUnit.micrometres.read(length)))
    }
    guard let c = m["coating"] else { throw x.error(form) }
    let cm = try finishKeys(
      c, ["bubble_diameter_um", "shear_modulus_mpa", "per_mm2", "from_tip_mm"], of: "the coating's")
    // The range ``Phantom/CoatingBubble`` is checked over against the exact modal solution (bubbles up to 4 µm across
    // at every shear modulus here, 10 µm up to 1 MPa).
    let diameter = try cm["bubble_diameter_um"]!.number(in: 1...10, "a bubble diameter in µm, 1…10")
    let shear = try cm["shear_modulus_mpa"]!.number(in: 0...10, "the coating's shear modulus in MPa, 0…10")
    let densityNode = cm["per_mm2"]!
    let density = try densityNode.number(in: 0.01...10_000, "bubbles per mm², 0.01…10000")
    // Bubbles are single scatterers (``Phantom/CoatingBubble``), which holds for a dilute layer: their cross-sections
    // may take at most a tenth of the surface.
    let most = 0.1 / (Double.pi * diameter * diameter / 4 * 1e-6)
    guard density <= most else {
      throw densityNode.error(
        String(
          format: "at most %.0f bubbles per mm² of %g µm (a tenth of the surface: a dilute layer of single scatterers)",
          most,
          diameter))
    }
    return .coated(
      BubbleCoating(
        CoatingBubble(
          diameterMetres: FileUnit.micrometres.read(diameter), matrixShearModulusPascals: shear * 1e6),
        perSquareMillimetre: density, fromTipMetres: try fromTip(cm["from_tip_mm"]!)))
  }

  /// The mapping of an echogenic finish, with every one of `keys` present.
  private static func finishKeys(_ d: ConfigNode, _ keys: [String], of what: String) throws -> [String: ConfigNode] {
    let dm = try d.mapping(allowed: keys)
    for key in keys where dm[key] == nil {
      throw ScenarioError(
        field: d.child(key), value: "(missing)", allowed: "\(what) \(keys.joined(separator: ", "))", line: d.line)
    }
    return dm
  }

  /// A finish's `from_tip_mm: [near, far]` (m).
  private static func fromTip(_ x: ConfigNode) throws -> ClosedRange<Double> {
    let band = try x.range(in: 0...300, "[near, far] distances from the tip in mm, 0…300")
    return FileUnit.millimetres.read(band.lowerBound)...FileUnit.millimetres.read(band.upperBound)
  }
}
