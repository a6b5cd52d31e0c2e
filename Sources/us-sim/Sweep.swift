import ArgumentParser
import Foundation
import Studies

/// `us-sim sweep SWEEP.yaml --out DIR`: every point of a parameter sweep with several seeds, then results.csv,
/// summary.csv and report.html. Rerun the same command to resume an interrupted sweep.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a parameter sweep (axes × seeds) and write results.csv, summary.csv and report.html.")

  @Argument(help: "Sweep file (YAML: base, seeds, axes).")
  var sweep: String

  @Option(name: .shortAndLong, help: "Output folder (rerun to resume: finished runs are kept).")
  var out: String

  @Option(help: "Runs at once (default: all cores; outputs do not depend on it).")
  var workers: Int?

  @Flag(name: .shortAndLong, help: "Print nothing but errors.")
  var quiet = false

  func validate() throws {
    if let workers, workers < 1 { throw ValidationError("--workers must be at least 1 (got \(workers))") }
  }

  func run() throws {
    let plan: SweepPlan
    do {
      plan = try SweepPlan.load(contentsOf: URL(fileURLWithPath: sweep))
    } catch let e as SweepPlan.SweepError {
      throw ValidationError("\(sweep): \(e.description)")
    }
    let runner = SweepRunner(
      plan: plan, output: URL(fileURLWithPath: out), workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
    let start = Date()
    let bar = quiet ? nil : ProgressBar(label: "sweep")
    let plain = PlainProgress(enabled: !quiet && isatty(2) != 1, label: "sweep", unit: "runs", steps: 10)
    try runner.run { done, total in
      bar?.update(stage: "sweep", Double(done) / Double(max(total, 1)))
      plain.update(done, total)
    }
    bar?.finish()
    if !quiet {
      print(
        "us-sim sweep: \(plan.points.count) points × \(plan.seeds.count) seeds = \(runner.runs.count) runs in \(String(format: "%.1f", Date().timeIntervalSince(start))) s"
      )
      print("  wrote \(out)/results.csv, summary.csv, report.html and runs/")
    }
  }
}
