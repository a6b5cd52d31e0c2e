import ArgumentParser

/// `us-sim`: ultrasound RF simulation and B-mode imaging from the command line.
@main
struct USSim: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "us-sim",
    abstract: "Simulate ultrasound RF echoes, beamform them and write B-mode images.",
    version: "0.1.0",
    subcommands: [
      Simulate.self, BeamformCommand.self, MetricsCommand.self, FigureCommand.self, Sweep.self, Dataset.self,
      Exercise.self, Probes.self,
    ],
    defaultSubcommand: Simulate.self)
}
