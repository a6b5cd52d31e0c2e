import Foundation

/// Frame folders: those holding a finished frame (`meta.json`, written last, and `envelope.npy`).
public enum FrameFolders {
  /// `root` itself if it is a frame folder, and every frame folder below it, sorted by path.
  public static func find(under root: URL) -> [URL] {
    let fm = FileManager.default
    func isFrame(_ u: URL) -> Bool {
      fm.fileExists(atPath: u.appendingPathComponent("meta.json").path)
        && fm.fileExists(atPath: u.appendingPathComponent("envelope.npy").path)
    }
    var out: [URL] = isFrame(root) ? [root] : []
    if let e = fm.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) {
      for case let u as URL in e
      where (try? u.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true && isFrame(u) {
        out.append(u)
      }
    }
    return out.sorted { $0.path < $1.path }
  }
}
