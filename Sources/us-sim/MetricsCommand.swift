import ArgumentParser
import Foundation
import Studies

/// `us-sim metrics DIR`: recomputes `metrics.json` for every frame folder under DIR (a folder with `meta.json`).
struct MetricsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metrics",
    abstract: "Recompute metrics.json for an existing output folder (and every frame folder below it).")

  @Argument(help: "An output folder of us-sim simulate, sweep or dataset.")
  var directory: String

  @Flag(name: .shortAndLong, help: "Print nothing but errors.")
  var quiet = false

  func run() throws {
    let root = URL(fileURLWithPath: directory)
    let frames = FrameFolders.find(under: root)
    if frames.isEmpty {
      throw ValidationError("\(directory): no frame folder (one holding meta.json and envelope.npy) found")
    }
    for dir in frames {
      do {
        let m = try FrameMetrics.write(forFrameIn: dir)
        if !quiet { print("\(dir.path)/metrics.json\n\(m.summary)") }
      } catch let e as FrameData.LoadError {
        throw ValidationError(e.description)
      }
    }
  }
}
