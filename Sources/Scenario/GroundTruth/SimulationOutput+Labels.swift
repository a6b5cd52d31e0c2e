import Acoustics
import FileFormats
import Foundation
import Phantom

extension SimulationOutput {
  /// Writes `labels.json` and the masks (`tissue_labels.npy`, `mask_needle.npy`, `mask_tip.npy`, `mask_bone.npy`,
  /// `mask_shadow.npy`, `mask_target.npy`: uint8, (nz, nx), the grid of `envelope.npy`).
  static func writeGroundTruth(_ r: SimulationResult, scenario s: Scenario, to dir: URL) throws {
    guard let truth = r.groundTruth else { return }
    let shape = [truth.rows, truth.columns]
    let files: [(String, [UInt8])] = [
      ("tissue_labels", truth.tissueLabels), ("mask_needle", truth.needle), ("mask_tip", truth.tip),
      ("mask_bone", truth.bone), ("mask_shadow", truth.shadow), ("mask_target", truth.target),
    ]
    for (name, values) in files {
      try AtomicFile.write(
        NumpyArray.encode(uint8: values, shape: shape), to: dir.appendingPathComponent("\(name).npy"))
    }
    let json = try JSONSerialization.data(
      withJSONObject: labels(r, scenario: s), options: [.prettyPrinted, .sortedKeys])
    try AtomicFile.write(json, to: dir.appendingPathComponent("labels.json"))
  }

  /// The content of `labels.json`: needles (mm and pixels), bone surfaces, targets, the tissue classes and the
  /// scene's parameters. Pixels are (column, row) on the output grid, fractional.
  static func labels(_ r: SimulationResult, scenario s: Scenario) -> [String: Any] {
    let x0 = r.xAxisMetres.first ?? 0
    let z0 = r.zAxisMetres.first ?? 0
    let px = s.image.pixelMetres
    var out: [String: Any] = [
      "needles": needleLabels(r, scenario: s),
      "tissue_classes": Dictionary(
        uniqueKeysWithValues: (r.groundTruth?.classNames ?? []).enumerated().map { (String($0.offset), $0.element) }),
      "shadow_threshold_db": GroundTruth.shadowThresholdDb,
      "grid": [
        "x_mm": [mm(x0), mm(r.xAxisMetres.last ?? 0)], "z_mm": [mm(z0), mm(r.zAxisMetres.last ?? 0)],
        "pixel_mm": mm(px),
      ],
    ]
    if let a = r.anatomy, let plan = s.phantom {
      out["bone"] = a.boneSurfaces.map {
        ["name": $0.name, "points_mm": $0.points.map { [mm($0.x), mm($0.y)] }] as [String: Any]
      }
      out["targets"] = a.targets.map { t -> [String: Any] in
        var d: [String: Any] = ["name": t.name]
        if case .polygon(let v) = t.shape {
          d["polygon_mm"] = v.map { [mm($0.x), mm($0.y)] }
          let c = v.reduce(SIMD2<Double>(), +) / Double(v.count)
          d["centre_mm"] = [mm(c.x), mm(c.y)]
          d["centre_px"] = pixel(c.x, c.y, r, s)
        }
        return d
      }
      out["landmarks"] = a.landmarks.map { ["name": $0.name, "x_mm": mm($0.x), "z_mm": mm($0.z)] as [String: Any] }
      out["phantom"] = anatomyDescription(plan)
    } else {
      out["bone"] = [Any]()
      out["targets"] = [Any]()
    }
    return out
  }

  /// (x, z) in metres as a fractional pixel position (column, row) of the output grid, to 10⁻³ pixel.
  public static func pixel(_ x: Double, _ z: Double, _ r: SimulationResult, _ s: Scenario) -> [Double] {
    let px = s.image.pixelMetres
    let column = (x - (r.xAxisMetres.first ?? 0)) / px
    let row = (z - (r.zAxisMetres.first ?? 0)) / px
    return [(column * 1e3).rounded() / 1e3, (row * 1e3).rounded() / 1e3]
  }

  /// Each needle's geometry in mm, and its tip and entry point in pixels (column, row) of the output grid.
  static func needleLabels(_ r: SimulationResult, scenario s: Scenario) -> [[String: Any]] {
    return s.needles.map { n in
      let entry = n.entryPoint
      return [
        "gauge": n.gauge, "outer_diameter_mm": mm(n.outerDiameterMetres),
        "inner_diameter_mm": mm(n.innerDiameterMetres),
        "angle_deg": n.insertionAngleRadians * 180 / .pi, "side": n.side.rawValue, "tip": n.tip.rawValue,
        "bevel": n.bevel.rawValue, "surface": n.surface.name,
        "length_mm": mm(n.lengthMetres), "elevation_offset_mm": mm(n.elevationOffsetMetres),
        "tilt_deg": n.tiltRadians * 180 / .pi,
        "tip_mm": [mm(n.tipX), mm(n.tipZ)], "entry_mm": [mm(entry.x), mm(entry.z)],
        "tip_px": pixel(n.tipX, n.tipZ, r, s), "entry_px": pixel(entry.x, entry.z, r, s),
      ]
    }
  }

  static func anatomyDescription(_ plan: AnatomyPlan) -> [String: Any] {
    let p = plan.parameters
    func describe(_ t: Tissue) -> [String: Any] {
      [
        "sound_speed_m_s": t.soundSpeedMetresPerSecond, "density_kg_m3": t.densityKgPerCubicMetre,
        "attenuation_db_cm_mhz": t.attenuationDbPerCmPerMHz, "attenuation_exponent": t.attenuationExponent,
        "scatterers_per_mm2": t.scatterersPerSquareMillimetre, "amplitude_std": t.amplitudeStd,
        "roughness_mm": mm(t.surfaceRoughnessMetres),
      ]
    }
    return [
      "preset": plan.preset.rawValue, "level": p.level, "fat_thickness_mm": mm(p.fatThicknessMetres),
      "depth_scale": p.depthScale, "window_scale": p.windowScale, "probe_offset_mm": mm(p.probeOffsetMetres),
      "probe_tilt_deg": p.probeTiltRadians * 180 / .pi,
      "speeds_along_paths": plan.speedsAlongPaths, "elevation_thickness_mm": mm(plan.elevationThicknessMetres),
      "speckle_density_scale": p.speckleDensityScale,
      "tissue_overrides": p.tissueOverrides.mapValues(describe),
      "background": plan.custom?.background.map { ["name": $0.name].merging(describe($0)) { a, _ in a } } ?? NSNull(),
      "regions": (plan.custom?.patches ?? []).map {
        ["tissue": $0.tissue.name].merging(describe($0.tissue)) { a, _ in a }
      },
    ]
  }
}
