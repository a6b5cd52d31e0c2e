import Foundation
import Phantom
import XCTest

/// Which side of a surface the sound arrives from
/// (``TissueMap/interfaces(in:wavelengthMetres:seed:model:incidence:insonifiedFrom:)``): the side its normal turns
/// toward the beam's source. A 2 mm fluid slot cut vertically into bone (a facet joint's gap) has two walls; sound from
/// a source straight above the slot meets each wall from the slot's side, so the two walls' echoes are mirror images of
/// each other — a symmetric scene gives a symmetric set of reflectors. A source off to the left lights the slot's right
/// wall from the fluid (R = (Z_bone − Z_fluid)/(Z_bone + Z_fluid) > 0, the point in the fluid) and its left wall only
/// through the bone (R < 0, the point in the bone): the fluid side of that wall faces away from the source. The
/// shallower-side rule this replaces took the left side as the near one on both walls of an exactly vertical slot (the
/// left wall lit through the bone even from straight above), and flipped them with the sign of a tilt of a fraction of
/// a degree.
final class LitSideTests: XCTestCase {
  let lambda = 0.44e-3
  /// R = (Z_bone − Z_fluid)/(Z_bone + Z_fluid) at normal incidence from the impedances Z = ρc of
  /// `reference/physics.md` — CSF as water, 1523 m/s and 1000 kg/m³; cortical bone 3200 m/s (3200–4000) and
  /// 1900 kg/m³ (1800–2200) — written out here rather than read from the tissues' own reflection.
  let r = (1900.0 * 3200 - 1000.0 * 1523) / (1900.0 * 3200 + 1000.0 * 1523)
  let field = Field(xMin: -15e-3, xMax: 15e-3, zMin: 0, zMax: 50e-3)

  /// Bone 20 mm wide from 30 to 40 mm, a 2 mm slot of CSF through it at x = 0.
  func slot() -> TissueMap {
    var map = TissueMap(background: .muscle)
    map.add(.rectangle(xMin: -10e-3, xMax: 10e-3, zMin: 30e-3, zMax: 40e-3), .corticalBone)
    map.add(.rectangle(xMin: -1e-3, xMax: 1e-3, zMin: 30e-3, zMax: 40e-3), .csf)
    return map
  }

  /// The points on the slot's walls (|x| within 0.1 mm of 1 mm, 31–39 mm deep): (x, amplitude).
  func walls(_ set: ScattererSet) -> [(x: Double, amplitude: Double)] {
    (0..<set.count).compactMap { i in
      let (x, z) = (Double(set.x[i]), Double(set.z[i]))
      guard abs(abs(x) - 1e-3) < 0.1e-3, z > 31e-3, z < 39e-3 else { return nil }
      return (x, Double(set.amplitude[i]))
    }
  }

  func testSlotWallsFromAboveAreMirrorImages() {
    let set = slot().interfaces(
      in: field, wavelengthMetres: lambda, seed: 1, insonifiedFrom: .from(SIMD2(0, -40e-3)))
    let w = walls(set)
    let left = w.filter { $0.x < 0 }
    let right = w.filter { $0.x > 0 }
    XCTAssertGreaterThan(left.count, 50)
    XCTAssertEqual(left.count, right.count)
    for p in w {
      XCTAssertEqual(abs(p.x), 1e-3 - 0.01e-3, accuracy: 1e-7, "each wall's point sits in the slot's fluid")
      XCTAssertEqual(p.amplitude / (lambda / 4 / lambda.squareRoot()), r, accuracy: 1e-5)
    }
  }

  func testSourceToTheLeftLightsTheRightWallFromTheFluid() {
    let set = slot().interfaces(
      in: field, wavelengthMetres: lambda, seed: 1, insonifiedFrom: .from(SIMD2(-30e-3, -40e-3)))
    let unit = lambda / 4 / lambda.squareRoot()
    let w = walls(set)
    XCTAssertFalse(w.isEmpty)
    for p in w where p.x > 0 {
      XCTAssertEqual(p.x, 1e-3 - 0.01e-3, accuracy: 1e-7, "right wall: lit from the fluid")
      XCTAssertEqual(p.amplitude / unit, r, accuracy: 1e-5)
    }
    for p in w where p.x < 0 {
      XCTAssertEqual(p.x, -1e-3 - 0.01e-3, accuracy: 1e-7, "left wall: reached through the bone")
      XCTAssertEqual(p.amplitude / unit, -r, accuracy: 1e-5)
    }
  }

  /// Straight down (`.normal` or a linear array's `.along((0, 1))`) keeps the shallower side, as before, on every
  /// surface that is not exactly vertical: the slab's top face is lit from above.
  func testStraightDownLightsTheShallowerSide() {
    let a = slot().interfaces(in: field, wavelengthMetres: lambda, seed: 1)
    let b = slot().interfaces(in: field, wavelengthMetres: lambda, seed: 1, insonifiedFrom: .along(SIMD2(0, 1)))
    XCTAssertEqual(a.x, b.x)
    XCTAssertEqual(a.z, b.z)
    XCTAssertEqual(a.amplitude, b.amplitude)
    let top = (0..<a.count).filter { abs(Double(a.z[$0]) - 30e-3) < 0.05e-3 && abs(Double(a.x[$0])) > 2e-3 }
    XCTAssertGreaterThan(top.count, 50)
    for i in top {
      XCTAssertLessThan(Double(a.z[i]), 30e-3, "the top face's points sit in the muscle above it")
      XCTAssertGreaterThan(Double(a.amplitude[i]), 0)
    }
  }
}
