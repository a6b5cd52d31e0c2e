import Foundation

/// Running programs from tests: the built `us-sim`, scripts, Python — and fresh temporary folders for their output.
public enum Programs {
  /// The `us-sim` built beside the test bundle.
  public static var usSim: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("us-sim")
  }

  /// A new empty folder under the system's temporary directory, named `prefix-UUID`.
  public static func temporaryDirectory(_ prefix: String) -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
  }

  /// Runs a program with this process's environment, `unset` variables removed and `environment` added; returns its
  /// exit status and its stdout and stderr together.
  public static func run(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], unset: [String] = []
  ) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    if !environment.isEmpty || !unset.isEmpty {
      var env = ProcessInfo.processInfo.environment
      for key in unset { env[key] = nil }
      env.merge(environment) { $1 }
      p.environment = env
    }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
