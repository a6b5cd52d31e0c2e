import Acoustics
import FileFormats
import Foundation
import KernelSupport

/// The work left of a resumable job (sweep runs, dataset samples), on a fixed number of threads.
enum ResumableWork {
  /// Calls `body` for every item of `todo` on `workers` threads and rethrows the first error (items not yet started
  /// are then skipped). `progress(done, total)` counts the `total − todo.count` items finished before, then one more
  /// after each item.
  static func run<Item>(
    _ todo: [Item], total: Int, workers: Int, progress: (@Sendable (Int, Int) -> Void)?, _ body: (Item) throws -> Void
  ) throws {
    let already = total - todo.count
    progress?(already, total)
    let counter = ProgressCounter(
      total: todo.count, report: progress.map { report in { @Sendable done, _ in report(already + done, total) } })
    let failure = FailureBox()
    Parallel.forEach(count: todo.count, threads: workers) { i in
      if failure.error != nil { return }
      do {
        try body(todo[i])
        counter.advance()
      } catch {
        failure.set(error)
      }
    }
    if let e = failure.error { throw e }
  }
}

extension ResumableWork {
  /// Claims `folder` for one job: writes `record` (`description` as sorted, pretty JSON) into it, or, when the record
  /// is there already, checks that it describes the same job — else throws `refusal(existing record)`, so that a
  /// rerun resumes its own job and never fills a folder from two different ones.
  static func claim(
    _ folder: URL, record name: String, description: [String: Any], refusal: (Data) -> Error
  ) throws {
    let url = folder.appendingPathComponent(name)
    let data = try JSONSerialization.data(withJSONObject: description, options: [.prettyPrinted, .sortedKeys])
    if let existing = try? Data(contentsOf: url) {
      guard existing == data else { throw refusal(existing) }
      return
    }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try AtomicFile.write(data, to: url)
  }
}

/// The first error of parallel work.
final class FailureBox: @unchecked Sendable {
  private var e: Error?
  private let lock = NSLock()
  var error: Error? {
    lock.lock()
    defer { lock.unlock() }
    return e
  }
  func set(_ error: Error) {
    lock.lock()
    defer { lock.unlock() }
    if e == nil { e = error }
  }
}
