import ConfigReading
import Foundation
import Phantom

/// The `phantom:` and `needles:` sections and the region shapes written back (``Scenario/yaml()``).
extension Scenario {
  /// Speckle regions' density when a file leaves it out (per mm²).
  static let defaultRegionDensityPerMm2 = 20.0

  /// A shape's keys: `shape` and its coordinates in mm (a band across the width, `layer`, is the rectangle it reads as).
  static func encode(_ shape: RegionShape, field: String) throws -> [String: Any] {
    switch shape {
    case .rectangle(let x0, let x1, let z0, let z1):
      return ["shape": "rectangle", "x_mm": [mm(x0), mm(x1)], "z_mm": [mm(z0), mm(z1)]]
    case .disk(let x, let z, let r):
      return ["shape": "disk", "center_mm": [mm(x), mm(z)], "radius_mm": mm(r)]
    case .ellipse(let x, let z, let a, let b, let angle):
      var e = Entries()
      e.values = ["shape": "ellipse", "center_mm": [mm(x), mm(z)], "semi_axes_mm": [mm(a), mm(b)]]
      e.set("angle_deg", angle, default: 0, unit: .degrees)
      return e.values
    case .polygon(let points):
      return ["shape": "polygon", "points_mm": points.map { [mm($0.x), mm($0.y)] }]
    case .raster:
      throw ScenarioError(
        field: "phantom.label_image", value: "tissues painted from a label image",
        allowed: "shapes (a scenario with a label image is written by copying its file)")
    }
  }

  static func encode(_ plan: AnatomyPlan) throws -> [String: Any] {
    let p = plan.parameters
    let d = AnatomyParameters()
    var e = Entries()
    if plan.preset != .custom { e.values["preset"] = plan.preset.rawValue }
    e.set("level", p.level, default: d.level) { $0 }
    e.set("fat_thickness_mm", p.fatThicknessMetres, default: d.fatThicknessMetres, unit: .millimetres)
    e.set("depth_scale", p.depthScale, default: d.depthScale)
    e.set("window_scale", p.windowScale, default: d.windowScale)
    e.set("probe_offset_mm", p.probeOffsetMetres, default: d.probeOffsetMetres, unit: .millimetres)
    e.set("probe_tilt_deg", p.probeTiltRadians, default: d.probeTiltRadians, unit: .degrees)
    e.set("speckle_density_scale", p.speckleDensityScale, default: d.speckleDensityScale)
    if !p.tissueOverrides.isEmpty {
      e.values["tissues"] = try Dictionary(
        uniqueKeysWithValues: p.tissueOverrides.values.map { t -> (String, Any) in
          guard let base = namedTissues.first(where: { $0.name == t.name }) else {
            throw ScenarioError(
              field: "phantom.tissues", value: t.name, allowed: tissueKeys.joined(separator: ", "))
          }
          return (tissueKey(base), try properties(of: t, over: base, field: "phantom.tissues.\(tissueKey(base))"))
        })
    }
    let defaults = AnatomyPlan(preset: plan.preset)
    e.set("speeds_along_paths", plan.speedsAlongPaths, default: defaults.speedsAlongPaths) { $0 }
    e.set(
      "elevation_thickness_mm", plan.elevationThicknessMetres, default: defaults.elevationThicknessMetres,
      unit: .millimetres)
    if let custom = plan.custom {
      if let b = custom.background { e.values["background"] = try encode(b, field: "phantom.background") }
      // The regions key, even empty, is what makes a preset carry the user's own geometry.
      e.values["regions"] = try custom.patches.map { patch -> [String: Any] in
        var region = try encode(patch.shape, field: "phantom.regions")
        region["tissue"] = try encode(patch.tissue, field: "phantom.regions.tissue")
        return region
      }
    }
    return e.values
  }

  /// A tissue's key in files: its name in lower case with underscores.
  static func tissueKey(_ t: Tissue) -> String { t.name.replacingOccurrences(of: " ", with: "_").lowercased() }

  /// A TISSUE: the name of a named tissue, or `{base, name, …properties}` over the named tissue from which it
  /// differs in the fewest of the properties a file can set (and in nothing else).
  static func encode(_ t: Tissue, field: String) throws -> Any {
    if let named = namedTissues.first(where: { $0 == t }) { return tissueKey(named) }
    let forms = namedTissues.compactMap { base -> [String: Any]? in
      var candidate = base
      candidate.name = t.name
      guard var e = try? properties(of: t, over: candidate, field: field) else { return nil }
      e["base"] = tissueKey(base)
      if t.name != base.name { e["name"] = t.name }
      return e
    }
    guard let fewest = forms.min(by: { $0.count < $1.count }) else {
      throw ScenarioError(
        field: field, value: t.name,
        allowed: "a named tissue with sound speed, density, attenuation, scatterers, amplitude or roughness changed")
    }
    return fewest
  }

