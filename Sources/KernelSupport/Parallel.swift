import Dispatch
import Foundation

/// Runs independent work items on a fixed number of threads.
///
/// Items are handed out dynamically, but each item must write only its own output; results then do not depend on
/// the thread count or the order in which items ran — the basis of byte-identical outputs with 1 or N threads.
public enum Parallel {
  /// Calls `body(i)` for every `i` in `0..<count`, on at most `threads` threads (1 = the calling thread only).
  public static func forEach(count: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = min(max(1, threads), count)
    if workers <= 1 {
      for i in 0..<count { body(i) }
      return
    }
    let next = Counter()
    withoutActuallyEscaping(body) { body in
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
          let i = next.take()
          if i >= count { break }
          body(i)
        }
      }
    }
  }

  /// Number of threads to use when none is given: the machine's active processors.
  public static var defaultThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }

  private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int {
      lock.lock()
      defer { lock.unlock() }
      value += 1
      return value - 1
    }
  }
}
