import Foundation
import Phantom
import Scenario

/// The answer key of an exercise, from its simulated frames: per frame where the target is (mm in the probe's
/// frame, and pixels (column, row) of the frame's image, fractional, row 0 shallowest), what the frame shows of it —
/// `state` visible, partly hidden or hidden, measured on the frame's image from the target's own echo against the
/// clutter and the noise floor there (``TargetEcho``) — the fraction of its pixels in the frame's shadow mask
/// (`mask_shadow.npy`: two-way transmission below −20 dB, ``GroundTruth``; reported as the reason, never the call),
/// and the needle (where it is, and whether the frame shows its tip, measured on the image:
/// ``DatasetLabels/visibility(result:scenario:)``); and the frame that gives the best view: of the visible frames, the
/// one whose target stands highest over its clutter. For the page: the sector's outline in pixels (`sector_px`), and
/// the probe's face and sector over the anatomy's picture (``ProbeSchematic``).
public enum ExerciseKey {
  /// Half the target or more in shadow: the frame's `in_shadow`, the geometric reason beside the image's call.
  public static let hiddenFraction = 0.5
  /// Visible frames whose target signal-to-clutter is within this of the highest (dB) are accepted as the best view.
  public static let bestViewToleranceDb = 1.0

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
      "probe": ProbeSchematic.frameEntry(probe: s.probe, pose: pose, depthMetres: plan.imageDepthMetres).merging([
        "offset_mm": mm(pose.offsetMetres), "tilt_deg": (pose.tiltRadians * 180 / .pi * 1e6).rounded() / 1e6,
      ]) { a, _ in a },
      "sector_px": ProbeSchematic.sectorOutline(probe: s.probe, depthMetres: plan.imageDepthMetres).map(pixel),
      "target": target, "shadow_fraction": (fraction * 1e4).rounded() / 1e4,
      "planned_shadow_fraction": (plan.plannedShadowFractions[k] * 1e4).rounded() / 1e4,
      "in_shadow": fraction >= hiddenFraction,
    ]
    let echo = inImage ? TargetEcho.measure(scenario: s, result: r) : nil
    let state = echo?.state ?? .hidden
    entry["state"] = state.rawValue
    entry["visible"] = state == .visible
    if let echo {
      func db(_ x: Double) -> Double { (x * 100).rounded() / 100 }
      var fields = [
        "echo_db": db(echo.echoDb), "clutter_db": db(echo.clutterDb), "image_db": db(echo.imageDb),
        "signal_to_clutter_db": db(echo.signalToClutterDb),
      ]
      if let noise = echo.noiseDb {
        fields["noise_db"] = db(noise)
        fields["over_noise_db"] = db(echo.overNoiseDb)
      }
      entry["target_echo"] = fields
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

  /// What the image key says of a sweep as a whole (from its frames' entries): how many frames show the target and
  /// how many hide it; the mean level of the target's own echo (``TargetEcho/echoDb``) in the visible frames over that
  /// in the hidden ones (`echoMarginDb`) and the weakest visible frame's over the strongest hidden one's
  /// (`echoOrderDb`); and the darkest visible frame's image level at the target over the brightest hidden one's
  /// (`imageOrderDb`; negative when a frame keyed visible is darker at the target than one keyed hidden), with the
  /// mean image margin (`imageMarginDb`) reported beside them.
  public struct Sweep: Sendable {
    public var visible: Int
    public var hidden: Int
    public var echoMarginDb: Double
    public var echoOrderDb: Double
    public var imageMarginDb: Double
    public var imageOrderDb: Double

    /// Frames that must show the target, and hide it; the echo's mean margin a sweep must keep (dB).
    public static let minimumFrames = 2
    public static let minimumMarginDb = 10.0

    /// The target is shown and hidden often enough; what shows it is its own echo, 10 dB stronger on average in the
    /// frames keyed visible than in those keyed hidden and stronger in each; and no frame keyed visible is darker at
    /// the target than one keyed hidden: a sweep that teaches what it keys.
    public var teaches: Bool {
      showsAndHides && echoMarginDb >= Self.minimumMarginDb && echoOrderDb >= 0 && imageOrderDb >= 0
    }

    /// Two frames or more show the target and as many hide it: what every exercise must have.
    public var showsAndHides: Bool { visible >= Self.minimumFrames && hidden >= Self.minimumFrames }

    /// Of two sweeps that show and hide the target but do not teach: the one whose darkest visible frame is brighter
    /// at the target, relative to the brightest hidden one (then the wider echo margin).
    public func isBetter(than other: Sweep) -> Bool {
      (imageOrderDb, echoMarginDb) > (other.imageOrderDb, other.echoMarginDb)
    }

    /// From the levels (dB) at the target of the frames keyed visible and hidden: (own echo, image) per frame.
    public init(visible v: [(echoDb: Double, imageDb: Double)], hidden h: [(echoDb: Double, imageDb: Double)]) {
      visible = v.count
      hidden = h.count
      func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(x.count, 1)) }
      let both = !v.isEmpty && !h.isEmpty
      echoMarginDb = both ? mean(v.map(\.echoDb)) - mean(h.map(\.echoDb)) : -.infinity
      echoOrderDb = both ? v.map(\.echoDb).min()! - h.map(\.echoDb).max()! : -.infinity
      imageMarginDb = both ? mean(v.map(\.imageDb)) - mean(h.map(\.imageDb)) : -.infinity
      imageOrderDb = both ? v.map(\.imageDb).min()! - h.map(\.imageDb).max()! : -.infinity
    }

    public init(frames: [[String: Any]]) {
      func levels(_ state: TargetEcho.State) -> [(echoDb: Double, imageDb: Double)] {
        frames.filter { $0["state"] as! String == state.rawValue }.map {
          let echo = $0["target_echo"] as? [String: Double]
          return (echo?["echo_db"] ?? -.infinity, echo?["image_db"] ?? -.infinity)
        }
      }
      self.init(visible: levels(.visible), hidden: levels(.hidden))
    }

    /// One line for messages and notes.
    public var summary: String {
      String(
        format: "%d visible, %d hidden; echo margin %.1f dB, order %.1f dB; image margin %.1f dB, order %.1f dB",
        visible, hidden, echoMarginDb, echoOrderDb, imageMarginDb, imageOrderDb)
    }
  }

  /// The key of a whole exercise from its frames' entries: the plan, the frames by state, and the best view — of the
  /// visible frames, `best_frame` has the highest target signal-to-clutter and `best_frames` are those within
  /// ``bestViewToleranceDb`` of it (a trainee's pick among them is right).
  static func exercise(_ plan: ExercisePlan, frames: [[String: Any]], folder: String) -> [String: Any] {
    let mm = SimulationOutput.mm
    func numbers(_ state: TargetEcho.State) -> [Int] {
      frames.indices.filter { frames[$0]["state"] as! String == state.rawValue }
    }
    func contrast(_ k: Int) -> Double {
      (frames[k]["target_echo"] as! [String: Double])["signal_to_clutter_db"]!
    }
    let visible = numbers(.visible)
    let chosen = visible.max { contrast($0) < contrast($1) || (contrast($0) == contrast($1) && $0 > $1) }
    let best = chosen.map { c in visible.filter { contrast($0) >= contrast(c) - bestViewToleranceDb } } ?? []
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
      "noise_floor_db": plan.difficulty.noiseFloorDb,
      "anatomy_picture": ProbeSchematic.entry(image: "\(folder)/anatomy.png", depthMetres: plan.imageDepthMetres)
        .merging(["target_mm": [mm(plan.targetCentre.x), mm(plan.targetCentre.y)]]) { a, _ in a },
      "frames": frames, "best_frames": best.map { $0 + 1 }, "visible_frames": visible.map { $0 + 1 },
      "partly_hidden_frames": numbers(.partlyHidden).map { $0 + 1 },
      "hidden_frames": numbers(.hidden).map { $0 + 1 },
      "plan": plan.attempt + 1,
    ]
    let sweep = Sweep(frames: frames)
    func db(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    out["teaches"] = sweep.teaches
    out["levels"] = [
      "echo_margin_db": db(sweep.echoMarginDb), "echo_order_db": db(sweep.echoOrderDb),
      "image_margin_db": db(sweep.imageMarginDb), "image_order_db": db(sweep.imageOrderDb),
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
