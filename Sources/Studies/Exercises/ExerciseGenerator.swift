import Acoustics
import FileFormats
import Foundation
import KernelSupport
import Phantom
import Scenario

/// Makes a set of exercises into `DIR`: `exercise-NNN/frame-KK/` (the frame's `bmode.png`, `envelope.npy`, masks,
/// `labels.json`, `meta.json` and `scenario.yaml`), `exercise-NNN/key.json` and `exercise-NNN/anatomy.png` (the
/// page's picture of where the probe sits, ``ProbeSchematic``) per exercise, then `answer_key.json`
/// (every exercise's key) and the trainee's `index.html`.
///
/// Exercise i depends on (seed, i) only; its frames are simulated one per worker, single-threaded, so the files do
/// not depend on the worker count. An exercise is written into a hidden folder and renamed into place when complete;
/// a rerun of the same command keeps finished exercises, clears leftovers and makes the rest. `exercises.json`
/// records the request, so that a folder is never filled from two different sets.
public struct ExerciseGenerator {
  public var preset: AnatomyPreset
  public var difficulty: ExerciseDifficulty
  public var count: Int
  public var seed: UInt64
  public var needle: Bool
  public var output: URL
  public var workers: Int

  public init(
    preset: AnatomyPreset, difficulty: ExerciseDifficulty, count: Int, seed: UInt64, needle: Bool, output: URL,
    workers: Int
  ) {
    self.preset = preset
    self.difficulty = difficulty
    self.count = count
    self.seed = seed
    self.needle = needle
    self.output = output
    self.workers = max(1, workers)
  }

  public static func folderName(_ index: Int) -> String { String(format: "exercise-%03d", index + 1) }

  var description: [String: Any] {
    [
      "format": "us-sim exercises 1", "preset": preset.rawValue, "difficulty": difficulty.rawValue, "count": count,
      "seed": Int(seed), "needle": needle,
    ]
  }

  /// Checks (or writes) `exercises.json`: an existing one must describe the same set.
  func claimFolder() throws {
    try ResumableWork.claim(output, record: "exercises.json", description: description) { existing in
      let text = String(decoding: existing, as: UTF8.self).split(separator: "\n").joined(separator: " ")
      return ExercisePlan.PlanError(
        description: "\(output.path) holds another set of exercises (\(text)); choose another --out")
    }
  }

  /// Makes the missing exercises, then the answer key and the page. `progress(done, total)` counts frames, those of
  /// exercises already on disk included.
  public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
    try claimFolder()
    let fm = FileManager.default
    for name in (try? fm.contentsOfDirectory(atPath: output.path)) ?? [] where name.hasPrefix(".exercise-") {
      try? fm.removeItem(at: output.appendingPathComponent(name))
    }
    let plans = try (0..<count).map {
      try ExercisePlan.make(preset: preset, difficulty: difficulty, index: $0, seed: seed, needle: needle)
    }
    func finished(_ i: Int) -> Bool {
      fm.fileExists(atPath: output.appendingPathComponent(Self.folderName(i)).appendingPathComponent("key.json").path)
    }
    let total = plans.reduce(0) { $0 + $1.poses.count }
    var done = plans.indices.filter(finished).reduce(0) { $0 + plans[$1].poses.count }
    // Before any work, from the first missing frame: the workers that fit in memory, and the disk space of the rest.
    var budget = self
    if let plan = plans.first(where: { !finished($0.index) }),
      let s = try? plan.scenario(frame: 0)
    {
      let c = s.medium.soundSpeedMetresPerSecond
      let events = s.transmit.events(probe: s.probe, soundSpeed: c, image: s.image).count
      try JobBudget.checkDisk(
        s.outputBytesEstimate(events: events) * 1.5 * Double(total - done), at: output,
        job: "these exercises (\(total - done) frames)")
      budget.workers = JobBudget.workers(workers, perWorkerBytes: s.memoryEstimateBytes(events: events) * 1.5)
    }
    progress?(done, total)
    for plan in plans where !finished(plan.index) {
      let already = done
      let counter = ProgressCounter(
        total: plan.poses.count, report: progress.map { p in { @Sendable d, _ in p(already + d, total) } })
      try budget.make(plan, progress: counter)
      done += plan.poses.count
    }
    var keys: [[String: Any]] = []
    for i in 0..<count {
      let data = try Data(
        contentsOf: output.appendingPathComponent(Self.folderName(i)).appendingPathComponent("key.json"))
      keys.append(try JSONSerialization.jsonObject(with: data) as! [String: Any])
    }
    var all = description
    all["exercises"] = keys
    let json = try JSONSerialization.data(
      withJSONObject: all, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    try AtomicFile.write(json, to: output.appendingPathComponent("answer_key.json"))
    try AtomicFile.write(Data(ExercisePage.html(keyJSON: json).utf8), to: output.appendingPathComponent("index.html"))
  }

  /// Plans an exercise may take: the first and the re-plans.
  public static let maximumAttempts = 6