  /// The properties (``tissueProperties``) in which `t` differs from `base`; throws when they differ in anything
  /// else (striation, backscatter coefficient), which files cannot set.
  static func properties(of t: Tissue, over base: Tissue, field: String) throws -> [String: Any] {
    var e = Entries()
    e.set("sound_speed_m_s", t.soundSpeedMetresPerSecond, default: base.soundSpeedMetresPerSecond)
    e.set("density_kg_m3", t.densityKgPerCubicMetre, default: base.densityKgPerCubicMetre)
    e.set("attenuation_db_cm_mhz", t.attenuationDbPerCmPerMHz, default: base.attenuationDbPerCmPerMHz)
    e.set("attenuation_exponent", t.attenuationExponent, default: base.attenuationExponent)
    e.set("scatterers_per_mm2", t.scatterersPerSquareMillimetre, default: base.scatterersPerSquareMillimetre)
    e.set("amplitude_std", t.amplitudeStd, default: base.amplitudeStd)
    e.set("roughness_mm", t.surfaceRoughnessMetres, default: base.surfaceRoughnessMetres, unit: .millimetres)
    var settable = base
    settable.soundSpeedMetresPerSecond = t.soundSpeedMetresPerSecond
    settable.densityKgPerCubicMetre = t.densityKgPerCubicMetre
    settable.attenuationDbPerCmPerMHz = t.attenuationDbPerCmPerMHz
    settable.attenuationExponent = t.attenuationExponent
    settable.scatterersPerSquareMillimetre = t.scatterersPerSquareMillimetre
    settable.amplitudeStd = t.amplitudeStd
    settable.surfaceRoughnessMetres = t.surfaceRoughnessMetres
    guard settable == t else {
      throw ScenarioError(
        field: field, value: t.name, allowed: "a tissue that differs from \(base.name) only in the properties files set"
      )
    }
    return e.values
  }

  /// A needle by its tip, insertion angle and side (the form every needle reads back as, whether its file gave an
  /// entry point or a target).
  static func encode(_ n: Needle) -> [String: Any] {
    let d = Needle(gauge: n.gauge, tipX: 0, tipZ: 0, insertionAngleRadians: defaultNeedleAngleRadians)
    var e = Entries()
    e.values = ["gauge": n.gauge, "tip_mm": [mm(n.tipX), mm(n.tipZ)]]
    e.set("angle_deg", n.insertionAngleRadians, default: d.insertionAngleRadians, unit: .degrees)
    e.set("side", n.side, default: d.side, as: \.rawValue)
    e.set("bevel", n.bevel, default: d.bevel, as: \.rawValue)
    e.set("elevation_offset_mm", n.elevationOffsetMetres, default: d.elevationOffsetMetres, unit: .millimetres)
    e.set("tilt_deg", n.tiltRadians, default: d.tiltRadians, unit: .degrees)
    e.set("tip", n.tip, default: d.tip, as: \.rawValue)
    e.set("lumen", n.lumen, default: d.lumen) { $0!.rawValue }
    e.set("length_mm", n.lengthMetres, default: d.lengthMetres, unit: .millimetres)
    switch n.surface {
    case .plain: break
    case .dimpled(let p):
      e.values["surface"] = [
        "dimples": [
          "diameter_um": FileUnit.micrometres.written(p.pit.diameterMetres),
          "depth_um": FileUnit.micrometres.written(p.pit.depthMetres), "per_mm2": p.perSquareMillimetre,
          "from_tip_mm": [mm(p.fromTipMetres.lowerBound), mm(p.fromTipMetres.upperBound)],
        ]
      ]
    case .rough(let r):
      e.values["surface"] = [
        "roughness": [
          "rms_um": FileUnit.micrometres.written(r.rmsHeightMetres),
          "correlation_um": FileUnit.micrometres.written(r.correlationLengthMetres),
        ]
      ]
    case .coated(let c):
      e.values["surface"] = [
        "coating": [
          "bubble_diameter_um": FileUnit.micrometres.written(c.bubble.diameterMetres),
          "shear_modulus_mpa": c.bubble.matrixShearModulusPascals / 1e6, "per_mm2": c.perSquareMillimetre,
          "from_tip_mm": [mm(c.fromTipMetres.lowerBound), mm(c.fromTipMetres.upperBound)],
        ]
      ]
    }
    return e.values
  }

  /// The insertion angle of a needle whose file gives neither `angle_deg` nor `entry_mm`.
  static let defaultNeedleAngleRadians = 30 * Double.pi / 180
}
