import Acoustics
import Foundation

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
    let counter = ProgressCounter(total: todo.count, report: progress.map { report in { done, _ in report(already + done, total) } })
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

/// The first error of parallel work.
final class FailureBox: @unchecked Sendable {
  private var e: Error?
  private let lock = NSLock()
  var error: Error? { lock.lock(); defer { lock.unlock() }; return e }
  func set(_ error: Error) { lock.lock(); defer { lock.unlock() }; if e == nil { e = error } }
}
