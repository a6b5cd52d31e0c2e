import Foundation
import XCTest

/// Opens a page in headless Chromium (from Debian; installed by scripts/test) and returns the DOM after its scripts
/// ran (5 s of virtual time) and Chromium's log, where console errors show; with `screenshot`, saves the window
/// (1450 × 1000) there as a PNG instead of returning the DOM. Pages may read back canvases holding their own folder's
/// images (`--allow-file-access-from-files`).
func headlessChromium(_ page: URL, screenshot: URL? = nil) throws -> (dom: String, log: String) {
  let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  let browser = try XCTUnwrap(chromium, "Chromium is not installed (scripts/test installs it)")
  let process = Process()
  process.executableURL = URL(fileURLWithPath: browser)
  process.arguments = [
    "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0",
    "--allow-file-access-from-files",
  ]
  process.arguments! +=
    screenshot.map { ["--hide-scrollbars", "--window-size=1450,1000", "--screenshot=\($0.path)"] } ?? ["--dump-dom"]
  process.arguments!.append(page.absoluteString)
  let stdout = Pipe()
  let stderr = Pipe()
  process.standardOutput = stdout
  process.standardError = stderr
  try process.run()
  let dom = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return (dom, log)
}
