import Foundation

/// A failure to write output, as one plain sentence naming the path and the operating system's reason
/// ("cannot write out/run/bmode.png: No space left on device"), instead of Foundation's error dump.
public struct FileWriteError: Error, CustomStringConvertible, Equatable {
  public var description: String

  public init(_ description: String) { self.description = description }

  /// Writing `url` failed with `error`.
  public init(writing url: URL, _ error: Error) {
    self.init("cannot write \(url.path): \(Self.reason(error))")
  }

  /// The reason in `error`: the POSIX message under a Foundation error (strerror), else its own description.
  public static func reason(_ error: Error) -> String {
    if let e = error as? FileWriteError { return e.description }
    let ns = error as NSError
    var current: NSError? = ns
    while let e = current {
      if e.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(e.code))) }
      if let code = e.userInfo["errno"] as? Int32 { return String(cString: strerror(code)) }
      current = e.userInfo[NSUnderlyingErrorKey] as? NSError
    }
    switch CocoaError.Code(rawValue: ns.code) {
    case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
    case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
    case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
    case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
    default: return ns.localizedDescription
    }
  }
}
