import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom
import Scenario

/// One exercise before any frame is simulated: the anatomy's parameters, the probe sweep chosen so that the target
/// spends the difficulty's share of the frames in shadow, and the needle's path, all drawn from (seed, index) alone.
///
/// **Sweep.** The probe slides along the view and rocks, linearly over the difficulty's frame count. The planner
/// judges a grid of poses with ``TargetView`` (offsets −40…40 mm by 8, tilts within the difficulty's limit by 5°;
/// poses that hold the target within ±36 mm of the probe's axis, ``holds(_:pose:depthMetres:)``), then draws 24
/// candidate sweeps along the line from a clear view (the least shadow on the grid) to a dark one (85 % in shadow or
/// more, else the most), starting up to 40 % of that line before the first and ending up to 40 % past the second,
/// in either direction. It keeps those that hold the target so in every frame, judges each frame (hidden: half the target or more in
/// shadow) and takes the sweep with the lowest cost: 2 × |hidden frames − wanted| + the frames in the ambiguous band
/// (15–85 % in shadow) + 100 unless at least one frame shows the target and one hides it. This is the first guess:
/// the frames are then simulated and keyed from their images, and the exercise re-planned when they do not teach what
/// their key says (``SweepSearch``, ``resweep(from:to:attempt:)``).
///
/// **Needle.** A straight path from the skin (z = 0, anatomy coordinates) to the target's centre at 25–60°, from
/// either side, that stays below the probe face in every frame. Half the exercises want a path that clears the
/// bone, half one that does not; up to 24 draws look for the wanted kind and the key says which was found. A path
/// through bone ends at the first bone it meets (0.7 mm short of it: the needle stops on the lamina or sacrum). The tip
/// advances from 45 % to 100 % of the path over the frames; the needle is fixed in the patient, so each frame sees it
/// from that frame's pose.
public struct ExercisePlan: Sendable {
  public struct Pose: Sendable, Equatable {
    public var offsetMetres: Double
    public var tiltRadians: Double

    /// The anatomy's parameters that carry this pose (offset and tilt; the rest default): its probe frame
    /// (``Phantom/AnatomyParameters/toProbe(_:)``, ``Phantom/AnatomyParameters/toAnatomy(_:translate:)``).
    var frame: AnatomyParameters {
      var a = AnatomyParameters()
      a.probeOffsetMetres = offsetMetres
      a.probeTiltRadians = tiltRadians
      return a
    }

    /// The pose `u` of the way from this one to `b` (offset and tilt each linearly; u > 1 goes past `b`).
    func towards(_ b: Pose, by u: Double) -> Pose {
      Pose(
        offsetMetres: offsetMetres + (b.offsetMetres - offsetMetres) * u,
        tiltRadians: tiltRadians + (b.tiltRadians - tiltRadians) * u)
    }
  }

  public struct NeedlePath: Sendable {
    public var gauge: Int
    /// Skin entry, end of the path (target centre or bone contact), in anatomy coordinates (metres).
    public var entry: SIMD2<Double>
    public var end: SIMD2<Double>
    /// Whether the straight path from the entry to the target's centre crosses bone.
    public var crossesBone: Bool
  }

  public var index: Int
  public var preset: AnatomyPreset
  public var difficulty: ExerciseDifficulty
  /// The scenarios' seed (speckle, noise), the same for every frame of the exercise: the patient does not change.
  public var seed: UInt64
  /// The anatomy at the neutral pose (offset and tilt 0).
  public var parameters: AnatomyParameters
  public var targetName: String
  /// Target centre in anatomy coordinates (metres).
  public var targetCentre: SIMD2<Double>
  public var poses: [Pose]
  /// The planner's shadow fraction of the target per frame (the key reports the simulated frame's own).
  public var plannedShadowFractions: [Double]
  public var needle: NeedlePath?
  public var imageDepthMetres: Double
  /// Which plan of the exercise this is: 0 for the first, n for the n-th re-plan.
  public var attempt: Int = 0
  /// Whether the sweep was drawn between two simulated frames' poses (``resweep(from:to:attempt:)``) rather than from
  /// the shadow model.
  public var informed = false

  public static let probe = Probe.c5_2v
  public static let pixelMetres = 0.3e-3
  /// How far from the probe's axis the planner lets the target go (m): within ±36 mm, the central part of the sector
  /// where a sonographer centres what they look for (the sector's sides lie ≥ 42 mm out below the skin). Letting the
  /// target go out to 4 mm from the sides was tried: the shadow model then planned facet-joint sweeps that the images
  /// never hid twice (lumbar-transverse-facet, easy, seed 1, exercise 2: none of 6 plans).
  static let targetReachMetres = 36e-3

