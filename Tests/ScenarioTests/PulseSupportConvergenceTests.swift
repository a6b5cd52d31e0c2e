import Acoustics
import Beamform
import Foundation
import Metrics
import Scenario
import XCTest

/// The exact sum is converged in the length of its pulse tables (``Acoustics/PulseBank/defaultSupportLevelDb``):
/// the exact image with the tables cut at the default level stays within the speed budget (``Metrics/ImageBudget``:
/// 1 % relative RMS over the frame, 3 % in every bright 5 × 5 mm tile) of the same image with tables reaching
/// −110 dB, a brute-force reference with no other difference (same record, same scatterers, same noise).
///
/// The scenes are the two that converge slowest: the gel block's needle, whose echo sums many wall and lumen copies
/// that cancel much of its in-band energy but not a cut pulse's leakage, and the transverse facet view, whose deep
/// echoes are the most attenuated, hence the longest. Measured 2026-12-07 (frame, every entry cut at −60/−70/−80 dB
/// of its own peak, against −110 dB): gel block −35.9/−43.2/−54.6 dB, transverse facet −34.9/−41.0/−51.6 dB. The
/// −60 dB cut is checked to fail, so the scenes can tell.
final class PulseSupportConvergenceTests: XCTestCase {
  func image(_ scenario: Scenario, supportLevelDb: Double) -> (image: [Float], grid: ImageGrid) {
    var s = scenario
    s.acquisition.exact = true
    var pipeline = SimulationPipeline(scenario: s, threads: 2)
    pipeline.pulseSupportLevelDb = supportLevelDb
    let r = pipeline.run()
    return (r.beamformed, r.grid)
  }

  func testExactImagesConvergeInThePulseSupport() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    for preset in ["gel-block", "lumbar-transverse-facet"] {
      let scenario = try Scenario.load(contentsOf: root.appendingPathComponent("examples/phantoms/\(preset).yaml"))
      let reference = image(scenario, supportLevelDb: -110)
      for (level, within) in [(PulseBank.defaultSupportLevelDb, true), (-60, false)] {
        let cut = image(scenario, supportLevelDb: level)
        XCTAssertEqual(cut.grid, reference.grid)
        let e = ImageBudget.errors(
          exact: reference.image, other: cut.image, x: reference.grid.x, z: reference.grid.z)
        print(
          String(
            format: "support %@ at %.0f dB: frame %.1f dB, worst bright tile %.2f %%", preset, level,
            20 * log10(e.frame), 100 * e.worstTile))
        if within {
          XCTAssertLessThanOrEqual(e.frame, 0.01, "\(preset) at \(level) dB: frame")
          XCTAssertLessThanOrEqual(e.worstTile, 0.03, "\(preset) at \(level) dB: worst bright tile")
        } else {
          XCTAssertGreaterThan(e.frame, 0.01, "\(preset) at \(level) dB: the scene no longer tells the levels apart")
        }
      }
    }
  }
}
