import ConfigReading
import Foundation
import Phantom
import Scenario
import Yams

/// A scenario as a tree of YAML values (what sweeps and datasets build by setting keys), made into a ``Scenario``.
///
/// One value is understood here rather than in scenario files: `transmit.angles_deg: perpendicular` steers one plane
/// wave at right angles to the first needle's shaft (what scanners' needle-enhancement modes do), and is 0° when the
/// scene has no needle.
enum ScenarioTree {
  static func scenario(_ tree: [String: Any], baseDirectory: URL) throws -> Scenario {
    try resolved(tree, baseDirectory: baseDirectory).scenario
  }

  /// The tree with `perpendicular` replaced by its angle, which is what a scenario file can hold (a sample's
  /// `scenario.yaml`), and the scenario it makes.
  static func resolved(_ tree: [String: Any], baseDirectory: URL) throws -> (tree: [String: Any], scenario: Scenario) {
    var tree = tree
    let perpendicular = ((tree["transmit"] as? [String: Any])?["angles_deg"] as? String) == "perpendicular"
    if perpendicular { try KeyPath.set(&tree, "transmit.angles_deg", [0.0]) }
    var s = try Scenario.parse(yaml: try yaml(tree), baseDirectory: baseDirectory)
    if perpendicular, let needle = s.needles.first {
      try KeyPath.set(&tree, "transmit.angles_deg", [perpendicularSteeringDegrees(needle)])
      s = try Scenario.parse(yaml: try yaml(tree), baseDirectory: baseDirectory)
    }
    return (tree, s)
  }

  /// The tree as YAML with sorted keys (the same tree always gives the same text), numbers to 15 significant digits
  /// written as people write them (`0.3`, `40.0`, `1.0e-05`), in the shortest form that reads back as the same value.
  static func yaml(_ tree: [String: Any]) throws -> String { try Yams.serialize(node: node(tree)) }

  /// One value of a tree as a YAML node.
  static func node(_ value: Any) throws -> Node {
    switch value {
    case let d as [String: Any]: return Node(try d.keys.sorted().map { (Node($0), try node(d[$0]!)) })
    case let a as [Any]: return Node(try a.map(node))
    case let b as Bool: return Node(b ? "true" : "false", Tag(.bool))
    case let i as Int: return Node(String(i), Tag(.int))
    case let x as Double: return Node(decimal(fifteenDigits(x)), Tag(.float))
    case is NSNull: return Node("null", Tag(.null))
    case let s as String: return try s.represented()
    case let f as Float: return Node(decimal(fifteenDigits(Double(f))), Tag(.float))
    default:
      throw ScenarioError(
        field: "(scenario tree)", value: "\(value) of type \(type(of: value))",
        allowed: "numbers, strings, booleans, null, lists and mappings")
    }
  }

  /// `x` to 15 significant digits, as Yams writes numbers (through its own formatter): the value a tree's file holds,
  /// and so the value a sample is simulated with (random draws carry 17).
  static func fifteenDigits(_ x: Double) -> Double { Double(x.represented().string) ?? x }

  /// The shortest decimal that reads back as `x`, with a point in the mantissa (`1.0e-05`, not `1e-05`), which YAML
  /// resolves as a float.
  static func decimal(_ x: Double) -> String {
    let text = x.description
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<e].contains(".") else { return text }
    return text[..<e] + ".0" + text[e...]
  }

  /// The plane-wave steering (degrees) whose wavefront travels at right angles to the needle's shaft, toward depth.
  static func perpendicularSteeringDegrees(_ n: Needle) -> Double {
    let b = n.backward
    let d = SIMD2(-b.x, -b.z)  // entry → tip
    var normal = SIMD2(-d.y, d.x)
    if normal.y < 0 { normal = -normal }
    return (atan2(normal.x, normal.y) * 180 / .pi * 1e6).rounded() / 1e6
  }
}
