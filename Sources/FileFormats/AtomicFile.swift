import Foundation

/// Writes files so that a reader never sees half of one: the bytes go to a hidden temporary file in the same
/// folder, which is then renamed over the destination (rename is atomic within a file system, POSIX rename(2)).
/// Failures throw a ``FileWriteError`` naming the file and the reason; no temporary file remains.
public enum AtomicFile {
  public static func write(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try data.write(to: tmp)
    } catch {
      try? FileManager.default.removeItem(at: tmp)
      throw FileWriteError(writing: url, error)
    }
    if rename(tmp.path, url.path) != 0 {
      let code = errno
      try? FileManager.default.removeItem(at: tmp)
      throw FileWriteError("cannot write \(url.path): \(String(cString: strerror(code)))")
    }
  }
}
