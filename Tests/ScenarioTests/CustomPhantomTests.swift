import Acoustics
import ConfigReading
import Phantom
import Scenario
import XCTest

/// `phantom: {background, regions}`: a user's own tissue geometry, alone or over a preset.
final class CustomPhantomTests: XCTestCase {
  let plate = """
    probe: L11-5v
    phantom:
      background: gel
      regions:
        - {shape: rectangle, x_mm: [-5, 5], z_mm: [20, 26], tissue: bone}
        - shape: polygon
          points_mm: [[8, 8], [14, 10], [12, 15]]
          tissue: {base: fat, name: lipoma, scatterers_per_mm2: 2}
        - {shape: layer, z_mm: [0, 2], tissue: skin}
        - shape: ellipse
          center_mm: [-10, 12]
          semi_axes_mm: [2, 1]
          tissue: {sound_speed_m_s: 1500, amplitude_std: 0}
    image: {x_mm: [-15, 15], z_mm: [3, 40], pixel_mm: 0.1}

    """

  /// Each region holds its tissue, painted in order over the background, in the probe frame.
  func testRegionsPaintTheirTissues() throws {
    let s = try Scenario.parse(yaml: plate)
    let map = try XCTUnwrap(s.builtAnatomy()).map
    XCTAssertEqual(map.tissue(x: 0, z: 23e-3).name, "bone")
    XCTAssertEqual(map.tissue(x: 0, z: 30e-3).name, "gel")
    XCTAssertEqual(map.tissue(x: 0, z: 1e-3).name, "skin")
    XCTAssertEqual(map.tissue(x: 20e-3, z: 1e-3).name, "skin", "a layer spans the whole width")
    let lipoma = map.tissue(x: 11.5e-3, z: 11e-3)
    XCTAssertEqual(lipoma.name, "lipoma")
    XCTAssertEqual(lipoma.scatterersPerSquareMillimetre, 2)
    XCTAssertEqual(lipoma.soundSpeedMetresPerSecond, Tissue.fat.soundSpeedMetresPerSecond)
    let custom = map.tissue(x: -10e-3, z: 12e-3)
    XCTAssertEqual(custom.soundSpeedMetresPerSecond, 1500)
    XCTAssertEqual(
      custom.densityKgPerCubicMetre, Tissue.softTissue.densityKgPerCubicMetre, "base defaults to soft tissue")
    // Over a preset: the preset's map stays underneath.
    let over = try Scenario.parse(
      yaml:
        "probe: C5-2v\nphantom: {preset: lumbar-paramedian-sagittal, regions: "
        + "[{shape: disk, center_mm: [0, 30], radius_mm: 3, tissue: csf}]}\n"
    )
    let a = try XCTUnwrap(over.builtAnatomy())
    let preset = AnatomyPreset.lumbarParamedianSagittal.build(AnatomyParameters())
    XCTAssertEqual(a.map.tissue(x: 0, z: 30e-3).name, "CSF")
    XCTAssertEqual(a.map.tissue(x: 0, z: 1e-3), preset.map.tissue(x: 0, z: 1e-3))
    XCTAssertEqual(a.map.tissue(x: 10e-3, z: 45e-3), preset.map.tissue(x: 10e-3, z: 45e-3))
  }

  /// A bone plate in gel shadows what lies under it, and its near face is the brightest echo at its depth.
  func testBonePlateShadows() throws {
    let s = try Scenario.parse(yaml: plate)
    let r = SimulationPipeline(scenario: s, threads: 2).run()
    let xs = r.xAxisMetres
    let zs = r.zAxisMetres
    func mean(x: ClosedRange<Double>, z: ClosedRange<Double>) -> Double {
      var sum = 0.0
      var n = 0
      for (iz, zv) in zs.enumerated() where z.contains(zv) {
        for (ix, xv) in xs.enumerated() where x.contains(abs(xv)) {
          sum += Double(r.envelope[iz * xs.count + ix])
          n += 1
        }
      }
      return sum / Double(max(n, 1))
    }
    let under = mean(x: 0...3e-3, z: 30e-3...36e-3)
    let beside = mean(x: 9e-3...14e-3, z: 30e-3...36e-3)
    let shadowDb = 20 * log10(under / beside)
    print("bone plate: shadow \(shadowDb) dB")
    XCTAssertLessThan(shadowDb, -15)
    // The brightest pixel on the plate's axis lies on its near face.
    let column = xs.indices.min { abs(xs[$0]) < abs(xs[$1]) }!
    let brightest = zs.indices.max { r.envelope[$0 * xs.count + column] < r.envelope[$1 * xs.count + column] }!
    XCTAssertEqual(zs[brightest], 20e-3, accuracy: 0.5e-3)
  }

  /// The field a scenario's error names (nil when it parses).
  func field(_ yaml: String) -> String? {
    do {
      _ = try Scenario.parse(yaml: yaml)
      return nil
    } catch {
      return (error as? ScenarioError)?.field
    }
  }