  /// Half the width of a frame's image: the probe's whole sector (``ImagePlan/FieldOfView/sector``) down to `depth`
  /// below its centre (``SceneFigure/sectorHalfWidthMetres(probe:depthMetres:)``).
  public static func imageHalfWidthMetres(depthMetres depth: Double) -> Double {
    SceneFigure.sectorHalfWidthMetres(probe: probe, depthMetres: depth)
  }

  /// The presets with a target, which exercises can be made of.
  public static let presets: [AnatomyPreset] = AnatomyPreset.allCases.filter {
    !$0.build(AnatomyParameters()).targets.isEmpty
  }

  public struct PlanError: Error, CustomStringConvertible {
    public let description: String
  }

  /// The plan of exercise `index` of a set made with `seed`. A re-plan (`attempt` > 0, when the simulated frames of
  /// an earlier attempt did not teach what their key says, ``ExerciseGenerator``) keeps the
  /// patient (anatomy and scene seed) and draws the sweep and needle from a stream of its own, wanting `hiddenShift`
  /// more frames in shadow than the difficulty's share (fewer when negative).
  public static func make(
    preset: AnatomyPreset, difficulty: ExerciseDifficulty, index: Int, seed: UInt64, needle: Bool, attempt: Int = 0,
    hiddenShift: Int = 0
  ) throws -> ExercisePlan {
    guard presets.contains(preset) else {
      throw PlanError(
        description:
          "preset \(preset.rawValue) has no target to hide; allowed: \(presets.map(\.rawValue).joined(separator: ", "))"
      )
    }
    var rng = RandomSource.derived(seed: seed, purpose: UInt64(index))
    let sceneSeed = rng.next() >> 16
    var p = AnatomyParameters()
    // L1-L2 … L4-L5: at L5-S1 the view runs into the sacrum, which the lumbar presets do not draw.
    let lumbarLevels = AnatomyParameters.levels.filter { $0 != "L5-S1" }
    if preset != .sacralHiatus { p.level = lumbarLevels[Int(rng.next() % UInt64(lumbarLevels.count))] }
    p.fatThicknessMetres =
      rng.uniform(difficulty.fatThicknessMillimetres.lowerBound, difficulty.fatThicknessMillimetres.upperBound) * 1e-3
    p.depthScale = rng.uniform(difficulty.depthScale.lowerBound, difficulty.depthScale.upperBound)
    p.windowScale = difficulty.windowScale
    let anatomy = preset.build(p)
    guard let target = anatomy.targets.first else {
      throw PlanError(description: "preset \(preset.rawValue) has no target")
    }
    let c = target.shape.centroid
    let centre = SIMD2(c.x, c.z)
    let depth = min(100e-3, max(60e-3, ((centre.y + 25e-3) / 5e-3).rounded(.up) * 5e-3))
    let view = TargetView(anatomy: anatomy, probe: probe, aperture: ReceiveAperture())

    if attempt > 0 { rng = RandomSource.derived(seed: seed, purpose: UInt64(index) | UInt64(attempt) << 32) }
    let frames = difficulty.frameCount
    let wanted = min(frames - 2, max(2, Int((difficulty.hiddenShare * Double(frames)).rounded()) + hiddenShift))
    func inImage(_ pose: Pose) -> Bool { holds(centre, pose: pose, depthMetres: depth) }
    // Clear and dark views on a coarse grid of poses (8 mm, 5°): every sweep runs through one of each.
    var gridPoses: [Pose] = []
    let tiltSteps = Int(difficulty.maximumTiltDegrees / 5)
    for i in -5...5 {
      for j in -tiltSteps...tiltSteps {
        let pose = Pose(offsetMetres: Double(i) * 8e-3, tiltRadians: Double(j) * 5 * .pi / 180)
        if inImage(pose) { gridPoses.append(pose) }
      }
    }
    let grid = zip(view.shadowFractions(gridPoses.map { ($0.offsetMetres, $0.tiltRadians) }), gridPoses).map {
      (fraction: $0, pose: $1)
    }
    let least = grid.map(\.fraction).min() ?? 1
    let most = grid.map(\.fraction).max() ?? 0
    let clear = grid.filter { $0.fraction <= least + 0.02 }.map(\.pose)
    let dark = grid.filter { $0.fraction >= min(0.85, most - 0.02) }.map(\.pose)
    // 24 sweeps drawn first (the draws do not depend on what the sweeps show), then judged all at once.
    var sweeps: [[Pose]] = []
    for _ in 0..<(clear.isEmpty || dark.isEmpty ? 0 : 24) {
      let a = clear[Int(rng.next() % UInt64(clear.count))]
      let b = dark[Int(rng.next() % UInt64(dark.count))]
      // From a little before the clear view to a little past the dark one, in either direction.
      let (u0, u1) = (rng.uniform(-0.4, 0), rng.uniform(1, 1.4))
      let reversed = rng.uniform() < 0.5
      let poses = (0..<frames).map { k -> Pose in
        let t = Double(reversed ? frames - 1 - k : k) / Double(frames - 1)
        let u = u0 + (u1 - u0) * t
        return difficulty.clamped(a.towards(b, by: u))
      }
      if poses.allSatisfy(inImage) { sweeps.append(poses) }
    }
    let judged = view.shadowFractions(sweeps.flatMap { $0 }.map { ($0.offsetMetres, $0.tiltRadians) })
    var best: (cost: Double, poses: [Pose], fractions: [Double])?
    for (s, poses) in sweeps.enumerated() {
      let fractions = Array(judged[(s * frames)..<((s + 1) * frames)])
      let hidden = fractions.filter { $0 >= 0.5 }.count
      let ambiguous = fractions.filter { $0 > 0.15 && $0 < 0.85 }.count
      let cost = 2 * Double(abs(hidden - wanted)) + Double(ambiguous) + (hidden == 0 || hidden == frames ? 100 : 0)
      if best == nil || cost < best!.cost { best = (cost, poses, fractions) }
    }
    guard let chosen = best, chosen.cost < 100 else {
      throw PlanError(
        description:
          "\(preset.rawValue), \(difficulty.rawValue), exercise \(index): no sweep of 24 tried both hides and shows the target; try another --seed"
      )
    }
    var path: NeedlePath?
    if needle {
      path = needlePath(
        to: centre, in: anatomy, gauge: difficulty.gauge, wantClear: rng.uniform() < 0.5, poses: chosen.poses, rng: &rng
      )
      guard path != nil else {
        throw PlanError(
          description:
            "\(preset.rawValue), \(difficulty.rawValue), exercise \(index): no needle path of 48 tried stays below the probe face in every frame; try another --seed"
        )
      }
    }
    return ExercisePlan(
      index: index, preset: preset, difficulty: difficulty, seed: sceneSeed, parameters: p, targetName: target.name,
      targetCentre: centre, poses: chosen.poses, plannedShadowFractions: chosen.fractions, needle: path,
      imageDepthMetres: depth, attempt: attempt)
  }

