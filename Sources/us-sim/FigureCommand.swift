import ArgumentParser
import ConfigReading
import Foundation
import Scenario
import Studies

/// `us-sim figure [SCENE.yaml] --out FILE.png`: the scene as a scanner shows it, beside its labels and shadow mask.
struct FigureCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "figure",
    abstract: "Picture a scenario as a scanner shows it, beside its tissue labels and shadow mask (one PNG).",
    discussion: """
      Convex and phased probes image their whole sector from the skin to the scenario's depth (image x range \
      widened to it); linear probes keep the scenario's image. Panels: B-mode with the sector outlined and a depth \
      scale in cm; tissue labels (bone white, needle red); shadow mask (blue) and bone (yellow) over the B-mode.
      """)

  @Argument(help: "Scenario YAML file. Omit it to picture the built-in default scene.")
  var scenario: String?

  @Option(name: .shortAndLong, help: "The PNG to write (replaced whole when done).")
  var out: String = "figure.png"

  @OptionGroup var job: RunOptions

  func validate() throws {
    if !out.lowercased().hasSuffix(".png") { throw ValidationError("--out '\(out)' must name a .png file") }
  }

  func run() throws {
    let s: Scenario
    do {
      let loaded = try scenario.map { try Scenario.load(contentsOf: URL(fileURLWithPath: $0)) } ?? .defaultScene
      s = SceneFigure.scannerView(loaded)
      try s.validate()
    } catch let e as ScenarioError {
      throw ValidationError("\(scenario ?? "default scene"): \(e.description)")
    }
    let bar = job.quiet ? nil : ProgressBar(label: "figure")
    let result = SimulationPipeline(scenario: s, threads: job.threadCount)
      .run(progress: bar.map { b in { @Sendable stage, f in b.update(stage: stage, f) } })
    bar?.finish()
    let size = try SceneFigure.write(result, scenario: s, to: URL(fileURLWithPath: out))
    if !job.quiet {
      print(
        "\(out): \(size.width) × \(size.height) pixels (B-mode | tissue labels | shadow in blue, bone in yellow),"
          + " \(s.probe.name), depth \(String(format: "%.0f", s.image.zRangeMetres.upperBound * 1e3)) mm"
          + (result.groundTruth == nil ? "; no phantom or needle, so no labels or masks" : ""))
    }
  }
}
