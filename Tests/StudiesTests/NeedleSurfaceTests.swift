import Foundation
import Metrics
import Scenario
import Studies
import XCTest

/// Echogenic (dimpled, coated) against plain needles on the wall-band metric (`docs/metrics.md`), 22G in the speckled
/// gel block (``GelNeedle``), each figure the mean of speckle seeds 1–3. The dimples (``Phantom/SurfacePit``, checked
/// against closed forms in `SurfacePitTests`): 100 µm across, 50 µm deep, 25 per mm² (the density of Nichols et al.,
/// JVIR 2003's counts), over the distal 20 mm — an illustrative pattern, as makers publish none. The coating
/// (``Phantom/CoatingBubble``, checked against the exact modal solution in `CoatingBubbleTests`): bubbles 4 µm across
/// in a matrix of shear modulus 1 MPa (a soft elastomer's), 25 per mm² (the pits' count), over the distal 20 mm —
/// illustrative too.
///
/// The trends are the published ones: at 90° insonation (0° insertion) plain and echogenic needles image alike, and
/// at steep angles the echogenic ones stay visible while plain ones fade (Nichols et al. 2003: 60–76 units for all at
/// 90°, 40–43 for dimpled against 5 for plain at 15° insonation; Hebard & Hocking, RAPM 2011).
final class NeedleSurfaceTests: XCTestCase {
  static let dimples = "surface: {dimples: {diameter_um: 100, depth_um: 50, per_mm2: 25, from_tip_mm: [0, 20]}}"
  static func coating(perSquareMillimetre n: Int) -> String {
    "surface: {coating: {bubble_diameter_um: 4, shear_modulus_mpa: 1, per_mm2: \(n), from_tip_mm: [0, 20]}}"
  }
  static let physical = "physics: {calibration: physical}"

  /// Mean wall-band contrast (dB) of a 22G needle with the needle keys `surface` ("" for a plain one).
  func contrast(
    probe: String = "L11-5v", depth: Int = 30, angle: Double, surface: String, extra: String = "", pixel: Double = 0.1
  ) throws -> Double {
    let needle = GelNeedle(probe: probe, gauge: 22, angle: angle, depth: depth, pixel: pixel, needleKeys: surface)
    return try GelNeedle.meanOverSeeds { try needle.visibility(seed: $0, extra: extra).contrastDb }
  }

  /// At 0° the shaft's mirror dominates the wall band: the dimpled and the coated needle each within 3 dB of the plain
  /// one, L11-5v at 30 mm and C5-2v at 50 mm, in the physical calibration, where the mirror, the pits and the bubbles
  /// all stand against speckle as physics says. The dimpled needle loses the pits' share of its mirror (1 − 0.196:
  /// −1.9 dB); the coated one keeps its mirror, but its bubbles, point scatterers, leak into the background beside the
  /// shaft through the receive aperture's sidelobes (four times as many bubbles, 100 per mm², measured 3.2 dB under
  /// the plain needle at 0°). (The relative calibration's mirror is a fitted constant ~20 dB weaker than physics
  /// against speckle, so there the finishes outshine the mirror: not tested.)
  func testEchogenicNeedlesImageAsPlainAtZeroDegrees() throws {
    for (probe, depth, pixel) in [("L11-5v", 30, 0.1), ("C5-2v", 50, 0.2)] {
      let c = try ["", Self.dimples, Self.coating(perSquareMillimetre: 25)].map {
        try contrast(probe: probe, depth: depth, angle: 0, surface: $0, extra: Self.physical, pixel: pixel)
      }
      print("\(probe) 22G at 0°, physical calibration: plain \(c[0]) dB, dimpled \(c[1]) dB, coated \(c[2]) dB")
      XCTAssertEqual(c[1], c[0], accuracy: 3, "\(probe) dimpled")
      XCTAssertEqual(c[2], c[0], accuracy: 3, "\(probe) coated")
    }
  }