  /// The same patient swept from pose `a` to pose `b` (a re-plan informed by simulated frames: `a` a pose whose frame
  /// showed the target, `b` one whose frame hid it), as attempt `attempt`. The probe lingers at both ends: pose k of n
  /// lies at s(k/(n−1)) of the way, s(t) = 6t⁵ − 15t⁴ + 10t³ (smootherstep: flat at 0 and 1), so the first and the
  /// last two or three frames each give nearly the end's view. The sweep ends a tenth of the way past `b` (within the
  /// difficulty's offsets and tilts), so that a narrow range of hiding poses is crossed rather than only touched. Nil
  /// when a pose would put the target out of the image or no needle path (if any; drawn anew) fits the sweep.
  public func resweep(from a: Pose, to end: Pose, attempt: Int) -> ExercisePlan? {
    let n = poses.count
    let b = difficulty.clamped(end.towards(a, by: -0.1))
    let anatomy = preset.build(parameters)
    let view = TargetView(anatomy: anatomy, probe: Self.probe, aperture: ReceiveAperture())
    let swept = (0..<n).map { k -> Pose in
      let t = Double(k) / Double(n - 1)
      let u = t * t * t * (10 + t * (-15 + 6 * t))
      return a.towards(b, by: u)
    }
    guard swept.allSatisfy({ Self.holds(targetCentre, pose: $0, depthMetres: imageDepthMetres) }) else { return nil }
    var plan = self
    plan.attempt = attempt
    plan.informed = true
    plan.poses = swept
    plan.plannedShadowFractions = view.shadowFractions(swept.map { ($0.offsetMetres, $0.tiltRadians) })
    if let n = needle {
      var rng = RandomSource.derived(seed: seed, purpose: UInt64(index) | UInt64(attempt) << 32)
      guard
        let path = Self.needlePath(
          to: targetCentre, in: anatomy, gauge: n.gauge, wantClear: !n.crossesBone, poses: swept, rng: &rng)
      else { return nil }
      plan.needle = path
    }
    return plan
  }

