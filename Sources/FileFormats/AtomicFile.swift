import Foundation

/// Writes files so that a reader never sees half of one: the bytes go to a hidden temporary file in the same
/// folder, which is then renamed over the destination (rename is atomic within a file system, POSIX rename(2)).
public enum AtomicFile {
  public static func write(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    try data.write(to: tmp)
    if rename(tmp.path, url.path) != 0 {
      let code = errno
      try? FileManager.default.removeItem(at: tmp)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, "errno": code])
    }
  }
}
