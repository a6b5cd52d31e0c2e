import Foundation
import Phantom
import Scenario

/// The answer key of an exercise, from its simulated frames: per frame where the target is (mm in the probe's
/// frame, and pixels (column, row) of the frame's image, fractional, row 0 shallowest), the fraction of its pixels
/// in the frame's shadow mask (`mask_shadow.npy`: two-way transmission below −20 dB, ``GroundTruth``), whether it is
/// visible (inside the image and less than half in shadow), the target's own echo against the rest of the image
/// there (``TargetEcho``), and the needle (where it is, and whether the frame shows its tip, measured on the image:
/// ``DatasetLabels/visibility(result:scenario:)``); and the frames that give the best view.
public enum ExerciseKey {
  /// Half the target or more in shadow: the trainee should answer "hidden in shadow".
  public static let hiddenFraction = 0.5
  /// Frames whose shadow fraction is within this of the smallest count as the best view.
  public static let bestViewTolerance = 0.02

  /// The key entry of frame `k` of `plan`, simulated from `scenario` as `result`.
  static func frame(_ k: Int, plan: ExercisePlan, scenario s: Scenario, result r: SimulationResult, image: String)
    -> [String: Any]
  {
    let mm = SimulationOutput.mm
    func pixel(_ p: SIMD2<Double>) -> [Double] { SimulationOutput.pixel(p.x, p.y, r, s) }
    let pose = plan.poses[k]
    let truth = r.groundTruth!
    let targetPixels = truth.target.indices.filter { truth.target[$0] != 0 }
    let shadowed = targetPixels.filter { truth.shadow[$0] != 0 }.count
    let fraction = targetPixels.isEmpty ? 1 : Double(shadowed) / Double(targetPixels.count)
    let centre = ExercisePlan.toProbe(plan.targetCentre, pose)
    let inImage = !targetPixels.isEmpty && r.xAxisMetres.first! <= centre.x && centre.x <= r.xAxisMetres.last!
    var target: [String: Any] = [
      "name": plan.targetName, "centre_mm": [mm(centre.x), mm(centre.y)], "centre_px": pixel(centre),
      "pixels": targetPixels.count, "in_image": inImage,
    ]
    if let shape = r.anatomy?.targets.first?.shape, case .polygon(let v) = shape {
      target["polygon_px"] = v.map(pixel)
    }
    var entry: [String: Any] = [
      "frame": k + 1, "image": image, "width": r.xAxisMetres.count, "height": r.zAxisMetres.count,
      "x_mm": [mm(r.xAxisMetres.first!), mm(r.xAxisMetres.last!)],
      "z_mm": [mm(r.zAxisMetres.first!), mm(r.zAxisMetres.last!)],
      "probe": ["offset_mm": mm(pose.offsetMetres), "tilt_deg": (pose.tiltRadians * 180 / .pi * 1e6).rounded() / 1e6],
      "target": target, "shadow_fraction": (fraction * 1e4).rounded() / 1e4,
      "planned_shadow_fraction": (plan.plannedShadowFractions[k] * 1e4).rounded() / 1e4,
      "in_shadow": fraction >= hiddenFraction, "visible": inImage && fraction < hiddenFraction,
    ]
    if let echo = TargetEcho.measure(scenario: s, result: r) {
      func db(_ x: Double) -> Double { (x * 100).rounded() / 100 }
      entry["target_echo"] = [
        "echo_db": db(echo.echoDb), "clutter_db": db(echo.clutterDb), "image_db": db(echo.imageDb),
        "signal_to_clutter_db": db(echo.signalToClutterDb),
      ]
    }
    if let n = plan.needle, let tip = plan.tip(frame: k) {
      let (t, e) = (ExercisePlan.toProbe(tip, pose), ExercisePlan.toProbe(n.entry, pose))
      entry["needle"] = [
        "gauge": n.gauge, "tip_mm": [mm(t.x), mm(t.y)], "tip_px": pixel(t), "entry_mm": [mm(e.x), mm(e.y)],
        "path_crosses_bone": n.crossesBone, "tip_on_bone": plan.tipOnBone(frame: k),
        "tip_in_image": r.xAxisMetres.first! <= t.x && t.x <= r.xAxisMetres.last! && r.zAxisMetres.first! <= t.y
          && t.y <= r.zAxisMetres.last!,
      ]
      // What the frame shows of it, measured on the frame (docs/metrics.md, "Needle visibility"), never geometry.
      if let seen = DatasetLabels.visibility(result: r, scenario: s).first {
        entry["needle"] = (entry["needle"] as! [String: Any]).merging(seen.keyFields) { a, _ in a }
      }
    }
    return entry
  }

  /// The key of a whole exercise from its frames' entries: the plan, and the best view — the frames with the
  /// target visible and its shadow fraction within ``bestViewTolerance`` of the smallest; of these, the one with the
  /// target nearest the image's centre line is `best_frame`.
  static func exercise(_ plan: ExercisePlan, frames: [[String: Any]], folder: String) -> [String: Any] {
    let mm = SimulationOutput.mm
    let fractions = frames.map { $0["shadow_fraction"] as! Double }
    let visible = frames.indices.filter { frames[$0]["visible"] as! Bool }
    let least = visible.map { fractions[$0] }.min() ?? 1
    let best = visible.filter { fractions[$0] <= least + bestViewTolerance }
    func lateral(_ k: Int) -> Double { abs(((frames[k]["target"] as! [String: Any])["centre_mm"] as! [Double])[0]) }
    let chosen = best.min { lateral($0) < lateral($1) || (lateral($0) == lateral($1) && $0 < $1) }
    let p = plan.parameters
    var out: [String: Any] = [
      "exercise": plan.index + 1, "folder": folder, "preset": plan.preset.rawValue,
      "difficulty": plan.difficulty.rawValue,
      "target": plan.targetName, "probe": ExercisePlan.probe.name, "seed": Int(plan.seed),
      "pixel_mm": mm(ExercisePlan.pixelMetres),
      "anatomy": [
        "level": p.level, "fat_thickness_mm": mm(p.fatThicknessMetres),
        "depth_scale": (p.depthScale * 1e6).rounded() / 1e6,
        "window_scale": p.windowScale,
      ],
      "noise_snr_db": plan.difficulty.noiseSnrDb,
      "frames": frames, "best_frames": best.map { $0 + 1 },
      "hidden_frames": frames.indices.filter { !visible.contains($0) }.map { $0 + 1 },
    ]
    if let k = chosen {
      out["best_frame"] = k + 1
      out["best_probe"] = frames[k]["probe"]
    }
    if let n = plan.needle {
      out["needle"] = ["gauge": n.gauge, "path_crosses_bone": n.crossesBone]
    }
    return out
  }
}
