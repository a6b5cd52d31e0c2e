import Acoustics
import Acquisition
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
}