  /// One exercise: its frames simulated on the workers and keyed from their images, re-planned until the sweep
  /// teaches what its key says (``ExerciseKey/Sweep/teaches``: two frames or more show the target and two hide it,
  /// the target's own echo is 10 dB stronger on average where it shows, and no frame that shows it is darker there
  /// than one that hides it), up to ``maximumAttempts`` plans; then its key, in a hidden folder renamed into place.
  /// When no plan teaches, the best one that still shows the target in two frames and hides it in two is kept
  /// (``ExerciseKey/Sweep/isBetter(than:)``), its key saying `teaches: false` with its levels; when none even does
  /// that, the exercise is refused with every plan's figures.
  ///
  /// Re-plans: ``SweepSearch``.
  func make(_ first: ExercisePlan, progress: ProgressCounter) throws {
    let fm = FileManager.default
    let name = Self.folderName(first.index)
    let temporary = output.appendingPathComponent(".\(name).partial")
    var plan = first
    var search = SweepSearch(seed: seed, needle: needle)
    // The best sweep so far that shows and hides the target in two frames each but does not teach, kept in its own
    // folder in case no plan does.
    let fallback = output.appendingPathComponent(".\(name).fallback")
    var kept: (plan: ExercisePlan, entries: [[String: Any]], sweep: ExerciseKey.Sweep)?
    try? fm.removeItem(at: fallback)
    func finish(_ plan: ExercisePlan, _ entries: [[String: Any]], from folder: URL) throws {
      let key = ExerciseKey.exercise(plan, frames: entries, folder: name)
      let picture = ProbeSchematic.picture(plan.preset.build(plan.parameters), depthMetres: plan.imageDepthMetres)
      try PNGImage.writeRGB(
        picture.rgb, width: picture.width, height: picture.height, to: folder.appendingPathComponent("anatomy.png"))
      let data = try JSONSerialization.data(
        withJSONObject: key, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      try AtomicFile.write(data, to: folder.appendingPathComponent("key.json"))
      let final = output.appendingPathComponent(name)
      try? fm.removeItem(at: final)
      try fm.moveItem(at: folder, to: final)
      try? fm.removeItem(at: temporary)
      try? fm.removeItem(at: fallback)
    }
    while true {
      try? fm.removeItem(at: temporary)
      let entries = try simulateFrames(plan, into: temporary, folder: name, progress: progress)
      let sweep = ExerciseKey.Sweep(frames: entries)
      if sweep.teaches { return try finish(plan, entries, from: temporary) }
      if sweep.showsAndHides, kept.map({ sweep.isBetter(than: $0.sweep) }) ?? true {
        try? fm.removeItem(at: fallback)
        try fm.moveItem(at: temporary, to: fallback)
        kept = (plan, entries, sweep)
      }
      search.record(plan, entries: entries, sweep: sweep)
      do {
        guard plan.attempt + 1 < Self.maximumAttempts else { throw search.failure(plan) }
        plan = try search.next(after: plan, sweep: sweep)
        progress.restart()
      } catch {
        if let kept { return try finish(kept.plan, kept.entries, from: fallback) }
        try? fm.removeItem(at: temporary)
        throw error
      }
    }
  }

  /// The frames of `plan` simulated on the workers, one each, single-threaded, written into `temporary`; their key
  /// entries.
  func simulateFrames(_ plan: ExercisePlan, into temporary: URL, folder name: String, progress: ProgressCounter)
    throws -> [[String: Any]]
  {
    let frames = plan.poses.count
    let entries = EntryBox(count: frames)
    let failure = FailureBox()
    Parallel.forEach(count: frames, threads: workers) { k in
      if failure.error != nil { return }
      do {
        let yaml = try plan.scenarioYAML(frame: k)
        let s = try Scenario.parse(yaml: yaml)
        var result = SimulationPipeline(scenario: s, threads: 1).run()
        let frame = String(format: "frame-%02d", k + 1)
        let dir = temporary.appendingPathComponent(frame)
        try SimulationOutput.write(&result, scenario: s, to: dir, layout: .init(timings: false))
        try AtomicFile.write(Data(yaml.utf8), to: dir.appendingPathComponent("scenario.yaml"))
        entries.set(
          k, ExerciseKey.frame(k, plan: plan, scenario: s, result: result, image: "\(name)/\(frame)/bmode.png"))
        progress.advance()
      } catch {
        failure.set(error)
      }
    }
    if let e = failure.error { throw e }
    return entries.values
  }
}

/// The frames' key entries, filled in by the workers.
final class EntryBox: @unchecked Sendable {
  private var v: [[String: Any]]
  private let lock = NSLock()
  init(count: Int) { v = Array(repeating: [:], count: count) }
  func set(_ k: Int, _ e: [String: Any]) {
    lock.lock()
    defer { lock.unlock() }
    v[k] = e
  }
  var values: [[String: Any]] {
    lock.lock()
    defer { lock.unlock() }
    return v
  }
}
