import Acoustics
import Foundation
import Phantom
import XCTest

/// A ray's transmission through a needle: through its axis at right angles, the two walls are two fluid layers of
/// steel at normal incidence (Kinsler et al.'s closed form, independent of the plate solver); rays that pass beside
/// the shaft, beyond its tip, or start on its wall keep everything; the factor is the same both ways (reciprocity).
final class NeedleCrossingTests: XCTestCase {
  let tissue = Tissue.softTissue
  /// An 18G needle lying across the scan plane's x axis at 20 mm depth (0°), tip at x = 10 mm.
  let needle = Needle(gauge: 18, tipX: 10e-3, tipZ: 20e-3, insertionAngleRadians: 0, lengthMetres: 60e-3)

  func crossing(_ lumen: NeedleCrossing.Lumen, megahertz: Double = 7.6) -> NeedleCrossing {
    NeedleCrossing(needle: needle, lumen: lumen, surrounding: tissue, frequencyHz: megahertz * 1e6)
  }

  func testAPerpendicularRayThroughTheAxisCrossesTwoWalls() {
    let wall = (needle.outerDiameterMetres - needle.innerDiameterMetres) / 2
    for f in [3.57, 7.6] {
      let m = 7930 * 5790 / tissue.impedanceRayl
      let phase = 2 * Double.pi * f * 1e6 * wall / 5790
      let power = 4 / (4 * cos(phase) * cos(phase) + (m + 1 / m) * (m + 1 / m) * sin(phase) * sin(phase))
      let straightDown = crossing(.saline, megahertz: f).factor(
        from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 30e-3))
      XCTAssertEqual(straightDown, power, accuracy: power * 1e-6, "\(f) MHz: two walls, each |T|² = \(power)")
      let solid = crossing(.stylet, megahertz: f).factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 30e-3))
      let rodPhase = 2 * Double.pi * f * 1e6 * needle.outerDiameterMetres / 5790
      let rod = 4 / (4 * cos(rodPhase) * cos(rodPhase) + (m + 1 / m) * (m + 1 / m) * sin(rodPhase) * sin(rodPhase))
      XCTAssertEqual(solid, rod.squareRoot(), accuracy: rod.squareRoot() * 1e-6, "\(f) MHz: a steel rod")
    }
    XCTAssertEqual(crossing(.air).factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 30e-3)), 0)
    // At 7.6 MHz a saline-filled 18G shaft passes −47 dB one way: its shadow is the part of the beam it covers.
    XCTAssertLessThan(20 * log10(crossing(.saline).factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 30e-3))), -40)
  }

  func testRaysThatMissTheShaftOrStartOnItKeepEverything() {
    let c = crossing(.saline)
    let ro = needle.outerDiameterMetres / 2
    // Beside the shaft in elevation, beyond its tip, ending above it, ending on its probe-facing wall.
    XCTAssertEqual(c.factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 1e-3, 30e-3)), 1, accuracy: 0, "beside in elevation")
    XCTAssertLessThan(c.factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 0.9e-3, 30e-3)), 1, "within the radius at 20 mm")
    XCTAssertEqual(c.factor(from: SIMD3(12e-3, 0, 0), to: SIMD3(12e-3, 0, 30e-3)), 1, "beyond the tip")
    XCTAssertEqual(c.factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 19e-3)), 1, "ends above the needle")
    XCTAssertEqual(c.factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 20e-3 - ro)), 1, "ends on its wall")
    XCTAssertEqual(c.factor(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 20e-3)), 1, "ends inside it")
  }

  /// Rays that graze the wall (b → R_o, incidence → 90°) keep a finite factor between 0 and 1.
  func testGrazingRaysStayFinite() {
    let ro = needle.outerDiameterMetres / 2
    for lumen in NeedleCrossing.Lumen.allCases {
      for fraction in [0.9, 0.99, 0.999, 0.999999] {
        let f = crossing(lumen).factor(impactParameterMetres: ro * fraction, sinAngleToAxis: 1)
        XCTAssertTrue(f.isFinite && f >= 0 && f <= 1, "\(lumen), b = \(fraction) R_o: \(f)")
      }
    }
  }

  /// Oblique rays through the shaft: the same factor from either end, and a plate's energy balance keeps it ≤ 1.
  func testTheFactorIsReciprocal() {
    let c = crossing(.saline)
    for (x, y) in [(-8e-3, 0.0), (5e-3, 0.3e-3), (3e-3, -0.5e-3)] {
      let p = SIMD3(x, 0, 0)
      let q = SIMD3(-x * 0.5, y * 2, 32e-3)
      let there = c.factor(from: p, to: q)
      XCTAssertEqual(there, c.factor(from: q, to: p), accuracy: 1e-12)
      XCTAssertLessThanOrEqual(there, 1)
    }
  }
}
