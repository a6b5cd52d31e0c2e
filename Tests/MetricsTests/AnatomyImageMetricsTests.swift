import Foundation
import Metrics
import XCTest

/// The spine-image figures of `docs/metrics.md` ("Bone", "Posterior complex") on images whose answer is known by
/// construction.
final class AnatomyImageMetricsTests: XCTestCase {
  let columns = 20
  let rows = 60

  /// Bone from row 30 in columns 5–14, from row 40 in column 15: the band is rows 28–31 (38–41) there with a half-width
  /// of 2, and empty where no bone is.
  func testBoneSurfaceBandFollowsTheShallowestFace() {
    var bone = [UInt8](repeating: 0, count: rows * columns)
    for r in 30..<rows { for c in 5..<15 { bone[r * columns + c] = 1 } }
    for r in 40..<rows { bone[r * columns + 15] = 1 }
    let band = AnatomyImageMetrics.boneSurfaceBand(bone: bone, columns: columns, halfWidthPixels: 2)
    for c in 0..<columns {
      let marked = (0..<rows).filter { band[$0 * columns + c] }
      switch c {
      case 5..<15: XCTAssertEqual(marked, [28, 29, 30, 31], "column \(c)")
      case 15: XCTAssertEqual(marked, [38, 39, 40, 41])
      default: XCTAssertEqual(marked, [], "column \(c)")
      }
    }
  }

  /// Outside the band and the bone, E takes the values 1…760 once each (the 99th percentile, the value at
  /// ⌊0.99·760⌋ of the sorted list, is 753), beside a needle mask of bright pixels that must not count; the band holds
  /// 7920, so the figure is 20·log10(7920/753). Without bone there is no figure.
  func testBoneSurfaceBrightnessAgainstThe99thPercentile() throws {
    let (columns, rows) = (40, 40)
    var bone = [UInt8](repeating: 0, count: rows * columns)
    for r in 21..<rows { for c in 0..<columns { bone[r * columns + c] = 1 } }
    var needle = [UInt8](repeating: 0, count: rows * columns)
    var e = [Float](repeating: 0, count: rows * columns)
    var next: Float = 1
    for r in 0..<rows {
      for c in 0..<columns {
        let i = r * columns + c
        if r == 20 || r == 21 {
          e[i] = 7920  // the band: rows 20-21 (half-width 1 around the face at row 21)
        } else if r >= 22 {
          e[i] = 5  // inside bone, not counted
        } else if r == 0 {
          needle[i] = 1
          e[i] = 1e6  // a bright needle, excluded
        } else {
          e[i] = next
          next += 1
        }
      }
    }
    XCTAssertEqual(next, 761)
    let db = try XCTUnwrap(
      AnatomyImageMetrics.boneSurfaceBrightnessDb(
        envelope: e, columns: columns, bone: bone, excluded: needle, halfWidthPixels: 1))
    XCTAssertEqual(db, 20 * log10(7920 / 753), accuracy: 1e-9)
    XCTAssertNil(
      AnatomyImageMetrics.boneSurfaceBrightnessDb(
        envelope: e, columns: columns, bone: [UInt8](repeating: 0, count: rows * columns), excluded: needle,
        halfWidthPixels: 1))
  }

  /// Columns of ligament (rows 10–13), epidural fat (14–15), CSF (16–39) and ligament again: the complex (rows 10–15,
  /// E = 4 and 2, mean 10/3) over the canal's inside (rows 18–37 with a margin of 2, E = 1/3; its bright first and
  /// last rows, E = 50, are the margin's) is 20·log10(10) = 20 dB. A column with one shadowed pixel in its canal does
  /// not count, nor does one without CSF.
  func testPosteriorComplexOverTheCanal() throws {
    let (ligament, fat, csf): (UInt8, UInt8, UInt8) = (4, 2, 6)
    var labels = [UInt8](repeating: 3, count: rows * columns)
    var e = [Float](repeating: 1, count: rows * columns)
    var excluded = [UInt8](repeating: 0, count: rows * columns)
    for c in 0..<columns {
      for r in 0..<rows {
        let i = r * columns + c
        switch r {
        case 10...13: (labels[i], e[i]) = (ligament, 4)
        case 14...15: (labels[i], e[i]) = (fat, 2)
        case 16...39 where c != 3: (labels[i], e[i]) = (csf, r == 16 || r == 39 ? 50 : Float(1) / 3)
        case 40...: labels[i] = ligament
        default: break
        }
      }
    }
    // Column 7's canal holds a shadowed pixel; column 9 is bright everywhere, but shadowed.
    excluded[25 * columns + 7] = 1
    for r in 0..<rows {
      excluded[r * columns + 9] = 1
      e[r * columns + 9] = 1000
    }
    let db = try XCTUnwrap(
      AnatomyImageMetrics.complexOverCanalDb(
        envelope: e, columns: columns, labels: labels, complexTop: ligament, canal: csf, excluded: excluded,
        marginPixels: 2))
    let complexMean = (4.0 * 4 + 2 * 2) / 6
    XCTAssertEqual(db, 20 * log10(complexMean / (1.0 / 3)), accuracy: 1e-4)
    XCTAssertNil(
      AnatomyImageMetrics.complexOverCanalDb(
        envelope: e, columns: columns, labels: labels, complexTop: ligament, canal: 99, excluded: excluded,
        marginPixels: 2))
  }
}
