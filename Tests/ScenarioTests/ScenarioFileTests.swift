import Acoustics
import ConfigReading
import Foundation
import Scenario
import XCTest

/// Scenario files: keys, defaults, overrides and clear errors that name the field, the value and what is allowed.
final class ScenarioFileTests: XCTestCase {
  let example = """
    probe: L11-5v
    medium: {sound_speed_m_s: 1540, attenuation_db_cm_mhz: 0.5}
    transmit: {scheme: plane_wave, angles_deg: [-6, 0, 6], cycles: 1}
    scatterers:
      points: [{x_mm: 0, y_mm: 0, z_mm: 20, amplitude: 1.0}]
      regions:
        - {shape: rectangle, x_mm: [-10, 10], z_mm: [5, 30], density_per_mm2: 5}
        - {shape: disk, center_mm: [0, 15], radius_mm: 3, anechoic: true}
        - {shape: ellipse, center_mm: [5, 25], semi_axes_mm: [3, 2], angle_deg: 30, echogenicity_db: 6}
    beamform: {f_number: 1.5, window: hann}
    image: {x_mm: [-20, 20], z_mm: [5, 55], pixel_mm: 0.05, dynamic_range_db: 60}
    seed: 7
    """

  func testIssueExampleParses() throws {
    let s = try Scenario.parse(yaml: example)
    XCTAssertEqual(s.probe.name, "L11-5v")
    XCTAssertEqual(s.transmit.anglesRadians.count, 3)
    XCTAssertEqual(s.transmit.anglesRadians[0], -6 * .pi / 180, accuracy: 1e-12)
    XCTAssertEqual(s.scatterers.regions.count, 3)
    XCTAssertEqual(s.scatterers.regions[1].densityPerMm2, 0)
    XCTAssertEqual(s.image.pixelMetres, 0.05e-3, accuracy: 1e-12)
    XCTAssertEqual(s.acquisition.samplingFrequencyHz, 4 * 7.6e6, accuracy: 1)
    XCTAssertEqual(s.seed, 7)
  }

  func testProbeOverridesAndCustomProbe() throws {
    let s = try Scenario.parse(yaml: "probe: {preset: L11-5v, fc_mhz: 6.0, elements: 64}\n")
    XCTAssertEqual(s.probe.centerFrequencyHz, 6e6)
    XCTAssertEqual(s.probe.elementCount, 64)
    XCTAssertEqual(s.probe.pitchMetres, 0.3e-3, accuracy: 1e-12)
    let c = try Scenario.parse(
      yaml: """
        probe: {layout: convex, elements: 96, fc_mhz: 4, pitch_mm: 0.4, kerf_mm: 0.05, bandwidth_percent: 70, radius_mm: 40, element_height_mm: 10, elevation_focus_mm: 50}
        """)
    XCTAssertEqual(c.probe.layout, .convex)
    XCTAssertEqual(c.probe.elementWidthMetres, 0.35e-3, accuracy: 1e-12)
    XCTAssertEqual(c.probe.radiusMetres, 40e-3, accuracy: 1e-12)
  }

