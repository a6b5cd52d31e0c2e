import Foundation
import Phantom

/// A scenario tree in which any value may be a distribution (domain randomisation). Drawing from it gives an ordinary
/// scenario tree and the value each distribution gave, by its key path.
///
/// Distributions (a mapping with one of these keys):
/// ```yaml
/// {uniform: [a, b]}                      # real, a ≤ x < b
/// {integer: [a, b]}                      # whole number, a ≤ n ≤ b
/// {normal: [mean, sd], clip: [a, b]}     # drawn again until inside [a, b] (a truncated normal); clip optional
/// {choice: [A, B, C], weights: [2, 1, 1]}  # one option (weights optional); an option may itself hold distributions
/// {repeat: TEMPLATE, count: N}           # a list of N independent draws of TEMPLATE; N may be a distribution
/// {fixed: VALUE}                         # VALUE as it is, even if it looks like a distribution
/// ```
/// Everything else is copied, with its mappings and lists searched for distributions.
public struct ParameterTemplate {
  public var root: Any

  public struct TemplateError: Error, CustomStringConvertible {
    public var description: String
    init(_ path: String, _ what: String) { description = "\(path.isEmpty ? "(top)" : path): \(what)" }
  }

  static let kinds = ["uniform", "integer", "normal", "choice", "repeat", "fixed"]

  /// Checks every distribution's form, so that a mistake is reported before any sample is made.
  public init(_ root: Any) throws {
    self.root = root
    try Self.check(root, path: "")
  }

  /// One draw: the scenario tree and the drawn values by key path (`needles[0].gauge`; a choice among options that
  /// are not plain values records the option's index under `path#choice`, `scene#choice` at the top).
  public func draw(_ rng: inout RandomSource) -> (tree: Any, drawn: [String: Any]) {
    var drawn: [String: Any] = [:]
    let tree = Self.draw(root, path: "", &rng, &drawn)
    return (tree, drawn)
  }

  static func kind(_ node: Any) -> String? {
    guard let m = node as? [String: Any] else { return nil }
    return kinds.first { m[$0] != nil }
  }

  static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  static func pair(_ v: Any?, _ path: String, _ kind: String) throws -> (Double, Double) {
    guard let list = v as? [Any], list.count == 2, let a = number(list[0]), let b = number(list[1]) else {
      throw TemplateError(path, "\(kind) needs two numbers [a, b] (got \(v.map { "\($0)" } ?? "nothing"))")
    }
    return (a, b)
  }

  static func number(_ v: Any) -> Double? {
    if let d = v as? Double { return d }
    if let i = v as? Int { return Double(i) }
    return nil
  }

  static func check(_ node: Any, path: String) throws {
    if let list = node as? [Any] {
      for (i, v) in list.enumerated() { try check(v, path: "\(path)[\(i)]") }
      return
    }
    guard let m = node as? [String: Any] else { return }
    guard let k = kind(node) else {
      for key in m.keys.sorted() { try check(m[key]!, path: join(path, key)) }
      return
    }
    let allowed: [String: Set<String>] = [
      "uniform": ["uniform"], "integer": ["integer"], "normal": ["normal", "clip"], "choice": ["choice", "weights"],
      "repeat": ["repeat", "count"], "fixed": ["fixed"],
    ]
    for key in m.keys where !allowed[k]!.contains(key) {
      throw TemplateError(
        path, "'\(key)' does not go with \(k) (allowed: \(allowed[k]!.sorted().joined(separator: ", ")))")
    }
    switch k {
    case "uniform", "integer":
      let (a, b) = try pair(m[k], path, k)
      if b < a { throw TemplateError(path, "\(k) [\(a), \(b)]: the first bound must not exceed the second") }
      if k == "integer", a != a.rounded() || b != b.rounded() {
        throw TemplateError(path, "integer bounds must be whole numbers")
      }
    case "normal":
      let (_, sd) = try pair(m[k], path, k)
      if sd < 0 { throw TemplateError(path, "normal [mean, sd]: sd \(sd) must be ≥ 0") }
      if m["clip"] != nil {
        let (a, b) = try pair(m["clip"], path + " clip", "clip")
        if b <= a { throw TemplateError(path, "clip [\(a), \(b)]: the first bound must be below the second") }
      }
    case "choice":
      guard let options = m[k] as? [Any], !options.isEmpty else {
        throw TemplateError(path, "choice needs a non-empty list of options")
      }
      if let w = m["weights"] {
        guard let ws = w as? [Any], ws.count == options.count, ws.allSatisfy({ (number($0) ?? -1) >= 0 }),
          ws.contains(where: { (number($0) ?? 0) > 0 })
        else { throw TemplateError(path, "weights: one number ≥ 0 per option (\(options.count)), not all zero") }
      }
      for (i, o) in options.enumerated() { try check(o, path: "\(path)<option \(i)>") }
    case "repeat":
      try check(m[k]!, path: "\(path)[*]")
      guard let c = m["count"] else { throw TemplateError(path, "repeat needs a count (a number or a distribution)") }
      try check(c, path: join(path, "count"))
      if kind(c) == nil, !(c is Int) { throw TemplateError(path, "repeat count \(c) is not a whole number") }
    default: break
    }
  }

  static func draw(_ node: Any, path: String, _ rng: inout RandomSource, _ drawn: inout [String: Any]) -> Any {
    if let list = node as? [Any] {
      return list.enumerated().map { draw($0.element, path: "\(path)[\($0.offset)]", &rng, &drawn) }
    }
    guard let m = node as? [String: Any] else { return node }
    guard let k = kind(node) else {
      var out: [String: Any] = [:]
      for key in m.keys.sorted() { out[key] = draw(m[key]!, path: join(path, key), &rng, &drawn) }
      return out
    }
    let value: Any
    switch k {
    case "uniform":
      let (a, b) = try! pair(m[k], path, k)
      value = rng.uniform(a, b)
    case "integer":
      let (a, b) = try! pair(m[k], path, k)
      value = Int(a) + Int(rng.uniform() * (b - a + 1))
    case "normal":
      let (mean, sd) = try! pair(m[k], path, k)
      let (lo, hi) = m["clip"] != nil ? try! pair(m["clip"], path, "clip") : (-Double.infinity, Double.infinity)
      var x = mean + sd * rng.gaussian()
      var tries = 0
      while !(lo...hi).contains(x) && tries < 10_000 {
        x = mean + sd * rng.gaussian()
        tries += 1
      }
      value = min(max(x, lo), hi)
    case "choice":
      let options = m[k] as! [Any]
      let weights = (m["weights"] as? [Any])?.map { number($0)! } ?? options.map { _ in 1.0 }
      var u = rng.uniform() * weights.reduce(0, +)
      var pick = options.count - 1
      for (i, w) in weights.enumerated() {
        if u < w && w > 0 {
          pick = i
          break
        }
        u -= w
      }
      let option = options[pick]
      if option is [String: Any] || option is [Any] {
        drawn[(path.isEmpty ? "scene" : path) + "#choice"] = pick
        return draw(option, path: path, &rng, &drawn)
      }
      value = option
    case "repeat":
      let countNode = m["count"]!
      let count = max(0, Int((number(draw(countNode, path: join(path, "count"), &rng, &drawn)) ?? 0).rounded()))
      drawn[join(path, "count")] = count
      return (0..<count).map { draw(m[k]!, path: "\(path)[\($0)]", &rng, &drawn) }
    default:
      return m[k]!
    }
    drawn[path] = value
    return value
  }
}
