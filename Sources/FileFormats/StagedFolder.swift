import Dispatch
import Foundation

/// An output folder written as a whole: a run writes into a hidden staging folder beside the destination
/// (`.NAME.staging.PID`), and ``commit()`` swaps it into place only when everything is written. A rerun into the
/// same folder therefore replaces the previous run entirely (no stale files from it survive), and a failed or
/// interrupted run leaves the destination as it was.
///
/// The swap is two renames within one file system (POSIX rename(2) is atomic for each): the old folder to
/// `.NAME.old.PID`, the staging folder to NAME; the old folder is then removed. Leftovers of a process that died
/// between the steps are tidied by the next ``begin(_:overwrite:isEarlierOutput:)`` on the same destination: a lost
/// `.old` folder is put back when the destination is missing, stale staging folders are removed.
public struct StagedFolder {
  /// Where the output ends up.
  public let destination: URL
  /// Where it is written meanwhile.
  public let staging: URL

  /// Checks the destination and creates the staging folder (so an unwritable location fails before any work).
  ///
  /// Refused: an empty path; the current directory or one of its ancestors (it cannot be replaced as a whole); an
  /// existing file; an existing folder that is neither empty nor an earlier output (`isEarlierOutput`), unless
  /// `overwrite` is set.
  public static func begin(
    _ path: String, overwrite: Bool, isEarlierOutput: (URL) -> Bool
  ) throws -> StagedFolder {
    guard !path.isEmpty else { throw FileWriteError("the output folder is an empty path: name a folder with --out") }
    let destination = URL(fileURLWithPath: path).standardizedFileURL
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
    let target = destination.path
    if cwd == target || cwd.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
      throw FileWriteError(
        "\(path) is the current directory or contains it; a run replaces its output folder as a whole, "
          + "so name a folder of its own (e.g. --out out/run1)"
      )
    }
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    tidyLeftovers(of: destination)
    if fm.fileExists(atPath: target, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw FileWriteError("\(path) exists and is a file, not a folder") }
      let contents = (try? fm.contentsOfDirectory(atPath: target)) ?? []
      if !contents.isEmpty && !overwrite && !isEarlierOutput(destination) {
        let shown = contents.sorted().prefix(3).joined(separator: ", ") + (contents.count > 3 ? ", …" : "")
        throw FileWriteError(
          "\(path) holds files that are not an earlier us-sim output (\(shown)); "
            + "choose another folder, or pass --overwrite to replace it as a whole"
        )
      }
    }
    let parent = destination.deletingLastPathComponent()
    let staging = parent.appendingPathComponent(
      ".\(destination.lastPathComponent).staging.\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try fm.createDirectory(at: parent, withIntermediateDirectories: true)
      try? fm.removeItem(at: staging)
      try fm.createDirectory(at: staging, withIntermediateDirectories: false)
    } catch {
      throw FileWriteError("cannot create the output folder \(path): \(FileWriteError.reason(error))")
    }
    return StagedFolder(destination: destination, staging: staging)
  }

  /// Puts the staging folder in the destination's place (the previous content, if any, is removed).
  public func commit() throws {
    let fm = FileManager.default
    let old = destination.deletingLastPathComponent().appendingPathComponent(
      ".\(destination.lastPathComponent).old.\(ProcessInfo.processInfo.processIdentifier)")
    let hadOld = fm.fileExists(atPath: destination.path)
    if hadOld && rename(destination.path, old.path) != 0 {
      let code = errno
      discard()
      throw FileWriteError("cannot replace \(destination.path): \(String(cString: strerror(code)))")
    }
    if rename(staging.path, destination.path) != 0 {
      let code = errno
      if hadOld { _ = rename(old.path, destination.path) }
      discard()
      throw FileWriteError(
        "cannot move the finished output into \(destination.path): \(String(cString: strerror(code)))")
    }
    if hadOld { try? fm.removeItem(at: old) }
  }

  /// Removes the staging folder when the process is interrupted (SIGINT, SIGTERM: Ctrl-C, a scheduler's kill), then
  /// exits with status 128 + the signal's number, as a shell reports it. The handler runs on a dispatch queue, not in
  /// the signal's context, so it may remove files.
  public func discardOnInterrupt() {
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      let staging = self.staging
      source.setEventHandler {
        try? FileManager.default.removeItem(at: staging)
        exit(128 + number)
      }
      source.resume()
      StagedFolder.signalSources.append(source)
    }
  }

  /// The signal handlers, kept alive for the process's life.
  nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []

  /// Removes the staging folder and everything in it.
  public func discard() { try? FileManager.default.removeItem(at: staging) }

  /// Runs `body` with the staging folder, then commits; on any error discards the staging folder and rethrows.
  public func write<T>(_ body: (URL) throws -> T) throws -> T {
    do {
      let value = try body(staging)
      try commit()
      return value
    } catch let e as FileWriteError {
      discard()
      throw FileWriteError(e.description.replacingOccurrences(of: staging.path, with: destination.path))
    } catch {
      discard()
      throw error
    }
  }

  /// Removes `.NAME.staging.PID` and `.NAME.old.PID` folders of processes that no longer run; an `.old` folder is
  /// renamed back to NAME first when NAME is missing (its process died between the two renames of a commit).
  static func tidyLeftovers(of destination: URL) {
    let fm = FileManager.default
    let parent = destination.deletingLastPathComponent()
    let name = destination.lastPathComponent
    guard let siblings = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    for sibling in siblings {
      for kind in ["staging", "old"] {
        let prefix = ".\(name).\(kind)."
        guard sibling.hasPrefix(prefix), let pid = Int32(sibling.dropFirst(prefix.count)) else { continue }
        if kill(pid, 0) == 0 || errno == EPERM { continue }  // still running (perhaps as another user)
        let url = parent.appendingPathComponent(sibling)
        if kind == "old" && !fm.fileExists(atPath: destination.path) && rename(url.path, destination.path) == 0 {
          continue
        }
        try? fm.removeItem(at: url)
      }
    }
  }
}
