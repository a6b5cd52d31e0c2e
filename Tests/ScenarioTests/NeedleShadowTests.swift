import Foundation
import Scenario
import XCTest

/// `physics: {needle_shadow: true}`: the needle is part of the propagation medium. Tissue deeper than an 18G shaft
/// lying across the image (0°) darkens, tissue above it does not change, and without the switch nothing does.
///
/// Measured on the same speckle with and without the needle (the needle empties only the tissue inside its shaft),
/// in the gel block with the L11-5v: the band 4–8 mm under the shaft, where the shaft's own echo does not reach,
/// against the scene without the needle; the band 1–5 mm above it against the needle without the switch. Rays through the shaft lose 47 dB one way (two walls,
/// ``Acoustics/NeedleCrossing``), but the elevation beam is wider than the shaft, so the image keeps the echoes of
/// scatterers beside it in elevation: the shadow is several dB, not 94 (`docs/physics.md`, needles).
final class NeedleShadowTests: XCTestCase {
  func scene(needle: Bool, shadow: Bool) throws -> Scenario {
    try Scenario.parse(
      yaml: """
        probe: L11-5v
        phantom: {preset: gel-block}
        \(needle ? "needles: [{gauge: 18, tip_mm: [12, 20], angle_deg: 0}]" : "")
        transmit: {scheme: plane_wave, angles_deg: [-8, 0, 8]}
        image: {x_mm: [-15, 15], z_mm: [10, 30], pixel_mm: 0.1}
        physics: {needle_shadow: \(shadow)}
        seed: 3
        """)
  }

  /// Mean envelope of `with` over that of `without` (dB) in the depth band `depths` (mm), across x −10…8 mm (under
  /// the shaft).
  func level(_ with: SimulationResult, over without: SimulationResult, depths: ClosedRange<Double>) -> Double {
    var (a, b) = (0.0, 0.0)
    for (r, z) in with.zAxisMetres.enumerated() where depths.contains(z * 1e3) {
      for (c, x) in with.xAxisMetres.enumerated() where (-10e-3...8e-3).contains(x) {
        let i = r * with.xAxisMetres.count + c
        a += Double(with.envelope[i])
        b += Double(without.envelope[i])
      }
    }
    return 20 * log10(a / b)
  }

  func testTissueUnderTheShaftIsShadowedAndAboveItIsNot() throws {
    let none = SimulationPipeline(scenario: try scene(needle: false, shadow: true), threads: 2).run()
    let shadowed = SimulationPipeline(scenario: try scene(needle: true, shadow: true), threads: 2).run()
    let plain = SimulationPipeline(scenario: try scene(needle: true, shadow: false), threads: 2).run()
    let below = level(shadowed, over: none, depths: 24.6...28.6)
    let above = level(shadowed, over: plain, depths: 14.4...18.4)
    print(String(format: "18G at 0°, L11-5v: 4–8 mm under the shaft %.1f dB, 1–5 mm above %.2f dB", below, above))
    XCTAssertLessThan(below, -6, "tissue beyond the shaft lies in its shadow")
    XCTAssertEqual(above, 0, accuracy: 0.1, "the shaft does not shadow what lies in front of it")
    XCTAssertGreaterThan(level(plain, over: none, depths: 24.6...28.6), -1, "without the switch, no shadow")
  }
}