  /// Whether the image of `pose` holds the target centred at `centre` (anatomy coordinates) where the planner wants
  /// it: within ``targetReachMetres`` of the probe's axis, 5 mm below the skin and 5 mm inside the sector's bottom arc.
  static func holds(_ centre: SIMD2<Double>, pose: Pose, depthMetres depth: Double) -> Bool {
    let q = toProbe(centre, pose)
    let apex = probe.sectorApex
    let r = hypot(q.x - apex.xMetres, q.y - apex.zMetres)
    return abs(q.x) <= targetReachMetres && q.y > 5e-3 && r < depth - apex.zMetres - 5e-3
  }

  /// Anatomy coordinates → the probe frame of `pose` (``AnatomyParameters/toProbe(_:)``).
  public static func toProbe(_ p: SIMD2<Double>, _ pose: Pose) -> SIMD2<Double> { pose.frame.toProbe(p) }

  /// The first point of the segment from `a` to `b` inside bone (0.2 mm steps), or nil.
  static func firstBone(from a: SIMD2<Double>, to b: SIMD2<Double>, in anatomy: Anatomy) -> SIMD2<Double>? {
    guard let bone = anatomy.map.tissues.firstIndex(where: { $0.name == Tissue.corticalBone.name }) else { return nil }
    let length = ((b - a) * (b - a)).sum().squareRoot()
    let steps = max(1, Int(length / 0.2e-3))
    for i in 0...steps {
      let q = a + (b - a) * (Double(i) / Double(steps))
      if anatomy.map.tissueIndex(x: q.x, z: q.y) == bone { return q }
    }
    return nil
  }

  /// The first of 24 draws that fits and is of the wanted kind; failing that, the first fitting one of 24 more (or
  /// the last fitting one of the first 24); nil when none fits. A path fits when, in every frame's probe frame, the tip
  /// lies below the probe face (z > 0.5 mm, as a scenario requires) and the shaft comes down to it from the entry
  /// (insertion angle 0…89°).
  static func needlePath(
    to centre: SIMD2<Double>, in anatomy: Anatomy, gauge: Int, wantClear: Bool, poses: [Pose], rng: inout RandomSource
  ) -> NeedlePath? {
    func fits(_ n: NeedlePath) -> Bool {
      poses.indices.allSatisfy { k in
        let t = toProbe(n.entry + (n.end - n.entry) * tipFraction(frame: k, of: poses.count), poses[k])
        return t.y > 0.5e-3 && Needle.insertion(from: toProbe(n.entry, poses[k]), to: t) != nil
      }
    }
    var path: NeedlePath?
    for attempt in 0..<48 {
      let angle = rng.uniform(25, 60) * .pi / 180
      let side: Double = rng.uniform() < 0.5 ? -1 : 1
      let entry = centre + SIMD2(side * cos(angle), -sin(angle)) * (centre.y / sin(angle))
      let contact = firstBone(from: entry, to: centre, in: anatomy)
      var end = centre
      if let contact {
        let d = (centre - entry) / ((centre - entry) * (centre - entry)).sum().squareRoot()
        end = contact - d * 0.7e-3
      }
      let candidate = NeedlePath(gauge: gauge, entry: entry, end: end, crossesBone: contact != nil)
      guard fits(candidate) else { continue }
      path = candidate
      if attempt >= 24 || candidate.crossesBone != wantClear { break }
    }
    return path
  }

  /// How far along its path the tip is at frame `k` of `frames`: 45 % at the first frame, all the way at the last.
  static func tipFraction(frame k: Int, of frames: Int) -> Double {
    0.45 + 0.55 * Double(k) / Double(max(frames - 1, 1))
  }

  /// The tip in anatomy coordinates at frame `k`: 45 % of the way along the path at the first frame, the end at
  /// the last.
  public func tip(frame k: Int) -> SIMD2<Double>? {
    guard let n = needle else { return nil }
    return n.entry + (n.end - n.entry) * Self.tipFraction(frame: k, of: poses.count)
  }

