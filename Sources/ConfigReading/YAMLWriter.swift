import Foundation
import Yams

/// Writes a tree of YAML values (mappings `[String: Any]`, lists, numbers, strings, booleans, `NSNull`) as YAML
/// text that reads back as the same values: what scenario files, sweeps, datasets and exercises write.
///
/// Keys are sorted, so the same tree always gives the same text. Numbers are written to 15 significant digits, as
/// people write them (`0.3`, `40.0`, `1.0e-05`), in the shortest form that reads back as the same value: a value
/// that came from a short decimal (12.345 mm read as 0.012345 m and multiplied back by 1000) is written as that
/// decimal again, so reading the text gives the very value the tree was made from.
public enum YAMLWriter {
  public static func text(_ tree: [String: Any]) throws -> String { try Yams.serialize(node: node(tree)) }

  /// One value of a tree as a YAML node.
  public static func node(_ value: Any) throws -> Node {
    switch value {
    case let d as [String: Any]: return Node(try d.keys.sorted().map { (Node($0), try node(d[$0]!)) })
    case let a as [Any]: return Node(try a.map(node))
    case let b as Bool: return Node(b ? "true" : "false", Tag(.bool))
    case let i as Int: return Node(String(i), Tag(.int))
    case let x as Double: return Node(decimal(fifteenDigits(x)), Tag(.float))
    case is NSNull: return Node("null", Tag(.null))
    case let s as String: return try s.represented()
    case let f as Float: return Node(decimal(fifteenDigits(Double(f))), Tag(.float))
    case let n as Number: return Node(decimal(n.value), Tag(.float))
    default:
      throw ScenarioError(
        field: "(scenario tree)", value: "\(value) of type \(type(of: value))",
        allowed: "numbers, strings, booleans, null, lists and mappings")
    }
  }

  /// A number written with as many digits as it needs (up to 17), not rounded to 15: a value the writer of a tree
  /// has already chosen so that it reads back exactly (``Scenario`` values in the file's units).
  public struct Number {
    public let value: Double
    public init(_ value: Double) { self.value = value }
  }

  /// `x` to 15 significant digits, as Yams writes numbers (through its own formatter): the value a written file
  /// holds (random draws carry 17).
  public static func fifteenDigits(_ x: Double) -> Double { Double(x.represented().string) ?? x }

  /// The shortest decimal that reads back as `x`, with a point in the mantissa (`1.0e-05`, not `1e-05`), which YAML
  /// resolves as a float.
  static func decimal(_ x: Double) -> String {
    let text = x.description
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<e].contains(".") else { return text }
    return text[..<e] + ".0" + text[e...]
  }
}
