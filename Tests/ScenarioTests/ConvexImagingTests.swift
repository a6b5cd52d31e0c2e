import Acoustics
import Acquisition
import ConfigReading
import Phantom
import Scenario
import XCTest

/// Validation 7: a point imaged with the convex C5-2v and diverging waves lands at its true position after polar
/// beamforming and scan conversion, within one wavelength (0.43 mm at 3.57 MHz).
final class ConvexImagingTests: XCTestCase {
  func testPointLandsAtTruePosition() throws {
    let probe = Probe.c5_2v
    let lambda = probe.wavelength(soundSpeed: 1540)
    for (x, z) in [(0.0, 40e-3), (12e-3, 55e-3), (-20e-3, 30e-3)] {
      let scenario = Scenario(
        probe: probe, medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0),
        transmit: TransmitPlan(scheme: .diverging, anglesRadians: [-0.1, 0, 0.1]),
        scatterers: PhantomDescription(points: [PointTarget(xMetres: x, zMetres: z)]),
        image: ImagePlan(
          xRangeMetres: (x - 5e-3)...(x + 5e-3), zRangeMetres: (z - 5e-3)...(z + 5e-3), pixelMetres: 0.05e-3),
        acquisition: AcquisitionPlan(samplingFrequencyHz: 4 * probe.centerFrequencyHz))
      let r = SimulationPipeline(scenario: scenario, threads: 2).run()
      let i = r.envelope.indices.max { r.envelope[$0] < r.envelope[$1] }!
      let px = r.xAxisMetres[i % r.xAxisMetres.count]
      let pz = r.zAxisMetres[i / r.xAxisMetres.count]
      let error = hypot(px - x, pz - z)
      print(
        String(
          format: "C5-2v point (%.1f, %.1f) mm imaged at (%.2f, %.2f) mm, error %.3f mm", x * 1e3, z * 1e3, px * 1e3,
          pz * 1e3, error * 1e3))
      XCTAssertLessThan(error, lambda)
    }
  }

  /// The phased P4-2v with diverging waves places a point correctly too (same polar path, flat array).
  func testPhasedPointLandsAtTruePosition() throws {
    let probe = Probe.p4_2v
    let scenario = Scenario(
      probe: probe, medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0),
      transmit: TransmitPlan(scheme: .diverging, anglesRadians: [0]),
      scatterers: PhantomDescription(points: [PointTarget(xMetres: 10e-3, zMetres: 50e-3)]),
      image: ImagePlan(xRangeMetres: 5e-3...15e-3, zRangeMetres: 45e-3...55e-3, pixelMetres: 0.1e-3),
      acquisition: AcquisitionPlan(samplingFrequencyHz: 4 * probe.centerFrequencyHz))
    let r = SimulationPipeline(scenario: scenario, threads: 2).run()
    let i = r.envelope.indices.max { r.envelope[$0] < r.envelope[$1] }!
    let error = hypot(r.xAxisMetres[i % r.xAxisMetres.count] - 10e-3, r.zAxisMetres[i / r.xAxisMetres.count] - 50e-3)
    XCTAssertLessThan(error, probe.wavelength(soundSpeed: 1540))
  }

  /// `image.field_of_view: sector` shows the probe's own sector: with a uniform speckle region filling the image,
  /// every pixel ≥ 1 mm inside the sector (the C5-2v's ±37.3° arc from the skin to the bottom arc 50 mm below the
  /// probe's centre) is lit and every pixel ≥ 1 mm outside it is exactly 0; points ±(R + 50 mm)·sin θ wide decide the
  /// image's corners. Writes and reads back the key; refused with a linear probe and for unknown values, by name.
  func testSectorFieldOfViewShowsTheProbesSector() throws {
    let yaml = """
      probe: C5-2v
      transmit: {scheme: diverging, angles_deg: [0]}
      scatterers: {regions: [{shape: rectangle, x_mm: [-90, 90], z_mm: [0, 55], density_per_mm2: 2}]}
      image: {x_mm: [-62, 62], z_mm: [0, 50], pixel_mm: 0.5, field_of_view: sector}
      seed: 2
      """
    let s = try Scenario.parse(yaml: yaml)
    XCTAssertEqual(s.image.fieldOfView, .sector)
    XCTAssertEqual(try Scenario.parse(yaml: try s.yaml()).image, s.image, "the key survives writing")
    let probe = s.probe
    let theta = probe.sectorHalfAngleRadians
    XCTAssertEqual(
      theta * 180 / .pi, 63.5 * 0.508 / 49.57 * 180 / .pi, accuracy: 0.01, "the outermost element centres: ±37.3°")
    let r = SimulationPipeline(scenario: s, threads: 2).run()
    let apexZ = probe.sectorApex.zMetres
    var (inside, lit, outside, dark) = (0, 0, 0, 0)
    for (row, z) in r.zAxisMetres.enumerated() {
      for (column, x) in r.xAxisMetres.enumerated() {
        let range = hypot(x, z - apexZ)
        let angle = abs(atan2(x, z - apexZ))
        // Distance inside the sector's sides and bottom arc (negative outside).
        let margin = min(range * sin(theta - angle), 50e-3 - apexZ - range, z)
        let e = r.envelope[row * r.xAxisMetres.count + column]
        if margin >= 1e-3 {
          inside += 1
          if e > 0 { lit += 1 }
        } else if margin <= -1e-3 {
          outside += 1
          if e == 0 { dark += 1 }
        }
      }
    }
    XCTAssertGreaterThan(inside, 10_000)
    XCTAssertGreaterThan(outside, 2_000)
    XCTAssertEqual(lit, inside, "every pixel inside the sector is imaged")
    XCTAssertEqual(dark, outside, "every pixel outside it is black")
    func field(_ yaml: String) -> String? {
      do {
        _ = try Scenario.parse(yaml: yaml)
        return nil
      } catch { return (error as? ScenarioError)?.field }
    }
    XCTAssertEqual(field("probe: L11-5v\nimage: {field_of_view: sector}\n"), "image.field_of_view")
    XCTAssertEqual(field("probe: C5-2v\nimage: {field_of_view: round}\n"), "image.field_of_view")
  }
}
