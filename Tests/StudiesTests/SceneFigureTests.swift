import FileFormats
import Foundation
import Scenario
import Studies
import TestSupport
import XCTest

/// `us-sim figure`: a scene as a scanner shows it (the probe's whole sector for a convex probe) beside its labels and
/// shadow mask, with the sector outlined and a depth scale in centimetres.
final class SceneFigureTests: XCTestCase {
  /// The paramedian preset with a needle, imaged by the C5-2v to 60 mm at 0.4 mm pixels (fast).
  static let yaml = """
    probe: C5-2v
    phantom: {preset: lumbar-paramedian-sagittal, fat_thickness_mm: 12}
    needles:
      - {gauge: 18, tip_mm: [-2, 40], angle_deg: 25, side: left}
    transmit: {scheme: diverging, angles_deg: [-10, 0, 10]}
    image: {x_mm: [-30, 30], z_mm: [5, 60], pixel_mm: 0.4}
    seed: 2
    """

  /// The scanner's view: the sector from the skin to the scene's depth, as wide as the sector is. The pipeline's own
  /// sector (pixels it leaves black, envelope 0) reaches both side columns and the bottom row, and the figure's
  /// sector mask is the pipeline's but for pixels on its edge.
  func testTheScannerViewIsTheWholeSector() throws {
    let view = SceneFigure.scannerView(try Scenario.parse(yaml: Self.yaml))
    XCTAssertEqual(view.image.fieldOfView, .sector)
    XCTAssertEqual(view.image.zRangeMetres, 0...60e-3)
    let r = SimulationPipeline(scenario: view, threads: 2).run()
    let (columns, rows) = (r.xAxisMetres.count, r.zAxisMetres.count)
    func lit(_ row: Int, _ column: Int) -> Bool { r.envelope[row * columns + column] > 0 }
    // The widest point of the sector (its bottom corners) lies within 1 mm of the image's sides.
    let edge = Int((1e-3 / view.image.pixelMetres).rounded())
    XCTAssertTrue((0..<rows).contains { lit($0, edge) }, "the sector does not reach the left side")
    XCTAssertTrue((0..<rows).contains { lit($0, columns - 1 - edge) }, "the sector does not reach the right side")
    XCTAssertFalse((0..<rows).contains { lit($0, 0) && lit($0, columns - 1) && $0 < rows / 2 })
    XCTAssertTrue(lit(rows - 2, columns / 2), "the sector does not reach the image's depth (within a pixel)")
    let mask = SceneFigure.sectorMask(probe: view.probe, image: view.image, x: r.xAxisMetres, z: r.zAxisMetres)
    var disagree = 0
    for row in 1..<(rows - 1) {
      for c in 1..<(columns - 1) where mask[row * columns + c] != lit(row, c) {
        // Only at the sector's edge: some neighbour falls on the other side.
        let neighbours = [(row - 1, c), (row + 1, c), (row, c - 1), (row, c + 1)]
        if neighbours.allSatisfy({ mask[$0.0 * columns + $0.1] == mask[row * columns + c] }) { disagree += 1 }
      }
    }
    XCTAssertEqual(disagree, 0, "pixels away from the sector's edge where the figure and the pipeline disagree")
  }

