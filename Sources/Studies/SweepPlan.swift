import ConfigReading
import Foundation
import Scenario
import Yams

/// A parameter sweep: a base scenario, axes that vary any of its keys, and the seeds (speckle realisations) every
/// point of the axes' full product runs with.
///
/// ```yaml
/// base: ../phantoms/gel-needle.yaml      # a scenario file (relative to this file), or `scenario:` inline
/// seeds: 3                                # 1, 2, 3; or a list [11, 12, 13]
/// axes:                                   # the full product runs
///   - {name: gauge, key: "needles[0].gauge", values: [18, 22, 25]}
///   - {name: depth_mm, key: "needles[0].tip_mm", values: [[0, 20], [0, 40], [0, 60]], labels: [20, 40, 60]}
///   - {name: steering, key: "transmit.angles_deg", values: [[0], perpendicular]}
/// ```
/// A key is a path into the scenario file (`probe`, `probe.fc_mhz`, `phantom.fat_thickness_mm`,
/// `needles[0].angle_deg`, …); a value replaces what the base has there (a preset given by name, `probe: L11-5v`,
/// keeps its name when one of its keys is set). `perpendicular` as the value of `transmit.angles_deg` steers one plane
/// wave at right angles to the first needle's shaft (what scanners' needle-enhancement modes do; 0° without a needle).
/// `labels` name the values in the results and plots (default: the values themselves).
public struct SweepPlan {
  public struct Axis {
    public var name: String
    public var key: String
    public var values: [Any]
    public var labels: [String]
  }
  /// One point of the product: a value index per axis.
  public struct Point {
    public var index: Int
    public var valueIndices: [Int]
    public var id: String { String(format: "p%04d", index) }
  }

  public var base: [String: Any]
  public var baseDirectory: URL
  public var axes: [Axis]
  public var seeds: [UInt64]

  public struct SweepError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
  }

  public static func load(contentsOf url: URL) throws -> SweepPlan {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw SweepError("\(url.path): cannot read the sweep file")
    }
    return try parse(yaml: text, baseDirectory: url.deletingLastPathComponent())
  }

  public static func parse(yaml: String, baseDirectory: URL) throws -> SweepPlan {
    let object: Any?
    do { object = try Yams.load(yaml: yaml) } catch { throw SweepError("not valid YAML: \(error)") }
    guard let top = object as? [String: Any] else {
      throw SweepError("a sweep file is a mapping with base, seeds and axes")
    }
    let allowed = ["base", "scenario", "seeds", "axes"]
    for k in top.keys where !allowed.contains(k) {
      throw SweepError("unknown key '\(k)' (allowed: \(allowed.joined(separator: ", ")))")
    }
    var base: [String: Any] = [:]
    var dir = baseDirectory
    switch (top["base"], top["scenario"]) {
    case (let path as String, nil):
      let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path))
        .standardizedFileURL
      guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        throw SweepError("base: cannot read '\(path)' (looked for \(url.path))")
      }
      guard let b = (try? Yams.load(yaml: text)) as? [String: Any] else {
        throw SweepError("base: '\(path)' is not a scenario mapping")
      }
      base = b
      dir = url.deletingLastPathComponent()
    case (nil, let inline as [String: Any]): base = inline
    case (nil, nil): base = [:]
    default: throw SweepError("base / scenario: give one of them (a scenario file path, or an inline scenario mapping)")
    }
    var seeds: [UInt64]
    switch top["seeds"] {
    case nil: seeds = [1]
    case let n as Int where n >= 1 && n <= 1000: seeds = (1...n).map(UInt64.init)
    case let list as [Any]:
      seeds = try list.map { v in
        guard let i = v as? Int, i >= 0 else { throw SweepError("seeds: \(v) is not a non-negative integer") }
        return UInt64(i)
      }
      if seeds.isEmpty || Set(seeds).count != seeds.count {
        throw SweepError("seeds: give distinct seeds, at least one")
      }
    case let v?: throw SweepError("seeds: \(v) is not allowed (a count 1…1000 or a list of integers)")
    }
    guard let axisList = top["axes"] as? [Any], !axisList.isEmpty else {
      throw SweepError("axes: give a list of axes, each {name, key, values}")
    }
    var axes: [Axis] = []
    for (i, a) in axisList.enumerated() {
      guard let m = a as? [String: Any] else { throw SweepError("axes[\(i)]: a mapping {name, key, values}") }
      for k in m.keys where !["name", "key", "values", "labels"].contains(k) {
        throw SweepError("axes[\(i)]: unknown key '\(k)' (allowed: name, key, values, labels)")
      }
      guard let key = m["key"] as? String, (try? KeyPath.parse(key)) != nil else {
        throw SweepError(
          "axes[\(i)].key: '\(m["key"].map { "\($0)" } ?? "")' is not a scenario key such as needles[0].gauge")
      }
      guard let values = m["values"] as? [Any], !values.isEmpty else {
        throw SweepError("axes[\(i)].values: a non-empty list of values for \(key)")
      }
      var labels = values.map(label)
      if let l = m["labels"] {
        guard let list = l as? [Any], list.count == values.count else {
          throw SweepError("axes[\(i)].labels: one label per value (\(values.count))")
        }
        labels = list.map(label)
      }
      axes.append(Axis(name: (m["name"] as? String) ?? key, key: key, values: values, labels: labels))
    }
    if Set(axes.map(\.name)).count != axes.count { throw SweepError("axes: two axes have the same name") }
    let plan = SweepPlan(base: base, baseDirectory: dir, axes: axes, seeds: seeds)
    // Every point must make a valid scenario before anything runs.
    for p in plan.points { _ = try plan.scenario(for: p, seed: seeds[0]) }
    return plan
  }

  /// A value as text for labels and CSV: numbers plainly, lists joined with spaces.
  static func label(_ v: Any) -> String {
    if let list = v as? [Any] { return list.map(label).joined(separator: " ") }
    if let d = v as? Double { return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)" }
    return "\(v)"
  }

  /// The points of the full product, first axis slowest.
  public var points: [Point] {
    var out: [Point] = []
    var idx = [Int](repeating: 0, count: axes.count)
    var n = 0
    while true {
      out.append(Point(index: n, valueIndices: idx))
      n += 1
      var k = axes.count - 1
      while k >= 0 {
        idx[k] += 1
        if idx[k] < axes[k].values.count { break }
        idx[k] = 0
        k -= 1
      }
      if k < 0 { return out }
    }
  }

  /// The scenario of point `p` with `seed`.
  public func scenario(for p: Point, seed: UInt64) throws -> Scenario {
    var tree = base
    for (a, i) in zip(axes, p.valueIndices) { try KeyPath.set(&tree, a.key, a.values[i]) }
    tree["seed"] = Int(seed)
    do {
      return try ScenarioTree.scenario(tree, baseDirectory: baseDirectory)
    } catch let e as ScenarioError {
      let place = zip(axes, p.valueIndices).map { "\($0.name) = \($0.labels[$1])" }.joined(separator: ", ")
      throw SweepError("point \(p.id) (\(place)): \(e.description)")
    }
  }
}