  /// At 45° a plain shaft's mirror sends its echo far past the aperture while the pits still return theirs: the
  /// dimpled needle's wall-band contrast ≥ 10 dB above the plain one's, L11-5v at 30 mm, in the physical and in the
  /// default (relative) calibration.
  func testDimplesKeepASteepNeedleVisible() throws {
    for extra in [Self.physical, ""] {
      let c = try ["", Self.dimples].map { try contrast(angle: 45, surface: $0, extra: extra) }
      print("L11-5v 22G at 45° (\(extra.isEmpty ? "relative" : "physical")): plain \(c[0]) dB, dimpled \(c[1]) dB")
      XCTAssertGreaterThanOrEqual(c[1] - c[0], 10, extra)
    }
  }

  /// The mean power over a 22G needle at 45° (mean E² over its ground-truth mask, physical calibration, so absolute)
  /// and its mean wall-band contrast, seeds 1–3, L11-5v at 30 mm, with the needle keys `surface`.
  func steepNeedle(surface: String) throws -> (power: Double, contrastDb: Double) {
    let needle = GelNeedle(probe: "L11-5v", gauge: 22, angle: 45, depth: 30, needleKeys: surface)
    var (power, contrast) = (0.0, 0.0)
    for seed in 1...3 {
      let (s, r) = try needle.frame(seed: seed, extra: Self.physical)
      let mask = try XCTUnwrap(r.groundTruth?.needle)
      let inside = zip(r.envelope, mask).filter { $0.1 > 0 }.map { Double($0.0) * Double($0.0) }
      power += inside.reduce(0, +) / Double(inside.count) / 3
      contrast += try XCTUnwrap(DatasetLabels.visibility(result: r, scenario: s).first).contrastDb / 3
    }
    return (power, contrast)
  }

  /// ``steepNeedle(surface:)`` for the plain needle, for `once` and for `fourfold` (a finish that scatters four times
  /// the diffuse power of `once`), holding the last to `P₀ + 4·(P₁ − P₀)` within 1 dB: echoes that add with random
  /// phases. Prints the figures under `label` and returns the three.
  func assertFourfoldPower(once: String, fourfold: String, label: String) throws -> [(
    power: Double, contrastDb: Double
  )] {
    let m = try ["", once, fourfold].map { try steepNeedle(surface: $0) }
    let predicted = m[0].power + 4 * (m[1].power - m[0].power)
    let db = m.map { 10 * log10($0.power / m[0].power) }
    print(
      "L11-5v 22G at 45°, physical, \(label): power over the needle re plain \(db[1]) dB, \(db[2]) dB (predicted "
        + "\(10 * log10(predicted / m[0].power)) dB); wall-band contrast plain \(m[0].contrastDb) dB, "
        + "\(m[1].contrastDb) dB, \(m[2].contrastDb) dB")
    XCTAssertEqual(10 * log10(m[2].power / predicted), 0, accuracy: 1, label)
    return m
  }

  /// A coating's bubbles scatter the same way at every angle and their echoes add with random phases, so at 45°,
  /// where the plain shaft's mirror has gone, the power the image holds over the needle is the plain needle's plus the
  /// bubbles', which grows in proportion to their number: 100 per mm² against 25 (``assertFourfoldPower``). And the
  /// coating keeps the steep needle visible as the dimples do: its wall-band contrast ≥ 10 dB above the plain one's.
  func testCoatingEchoAddsUpWithItsBubbles() throws {
    let m = try assertFourfoldPower(
      once: Self.coating(perSquareMillimetre: 25), fourfold: Self.coating(perSquareMillimetre: 100),
      label: "coating 25, 100 per mm²")
    XCTAssertGreaterThanOrEqual(m[1].contrastDb - m[0].contrastDb, 10)
  }

  /// A rough shaft's diffuse echo (``Phantom/SurfaceRoughness``, checked against random surfaces in
  /// `SurfaceRoughnessTests`) is power from random phases, in proportion to σ² at a given correlation length: σ = 4 µm
  /// against 2 µm (ℓ = 20 µm both; ``assertFourfoldPower``). Printed beside: σ = 0.4 µm, polished tubing's.
  func testRoughnessEchoGrowsWithItsHeight() throws {
    func rough(_ rms: Double) -> String { "surface: {roughness: {rms_um: \(rms), correlation_um: 20}}" }
    _ = try assertFourfoldPower(once: rough(2), fourfold: rough(4), label: "roughness 2, 4 µm")
    print("polished (0.4 µm): wall-band contrast \(try steepNeedle(surface: rough(0.4)).contrastDb) dB")
  }
}
