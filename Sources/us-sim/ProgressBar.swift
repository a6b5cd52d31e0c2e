import Foundation

/// A one-line progress bar with an ETA on standard error, drawn only when standard error is a terminal
/// (otherwise silent: logs stay clean). At most ten redraws a second; safe to call from any thread.
final class ProgressBar: @unchecked Sendable {
  private var label: String
  private var start = Date()
  private var lastDraw = Date.distantPast
  private let lock = NSLock()
  private let enabled = isatty(2) == 1

  init(label: String) { self.label = label }

  /// Shows `fraction` of stage `stage`; a new stage restarts the ETA clock.
  func update(stage: String, _ fraction: Double) {
    guard enabled else { return }
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    if stage != label {
      label = stage
      start = now
      lastDraw = .distantPast
    }
    guard now.timeIntervalSince(lastDraw) > 0.1 || fraction >= 1 else { return }
    lastDraw = now
    let f = min(max(fraction, 0), 1)
    let width = 30
    let filled = Int(f * Double(width))
    let elapsed = now.timeIntervalSince(start)
    let eta = f > 0.01 ? elapsed * (1 - f) / f : .nan
    let etaText = eta.isFinite ? String(format: "ETA %4.0f s", eta) : "ETA    ? s"
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    let name = label.padding(toLength: 9, withPad: " ", startingAt: 0)
    FileHandle.standardError.write("\r\(name) \(bar) \(String(format: "%3.0f", f * 100))% \(etaText)".data(using: .utf8)!)
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
  }
}