  func testBadRegionsAreNamed() {
    let head = "phantom: {background: gel, regions: ["
    XCTAssertEqual(field(head + "{shape: rectangle, x_mm: [-5, 5], z_mm: [20, 26]}]}\n"), "phantom.regions[0].tissue")
    XCTAssertEqual(
      field(head + "{shape: rectangle, x_mm: [-5, 5], z_mm: [20, 26], tissue: granite}]}\n"),
      "phantom.regions[0].tissue")
    XCTAssertEqual(
      field(head + "{shape: polygon, points_mm: [[0, 1], [2, 3]], tissue: bone}]}\n"), "phantom.regions[0].points_mm")
    XCTAssertEqual(field(head + "{shape: hexagon, tissue: bone}]}\n"), "phantom.regions[0].shape")
    XCTAssertEqual(field(head + "{shape: layer, tissue: bone}]}\n"), "phantom.regions[0].z_mm")
    XCTAssertEqual(
      field(head + "{shape: disk, center_mm: [0, 5], radius_mm: 1, tissue: {base: bone, hardness: 3}}]}\n"),
      "phantom.regions[0].tissue.hardness")
    XCTAssertEqual(field("phantom: {background: marble}\n"), "phantom.background")
    XCTAssertEqual(field("phantom: {preset: custom}\n"), "phantom.preset")
    XCTAssertEqual(field("phantom: {level: L3-L4}\n"), "phantom.preset")
  }

  /// A label image of class indices (uint8 .npy) whose bone class is the plate's rectangle, pixel edges on its
  /// sides: the same map and the same image as the rectangle region.
  func testLabelImageMatchesTheSameRegion() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // 300 columns × 300 rows of 0.1 mm, pixel (0, 0) centred at (−14.95, 0.05) mm: bone (1) where
    // −5 < x < 5 and 20 < z < 26 mm, a fat layer (2) over the top 2 mm, gel (0) elsewhere.
    let (rows, columns) = (300, 300)
    var labels = [UInt8](repeating: 0, count: rows * columns)
    for r in 0..<rows {
      for c in 0..<columns {
        let x = -14.95 + Double(c) * 0.1
        let z = 0.05 + Double(r) * 0.1
        if z < 2 { labels[r * columns + c] = 2 }
        if abs(x) < 5, z > 20, z < 26 { labels[r * columns + c] = 1 }
      }
    }
    var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
    header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8))
    data.append(contentsOf: labels)
    let file = dir.appendingPathComponent("slice.npy")
    try data.write(to: file)
    let tail = "image: {x_mm: [-12, 12], z_mm: [3, 34], pixel_mm: 0.1}\nseed: 4\n"
    let raster = try Scenario.parse(
      yaml: "probe: L11-5v\nphantom: {background: gel, label_image: {file: \(file.path), pixel_mm: 0.1, "
        + "origin_mm: [-14.95, 0.05], classes: {1: bone, 2: fat}}}\n" + tail)
    let regions = try Scenario.parse(
      yaml: "probe: L11-5v\nphantom: {background: gel, regions: [{shape: rectangle, x_mm: [-5, 5], z_mm: [20, 26], "
        + "tissue: bone}, {shape: layer, z_mm: [0, 2], tissue: fat}]}\n" + tail)
    let a = try XCTUnwrap(raster.builtAnatomy()).map
    let b = try XCTUnwrap(regions.builtAnatomy()).map
    for (x, z) in [(0.0, 23e-3), (4.9e-3, 20.1e-3), (5.1e-3, 23e-3), (0, 1e-3), (10e-3, 1.9e-3), (0, 30e-3)] {
      XCTAssertEqual(a.tissue(x: x, z: z).name, b.tissue(x: x, z: z).name, "(\(x), \(z))")
    }
    // The surfaces are sampled along pixel edges (two points per 0.1 mm edge) instead of every λ/4 along the
    // rectangle's sides: the same mirrors to within the sampling, so the same image.
    let ea = SimulationPipeline(scenario: raster, threads: 2).run().envelope
    let eb = SimulationPipeline(scenario: regions, threads: 2).run().envelope
    let difference = zip(ea, eb).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
    let power = eb.reduce(0.0) { $0 + Double($1) * Double($1) }
    let relative = (difference / power).squareRoot()
    let peaks = 20 * log10(Double(ea.max()!) / Double(eb.max()!))
    print("label image vs regions: relative RMS \(relative), peak \(peaks) dB")
    XCTAssertLessThan(relative, 0.05)
    XCTAssertLessThan(abs(peaks), 0.5)
    // Errors name the field.
    XCTAssertEqual(
      field("phantom: {label_image: {file: \(file.path), pixel_mm: 0.1}}\n"), "phantom.label_image.classes")
    XCTAssertEqual(
      field("phantom: {label_image: {file: nothing.npy, pixel_mm: 0.1, classes: {1: bone}}}\n"),
      "phantom.label_image.file")
    XCTAssertEqual(
      field("phantom: {label_image: {file: \(file.path), pixel_mm: 0.1, classes: {one: bone}}}\n"),
      "phantom.label_image.classes.one")
    XCTAssertEqual(
      field("phantom: {label_image: {file: \(file.path), pixel_mm: 0.1, classes: {1: steel}}}\n"),
      "phantom.label_image.classes.1")
    XCTAssertEqual(
      field("phantom: {label_image: {file: \(file.path), classes: {1: bone}}}\n"), "phantom.label_image.pixel_mm")
  }
}
