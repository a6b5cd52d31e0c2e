import ArgumentParser
import Foundation
import Studies

/// `us-sim dataset`: labelled synthetic B-mode datasets for machine learning (generate, merge shards, inspect).
struct Dataset: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Make a randomised, labelled B-mode dataset (COCO annotations, masks, manifest).",
    subcommands: [Generate.self, Merge.self, Inspect.self],
    defaultSubcommand: Generate.self)

  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make samples 0 ..< count (or one shard's share); rerun the same command to resume.")

    @Argument(help: "Dataset configuration (YAML: scene template with distributions, outputs).")
    var config: String

    @Option(help: "Number of samples in the whole dataset.")
    var count: Int

    @Option(help: "Dataset seed: sample i depends on (seed, i) only.")
    var seed: UInt64 = 1

    @Option(name: .shortAndLong, help: "Output folder (shards may share it).")
    var out: String

    @Option(
      help: "I/K: make the samples i with i mod K = I. K alone: I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.")
    var shard: String?

    @Option(help: "Samples at once (default: all cores; outputs do not depend on it).")
    var workers: Int?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
      if count < 1 { throw ValidationError("--count must be at least 1 (got \(count))") }
      if let workers, workers < 1 { throw ValidationError("--workers must be at least 1 (got \(workers))") }
      _ = try shardIndex()
    }

    /// (I, K) from `--shard`, the scheduler's environment, or (0, 1).
    func shardIndex() throws -> (index: Int, count: Int) {
      guard let shard else { return (0, 1) }
      let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
      let env = ProcessInfo.processInfo.environment
      let index: Int
      let k: Int
      if parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) {
        (index, k) = (i, n)
      } else if parts.count == 1, let n = Int(parts[0]) {
        guard let text = env["SLURM_ARRAY_TASK_ID"] ?? env["JOB_COMPLETION_INDEX"], let i = Int(text) else {
          throw ValidationError(
            "--shard \(shard): with K alone the index comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set to a number"
          )
        }
        (index, k) = (i, n)
      } else {
        throw ValidationError("--shard \(shard): expected I/K (such as 0/4) or K")
      }
      guard k >= 1, index >= 0, index < k else {
        throw ValidationError("--shard \(shard): the shard index must be 0 … K−1 (got \(index) of \(k))")
      }
      return (index, k)
    }

    func run() throws {
      let dataset: DatasetConfig
      do {
        dataset = try DatasetConfig.load(contentsOf: URL(fileURLWithPath: config))
      } catch let e as DatasetConfig.DatasetError {
        throw ValidationError("\(config): \(e.description)")
      }
      let shard = try shardIndex()
      let generator = DatasetGenerator(
        config: dataset, output: URL(fileURLWithPath: out), count: count, seed: seed, shard: shard,
        workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
      let start = Date()
      let bar = quiet ? nil : ProgressBar(label: "dataset")
      let plain = PlainProgress(enabled: !quiet && isatty(2) != 1, label: "dataset", unit: "samples", steps: 100)
      let first = FirstCount()
      let complete: Bool
      do {
        complete = try generator.run { done, total in
          let made = done - first.value(done)
          let rate = Double(made) / max(Date().timeIntervalSince(start), 1e-3)
          bar?.update(
            stage: "dataset", Double(done) / Double(max(total, 1)), detail: String(format: "%.1f samples/s", rate))
          plain.update(done, total)
        }
      } catch let e as DatasetConfig.DatasetError {
        bar?.finish()
        throw ValidationError(e.description)
      }
      bar?.finish()
      if !quiet {
        let n = generator.indices.count
        let s = Date().timeIntervalSince(start)
        let part = shard.count > 1 ? "shard \(shard.index)/\(shard.count): " : ""
        print("us-sim dataset: \(part)\(n) samples on disk, made in \(String(format: "%.1f", s)) s")
        print(
          complete
            ? "  wrote \(out)/manifest.jsonl, annotations.json and samples/"
            : "  other shards' samples are still missing: run them, then `us-sim dataset merge \(out)`")
      }
    }
  }

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Join shard folders into one dataset: one manifest.jsonl and one annotations.json.")

    @Argument(help: "The dataset folder (shards' samples are moved into it).")
    var folder: String

    @Argument(help: "Shard folders to join into it (none: the shards wrote into the folder itself).")
    var shards: [String] = []

    func run() throws {
      do {
        let n = try DatasetIndex.merge(
          into: URL(fileURLWithPath: folder), from: shards.map { URL(fileURLWithPath: $0) })
        print("us-sim dataset merge: \(n) samples; wrote \(folder)/manifest.jsonl and annotations.json")
      } catch let e as DatasetConfig.DatasetError {
        throw ValidationError(e.description)
      }
    }
  }

  struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print counts, parameter histograms and label statistics; write a contact sheet with labels drawn on.")

    @Argument(help: "A dataset folder.")
    var folder: String

    @Option(help: "Samples on the contact sheet.")
    var samples: Int = 16

    @Option(help: "Seed of the random pick of samples.")
    var seed: UInt64 = 0

    @Option(help: "Contact sheet PNG (default: FOLDER/contact-sheet.png).")
    var sheet: String?

    func run() throws {
      do {
        let inspection = try DatasetInspection(folder: URL(fileURLWithPath: folder))
        print(inspection.report())
        let url = URL(fileURLWithPath: sheet ?? "\(folder)/contact-sheet.png")
        let shown = try inspection.contactSheet(count: samples, seed: seed, to: url)
        print(
          "contact sheet: \(url.path) (samples \(shown.map(String.init).joined(separator: ", ")), row by row; bone yellow, shadow blue, needle red, tip ring green = visible, orange = not visible)"
        )
      } catch let e as DatasetConfig.DatasetError {
        throw ValidationError(e.description)
      }
    }
  }
}

/// The first value reported (samples already on disk when a run starts), remembered across threads.
final class FirstCount: @unchecked Sendable {
  private var first: Int?
  private let lock = NSLock()
  func value(_ v: Int) -> Int {
    lock.lock()
    defer { lock.unlock() }
    if first == nil { first = v }
    return first!
  }
}
