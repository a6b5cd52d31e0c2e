import Foundation

/// How an exercise is re-planned when its simulated frames did not teach what their key says
/// (``ExerciseKey/Sweep/teaches``), from every frame simulated so far.
///
/// The first plan follows the shadow model
/// (``ExercisePlan/make(preset:difficulty:index:seed:needle:attempt:hiddenShift:)``). A re-plan is informed by the
/// pool of simulated frames: the probe sweeps from the pose of a frame that showed the target to that of one that
/// hid it and is darker there, lingering at both ends (``ExercisePlan/resweep(from:to:attempt:)``) — the untried pair
/// whose target echoes differ most, if by ``ExerciseKey/Sweep/minimumMarginDb`` or more. Without such a pair, or when
/// an informed sweep still missed two frames of a kind (a pose that hides the target can be a narrow one), a new
/// shadow-model sweep of the same patient is drawn, wanting two more frames in shadow when too few hid the target,
/// two fewer when too few showed it; its frames join the pool.
struct SweepSearch {
  typealias Frame = (pose: ExercisePlan.Pose, state: String, echoDb: Double, imageDb: Double)

  let seed: UInt64
  let needle: Bool
  /// Every frame simulated so far, with its pose, call and levels at the target.
  private var pool: [Frame] = []
  /// The (visible pose, hidden pose) pairs swept already.
  private var swept: Set<[Double]> = []
  /// Frames in shadow wanted beyond the difficulty's share by the next shadow-model sweep.
  private var shift = 0
  /// One line per plan tried, for the message when none does.
  private var tried: [String] = []

  init(seed: UInt64, needle: Bool) {
    self.seed = seed
    self.needle = needle
  }

  /// Adds the frames of `plan` (their key entries) to the pool.
  mutating func record(_ plan: ExercisePlan, entries: [[String: Any]], sweep: ExerciseKey.Sweep) {
    tried.append("plan \(plan.attempt + 1): \(sweep.summary)")
    for (k, e) in entries.enumerated() {
      let echo = e["target_echo"] as? [String: Double]
      pool.append(
        (plan.poses[k], e["state"] as! String, echo?["echo_db"] ?? -.infinity, echo?["image_db"] ?? -.infinity))
    }
  }

  /// The plan after `plan`, whose frames keyed as `sweep` did not teach.
  mutating func next(after plan: ExercisePlan, sweep: ExerciseKey.Sweep) throws -> ExercisePlan {
    let attempt = plan.attempt + 1
    let explore = plan.informed && min(sweep.visible, sweep.hidden) < ExerciseKey.Sweep.minimumFrames
    if !explore {
      let shown = pool.filter { $0.state == TargetEcho.State.visible.rawValue }
      let hid = pool.filter { $0.state == TargetEcho.State.hidden.rawValue }
      var pairs: [(Frame, Frame)] = []
      for a in shown {
        for b in hid where a.imageDb >= b.imageDb { pairs.append((a, b)) }
      }
      func gap(_ p: (Frame, Frame)) -> Double { p.0.echoDb - p.1.echoDb }
      pairs.sort { gap($0) > gap($1) }
      for (a, b) in pairs where gap((a, b)) >= ExerciseKey.Sweep.minimumMarginDb {
        let key = [a.pose.offsetMetres, a.pose.tiltRadians, b.pose.offsetMetres, b.pose.tiltRadians]
        guard !swept.contains(key) else { continue }
        swept.insert(key)
        if let p = plan.resweep(from: a.pose, to: b.pose, attempt: attempt) { return p }
      }
    }
    if sweep.hidden < ExerciseKey.Sweep.minimumFrames {
      shift += 2
    } else if sweep.visible < ExerciseKey.Sweep.minimumFrames {
      shift -= 2
    }
    return try ExercisePlan.make(
      preset: plan.preset, difficulty: plan.difficulty, index: plan.index, seed: seed, needle: needle,
      attempt: attempt, hiddenShift: shift)
  }

  /// The error when no plan showed and hid the target in two frames each: every plan's figures, and what to try — the
  /// known reason (``ExerciseDifficulty/knownShortfall(of:)``) or another seed.
  func failure(_ plan: ExercisePlan) -> ExercisePlan.PlanError {
    let advice = plan.difficulty.knownShortfall(of: plan.preset) ?? "try another --seed"
    return ExercisePlan.PlanError(
      description:
        "\(plan.preset.rawValue), \(plan.difficulty.rawValue), exercise \(plan.index + 1): no sweep of \(plan.attempt + 1) planned showed the target in \(ExerciseKey.Sweep.minimumFrames) frames and hid it in as many (\(tried.joined(separator: "; "))); \(advice)"
    )
  }
}
