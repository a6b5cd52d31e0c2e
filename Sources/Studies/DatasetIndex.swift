import FileFormats
import Foundation

/// A dataset folder's index files, rebuilt from the samples on disk: `manifest.jsonl` (each sample's `sample.json`,
/// one line each, in index order) and `annotations.json` (COCO: the samples' images and annotations, and the
/// categories). Both depend only on the samples, never on how they were made; `merge` joins shard folders.
public enum DatasetIndex {
  static func samplesFolder(_ dir: URL) -> URL { dir.appendingPathComponent("samples") }

  /// Digits of the sample folders' names (at least six).
  static func digits(_ count: Int) -> Int { max(6, String(max(count - 1, 0)).count) }

  static func name(_ index: Int, digits: Int) -> String {
    let s = String(index)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
  }

  /// Indices of the complete samples in a dataset folder.
  public static func finished(_ dir: URL) -> Set<Int> {
    let samples = samplesFolder(dir)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
    return Set(
      names.compactMap { name in
        guard !name.hasPrefix("."), let i = Int(name),
          FileManager.default.fileExists(
            atPath: samples.appendingPathComponent(name).appendingPathComponent("sample.json").path)
        else { return nil }
        return i
      })
  }

  /// The dataset's `dataset.json`.
  static func description(_ dir: URL) throws -> [String: Any] {
    let url = dir.appendingPathComponent("dataset.json")
    guard let data = try? Data(contentsOf: url), let d = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else {
      throw DatasetConfig.DatasetError("\(dir.path): no dataset.json (not a dataset folder made by us-sim dataset)")
    }
    return d
  }

  /// Writes `manifest.jsonl` and `annotations.json` from samples 0 ..< count.
  static func write(_ dir: URL, count: Int) throws {
    let digits = digits(count)
    var manifest = Data()
    var images: [Any] = []
    var annotations: [Any] = []
    for i in 0..<count {
      let folder = samplesFolder(dir).appendingPathComponent(name(i, digits: digits))
      var line = try Data(contentsOf: folder.appendingPathComponent("sample.json"))
      line.append(0x0A)
      manifest.append(line)
      let coco =
        try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("annotations.json")))
        as? [String: Any] ?? [:]
      images.append(coco["image"] ?? [:])
      annotations += coco["annotations"] as? [Any] ?? []
    }
    try AtomicFile.write(manifest, to: dir.appendingPathComponent("manifest.jsonl"))
    let all: [String: Any] = [
      "info": ["description": "us-sim synthetic B-mode dataset", "version": "1"],
      "licenses": [Any](), "categories": DatasetLabels.categories, "images": images, "annotations": annotations,
    ]
    try AtomicFile.write(
      try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys, .withoutEscapingSlashes]),
      to: dir.appendingPathComponent("annotations.json"))
  }

  /// Joins shard folders into `destination` (which may be one of them): moves their samples in, checks that they are
  /// one dataset (same `dataset.json`) and that no sample is missing, then writes the manifest and annotations.
  /// Returns the number of samples.
  @discardableResult
  public static func merge(into destination: URL, from sources: [URL]) throws -> Int {
    let fm = FileManager.default
    let folders = sources.isEmpty ? [destination] : sources
    let reference = try JSONSerialization.data(withJSONObject: try description(folders[0]), options: [.sortedKeys])
    for f in folders.dropFirst() {
      let d = try JSONSerialization.data(withJSONObject: try description(f), options: [.sortedKeys])
      guard d == reference else {
        throw DatasetConfig.DatasetError(
          "\(f.path) belongs to another dataset than \(folders[0].path) (dataset.json differs)")
      }
    }
    let count = (try JSONSerialization.jsonObject(with: reference) as? [String: Any])?["count"] as? Int ?? 0
    try fm.createDirectory(at: samplesFolder(destination), withIntermediateDirectories: true)
    if !fm.fileExists(atPath: destination.appendingPathComponent("dataset.json").path) {
      try fm.copyItem(
        at: folders[0].appendingPathComponent("dataset.json"), to: destination.appendingPathComponent("dataset.json"))
    } else {
      let d = try JSONSerialization.data(withJSONObject: try description(destination), options: [.sortedKeys])
      guard d == reference else { throw DatasetConfig.DatasetError("\(destination.path) holds another dataset") }
    }
    for f in folders where f.standardizedFileURL.path != destination.standardizedFileURL.path {
      for i in finished(f).sorted() {
        let n = name(i, digits: digits(count))
        let target = samplesFolder(destination).appendingPathComponent(n)
        if fm.fileExists(atPath: target.appendingPathComponent("sample.json").path) { continue }
        try? fm.removeItem(at: target)
        try fm.moveItem(at: samplesFolder(f).appendingPathComponent(n), to: target)
      }
    }
    let have = finished(destination)
    let missing = (0..<count).filter { !have.contains($0) }
    guard missing.isEmpty else {
      let shown = missing.prefix(10).map(String.init).joined(separator: ", ")
      throw DatasetConfig.DatasetError(
        "\(missing.count) of \(count) samples are missing (\(shown)\(missing.count > 10 ? ", …" : "")): run the shards that make them, then merge again"
      )
    }
    try write(destination, count: count)
    return count
  }
}