  /// The panels hold what they say: the B-mode's grey inside the sector and black outside but for the outline, the
  /// tissue label's colour, the shadow tinted blue and bone yellow; the depth scale has a tick at every centimetre.
  func testThePanels() throws {
    let view = SceneFigure.scannerView(try Scenario.parse(yaml: Self.yaml))
    let r = SimulationPipeline(scenario: view, threads: 2).run()
    let truth = try XCTUnwrap(r.groundTruth)
    let picture = SceneFigure.render(r, scenario: view)
    let (columns, rows) = (r.xAxisMetres.count, r.zAxisMetres.count)
    let m = SceneFigure.margin
    XCTAssertEqual(picture.height, rows + 2 * m)
    XCTAssertEqual(picture.width, SceneFigure.panelLeft(2, columns: columns) + columns + m)
    func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
      let i = 3 * (y * picture.width + x)
      return (Int(picture.rgb[i]), Int(picture.rgb[i + 1]), Int(picture.rgb[i + 2]))
    }
    let mask = SceneFigure.sectorMask(probe: view.probe, image: view.image, x: r.xAxisMetres, z: r.zAxisMetres)
    var (grey, black, outline, labels, shadows, bones) = (0, 0, 0, 0, 0, 0)
    for row in stride(from: 0, to: rows, by: 3) {
      for c in stride(from: 0, to: columns, by: 3) {
        let i = row * columns + c
        let b = rgb(SceneFigure.panelLeft(0, columns: columns) + c, m + row)
        let l = rgb(SceneFigure.panelLeft(1, columns: columns) + c, m + row)
        let s = rgb(SceneFigure.panelLeft(2, columns: columns) + c, m + row)
        if mask[i] {
          let v = Int(r.bmode[i])
          if b == (v, v, v) { grey += 1 } else if b == (150, 150, 150) { outline += 1 } else { XCTFail("B-mode \(b)") }
          let want = TissuePalette.colour(named: truth.classNames[Int(truth.tissueLabels[i])])
          if l == (Int(want.0), Int(want.1), Int(want.2)) { labels += 1 }
          if truth.shadow[i] == 1 && truth.bone[i] == 0 && s.2 > s.0 + 40 && s.2 > v { shadows += 1 }
          if truth.bone[i] == 1 && s.0 > s.2 + 40 && s.1 > s.2 + 40 { bones += 1 }
        } else if b == (0, 0, 0) && l == (0, 0, 0) && s == (0, 0, 0) {
          black += 1
        } else {
          XCTAssertEqual(b.0, 150, "outside the sector, only the outline is drawn (row \(row), column \(c))")
          outline += 1
        }
      }
    }
    let inside = stride(from: 0, to: rows, by: 3).reduce(0) { n, row in
      n + stride(from: 0, to: columns, by: 3).filter { mask[row * columns + $0] }.count
    }
    let sampledShadow = stride(from: 0, to: rows, by: 3).reduce(0) { n, row in
      n
        + stride(from: 0, to: columns, by: 3).filter {
          truth.shadow[row * columns + $0] == 1 && truth.bone[row * columns + $0] == 0 && mask[row * columns + $0]
        }.count
    }
    let sampledBone = stride(from: 0, to: rows, by: 3).reduce(0) { n, row in
      n
        + stride(from: 0, to: columns, by: 3).filter { truth.bone[row * columns + $0] == 1 && mask[row * columns + $0] }
        .count
    }
    XCTAssertGreaterThan(black, inside / 5, "a sector figure has black corners")
    XCTAssertGreaterThanOrEqual(Double(grey), 0.97 * Double(inside))
    XCTAssertGreaterThan(outline, 0)
    XCTAssertGreaterThanOrEqual(Double(labels), 0.97 * Double(inside), "label colours")
    XCTAssertGreaterThan(sampledShadow, 100)
    XCTAssertGreaterThanOrEqual(Double(shadows), 0.97 * Double(sampledShadow), "shadow tint")
    XCTAssertGreaterThan(sampledBone, 10)
    XCTAssertGreaterThanOrEqual(Double(bones), 0.97 * Double(sampledBone), "bone tint")
    // A white tick at every centimetre of depth, ending 3 pixels left of the first panel.
    let tickColumn = SceneFigure.panelLeft(0, columns: columns) - 4
    for cm in 0...6 {
      let row = m + Int((Double(cm) * 10e-3 / view.image.pixelMetres).rounded())
      XCTAssertEqual(rgb(tickColumn, row).0, 230, "tick at \(cm) cm")
      XCTAssertEqual(rgb(tickColumn, row + 2).0, 0, "nothing between ticks (\(cm) cm)")
    }
  }

  /// A linear probe keeps the scene's image (no sector, no outline): panel 0 is the B-mode itself.
  func testALinearProbeKeepsItsImage() throws {
    let s = try Scenario.parse(
      yaml: """
        probe: L11-5v
        phantom: {preset: gel-block}
        transmit: {scheme: plane_wave, angles_deg: [0]}
        image: {x_mm: [-8, 8], z_mm: [5, 25], pixel_mm: 0.2}
        """)
    let view = SceneFigure.scannerView(s)
    XCTAssertEqual(view.image, s.image)
    let r = SimulationPipeline(scenario: view, threads: 2).run()
    let picture = SceneFigure.render(r, scenario: view)
    let columns = r.xAxisMetres.count
    for row in 0..<r.zAxisMetres.count {
      for c in 0..<columns {
        let i = 3 * ((SceneFigure.margin + row) * picture.width + SceneFigure.panelLeft(0, columns: columns) + c)
        XCTAssertEqual(picture.rgb[i], r.bmode[row * columns + c])
      }
    }
  }

  /// The command: a PNG of the figure's size; a wrong --out or scenario is refused with a clear error and no file.
  func testTheCommand() throws {
    let dir = Programs.temporaryDirectory("us-sim-figure")
    let scene = dir.appendingPathComponent("scene.yaml")
    try Self.yaml.write(to: scene, atomically: true, encoding: .utf8)
    let png = dir.appendingPathComponent("figure.png")
    let ok = try Programs.run(Programs.usSim, ["figure", scene.path, "--out", png.path, "-q"])
    XCTAssertEqual(ok.status, 0, ok.output)
    let data = try Data(contentsOf: png)
    XCTAssertEqual(Array(data.prefix(8)), [137, 80, 78, 71, 13, 10, 26, 10])
    // IHDR: width and height, big-endian, at bytes 16–23; colour type 2 (RGB) at byte 25.
    func be32(_ at: Int) -> Int { data[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    let view = SceneFigure.scannerView(try Scenario.parse(yaml: Self.yaml))
    let columns = view.image.xAxis.count
    XCTAssertEqual(be32(16), SceneFigure.panelLeft(2, columns: columns) + columns + SceneFigure.margin)
    XCTAssertEqual(be32(20), view.image.zAxis.count + 2 * SceneFigure.margin)
    XCTAssertEqual(data[25], 2)
    let jpg = try Programs.run(
      Programs.usSim, ["figure", scene.path, "--out", dir.appendingPathComponent("f.jpg").path])
    XCTAssertNotEqual(jpg.status, 0)
    XCTAssertTrue(jpg.output.contains("must name a .png file"), jpg.output)
    let bad = dir.appendingPathComponent("bad.yaml")
    try Self.yaml.replacingOccurrences(of: "pixel_mm: 0.4", with: "pixel_mm: -1").write(
      to: bad, atomically: true, encoding: .utf8)
    let badPng = dir.appendingPathComponent("bad.png")
    let refused = try Programs.run(Programs.usSim, ["figure", bad.path, "--out", badPng.path])
    XCTAssertNotEqual(refused.status, 0)
    XCTAssertTrue(refused.output.contains("image.pixel_mm"), refused.output)
    XCTAssertFalse(FileManager.default.fileExists(atPath: badPng.path))
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
    XCTAssertEqual(left, [], "temporary files left behind")
  }
}
