import Foundation
import Metrics
import XCTest

/// The metrics.md definitions on synthetic images whose answers are known exactly.
final class MetricDefinitionsTests: XCTestCase {
  let x = stride(from: -10e-3, through: 10e-3, by: 0.1e-3).map { $0 }
  let z = stride(from: 0.0, through: 20e-3, by: 0.1e-3).map { $0 }

  /// Background alternating 0.5 / 1.5 (mean 1, variance 0.25) with `value(x, z)` inside the shaft mask.
  func image(shaft: ShaftGeometry, axial: Double, value: (Double, Double) -> Float) -> [Float] {
    var e = [Float](repeating: 0, count: x.count * z.count)
    for (r, zr) in z.enumerated() {
      for (c, xc) in x.enumerated() {
        let d = abs(zr - shaft.tip.y)
        let inside = xc >= shaft.entry.x && xc <= shaft.tip.x && d <= shaft.outerDiameterMetres / 2 + axial / 2
        e[r * x.count + c] = inside ? value(xc, zr) : ((r + c) % 2 == 0 ? 0.5 : 1.5)
      }
    }
    return e
  }

  func testNeedleContrastCNRgCNRAndVisibleLength() {
    let shaft = ShaftGeometry(entry: SIMD2(-8e-3, 10e-3), tip: SIMD2(8e-3, 10e-3), outerDiameterMetres: 1e-3)
    let e = image(shaft: shaft, axial: 0.2e-3) { _, _ in 4 }
    let m = NeedleVisibility.measure(envelope: e, x: x, z: z, shaft: shaft, axialResolutionMetres: 0.2e-3)
    XCTAssertEqual(m.contrastDb, 20 * log10(4.0), accuracy: 0.01)
    XCTAssertEqual(m.cnr, 3 / 0.5, accuracy: 0.01)  // |4 − 1| / √(0 + 0.25)
    XCTAssertEqual(m.gcnr, 1, accuracy: 1e-9)
    XCTAssertEqual(m.visibleLengthFraction, 1)
    XCTAssertGreaterThan(m.tipContrastDb, 3)
    // The caudal half only 3.5 dB above the band (1.5 against 1): half the 1 mm segments are visible.
    let half = image(shaft: shaft, axial: 0.2e-3) { xc, _ in xc < 0 ? 4 : 1.5 }
    let h = NeedleVisibility.measure(envelope: half, x: x, z: z, shaft: shaft, axialResolutionMetres: 0.2e-3)
    XCTAssertEqual(h.visibleLengthFraction, 0.5, accuracy: 1.0 / 16)
  }

  /// A second needle's bright shaft inside the first one's band is left out of the band.
  func testBandLeavesOutOtherNeedles() {
    let shaft = ShaftGeometry(entry: SIMD2(-8e-3, 10e-3), tip: SIMD2(8e-3, 10e-3), outerDiameterMetres: 1e-3)
    let other = ShaftGeometry(entry: SIMD2(-8e-3, 12.5e-3), tip: SIMD2(8e-3, 12.5e-3), outerDiameterMetres: 0.5e-3)
    var e = image(shaft: shaft, axial: 0.2e-3) { _, _ in 4 }
    for (r, zr) in z.enumerated() where abs(zr - 12.5e-3) <= 0.3e-3 {
      for c in x.indices { e[r * x.count + c] = 20 }
    }
    let without = NeedleVisibility.measure(envelope: e, x: x, z: z, shaft: shaft, axialResolutionMetres: 0.2e-3)
    let with = NeedleVisibility.measure(
      envelope: e, x: x, z: z, shaft: shaft, others: [other], axialResolutionMetres: 0.2e-3)
    XCTAssertLessThan(without.contrastDb, 10)
    XCTAssertEqual(with.contrastDb, 20 * log10(4.0), accuracy: 0.05)
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
