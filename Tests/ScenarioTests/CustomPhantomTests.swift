import Acoustics
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
        - {shape: polygon, points_mm: [[8, 8], [14, 10], [12, 15]], tissue: {base: fat, name: lipoma, scatterers_per_mm2: 2}}
        - {shape: layer, z_mm: [0, 2], tissue: skin}
        - {shape: ellipse, center_mm: [-10, 12], semi_axes_mm: [2, 1], tissue: {sound_speed_m_s: 1500, amplitude_std: 0}}
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
    XCTAssertEqual(custom.densityKgPerCubicMetre, Tissue.softTissue.densityKgPerCubicMetre, "base defaults to soft tissue")
    // Over a preset: the preset's map stays underneath.
    let over = try Scenario.parse(
      yaml: "probe: C5-2v\nphantom: {preset: lumbar-paramedian-sagittal, regions: [{shape: disk, center_mm: [0, 30], radius_mm: 3, tissue: csf}]}\n")
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

  func testBadRegionsAreNamed() {
    func field(_ yaml: String) -> String? {
      do {
        _ = try Scenario.parse(yaml: yaml)
        return nil
      } catch {
        return (error as? ScenarioError)?.field
      }
    }
    let head = "phantom: {background: gel, regions: ["
    XCTAssertEqual(field(head + "{shape: rectangle, x_mm: [-5, 5], z_mm: [20, 26]}]}\n"), "phantom.regions[0].tissue")
    XCTAssertEqual(field(head + "{shape: rectangle, x_mm: [-5, 5], z_mm: [20, 26], tissue: granite}]}\n"), "phantom.regions[0].tissue")
    XCTAssertEqual(field(head + "{shape: polygon, points_mm: [[0, 1], [2, 3]], tissue: bone}]}\n"), "phantom.regions[0].points_mm")
    XCTAssertEqual(field(head + "{shape: hexagon, tissue: bone}]}\n"), "phantom.regions[0].shape")
    XCTAssertEqual(field(head + "{shape: layer, tissue: bone}]}\n"), "phantom.regions[0].z_mm")
    XCTAssertEqual(
      field(head + "{shape: disk, center_mm: [0, 5], radius_mm: 1, tissue: {base: bone, hardness: 3}}]}\n"),
      "phantom.regions[0].tissue.hardness")
    XCTAssertEqual(field("phantom: {background: marble}\n"), "phantom.background")
    XCTAssertEqual(field("phantom: {preset: custom}\n"), "phantom.preset")
    XCTAssertEqual(field("phantom: {level: L3-L4}\n"), "phantom.preset")
  }
}
