import ArgumentParser
import Foundation
import Phantom
import Studies

/// `us-sim exercise`: training exercises on targets hidden in bone shadow (probe sweeps, answer key, offline page).
struct Exercise: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Make probe-sweep exercises whose target hides in bone shadow, with an answer key and an offline page.",
    discussion: """
      Writes DIR/index.html (open it in a browser: no network needed), DIR/answer_key.json, and per exercise
      DIR/exercise-NNN/ with its frames and key.json. Rerun the same command to finish an interrupted set.
      """)

  @Option(help: "Anatomy preset with a target: \(ExercisePlan.presets.map(\.rawValue).joined(separator: ", ")).")
  var preset: String

  @Option(help: "Number of exercises.")
  var count: Int = 1

  @Option(help: "easy, medium or hard: depth, habitus, window width, time in shadow, needle gauge, noise.")
  var difficulty: String = "medium"

  @Option(help: "Seed: exercise i depends on (seed, i) only.")
  var seed: UInt64 = 1

  @Flag(help: "A needle advances toward the target over the frames (its path clears the bone or not).")
  var needle = false

  @Option(name: .shortAndLong, help: "Output folder.")
  var out: String

  @Option(help: "Frames simulated at once (default: all cores; outputs do not depend on it).")
  var workers: Int?

  @Flag(name: .shortAndLong, help: "Print nothing but errors.")
  var quiet = false

  func validate() throws {
    guard let p = AnatomyPreset(rawValue: preset), ExercisePlan.presets.contains(p) else {
      throw ValidationError(
        "--preset \(preset): allowed: \(ExercisePlan.presets.map(\.rawValue).joined(separator: ", "))")
    }
    guard ExerciseDifficulty(rawValue: difficulty) != nil else {
      throw ValidationError(
        "--difficulty \(difficulty): allowed: \(ExerciseDifficulty.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if count < 1 || count > 999 { throw ValidationError("--count must be 1…999 (got \(count))") }
    if let workers, workers < 1 { throw ValidationError("--workers must be at least 1 (got \(workers))") }
  }

  func run() throws {
    let generator = ExerciseGenerator(
      preset: AnatomyPreset(rawValue: preset)!, difficulty: ExerciseDifficulty(rawValue: difficulty)!, count: count,
      seed: seed, needle: needle, output: URL(fileURLWithPath: out),
      workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
    let start = Date()
    let bar = quiet ? nil : ProgressBar(label: "exercise")
    let plain = PlainProgress(enabled: !quiet && isatty(2) != 1, label: "exercise", unit: "frames", steps: 20)
    do {
      try generator.run { done, total in
        bar?.update(stage: "exercise", Double(done) / Double(max(total, 1)), detail: "\(done)/\(total) frames")
        plain.update(done, total)
      }
    } catch {
      bar?.finish()
      throw error
    }
    bar?.finish()
    guard !quiet else { return }
    let key =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("answer_key.json"))) as! [String: Any]
    print(
      "us-sim exercise: \(count) \(difficulty) exercise(s) on \(preset) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s"
    )
    for e in key["exercises"] as! [[String: Any]] {
      let frames = e["frames"] as! [[String: Any]]
      func list(_ key: String) -> String {
        let v = (e[key] as! [Int]).map(String.init).joined(separator: ", ")
        return v.isEmpty ? "none" : v
      }
      let best = e["best_frame"].map { "\($0)" } ?? "none"
      var line =
        "  \(e["folder"]!): \(frames.count) frames (plan \(e["plan"]!)), target visible in \(list("visible_frames")), "
        + "hidden in \(list("hidden_frames")), partly hidden in \(list("partly_hidden_frames")); best view: frame \(best)"
      if e["teaches"] as? Bool == false, let levels = e["levels"] as? [String: Double] {
        line += String(
          format:
            "; note: its hidden frames are not clearly darker at the target (echo %.1f dB, image %.1f dB weaker on average; the best of %d plans)",
          levels["echo_margin_db"]!, levels["image_margin_db"]!, ExerciseGenerator.maximumAttempts)
        if let reason = generator.difficulty.knownShortfall(of: generator.preset) { line += "; known: \(reason)" }
      }
      if let n = e["needle"] as? [String: Any] {
        line += (n["path_crosses_bone"] as! Bool) ? "; needle path meets bone" : "; needle path clears the bone"
      }
      print(line)
    }
    print("  open \(out)/index.html; the key is \(out)/answer_key.json")
  }
}
