import Foundation
import TestSupport
import XCTest

/// Paths, processes and comparisons the interchange tests share.
enum Support {
  static var root: URL { Programs.root }
  static var executable: URL { Programs.usSim }

  static func temporaryDirectory() -> URL { Programs.temporaryDirectory("us-sim-uff") }

  /// Runs a program; returns its exit status and its stdout and stderr together.
  static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try Programs.run(executable, arguments)
  }

  /// Runs one of Tests/Python's scripts in the test venv (``Programs/runTestScript(_:_:)``).
  static func runPython(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try Programs.runTestScript(script, arguments)
  }

  /// Normalised correlation Σab / √(Σa² Σb²).
  static func correlation(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var ab = 0.0
    var aa = 0.0
    var bb = 0.0
    for i in a.indices {
      ab += Double(a[i]) * Double(b[i])
      aa += Double(a[i]) * Double(a[i])
      bb += Double(b[i]) * Double(b[i])
    }
    return ab / (aa * bb).squareRoot()
  }

  /// Largest |a − b| over the largest |a|.
  static func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    let peak = a.map { abs(Double($0)) }.max() ?? 1
    return zip(a, b).map { abs(Double($0) - Double($1)) }.max()! / peak
  }

  /// (row, column) of the largest value of an (rows × columns) image.
  static func peak(_ image: [Float], columns: Int) -> (row: Int, column: Int) {
    let i = image.indices.max { image[$0] < image[$1] }!
    return (i / columns, i % columns)
  }
}
