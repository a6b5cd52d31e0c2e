import Foundation
import Metrics
import XCTest

/// The metrics.md definitions on synthetic images whose answers are known exactly.
final class MetricDefinitionsTests: XCTestCase {
  let x = stride(from: -10e-3, through: 10e-3, by: 0.1e-3).map { $0 }
  let z = stride(from: 0.0, through: 20e-3, by: 0.1e-3).map { $0 }

  /// A horizontal 1 mm shaft at z = 10 mm from x = −8 to 8 mm under a linear array: its wall line is the top of the
  /// tube, z = 9.5 mm; with δ = 0.2 mm the wall band is 9.3 ≤ z ≤ 9.7 mm, the background 5.5 ≤ z ≤ 8.5 mm and the far
  /// side 11.5 ≤ z ≤ 14.5 mm (docs/metrics.md, "Needle visibility").
  let shaft = ShaftGeometry(entry: SIMD2(-8e-3, 10e-3), tip: SIMD2(8e-3, 10e-3), outerDiameterMetres: 1e-3)
  let axial = 0.2e-3

  /// Background alternating 0.5 / 1.5 (mean 1, variance 0.25), and `value(x, z)` wherever it is not nil.
  func image(_ value: (Double, Double) -> Float?) -> [Float] {
    var e = [Float](repeating: 0, count: x.count * z.count)
    for (r, zr) in z.enumerated() {
      for (c, xc) in x.enumerated() {
        e[r * x.count + c] = value(xc, zr) ?? ((r + c) % 2 == 0 ? 0.5 : 1.5)
      }
    }
    return e
  }

  /// Whether (x, z) is in the wall band of the horizontal test shaft, written out for this geometry.
  func inWall(_ xc: Double, _ zr: Double) -> Bool { xc >= -8e-3 && xc <= 8e-3 && abs(zr - 9.5e-3) <= 0.2e-3 + 1e-12 }

  func measure(_ e: [Float], others: [ShaftGeometry] = [], excluded: [UInt8]? = nil) -> NeedleVisibility {
    NeedleVisibility.measure(
      envelope: e, x: x, z: z, shaft: shaft, others: others, axialResolutionMetres: axial, excluded: excluded)
  }

  func testNeedleContrastCNRgCNRAndVisibleLength() {
    let m = measure(image { inWall($0, $1) ? 4 : nil })
    XCTAssertEqual(m.contrastDb, 20 * log10(4.0), accuracy: 0.01)
    XCTAssertEqual(m.cnr, 3 / 0.5, accuracy: 0.01)  // |4 − 1| / √(0 + 0.25)
    XCTAssertEqual(m.gcnr, 1, accuracy: 1e-9)
    XCTAssertEqual(m.visibleLengthFraction, 1)
    XCTAssertEqual(m.shaftPeakDb, 20 * log10(4.0), accuracy: 0.01)
    XCTAssertTrue(m.entryVisible)
    // The caudal half only 3.5 dB above the band (1.5 against 1): half the 1 mm segments are visible.
    let h = measure(image { inWall($0, $1) ? ($0 < 0 ? 4 : 1.5) : nil })
    XCTAssertEqual(h.visibleLengthFraction, 0.5, accuracy: 1.0 / 16)
  }

  /// The echo of the lumen and far wall (here 8 across the rest of the tube) and a bright or dark far side do not
  /// enter the contrast, which is measured on the wall against the probe side; the far side gives the shadow.
  func testWallBandAndProbeSideBackground() {
    let wallOnly = measure(image { inWall($0, $1) ? 4 : nil })
    let tube = measure(
      image { xc, zr in inWall(xc, zr) ? 4 : (abs(xc) <= 8e-3 && abs(zr - 10e-3) <= 0.5e-3 ? 8 : nil) })
    XCTAssertEqual(tube.contrastDb, wallOnly.contrastDb, accuracy: 1e-9)
    // The far side at a quarter of the background: a needle shadow of −12 dB, the contrast unchanged.
    let shadowed = measure(image { xc, zr in inWall(xc, zr) ? 4 : (zr > 11e-3 && abs(xc) <= 8e-3 ? 0.25 : nil) })
    XCTAssertEqual(shadowed.contrastDb, wallOnly.contrastDb, accuracy: 1e-9)
    XCTAssertEqual(shadowed.shadowDb, 20 * log10(0.25), accuracy: 0.01)
    XCTAssertEqual(wallOnly.shadowDb, 0, accuracy: 0.01)
    // The band as wide as the outer diameter would have counted the lumen: here it does not.
    XCTAssertEqual(tube.wallPixels, wallOnly.wallPixels)
  }

