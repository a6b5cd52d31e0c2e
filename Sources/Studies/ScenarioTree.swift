import ConfigReading
import Foundation
import Phantom
import Scenario

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
    var s = try Scenario.parse(yaml: try YAMLWriter.text(tree), baseDirectory: baseDirectory)
    if perpendicular, let needle = s.needles.first {
      try KeyPath.set(&tree, "transmit.angles_deg", [perpendicularSteeringDegrees(needle)])
      s = try Scenario.parse(yaml: try YAMLWriter.text(tree), baseDirectory: baseDirectory)
    }
    return (tree, s)
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