  /// Whether the tip has reached the bone at frame `k` (a path through bone, last frame).
  public func tipOnBone(frame k: Int) -> Bool { (needle?.crossesBone ?? false) && k == poses.count - 1 }

  static func number(_ v: Double) -> String {
    let s = String(format: "%.3f", v)
    return s == "-0.000" ? "0.000" : s
  }

  /// Frame `k` as the scenario it is simulated from (and written as, ``scenarioYAML(frame:)``): the C5-2v over the
  /// preset at the frame's pose, three diverging waves (−10°, 0°, 10°), the exercise's image (the probe's sector from the
  /// skin down, ``imageHalfWidthMetres(depthMetres:)``) and noise, and the
  /// needle aimed from its entry at the frame's tip. Lengths are rounded to 1 µm and angles to 0.001°
  /// (``rounded(_:)``) and converted as a file's values are (``FileUnit/read(_:)``), so the written file reads
  /// back as this very scenario. (The needle is given by its tip and insertion angle: an angle from `atan2` is not
  /// always a whole number of ulps of degrees times π/180, so a file could not hold it exactly.)
  public func scenario(frame k: Int) throws -> Scenario {
    let pose = poses[k]
    let p = parameters
    func mm(_ v: Double) -> Double { FileUnit.millimetres.read(Self.rounded(v * 1e3)) }
    func angle(_ radians: Double) -> Double { FileUnit.degrees.read(Self.rounded(radians * 180 / .pi)) }
    let anatomy = AnatomyParameters(
      level: p.level, fatThicknessMetres: mm(p.fatThicknessMetres), depthScale: Self.rounded(p.depthScale),
      probeOffsetMetres: mm(pose.offsetMetres), probeTiltRadians: angle(pose.tiltRadians),
      windowScale: Self.rounded(p.windowScale))
    let transmit = TransmitPlan(
      scheme: .diverging, anglesRadians: [-10.0, 0, 10].map(FileUnit.degrees.read))
    let half = Self.imageHalfWidthMetres(depthMetres: imageDepthMetres)
    var image = ImagePlan(
      xRangeMetres: mm(-half)...mm(half), zRangeMetres: 0...mm(imageDepthMetres), pixelMetres: mm(Self.pixelMetres))
    image.fieldOfView = .sector
    var acquisition = AcquisitionPlan(defaultsFor: Self.probe, medium: HomogeneousMedium())
    acquisition.noiseFloorDb = Self.rounded(difficulty.noiseFloorDb)
    var s = Scenario(
      probe: Self.probe, transmit: transmit, scatterers: PhantomDescription(), image: image, acquisition: acquisition,
      seed: seed, phantom: AnatomyPlan(preset: preset, parameters: anatomy))
    if let n = needle, let tip = tip(frame: k) {
      let (t, e) = (Self.toProbe(tip, pose), Self.toProbe(n.entry, pose))
      let length = ((tip - n.entry) * (tip - n.entry)).sum().squareRoot() + 20e-3
      let (tipProbe, entryProbe) = (SIMD2(mm(t.x), mm(t.y)), SIMD2(mm(e.x), mm(e.y)))
      guard let (insertion, side) = Needle.insertion(from: entryProbe, to: tipProbe) else {
        throw PlanError(description: "frame \(k + 1): the needle's entry is not above its tip")
      }
      s.needles = [
        Needle(
          gauge: n.gauge, tipX: tipProbe.x, tipZ: tipProbe.y, insertionAngleRadians: angle(insertion), side: side,
          lengthMetres: mm(length), tip: preset == .lumbarParamedianSagittal ? .tuohy : .quincke)
      ]
    }
    return s
  }

  /// Frame `k` as a scenario file: a comment naming the exercise, frame and pose, then ``scenario(frame:)``.
  public func scenarioYAML(frame k: Int) throws -> String {
    let pose = poses[k]
    let comment =
      "# Exercise \(index + 1), frame \(k + 1) of \(poses.count) (\(preset.rawValue), \(difficulty.rawValue)): probe at "
      + "\(Self.rounded(pose.offsetMetres * 1e3)) mm, tilted \(Self.rounded(pose.tiltRadians * 180 / .pi))°.\n"
    return comment + (try scenario(frame: k).yaml())
  }

  /// `v` to three decimals, as the exercise's files give it (−0 as 0).
  static func rounded(_ v: Double) -> Double { Double(number(v))! }
}
