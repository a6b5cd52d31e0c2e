import Foundation
import Metrics
import Scenario
import Studies
import XCTest

/// A needle in a speckled gel block, measured as a user's scene measures it (scenario → simulation → the wall-band
/// metric of `docs/metrics.md` that `metrics.json`, dataset labels and exercise keys use).
struct GelNeedle {
  var probe = "L11-5v"
  var gauge: Int
  /// Insertion angle from the left (degrees).
  var angle: Double
  /// Tip depth (mm).
  var depth: Int
  /// Tip's lateral position (mm).
  var tipX: Double = 6
  /// One plane wave steered by this much (degrees).
  var steering: Double = 0
  var pixel: Double = 0.1
  /// More keys of the needle's YAML map (`tip: pencil, bevel: down`).
  var needleKeys = ""

  /// The frame with the needle's tip at (`tipX`, `depth`) mm, one plane wave at `steering` degrees, an image ±12 mm
  /// wide from 12 mm above the tip to 6 mm below it, and `extra` YAML lines.
  func frame(seed: Int, extra: String = "") throws -> (scenario: Scenario, result: SimulationResult) {
    let keys = needleKeys.isEmpty ? "" : ", \(needleKeys)"
    let s = try Scenario.parse(
      yaml: """
        probe: \(probe)
        phantom: {preset: gel-block}
        needles: [{gauge: \(gauge), tip_mm: [\(tipX), \(depth)], angle_deg: \(angle), side: left\(keys)}]
        transmit: {scheme: plane_wave, angles_deg: [\(steering)]}
        image: {x_mm: [-12, 12], z_mm: [\(depth - 12), \(depth + 6)], pixel_mm: \(pixel)}
        seed: \(seed)
        \(extra)
        """)
    return (s, SimulationPipeline(scenario: s, threads: 2).run())
  }

  /// The needle's visibility in ``frame(seed:extra:)``.
  func visibility(seed: Int, extra: String = "") throws -> NeedleVisibility {
    let (s, r) = try frame(seed: seed, extra: extra)
    return try XCTUnwrap(DatasetLabels.visibility(result: r, scenario: s).first)
  }

  /// The mean of `measure` over speckle seeds 1–3.
  static func meanOverSeeds(_ measure: (Int) throws -> Double) throws -> Double {
    try (1...3).map(measure).reduce(0, +) / 3
  }
}
