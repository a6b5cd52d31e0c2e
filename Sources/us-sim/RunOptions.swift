import ArgumentParser
import Foundation

/// `--threads` and `--quiet`, as every command that runs one simulation or beamforming job takes them.
struct RunOptions: ParsableArguments {
  @Option(help: "Threads to use (results are identical for any count).")
  var threads: Int?

  @Flag(name: .shortAndLong, help: "Print nothing but errors.")
  var quiet = false

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
  }

  /// The threads asked for, else every core.
  var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}
