import Acoustics
import FileFormats
import Foundation
import Scenario

/// Runs a ``SweepPlan`` into a folder: every (point, seed) as a frame folder `runs/<point>-s<seed>/` (the usual
/// simulate outputs plus `metrics.json` and `thumb.png`), then `results.csv`, `summary.csv` and `report.html`.
///
/// Runs go in parallel, one per worker (each single-threaded, so the outputs do not depend on the worker count).
/// A run is written into a hidden temporary folder and renamed into place when complete, so an interrupted sweep
/// resumes where it stopped: finished runs are kept, half-written ones are removed and redone, and the tables are
/// rebuilt from what is on disk.
public struct SweepRunner {
  public var plan: SweepPlan
  public var output: URL
  public var workers: Int

  public init(plan: SweepPlan, output: URL, workers: Int) {
    self.plan = plan
    self.output = output
    self.workers = max(1, workers)
  }

  public struct Run: Sendable {
    public var point: Int
    public var seed: UInt64
    public var name: String
  }

  /// Every run of the sweep, in order.
  public var runs: [Run] {
    plan.points.flatMap { p in plan.seeds.map { Run(point: p.index, seed: $0, name: "\(p.id)-s\($0)") } }
  }

  var runsFolder: URL { output.appendingPathComponent("runs") }

  /// Runs whose folder is already complete.
  public func finished() -> Set<String> {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: runsFolder.path)) ?? []
    return Set(
      names.filter {
        !$0.hasPrefix(".")
          && FileManager.default.fileExists(
            atPath: runsFolder.appendingPathComponent($0).appendingPathComponent("metrics.json").path)
      })
  }

  /// Runs what is missing, then writes the tables and the report. `progress(done, total)` after each run.
  public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
    let fm = FileManager.default
    try fm.createDirectory(at: runsFolder, withIntermediateDirectories: true)
    // Leftovers of an interrupted run.
    for name in (try? fm.contentsOfDirectory(atPath: runsFolder.path)) ?? [] where name.hasPrefix(".") {
      try? fm.removeItem(at: runsFolder.appendingPathComponent(name))
    }
    let done = finished()
    let plan = self.plan
    let points = plan.points
    let folder = runsFolder
    try ResumableWork.run(
      runs.filter { !done.contains($0.name) }, total: runs.count, workers: workers, progress: progress
    ) { r in
      try Self.simulate(
        try plan.scenario(for: points[r.point], seed: r.seed), into: folder.appendingPathComponent(r.name))
    }
    try SweepReport(plan: plan, output: output, runs: runs).write()
  }

  /// One run: simulate, write, metrics, thumbnail, in a temporary folder renamed into place at the end.
  static func simulate(_ s: Scenario, into dir: URL) throws {
    let fm = FileManager.default
    let temporary = dir.deletingLastPathComponent().appendingPathComponent(".\(dir.lastPathComponent).partial")
    try? fm.removeItem(at: temporary)
    var result = SimulationPipeline(scenario: s, threads: 1).run()
    try SimulationOutput.write(&result, scenario: s, to: temporary)
    try FrameMetrics.write(forFrameIn: temporary)
    let (thumb, w, h) = Thumbnail.make(
      result.bmode, width: result.xAxisMetres.count, height: result.zAxisMetres.count, maxWidth: 160)
    try PNGImage.writeGrayscale(thumb, width: w, height: h, to: temporary.appendingPathComponent("thumb.png"))
    try? fm.removeItem(at: dir)
    try fm.moveItem(at: temporary, to: dir)
  }
}

/// Box-filtered downsampling of an 8-bit image.
enum Thumbnail {
  static func make(_ pixels: [UInt8], width: Int, height: Int, maxWidth: Int) -> ([UInt8], Int, Int) {
    let f = max(1, (width + maxWidth - 1) / maxWidth)
    let w = width / f
    let h = height / f
    var out = [UInt8](repeating: 0, count: w * h)
    for r in 0..<h {
      for c in 0..<w {
        var sum = 0
        for dr in 0..<f { for dc in 0..<f { sum += Int(pixels[(r * f + dr) * width + c * f + dc]) } }
        out[r * w + c] = UInt8(sum / (f * f))
      }
    }
    return (out, w, h)
  }
}