/// Paths into a scenario tree: `a.b[2].c`.
enum KeyPath {
  enum Step {
    case key(String)
    case index(Int)
  }

  static func parse(_ path: String) throws -> [Step] {
    var steps: [Step] = []
    for part in path.split(separator: ".", omittingEmptySubsequences: false) {
      var name = Substring(part)
      var indices: [Int] = []
      while let open = name.lastIndex(of: "["), name.hasSuffix("]") {
        guard let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]), i >= 0 else {
          throw SweepPlan.SweepError("'\(path)': bad index in '\(part)'")
        }
        indices.insert(i, at: 0)
        name = name[..<open]
      }
      guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
        throw SweepPlan.SweepError("'\(path)': '\(part)' is not a key")
      }
      steps.append(.key(String(name)))
      steps += indices.map { .index($0) }
    }
    return steps
  }

  /// Sets `value` at `path` in `tree`, creating mappings on the way; list indices must exist.
  static func set(_ tree: inout [String: Any], _ path: String, _ value: Any) throws {
    let steps = try parse(path)
    func assign(_ node: Any?, _ rest: ArraySlice<Step>) throws -> Any {
      guard let step = rest.first else { return value }
      switch step {
      case .key(let k):
        // A preset named by a string (`probe: L11-5v`) becomes {preset: …} when one of its keys is set.
        var m = (node as? [String: Any]) ?? (node as? String).map { ["preset": $0] } ?? [:]
        m[k] = try assign(m[k], rest.dropFirst())
        return m
      case .index(let i):
        guard var list = node as? [Any], i < list.count else {
          throw SweepPlan.SweepError("'\(path)': the base scenario has no element [\(i)] there")
        }
        list[i] = try assign(list[i], rest.dropFirst())
        return list
      }
    }
    guard let m = try assign(tree, steps[...]) as? [String: Any] else { return }
    tree = m
  }
}
