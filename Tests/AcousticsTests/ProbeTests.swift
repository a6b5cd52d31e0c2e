import Acoustics
import Acquisition
import Foundation
import XCTest

final class ProbeTests: XCTestCase {
  /// Preset values from docs/physics.md ("Probe presets").
  func testPresetsCarryReferenceValues() {
    let l = Probe.preset(named: "l11-5v")!
    XCTAssertEqual(l.elementCount, 128)
    XCTAssertEqual(l.centerFrequencyHz, 7.6e6)
    XCTAssertEqual(l.kerfMetres, 0.030e-3, accuracy: 1e-9)
    XCTAssertEqual(Probe.c5_2v.radiusMetres, 49.57e-3)
    XCTAssertEqual(Probe.p4_2v.elementCount, 64)
    XCTAssertEqual(Probe.l12_3v.fractionalBandwidth, 0.93)
    XCTAssertTrue(Probe.presets.allSatisfy { $0.problems.isEmpty })
  }

  func testLinearElementsAreEvenlySpacedAndCentred() {
    let e = Probe.l11_5v.elements
    XCTAssertEqual(e.first!.xMetres, -63.5 * 0.3e-3, accuracy: 1e-12)
    XCTAssertEqual(e[1].xMetres - e[0].xMetres, 0.3e-3, accuracy: 1e-12)
    XCTAssertTrue(e.allSatisfy { $0.zMetres == 0 && $0.normalAngleRadians == 0 })
  }

  /// Convex elements lie on the arc of radius R about (0, −R), with normals pointing away from its centre, and
  /// neighbours one pitch apart along the arc.
  func testConvexElementsLieOnTheArcWithRadialNormals() {
    let p = Probe.c5_2v
    let e = p.elements
    for el in e {
      XCTAssertEqual(hypot(el.xMetres, el.zMetres + p.radiusMetres), p.radiusMetres, accuracy: 1e-12)
      let radial = atan2(el.xMetres, el.zMetres + p.radiusMetres)
      XCTAssertEqual(radial, el.normalAngleRadians, accuracy: 1e-12)
    }
    XCTAssertEqual((e[1].normalAngleRadians - e[0].normalAngleRadians) * p.radiusMetres, p.pitchMetres, accuracy: 1e-12)
    XCTAssertEqual(e[63].zMetres, e[64].zMetres, accuracy: 1e-12)
  }

  /// The tabulated sinc agrees with cos θ · sin(u)/u everywhere (10⁻⁵).
  func testDirectivityTableMatchesClosedForm() {
    let d = Directivity(elementWidthMetres: 0.46e-3, wavelengthMetres: 0.43e-3)
    for i in 0...200 {
      let s = -1 + 2 * Double(i) / 200
      let u = Double.pi * 0.46 / 0.43 * s
      let expected = (1 - s * s).squareRoot() * (abs(u) < 1e-12 ? 1 : sin(u) / u)
      XCTAssertEqual(
        Double(d.value(sinTheta: Float(s), cosTheta: Float((1 - s * s).squareRoot()))), expected, accuracy: 1e-5)
    }
  }

  func testDirectivityHasSoftBaffleAndNullAtLambdaOverWidth() {
    let d = Directivity(elementWidthMetres: 0.27e-3, wavelengthMetres: 0.2e-3)
    XCTAssertEqual(d.value(sinTheta: 0, cosTheta: 1), 1, accuracy: 1e-6)
    let s: Float = 0.2 / 0.27  // first null of the sinc
    XCTAssertEqual(d.value(sinTheta: s, cosTheta: (1 - s * s).squareRoot()), 0, accuracy: 1e-5)
    XCTAssertEqual(d.value(sinTheta: 0.3, cosTheta: -0.95), 0)
  }

  /// The elevation beam has its focal gain at the lens focus and falls as 1/√ρ far away.
  func testElevationBeamFocusesAtTheLens() {
    let b = ElevationBeam(
      elementHeightMetres: 5e-3, elevationFocusMetres: 18e-3, wavelengthMetres: 0.2e-3, maximumRangeMetres: 0.3,
      maximumElevationMetres: 3e-3)
    let atFocus = b.value(elevationMetres: 0, rangeMetres: 18e-3)
    XCTAssertGreaterThan(atFocus, b.value(elevationMetres: 0, rangeMetres: 8e-3))
    XCTAssertGreaterThan(atFocus, b.value(elevationMetres: 0, rangeMetres: 40e-3))
    XCTAssertLessThan(b.value(elevationMetres: 2e-3, rangeMetres: 18e-3), 0.3 * atFocus)
  }

  /// Without a lens, far beyond H²/λ (125 mm here), E → H/√(λρ): on axis, at 1 m, within 1 %.
  func testUnfocusedStripReachesItsFarField() {
    let b = ElevationBeam(
      elementHeightMetres: 5e-3, elevationFocusMetres: .infinity, wavelengthMetres: 0.2e-3, maximumRangeMetres: 1.01,
      maximumElevationMetres: 0)
    let expected = 5e-3 / (0.2e-3 * 1.0).squareRoot()
    XCTAssertEqual(Double(b.value(elevationMetres: 0, rangeMetres: 1.0)), expected, accuracy: 0.01 * expected)
  }

  /// The shared beam is a fresh one over the rounded-up extents: the same values wherever either is asked, and the
  /// same table for any extents that round alike.
  func testSharedElevationBeamEqualsAFreshOne() {
    let shared = ElevationBeam.shared(
      elementHeightMetres: 5e-3, elevationFocusMetres: 18e-3, wavelengthMetres: 0.2e-3, maximumRangeMetres: 41.3e-3,
      maximumElevationMetres: 2.2e-3, threads: 2)
    let again = ElevationBeam.shared(
      elementHeightMetres: 5e-3, elevationFocusMetres: 18e-3, wavelengthMetres: 0.2e-3, maximumRangeMetres: 45e-3,
      maximumElevationMetres: 2.9e-3, threads: 1)
    let fresh = ElevationBeam(
      elementHeightMetres: 5e-3, elevationFocusMetres: 18e-3, wavelengthMetres: 0.2e-3, maximumRangeMetres: 50e-3,
      maximumElevationMetres: 3e-3)
    for (y, rho) in [(0.0, 5e-3), (1.3e-3, 18e-3), (2.2e-3, 41.3e-3), (0.7e-3, 30.1e-3)] as [(Float, Float)] {
      let v = fresh.value(elevationMetres: y, rangeMetres: rho)
      XCTAssertGreaterThan(v, 0)
      XCTAssertEqual(shared.value(elevationMetres: y, rangeMetres: rho), v)
      XCTAssertEqual(again.value(elevationMetres: y, rangeMetres: rho), v)
    }
  }
}
