import Foundation
import Metrics
import Scenario
import Studies
import XCTest

/// The image acceptance of the anatomy presets (`docs/metrics.md`; README, "Anatomy presets"; the figures of
/// `scripts/image-acceptance`), on each preset's example scene (`examples/phantoms/`, default parameters) with speckle
/// seeds 1–3, as `us-sim simulate` writes it and `metrics.json` measures it. Asserted here, the part the presets meet:
/// - in the lumbar views bone surfaces are the brightest structures — their band's mean E above the 99th percentile
///   of E elsewhere (`bone_surface_db` > 0) — for every seed;
/// - in the paramedian view the posterior complex stands ≥ 10 dB above the canal beneath it, for every seed;
/// - the sacral-hiatus needle's mean wall-band contrast is ≥ 10 dB;
/// - in the transverse view, whose speckle region is muscle, the speckle SNR is Rayleigh's 1.91 ± 0.1 for every seed
///   (1.90, 1.93, 1.90).
/// Not asserted, as not met (README): shadow depth ≥ 25 dB (21.2, 16.6 and 17.5 dB), the paramedian view's speckle
/// SNR (1.80–1.83 in its striated muscle; the sacral view's speckle region is fat, 1.52–1.57), the lumbar needles,
/// the sacral needle's visible length (59.8 %: 23, 23 and 24 of its 39 one-millimetre segments, where 60 % needs 71
/// of the 117) and the sacral view's bone surface (−1.4 to −1.8 dB). The last two held with the Gaussian probe
/// response (60.7 %, +0.6 to +1.1 dB) and fell with MUST's. In the sacral view the band's mean is held down by the
/// flat dorsal sacrum beside the hiatus, which the convex probe sees off its specular direction (seed 1, x = −20 mm:
/// a peak of 23 dB against 50 dB for the canal's floor under the probe's centre), while the 99th percentile elsewhere
/// is set by the flat soft-tissue interfaces over the hiatus (fat, connective tissue, ligament; 40–41 dB), perfect
/// mirrors facing the probe. MUST's longer axial skirt puts more of their pixels above the percentile (seed 1: the
/// percentile +2.2 dB, the band's mean +0.5 dB). Rough interfaces (issue 27 point 2) are the missing physics.
final class ImageAcceptanceTests: XCTestCase {
  static let phantoms = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples/phantoms")

  /// The metrics of `preset`'s example scene with `seed`.
  func metrics(_ preset: String, seed: Int) throws -> FrameMetrics {
    let text = try String(contentsOf: Self.phantoms.appendingPathComponent("\(preset).yaml"), encoding: .utf8)
    let yaml = text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasPrefix("seed:") ? "seed: \(seed)" : String($0) }.joined(separator: "\n")
    let s = try Scenario.parse(yaml: yaml)
    XCTAssertEqual(s.seed, UInt64(seed))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-acceptance-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    var result = SimulationPipeline(scenario: s, threads: 2).run()
    try SimulationOutput.write(&result, scenario: s, to: dir)
    return try FrameMetrics.write(forFrameIn: dir)
  }

  func testPresetImagesMeetTheAcceptanceTheyMeet() throws {
    for preset in ["lumbar-paramedian-sagittal", "lumbar-transverse-facet", "sacral-hiatus"] {
      let runs = try (1...3).map { try metrics(preset, seed: $0) }
      for (seed, m) in zip(1..., runs) {
        let bone = try XCTUnwrap(m.boneSurfaceDb, "\(preset) seed \(seed)")
        print("\(preset) seed \(seed): bone surface \(bone) dB, complex over canal \(m.complexOverCanalDb ?? .nan) dB")
        if preset != "sacral-hiatus" { XCTAssertGreaterThan(bone, 0, "\(preset) seed \(seed)") }
        if preset == "lumbar-paramedian-sagittal" {
          XCTAssertGreaterThanOrEqual(try XCTUnwrap(m.complexOverCanalDb), 10, "seed \(seed)")
        }
        if preset == "lumbar-transverse-facet" {
          XCTAssertEqual(try XCTUnwrap(m.speckleSNR), Speckle.rayleighSNR, accuracy: 0.1, "seed \(seed)")
        }
      }
      if preset == "sacral-hiatus" {
        let needles = runs.map { $0.needles[0].visibility }
        let contrast = needles.map(\.contrastDb).reduce(0, +) / 3
        let visible = needles.map(\.visibleLengthFraction).reduce(0, +) / 3
        print("sacral-hiatus needle: \(contrast) dB, visible \(visible * 100) % (not asserted)")
        XCTAssertGreaterThanOrEqual(contrast, 10)
      }
    }
  }
}
