import Foundation
import Yams

/// A YAML node with its dotted path, for typed reads that fail with a ``ScenarioError`` naming the field.
public struct ConfigNode {
  public let node: Node?
  public let path: String

  public init(_ node: Node?, path: String) {
    self.node = node
    self.path = path
  }

  /// False for a missing key and for YAML's null (`key:`, `~`, `null` unquoted); a quoted empty string ('' or "")
  /// is a value, which the typed reads then refuse, rather than a silent default.
  public var isPresent: Bool {
    guard let node else { return false }
    if case .scalar(let s) = node, s.style == .plain || s.style == .any,
      s.string == "~" || s.string.isEmpty || s.string == "null"
    {
      return false
    }
    return true
  }

  public var line: Int? { node?.mark.map { $0.line } }

  /// Text of the node as written, for messages.
  public var text: String {
    guard let node else { return "(missing)" }
    switch node {
    case .scalar(let s): return "'\(s.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }

  public func error(_ allowed: String, value: String? = nil) -> ScenarioError {
    ScenarioError(field: path, value: value ?? text, allowed: allowed, line: line)
  }

  public func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The entries of a mapping; unknown keys are errors that list the allowed ones.
  public func mapping(allowed: [String]) throws -> [String: ConfigNode] {
    guard isPresent else { return [:] }
    guard case .mapping(let m) = node! else { throw error("a mapping with keys \(allowed.joined(separator: ", "))") }
    var out: [String: ConfigNode] = [:]
    for (k, v) in m {
      guard case .scalar(let ks) = k else { throw error("string keys") }
      let key = ks.string
      guard allowed.contains(key) else {
        throw ScenarioError(
          field: child(key), value: "(unknown key)", allowed: "one of \(allowed.joined(separator: ", "))",
          line: k.mark?.line)
      }
      out[key] = ConfigNode(v, path: child(key))
    }
    return out
  }

  /// The entries of a mapping whose keys are data (not a fixed set), in the file's order.
  public func entries(_ allowed: String) throws -> [(key: String, value: ConfigNode)] {
    guard isPresent else { return [] }
    guard case .mapping(let m) = node! else { throw error(allowed) }
    return try m.map { k, v in
      guard case .scalar(let ks) = k else { throw error(allowed) }
      return (ks.string, ConfigNode(v, path: child(ks.string)))
    }
  }

  public func list() throws -> [ConfigNode] {
    guard isPresent else { return [] }
    guard case .sequence(let s) = node! else { throw error("a list") }
    return s.enumerated().map { ConfigNode($0.element, path: "\(path)[\($0.offset)]") }
  }

  public func string(allowed: String = "a string") throws -> String {
    guard isPresent, case .scalar(let s) = node! else { throw error(allowed) }
    return s.string
  }

  /// One of `E`'s cases, by its raw value; otherwise an error that names them all ("a or b" for two).
  public func choice<E: RawRepresentable & CaseIterable>(of type: E.Type) throws -> E where E.RawValue == String {
    let names = E.allCases.map(\.rawValue)
    let allowed = names.count == 2 ? "\(names[0]) or \(names[1])" : names.joined(separator: ", ")
    guard let value = E(rawValue: try string(allowed: allowed)), names.contains(value.rawValue) else {
      throw error(allowed)
    }
    return value
  }

  /// One of `names`; otherwise an error that names them all.
  public func choice(among names: [String]) throws -> String {
    let allowed = names.joined(separator: ", ")
    let value = try string(allowed: allowed)
    guard names.contains(value) else { throw error(allowed) }
    return value
  }

  /// A finite number within `range`.
  public func number(
    in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, _ allowed: String
  ) throws -> Double {
    guard isPresent, case .scalar(let s) = node!,
      let v = Double(s.string.trimmingCharacters(in: .whitespaces)) ?? node!.float
    else { throw error(allowed) }
    guard v.isFinite, range.contains(v) else { throw error(allowed) }
    return v
  }

  public func integer(in range: ClosedRange<Int>, _ allowed: String) throws -> Int {
    guard isPresent, case .scalar(let s) = node!, let v = Int(s.string.trimmingCharacters(in: .whitespaces)),
      range.contains(v)
    else { throw error(allowed) }
    return v
  }

  public func bool() throws -> Bool {
    guard isPresent, let b = node!.bool else { throw error("true or false") }
    return b
  }

  /// A list of exactly `count` numbers (or any length ≥ 1 when count is nil).
  public func numbers(count: Int?, in range: ClosedRange<Double> = -1e12...1e12, _ allowed: String) throws -> [Double] {
    let items = try list()
    guard isPresent, case .sequence = node! else { throw error(allowed) }
    if let count, items.count != count { throw error(allowed) }
    if count == nil && items.isEmpty { throw error(allowed) }
    return try items.map { try $0.number(in: range, allowed) }
  }

  /// An increasing pair [lo, hi].
  public func range(in bounds: ClosedRange<Double>, _ allowed: String) throws -> ClosedRange<Double> {
    let v = try numbers(count: 2, in: bounds, allowed)
    guard v[0] < v[1] else { throw error(allowed + " with the first value below the second") }
    return v[0]...v[1]
  }
}
