import Foundation
import Metrics
import Scenario
import Studies
import XCTest

/// The image acceptance of the anatomy presets (`docs/metrics.md`; README, "Anatomy presets"; the figures of
/// `scripts/image-acceptance`), on each preset's example scene (`examples/phantoms/`, default parameters) with speckle
/// seeds 1–3, as `us-sim simulate` writes it and `metrics.json` measures it. Asserted here, the part the presets meet:
/// - bone surfaces are the brightest structures — their band's mean E above the 99th percentile of E elsewhere
///   (`bone_surface_db` > 0) — in every preset, for every seed;
/// - in the paramedian view the posterior complex stands ≥ 10 dB above the canal beneath it, for every seed;
/// - the sacral-hiatus needle is clearly visible: mean wall-band contrast ≥ 10 dB, visible length ≥ 60 %;
/// - in the transverse view, whose speckle region is muscle, the speckle SNR is Rayleigh's 1.91 ± 0.1 for every seed
///   (1.99, 2.01, 1.98: the top of the range, for a reason not established: dividing each row by its own mean
///   raises the SNR of short rows, but the region's rows here hold hundreds of pixels).
/// Not asserted, as not met (README): shadow depth ≥ 25 dB, the paramedian view's speckle SNR (1.73–1.78 in its
/// striated muscle; the sacral view's speckle region is fat, 1.51–1.57), the lumbar needles.
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
        XCTAssertGreaterThan(bone, 0, "\(preset) seed \(seed)")
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
        print("sacral-hiatus needle: \(contrast) dB, visible \(visible * 100) %")
        XCTAssertGreaterThanOrEqual(contrast, 10)
        XCTAssertGreaterThanOrEqual(visible, 0.6)
      }
    }
  }
}
