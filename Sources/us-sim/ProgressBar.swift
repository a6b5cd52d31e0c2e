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

  /// Shows `fraction` of stage `stage` (and `detail`, such as a rate, after the ETA); a new stage restarts the ETA
  /// clock.
  func update(stage: String, _ fraction: Double, detail: String = "") {
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
    FileHandle.standardError.write(
      "\r\(name) \(bar) \(String(format: "%3.0f", f * 100))% \(etaText)\(detail.isEmpty ? "" : "  " + detail)".data(
        using: .utf8)!)
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
  }
}

/// One line per `1/steps` of the work when standard error is not a terminal (logs), with the rate.
final class PlainProgress: @unchecked Sendable {
  private let enabled: Bool
  private let label: String
  private let unit: String
  private let steps: Int
  private var last = -1
  private let start = Date()
  private let lock = NSLock()

  init(enabled: Bool, label: String, unit: String, steps: Int) {
    self.enabled = enabled
    self.label = label
    self.unit = unit
    self.steps = steps
  }

  func update(_ done: Int, _ total: Int) {
    guard enabled, total > 0 else { return }
    lock.lock()
    defer { lock.unlock() }
    let step = done * steps / total
    guard step > last else { return }
    last = step
    let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-3)
    FileHandle.standardError.write(
      "\(label): \(done)/\(total) \(unit) (\(String(format: "%.2f", rate)) \(unit)/s)\n".data(using: .utf8)!)
  }
}