  func assertError(_ yaml: String, field: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try Scenario.parse(yaml: yaml), file: file, line: line) { e in
      guard let err = e as? ScenarioError else { return XCTFail("not a ScenarioError: \(e)", file: file, line: line) }
      XCTAssertEqual(err.field, field, "\(err)", file: file, line: line)
      XCTAssertFalse(err.allowed.isEmpty, file: file, line: line)
      XCTAssertTrue(err.description.contains(field), file: file, line: line)
    }
  }

  func testUnknownKeysAndPresetsAreNamed() {
    assertError("probe: L99-1x\n", field: "probe")
    assertError("probes: L11-5v\n", field: "probes")
    assertError("transmit: {scheme: plane_wave, angle_deg: [0]}\n", field: "transmit.angle_deg")
    assertError("transmit: {scheme: zigzag}\n", field: "transmit.scheme")
    assertError("beamform: {window: blackman}\n", field: "beamform.window")
    assertError("transmit: {scheme: focused, tx_window: blackman}\n", field: "transmit.tx_window")
    assertError("transmit: {scheme: synthetic_aperture, tx_window: hann}\n", field: "transmit.tx_window")
  }

  /// `physics:` switches the probe response, the elevation dispersion, interfaces at incidence and the calibration;
  /// each reaches the simulation (a point target's echo changes with the first two, a bone scene's with the others)
  /// and bad values are named.
  func testPhysicsSwitchesAreReadAndUsed() throws {
    let base = "probe: L11-5v\nmedium: {attenuation_db_cm_mhz: 0}\nscatterers: {points: [{x_mm: 0, z_mm: 20}]}\n"
    let plain = try Scenario.parse(yaml: base)
    XCTAssertEqual(plain.physics, PhysicsPlan())
    XCTAssertEqual(plain.pulse.response, .must)
    let gaussian = try Scenario.parse(yaml: base + "physics: {probe_response: gaussian}")
    XCTAssertEqual(gaussian.pulse.response, .gaussian)
    let dispersive = try Scenario.parse(yaml: base + "physics: {elevation_dispersion: true}")
    func peak(_ s: Scenario) -> Float { SimulationPipeline(scenario: s, threads: 2).run().envelope.max() ?? 0 }
    let p0 = peak(plain)
    XCTAssertNotEqual(peak(gaussian), p0)
    XCTAssertNotEqual(peak(dispersive), p0)
    let bone =
      "probe: C5-2v\nphantom: {preset: lumbar-paramedian-sagittal}\nimage: {x_mm: [-20, 20], z_mm: [20, 60], pixel_mm: 0.5}\n"
    let normal = try Scenario.parse(yaml: bone)
    let oblique = try Scenario.parse(yaml: bone + "physics: {interfaces_at_incidence: true}")
    XCTAssertTrue(oblique.physics.interfacesAtIncidence)
    let e0 = SimulationPipeline(scenario: normal, threads: 2).run().envelope
    let e1 = SimulationPipeline(scenario: oblique, threads: 2).run().envelope
    XCTAssertNotEqual(e0, e1)
    // The physical calibration: the interfaces become sheets and the speckle scale follows η; a layer of no
    // thickness is refused by name.
    let physical = try Scenario.parse(yaml: bone + "physics: {calibration: physical}")
    XCTAssertEqual(physical.physics.calibration, .physical)
    XCTAssertTrue(physical.allScatterers().hasSheets)
    XCTAssertFalse(normal.allScatterers().hasSheets)
    XCTAssertNotEqual(SimulationPipeline(scenario: physical, threads: 2).run().envelope, e0)
    let flat =
      bone.replacingOccurrences(of: "sagittal}", with: "sagittal, elevation_thickness_mm: 0}")
      + "physics: {calibration: physical}"
    XCTAssertThrowsError(try Scenario.parse(yaml: flat)) { error in
      XCTAssertEqual((error as? ScenarioError)?.field, "phantom.elevation_thickness_mm")
    }
    assertError("physics: {calibration: fitted}\n", field: "physics.calibration")
    assertError("physics: {probe_response: lorentzian}\n", field: "physics.probe_response")
    assertError("physics: {elevation_dispersion: maybe}\n", field: "physics.elevation_dispersion")
    assertError("physics: {refraction: true}\n", field: "physics.refraction")
  }

  func testBadNumbersAreNamed() {
    assertError("image: {pixel_mm: -0.1}\n", field: "image.pixel_mm")
    assertError("image: {pixel_mm: .nan}\n", field: "image.pixel_mm")
    assertError("medium: {sound_speed_m_s: abc}\n", field: "medium.sound_speed_m_s")
    assertError("transmit: {angles_deg: [0, 95]}\n", field: "transmit.angles_deg[1]")
    assertError(
      "scatterers: {regions: [{shape: disk, center_mm: [0, 10], radius_mm: -2}]}\n",
      field: "scatterers.regions[0].radius_mm")
    assertError("image: {z_mm: [30, 10]}\n", field: "image.z_mm")
  }

  func testEmptyApertureAndFieldOfViewAndMemoryAreRejected() {
    assertError("probe: {preset: L11-5v, elements: 0}\n", field: "probe.elements")
    assertError("image: {x_mm: [200, 260], z_mm: [5, 20]}\n", field: "image.x_mm")
    assertError("probe: C5-2v\nimage: {x_mm: [-300, -250], z_mm: [1, 5]}\n", field: "image.x_mm")
    // An image too large for memory names its pixel size, for linear and sector grids alike (before any grid is built).
    assertError("image: {x_mm: [-400, 400], z_mm: [1, 900], pixel_mm: 0.001}\n", field: "image.pixel_mm")
    assertError("probe: C5-2v\nimage: {x_mm: [-40, 40], z_mm: [1, 90], pixel_mm: 0.001}\n", field: "image.pixel_mm")
    // Many transmit events with a fine image: the whole scenario.
    assertError(
      "probe: L11-5v\ntransmit: {scheme: plane_wave, angles_deg: ["
        + Array(repeating: "0", count: 2000).joined(separator: ", ") + "]}\n"
        + "image: {x_mm: [-19, 19], z_mm: [1, 400], pixel_mm: 0.05}\n", field: "(whole scenario)")
  }

  /// Receive steering follows plane waves under an f-number: elsewhere the file is refused, naming the key.
  func testReceiveSteeringErrorsAreNamed() throws {
    assertError("beamform: {receive_steering: yes please}\n", field: "beamform.receive_steering")
    assertError(
      "transmit: {scheme: diverging}\nbeamform: {receive_steering: true}\n", field: "beamform.receive_steering")
    assertError(
      "transmit: {scheme: plane_wave}\nbeamform: {f_number: 0, receive_steering: true}\n",
      field: "beamform.receive_steering")
    XCTAssertNoThrow(try Scenario.parse(yaml: "transmit: {scheme: plane_wave}\nbeamform: {receive_steering: false}\n"))
  }

  /// A needle's `surface`: `plain`, dimples, a bubble coating or a roughness whose every dimension the file gives
  /// (makers publish none, so there is no default to fall back on); a pit deeper than a hemisphere, a bubble or a
  /// matrix outside the range the bubble's model is checked over, too many bubbles, heights or slopes beyond
  /// first-order perturbation, and a surface that is two finishes, are refused.
  func testNeedleSurfaceErrorsAreNamed() throws {
    let needle = "needles: [{gauge: 22, tip_mm: [0, 30], surface: "
    let pits = "diameter_um: 100, depth_um: 40, per_mm2: 20, from_tip_mm: [0, 20]"
    XCTAssertEqual(try Scenario.parse(yaml: needle + "plain}]\n").needles[0].surface, .plain)
    XCTAssertNotNil(try Scenario.parse(yaml: needle + "{dimples: {\(pits)}}}]\n").needles[0].surface.dimples)
    assertError(needle + "dimpled}]\n", field: "needles[0].surface")
    assertError(needle + "{coating: 1}}]\n", field: "needles[0].surface.coating")
    assertError(
      needle + "{dimples: {diameter_um: 100, depth_um: 40, per_mm2: 20}}}]\n",
      field: "needles[0].surface.dimples.from_tip_mm")
    assertError(
      needle + "{dimples: {\(pits.replacingOccurrences(of: "depth_um: 40", with: "depth_um: 60"))}}}]\n",
      field: "needles[0].surface.dimples.depth_um")
    assertError(
      needle + "{dimples: {\(pits.replacingOccurrences(of: "[0, 20]", with: "[20, 5]"))}}}]\n",
      field: "needles[0].surface.dimples.from_tip_mm")
    let bubbles = "bubble_diameter_um: 4, shear_modulus_mpa: 1, per_mm2: 100, from_tip_mm: [0, 20]"
    let coating = try XCTUnwrap(Scenario.parse(yaml: needle + "{coating: {\(bubbles)}}}]\n").needles[0].surface.coating)
    XCTAssertEqual(coating.bubble.diameterMetres, 4e-6, accuracy: 1e-12)
    XCTAssertEqual(coating.bubble.matrixShearModulusPascals, 1e6, accuracy: 1e-6)
    assertError(
      needle
        + "{coating: {\(bubbles.replacingOccurrences(of: "bubble_diameter_um: 4", with: "bubble_diameter_um: 30"))}}}]\n",
      field: "needles[0].surface.coating.bubble_diameter_um")
    assertError(
      needle
        + "{coating: {\(bubbles.replacingOccurrences(of: "shear_modulus_mpa: 1", with: "shear_modulus_mpa: 200"))}}}]\n",
      field: "needles[0].surface.coating.shear_modulus_mpa")
    assertError(
      needle + "{coating: {bubble_diameter_um: 4, shear_modulus_mpa: 1, from_tip_mm: [0, 20]}}}]\n",
      field: "needles[0].surface.coating.per_mm2")
    assertError(needle + "{dimples: {\(pits)}, coating: {\(bubbles)}}}]\n", field: "needles[0].surface")
    let rough = try XCTUnwrap(
      Scenario.parse(yaml: needle + "{roughness: {rms_um: 0.4, correlation_um: 20}}}]\n").needles[0].surface.roughness)
    XCTAssertEqual(rough.rmsHeightMetres, 0.4e-6, accuracy: 1e-12)
    assertError(
      needle + "{roughness: {rms_um: 8, correlation_um: 20}}}]\n", field: "needles[0].surface.roughness.rms_um")
    assertError(
      needle + "{roughness: {rms_um: 4, correlation_um: 10}}}]\n",
      field: "needles[0].surface.roughness.correlation_um")
    // 10 µm bubbles at 2000 per mm² would cover 16 % of the surface.
    assertError(
      needle + "{coating: {bubble_diameter_um: 10, shear_modulus_mpa: 1, per_mm2: 2000, from_tip_mm: [0, 20]}}}]\n",
      field: "needles[0].surface.coating.per_mm2")
  }

  func testMissingScattererFileIsNamed() {
    assertError("scatterers: {file: does-not-exist.npy}\n", field: "scatterers.file")
  }
}
