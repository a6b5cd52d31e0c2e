import Foundation

/// A thread-safe count of finished work items that reports (done, total) after each one.
public final class ProgressCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var done = 0
  public let total: Int
  let report: (@Sendable (Int, Int) -> Void)?
  public init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
    self.total = total
    self.report = report
  }
  public func advance() {
    guard let report else { return }
    lock.lock()
    done += 1
    let d = done
    lock.unlock()
    report(d, total)
  }
  /// Starts the count again (work thrown away and redone, as a re-planned exercise's frames).
  public func restart() {
    lock.lock()
    done = 0
    lock.unlock()
    report?(0, total)
  }
}
