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

  /// The repository's root (this file is Tests/TestSupport/Programs.swift).
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The Python of the test venv with the independent references from PyPI (pyuff-ustb, ustb, pymust), made by
  /// scripts/python-env on first use.
  public static func testPython() throws -> URL {
    let r = try run(root.appendingPathComponent("scripts/python-env"), [])
    guard r.status == 0, let path = r.output.split(separator: "\n").last else {
      throw NSError(domain: "python-env", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.output])
    }
    return URL(fileURLWithPath: String(path))
  }

  /// Runs one of Tests/Python's scripts in the test venv.
  public static func runTestScript(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try run(try testPython(), [root.appendingPathComponent("Tests/Python/\(script)").path] + arguments)
  }
}
