import ArgumentParser
import ConfigReading
import FileFormats
import Foundation
import Scenario
import Studies

/// `us-sim simulate [SCENE.yaml] --out DIR`: one scenario → bmode.png, envelope.npy, meta.json, metrics.json
/// (+ rf.npy, iq.npy, labels and masks).
struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run one scenario (or the built-in default scene) and write its B-mode image and data.")

  @Argument(help: "Scenario YAML file. Omit it to run the built-in default scene.")
  var scenario: String?

  @Option(
    name: .shortAndLong,
    help: "Output folder, replaced as a whole when the run has finished (created if needed).")
  var out: String = "out/default"

  @Flag(help: "Replace --out even if it holds files that are not an earlier us-sim output.")
  var overwrite = false

  @Flag(help: "Also write rf.npy (events × samples × elements).")
  var saveRf = false

  @Flag(help: "Also write iq.npy (complex beamformed image).")
  var saveIq = false

  @Option(help: "Also write the RF channel data in this interchange format: uff (channel_data.uff, UFF v1.2).")
  var channelData: String?

  @Flag(
    help: """
      Simulate every echo on every element for every event (acquisition: {exact: true}): the reference. By \
      default, focused line-by-line scenes that keep only the image leave out what no pixel reads or can see \
      (within -40 dB of the exact image).
      """)
  var exact = false

  @OptionGroup var job: RunOptions

  func validate() throws {
    if let channelData, ChannelDataFormat(rawValue: channelData) == nil {
      throw ValidationError(
        "--channel-data '\(channelData)' is not one of \(ChannelDataFormat.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
  }

  func run() throws {
    var s: Scenario
    do {
      s = try scenario.map { try Scenario.load(contentsOf: URL(fileURLWithPath: $0)) } ?? .defaultScene
    } catch let e as ScenarioError {
      throw ValidationError("\(scenario ?? "default scene"): \(e.description)")
    }
    if saveRf { s.outputs.rf = true }
    if saveIq { s.outputs.iq = true }
    if exact { s.acquisition.exact = true }
    if let channelData { s.outputs.channelData = ChannelDataFormat(rawValue: channelData) }
    let folder = try StagedFolder.begin(out, overwrite: overwrite, isEarlierOutput: SimulationOutput.isEarlierOutput)
    folder.discardOnInterrupt()
    let pipeline = SimulationPipeline(scenario: s, threads: job.threadCount)
    let (result, metrics) = try folder.write { staging in
      let bar = job.quiet ? nil : ProgressBar(label: "simulate")
      var result = pipeline.run(progress: bar.map { b in { @Sendable stage, f in b.update(stage: stage, f) } })
      bar?.finish()
      try SimulationOutput.write(&result, scenario: s, to: staging)
      return (result, try FrameMetrics.write(forFrameIn: staging))
    }
    if !job.quiet {
      let summary = SimulationOutput.summary(result, scenario: s, outputDirectory: URL(fileURLWithPath: out))
      print(summary + ", metrics.json")
      print(metrics.summary)
    }
  }
}