  /// Shaft peak: the 95th percentile of the wall band over the background (the last 10 % of the shaft at 8, the
  /// rest at 2: 18.1 dB, where the mean gives 7.7 dB).
  func testShaftPeak() {
    let m = measure(image { xc, zr in inWall(xc, zr) ? (xc > 6.4e-3 ? 8 : 2) : nil })
    XCTAssertEqual(m.shaftPeakDb, 20 * log10(8.0), accuracy: 0.01)
    XCTAssertLessThan(m.contrastDb, 9)
  }

  /// Tip and entry from the image: a bright tip disk with a dim shaft is a visible tip and a hidden entry; a bright
  /// first 5 mm with a dim tip the reverse.
  func testTipAndEntryVisibility() {
    func inTip(_ xc: Double, _ zr: Double) -> Bool { (xc - 8e-3) * (xc - 8e-3) + (zr - 10e-3) * (zr - 10e-3) <= 1e-6 }
    let tipOnly = measure(image { xc, zr in inTip(xc, zr) ? 8 : (inWall(xc, zr) ? 1 : nil) })
    XCTAssertEqual(tipOnly.tipContrastDb, 20 * log10(8.0), accuracy: 0.01)
    XCTAssertTrue(tipOnly.tipVisible)
    XCTAssertFalse(tipOnly.entryVisible)
    let entryOnly = measure(image { xc, zr in inWall(xc, zr) && xc < -3e-3 ? 4 : (inTip(xc, zr) ? 1 : nil) })
    XCTAssertTrue(entryOnly.entryVisible)
    XCTAssertFalse(entryOnly.tipVisible)
    XCTAssertEqual(entryOnly.visibleLengthFraction, 5.0 / 16, accuracy: 1.0 / 16)
  }

  /// A second needle's bright shaft and a bright bone inside the first one's background are left out of it, and so
  /// are pixels outside the imaged region (E = 0).
  func testBackgroundLeavesOutOtherNeedlesBoneAndUnimagedPixels() {
    let other = ShaftGeometry(entry: SIMD2(-8e-3, 7e-3), tip: SIMD2(8e-3, 7e-3), outerDiameterMetres: 0.5e-3)
    let e = image { xc, zr in inWall(xc, zr) ? 4 : (abs(zr - 7e-3) <= 0.3e-3 ? 20 : nil) }
    XCTAssertLessThan(measure(e).contrastDb, 10)
    XCTAssertEqual(measure(e, others: [other]).contrastDb, 20 * log10(4.0), accuracy: 0.05)
    var bone = [UInt8](repeating: 0, count: e.count)
    for (r, zr) in z.enumerated() where abs(zr - 7e-3) <= 0.3e-3 { for c in x.indices { bone[r * x.count + c] = 1 } }
    XCTAssertEqual(measure(e, excluded: bone).contrastDb, 20 * log10(4.0), accuracy: 0.05)
    let clipped = image { xc, zr in inWall(xc, zr) ? 4 : (zr < 7e-3 ? 0 : nil) }
    XCTAssertEqual(measure(clipped).contrastDb, 20 * log10(4.0), accuracy: 0.05)
    XCTAssertLessThan(measure(clipped).backgroundPixels, measure(e).backgroundPixels)
  }

