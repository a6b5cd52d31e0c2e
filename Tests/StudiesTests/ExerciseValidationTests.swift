import FileFormats
import Foundation
import Scenario
import Studies
import TestSupport
import XCTest

/// The answer key against the images, for every preset with a target and every difficulty (2 exercises, seeds 1 and
/// 2): every exercise shows its target in two frames or more and hides it in as many (by the image key,
/// ``TargetEcho``), and — the exercise teaching what its key says — the target's own echo is ≥ 10 dB stronger on
/// average in the frames keyed visible than in those keyed hidden and stronger in each, and no frame keyed visible
/// is darker at the target than one keyed hidden.
///
/// The image levels are read back from the written frames (`envelope.npy` over `mask_target.npy`: 10·log10 of the
/// mean squared envelope), not from the key. The generator re-plans a sweep until it teaches
/// (``ExerciseKey/Sweep/teaches``), so what this test catches is a preset or difficulty for which no plan within
/// ``ExerciseGenerator/maximumAttempts`` does, or a key whose calls and levels disagree with its frames.
///
/// Known shortfall: the facet joint at `easy` and `medium` (``ExerciseDifficulty/knownShortfall(of:)``). Its lips —
/// the articular processes' posterior surfaces at the gap, the joint's own echo — are the shallowest bone on every
/// path to it from those sweeps' poses, so no pose puts them in shadow; the frames keyed hidden are hidden by the
/// clutter of brighter bone nearby (signal to clutter ≤ 0 dB), with their own echo on average within 10 dB of the
/// visible frames'. Those exercises are kept with `teaches: false` when a plan still shows and hides the target
/// twice — and then the key must say so —, or refused with the planner's message naming the reason. Until
/// 2026-12-06 the easy ones taught, by a modelling fault: a surface's lit side was taken as its shallower side, which
/// on the joint gap's vertical walls flipped with the sign of the probe's tilt (``LitSideTests``; README, *Known
/// shortfalls*). Measured and not the answer: planning on the lips' surfaces, 25° of tilt at easy and medium (with
/// the fix, seed 1 at easy: echo margins 6.6 and 9.2 dB) and offsets out to ±56 mm (seed 1 at easy, exercise 2: no
/// plan of 6 hides the joint twice).
///
/// About 22 minutes on 2 cores: run by `scripts/validate-exercises` (and CI), skipped by `scripts/test` otherwise.
final class ExerciseValidationTests: XCTestCase {
  func level(_ folder: URL) throws -> Double {
    let envelope = try NumpyArray.decode(Data(contentsOf: folder.appendingPathComponent("envelope.npy"))).values
    let target = try NumpyArray.decode(Data(contentsOf: folder.appendingPathComponent("mask_target.npy"))).values
    let inside = target.indices.filter { target[$0] != 0 }
    let power = inside.reduce(0.0) { $0 + envelope[$1] * envelope[$1] } / Double(max(inside.count, 1))
    return 10 * log10(max(power, 1e-30))
  }

  /// Preset and difficulty whose exercises may fall short of teaching (above).
  static let knownShortfalls: Set<String> = ["lumbar-transverse-facet easy", "lumbar-transverse-facet medium"]

  func testVisibleFramesAreBrighterAtTheTargetThanHiddenOnes() throws {
    try XCTSkipUnless(
      ProcessInfo.processInfo.environment["US_SIM_EXERCISE_VALIDATION"] == "1",
      "about 22 minutes: run scripts/validate-exercises")
    var report: [String] = []
    for preset in ExercisePlan.presets {
      for difficulty in ExerciseDifficulty.allCases {
        for seed: UInt64 in [1, 2] {
          let out = Programs.temporaryDirectory("us-sim-exercise-validation")
          defer { try? FileManager.default.removeItem(at: out) }
          let label = "\(preset.rawValue) \(difficulty.rawValue) seed \(seed)"
          do {
            try ExerciseGenerator(
              preset: preset, difficulty: difficulty, count: 2, seed: seed, needle: false, output: out, workers: 2
            ).run()
          } catch {
            // A known shortfall may stop with the planner's own refusal, which must name the known reason.
            let reason = difficulty.knownShortfall(of: preset)
            if Self.knownShortfalls.contains("\(preset.rawValue) \(difficulty.rawValue)"), let reason,
              "\(error)".contains("no sweep of"), "\(error)".hasSuffix(reason)
            {
              report.append("\(label): refused, as known (\("\(error)".prefix(160))…)")
            } else {
              XCTFail("\(label): \(error)")
            }
            continue
          }
          let key =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("answer_key.json")))
            as! [String: Any]
          for e in key["exercises"] as! [[String: Any]] {
            var visible: [(echo: Double, image: Double)] = []
            var hidden: [(echo: Double, image: Double)] = []
            for f in e["frames"] as! [[String: Any]] {
              let db = try level(out.appendingPathComponent(f["image"] as! String).deletingLastPathComponent())
              let echo = f["target_echo"] as? [String: Double]
              XCTAssertEqual(echo?["image_db"] ?? db, db, accuracy: 0.01, "\(label): the key's level is the frame's")
              switch f["state"] as! String {
              case "visible": visible.append((echo!["echo_db"]!, db))
              case "hidden": hidden.append((echo?["echo_db"] ?? -.infinity, db))
              default: break
              }
            }
            let name = "\(label) exercise \(e["exercise"]!)"
            XCTAssertGreaterThanOrEqual(visible.count, 2, name)
            XCTAssertGreaterThanOrEqual(hidden.count, 2, name)
            guard !visible.isEmpty, !hidden.isEmpty else { continue }
            func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
            let echoMargin = mean(visible.map(\.echo)) - mean(hidden.map(\.echo))
            let echoOrder = visible.map(\.echo).min()! - hidden.map(\.echo).max()!
            let imageMargin = mean(visible.map(\.image)) - mean(hidden.map(\.image))
            let imageOrder = visible.map(\.image).min()! - hidden.map(\.image).max()!
            let teaches = echoMargin >= 10 && echoOrder >= 0 && imageOrder >= 0
            XCTAssertEqual(e["teaches"] as? Bool, teaches, "\(name): the key says whether it teaches")
            if !Self.knownShortfalls.contains("\(preset.rawValue) \(difficulty.rawValue)") {
              XCTAssertGreaterThanOrEqual(echoMargin, 10, "\(name): mean visible − mean hidden, target echo")
              XCTAssertGreaterThanOrEqual(echoOrder, 0, "\(name): weakest visible − strongest hidden, target echo")
              XCTAssertGreaterThanOrEqual(imageOrder, 0, "\(name): darkest visible − brightest hidden, image")
            }
            report.append(
              String(
                format: "%@: plan %d, %d visible, %d hidden; echo margin %.1f dB, order %.1f dB; "
                  + "image margin %.1f dB, order %.1f dB",
                name, e["plan"] as! Int, visible.count, hidden.count, echoMargin, echoOrder, imageMargin, imageOrder))
          }
        }
      }
    }
    print(report.joined(separator: "\n"))
  }
}
