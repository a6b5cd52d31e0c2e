import FileFormats
import Foundation
import Phantom

/// What a dataset folder holds: counts, histograms of the drawn parameters and label statistics as text, and a
/// contact sheet of random samples with their labels drawn on top.
public struct DatasetInspection {
  public var folder: URL
  /// Every complete sample's `sample.json`, in index order.
  public var entries: [[String: Any]]
  public var expected: Int?

  public init(folder: URL) throws {
    self.folder = folder
    expected = (try? DatasetIndex.description(folder))?["count"] as? Int
    let digits = DatasetIndex.digits(expected ?? 0)
    entries = try DatasetIndex.finished(folder).sorted().map { i in
      let url = DatasetIndex.samplesFolder(folder).appendingPathComponent(DatasetIndex.name(i, digits: digits))
        .appendingPathComponent("sample.json")
      return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }
    guard !entries.isEmpty else { throw DatasetConfig.DatasetError("\(folder.path): no finished samples") }
  }

  /// Counts of a categorical value, most frequent first, as `a 12 · b 3`.
  static func tally(_ values: [String]) -> String {
    var counts: [String: Int] = [:]
    for v in values { counts[v, default: 0] += 1 }
    return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
      "\($0.key) \($0.value)"
    }.joined(separator: " · ")
  }

  /// Ten-bin histogram of numbers as block characters between the minimum and maximum.
  static func histogram(_ values: [Double]) -> String {
    let lo = values.min()!
    let hi = values.max()!
    let mean = values.reduce(0, +) / Double(values.count)
    guard hi > lo else { return String(format: "%.4g (all %d)", lo, values.count) }
    var bins = [Int](repeating: 0, count: 10)
    for v in values { bins[min(9, Int((v - lo) / (hi - lo) * 10))] += 1 }
    let blocks = Array(" ▁▂▃▄▅▆▇█")
    let top = bins.max()!
    let bars = String(bins.map { blocks[$0 == 0 ? 0 : max(1, $0 * 8 / top)] })
    return String(format: "%9.4g …%9.4g  |%@|  mean %.4g, n %d", lo, hi, bars, mean, values.count)
  }

  /// A JSON list of numbers as doubles (integers included).
  static func numbers(_ v: Any?) -> [Double] {
    ((v as? [Any]) ?? []).compactMap {
      ($0 as? NSNumber)?.doubleValue ?? ($0 as? Int).map(Double.init) ?? ($0 as? Double)
    }
  }

  static func text(_ v: Any) -> String {
    if let d = v as? Double { return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)" }
    return "\(v)"
  }

  /// The printed report.
  public func report() -> String {
    var lines: [String] = []
    let total = expected.map { " of \($0)" } ?? ""
    lines.append("dataset \(folder.path): \(entries.count)\(total) samples")
    lines.append("  presets     " + Self.tally(entries.map { ($0["preset"] as? String) ?? "(none)" }))
    lines.append("  probes      " + Self.tally(entries.map { ($0["probe"] as? String) ?? "?" }))
    lines.append("  transmit    " + Self.tally(entries.map { ($0["transmit"] as? String) ?? "?" }))
    lines.append("  image size  " + Self.tally(entries.map { "\($0["width"] ?? "?")×\($0["height"] ?? "?")" }))
    let needles = entries.flatMap { ($0["needles"] as? [[String: Any]]) ?? [] }
    let flags = needles.map { ($0["tip_visibility"] as? Int) ?? 0 }
    lines.append(
      "needles: \(needles.count) in \(entries.filter { !(($0["needles"] as? [Any]) ?? []).isEmpty }.count) samples; tips visible \(flags.filter { $0 == 2 }.count), "
        + "present but not visible \(flags.filter { $0 == 1 }.count) (in shadow \(needles.filter { ($0["tip_in_shadow"] as? Bool) == true && ($0["tip_visibility"] as? Int) == 1 }.count), "
        + "out of plane \(needles.filter { ($0["tip_in_plane"] as? Bool) == false && ($0["tip_visibility"] as? Int) == 1 }.count), "
        + "neither: too faint \(needles.filter { ($0["tip_in_plane"] as? Bool) == true && ($0["tip_in_shadow"] as? Bool) == false && ($0["tip_visibility"] as? Int) == 1 }.count)), outside the image \(flags.filter { $0 == 0 }.count)"
    )
    lines.append("  gauges      " + Self.tally(needles.map { Self.text($0["gauge"] ?? "?") }))
    for key in ["shadow_fraction", "bone_fraction"] {
      let v = entries.compactMap { ($0[key] as? NSNumber)?.doubleValue }
      if !v.isEmpty { lines.append("  \(key.padding(toLength: 16, withPad: " ", startingAt: 0))" + Self.histogram(v)) }
    }
    lines.append("parameters drawn (key path: range and histogram, or counts):")
    var byKey: [String: [Any]] = [:]
    for e in entries { for (k, v) in (e["params"] as? [String: Any]) ?? [:] { byKey[k, default: []].append(v) } }
    let width = min(40, byKey.keys.map(\.count).max() ?? 0)
    for key in byKey.keys.sorted() {
      let values = byKey[key]!
      let name = key.padding(toLength: max(width, key.count), withPad: " ", startingAt: 0)
      let numbers = values.compactMap { v -> Double? in (v is Bool || v is String) ? nil : (v as? NSNumber)?.doubleValue
      }
      let distinct = Set(values.map(Self.text))
      if numbers.count == values.count && distinct.count > 6 {
        lines.append("  \(name)  " + Self.histogram(numbers))
      } else {
        lines.append("  \(name)  " + Self.tally(values.map(Self.text)))
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Draws `count` samples (picked at random with `seed`) into a grid of tiles at most `tile` pixels wide and high,
  /// with labels on top: bone outlines yellow, shadow outlines blue, each needle's shaft red from its entry to its
  /// tip, and the tip as a ring — green when visible, orange when present but not visible. Returns the indices shown.
  @discardableResult
  public func contactSheet(count: Int, seed: UInt64, tile: Int = 256, to url: URL) throws -> [Int] {
    var rng = RandomSource(seed: seed)
    var picks = entries.indices.map { $0 }
    for i in stride(from: picks.count - 1, to: 0, by: -1) { picks.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
    let chosen = Array(picks.prefix(max(1, count))).sorted()
    let columns = Int(Double(chosen.count).squareRoot().rounded(.up))
    let rows = (chosen.count + columns - 1) / columns
    let gap = 4
    let sheetW = columns * (tile + gap) + gap
    let sheetH = rows * (tile + gap) + gap
    var sheet = RGBCanvas(width: sheetW, height: sheetH, fill: (40, 40, 40))
    for (k, e) in chosen.map({ entries[$0] }).enumerated() {
      let files = e["files"] as? [String: Any] ?? [:]
      let image = try PNGImage.decodeGrayscale(
        Data(contentsOf: folder.appendingPathComponent(files["image"] as? String ?? "")))
      let scale = min(Double(tile) / Double(image.width), Double(tile) / Double(image.height))
      let ox = gap + (k % columns) * (tile + gap)
      let oy = gap + (k / columns) * (tile + gap)
      let w = Int(Double(image.width) * scale)
      let h = Int(Double(image.height) * scale)
      for y in 0..<h {
        for x in 0..<w {
          let v = image.pixels[
            min(image.height - 1, Int(Double(y) / scale)) * image.width + min(image.width - 1, Int(Double(x) / scale))]
          sheet.set(ox + x, oy + y, (v, v, v))
        }
      }
      let fragment = folder.appendingPathComponent((files["image"] as? String ?? "")).deletingLastPathComponent()
        .appendingPathComponent("annotations.json")
      let coco = (try? JSONSerialization.jsonObject(with: Data(contentsOf: fragment))) as? [String: Any] ?? [:]
      func at(_ x: Double, _ y: Double) -> (Int, Int) { (ox + Int(x * scale), oy + Int(y * scale)) }
      for a in (coco["annotations"] as? [[String: Any]]) ?? [] {
        let category = a["category_id"] as? Int ?? 0
        if category == 2 || category == 3 {
          let colour: (UInt8, UInt8, UInt8) = category == 2 ? (250, 220, 40) : (60, 140, 255)
          for polygon in ((a["segmentation"] as? [Any]) ?? []).map(Self.numbers) {
            let n = polygon.count / 2
            for i in 0..<n {
              let j = (i + 1) % n
              sheet.line(at(polygon[2 * i], polygon[2 * i + 1]), at(polygon[2 * j], polygon[2 * j + 1]), colour)
            }
          }
        }
        if category == 1, case let kp = Self.numbers(a["keypoints"]), kp.count == 6 {
          if kp[2] > 0 && kp[5] > 0 { sheet.line(at(kp[0], kp[1]), at(kp[3], kp[4]), (230, 40, 40)) }
          if kp[5] > 0 { sheet.ring(at(kp[3], kp[4]), radius: 5, kp[5] == 2 ? (40, 230, 60) : (255, 150, 0)) }
        }
      }
    }
    try PNGImage.writeRGB(sheet.pixels, width: sheetW, height: sheetH, to: url)
    return chosen.map { entries[$0]["index"] as? Int ?? $0 }
  }
}