  /// Beams from a virtual apex: a shaft lying along a ray from the apex at (0, 0) (2, 2 → 12, 12 mm) faces every
  /// beam edge-on, so its wall line is its centreline (b̂·n = 0) and the band is |s| ≤ δ; with parallel beams the line
  /// would be moved OD/2·cos 45° = 0.35 mm up, off the echo.
  func testWallLineMovesTowardTheApex() {
    let radial = ShaftGeometry(entry: SIMD2(2e-3, 2e-3), tip: SIMD2(12e-3, 12e-3), outerDiameterMetres: 1e-3)
    let e = image { xc, zr in
      let along = (xc - 2e-3 + zr - 2e-3) / 2.0.squareRoot()
      let across = abs(xc - zr) / 2.0.squareRoot()
      return along >= 0 && along <= 10e-3 * 2.0.squareRoot() && across <= 0.1e-3 ? 4 : nil
    }
    func contrast(_ beams: BeamOrigin) -> Double {
      NeedleVisibility.measure(
        envelope: e, x: x, z: z, shaft: radial, axialResolutionMetres: 0.1e-3, beams: beams
      ).contrastDb
    }
    XCTAssertEqual(contrast(.apex(SIMD2(0, 0))), 20 * log10(4.0), accuracy: 0.05)
    XCTAssertLessThan(contrast(.parallel), 3)
  }

  func testCystShadowAndSpeckleRegion() throws {
    // Cyst of radius 3 mm at (0, 10) mm: 0.1 inside, 1 around: −20 dB, gCNR 1.
    var e = [Float](repeating: 1, count: x.count * z.count)
    for (r, zr) in z.enumerated() {
      for (c, xc) in x.enumerated() where (xc * xc + (zr - 10e-3) * (zr - 10e-3)) <= 9e-6 { e[r * x.count + c] = 0.1 }
    }
    let cyst = try XCTUnwrap(
      RegionMetrics.cyst(
        envelope: e, x: x, z: z, centre: SIMD2(0, 10e-3), radiusMetres: 3e-3, lateralResolutionMetres: 0.5e-3))
    XCTAssertEqual(cyst.contrastDb, -20, accuracy: 1e-6)
    XCTAssertEqual(cyst.gcnr, 1, accuracy: 1e-9)
    // Shadow: the left half below row 100 at 0.1 against 1 beside it, bone (row 100) left out: 20 dB deep.
    var shadow = [UInt8](repeating: 0, count: e.count)
    var bone = [UInt8](repeating: 0, count: e.count)
    var lit = [Float](repeating: 1, count: e.count)
    for r in 100..<z.count {
      for c in 0..<(x.count / 2) {
        if r == 100 {
          bone[r * x.count + c] = 1
          lit[r * x.count + c] = 50
        } else {
          shadow[r * x.count + c] = 1
          lit[r * x.count + c] = 0.1
        }
      }
    }
    let depth = try XCTUnwrap(
      RegionMetrics.shadowDepthDb(envelope: lit, columns: x.count, shadow: shadow, excluded: bone))
    XCTAssertEqual(depth, 20, accuracy: 1e-6)
    // Homogeneous region: the larger class, 1 pixel clear of the other class and of excluded pixels.
    let columns = 10
    var classes = [UInt8](repeating: 0, count: 100)
    for i in 0..<100 where i % columns >= 7 { classes[i] = 1 }
    var excluded = [Bool](repeating: false, count: 100)
    excluded[5 * columns + 2] = true
    let region = RegionMetrics.homogeneousRegion(
      classes: classes, excluded: excluded, columns: columns, marginPixels: 1)
    XCTAssertTrue(region.allSatisfy { i in (1...5).contains(i % columns) && (1...8).contains(i / columns) })
    XCTAssertFalse(region.contains(5 * columns + 2) || region.contains(4 * columns + 3))
    XCTAssertEqual(region.count, 5 * 8 - 9)
    // Labels beyond 255 (a scene with 256 or more regions): the same region, whatever the labels' values.
    let wide = classes.map { Int($0) * 300 + 300 }
    XCTAssertEqual(
      RegionMetrics.homogeneousRegion(classes: wide, excluded: excluded, columns: columns, marginPixels: 1), region)
  }
}
