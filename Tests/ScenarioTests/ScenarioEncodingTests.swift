import ConfigReading
import FileFormats
import Foundation
import Phantom
import Scenario
import XCTest

/// A scenario written as YAML (``Scenario/yaml()``) reads back as the same scenario: every example, the default
/// scene and a file that sets every key to a value other than its default (so a key the writer leaves out fails).
final class ScenarioEncodingTests: XCTestCase {
  var examples: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("examples")
  }

  /// `s` written and read back (relative files resolved against `base`).
  func readBack(_ s: Scenario, base: URL = URL(fileURLWithPath: ".")) throws -> Scenario {
    try Scenario.parse(yaml: try s.yaml(), baseDirectory: base)
  }

  func testExamplesAndTheDefaultSceneReadBackAsThemselves() throws {
    XCTAssertEqual(try readBack(Scenario.defaultScene), Scenario.defaultScene)
    var checked = 0
    for folder in ["scenes", "phantoms", "sweeps"] {
      let dir = examples.appendingPathComponent(folder)
      for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".yaml") {
        let url = dir.appendingPathComponent(file)
        guard let s = try? Scenario.load(contentsOf: url) else { continue }  // sweep plans are not scenarios
        let text = try s.yaml()
        XCTAssertEqual(try Scenario.parse(yaml: text, baseDirectory: dir), s, "\(folder)/\(file):\n\(text)")
        checked += 1
      }
    }
    XCTAssertGreaterThanOrEqual(checked, 14)
  }

  /// Every key of every section, none at its default.
  let everyKey = """
    probe: {preset: C5-2v, elements: 96, fc_mhz: 3.2, pitch_mm: 0.5, kerf_mm: 0.04, bandwidth_percent: 66,
            radius_mm: 55, element_height_mm: 12, elevation_focus_mm: 70}
    medium: {sound_speed_m_s: 1500, attenuation_db_cm_mhz: 0.7, attenuation_exponent: 1.1}
    transmit: {scheme: focused, angles_deg: [-3.5, 2], cycles: 1.5, focus_mm: [2, 35], lines: 64, tx_f_number: 2.5,
               source_mm: 12, tx_window: tukey}
    scatterers:
      points: [{x_mm: 1.5, y_mm: 0.25, z_mm: 22, amplitude: -3}, {x_mm: -2, z_mm: 30}]
      regions:
        - {shape: rectangle, x_mm: [-10, 10], z_mm: [5, 30], density_per_mm2: 5, thickness_mm: 1.5}
        - {shape: disk, center_mm: [0, 15], radius_mm: 3, anechoic: true, thickness_mm: 2}
        - {shape: ellipse, center_mm: [5, 25], semi_axes_mm: [3, 2], angle_deg: 30, echogenicity_db: 6,
           thickness_mm: 2.5}
    beamform: {f_number: 2.2, window: tukey}
    image: {x_mm: [-21, 19], z_mm: [4, 66], pixel_mm: 0.2, dynamic_range_db: 55, gain_db: 3}
    acquisition: {sampling_mhz: 20, noise_floor_db: -80, tgc_db_per_cm: off, exact: true}
    outputs: {rf: true, iq: true, channel_data: uff}
    seed: 11
    physics: {probe_response: must, elevation_dispersion: true, interfaces_at_incidence: true, calibration: physical,
              needle_shadow: true}
    phantom:
      preset: lumbar-paramedian-sagittal
      level: L4-L5
      fat_thickness_mm: 18.5
      depth_scale: 1.1
      window_scale: 0.8
      probe_offset_mm: -4.25
      probe_tilt_deg: 7.5
      speeds_along_paths: true
      elevation_thickness_mm: 3
      speckle_density_scale: 4
      tissues: {fat: {sound_speed_m_s: 1440, roughness_mm: 0.05}, muscle: {amplitude_std: 1.3}}
      regions:
        - {shape: polygon, points_mm: [[-5, 20], [5, 20], [0, 28]], tissue: {base: fat, name: lipoma, density_kg_m3: 940}}
        - {shape: layer, z_mm: [40, 42], tissue: bone}
    needles:
      - {gauge: 21, tip_mm: [3, 31.5], angle_deg: 42, side: right, bevel: down, elevation_offset_mm: 0.4, tilt_deg: 2,
         tip: tuohy, length_mm: 80, lumen: air}
      - {gauge: 25, tip_mm: [-2, 20], surface: {dimples: {diameter_um: 110.5, depth_um: 35, per_mm2: 22.5,
         from_tip_mm: [0.5, 20.25]}}}
      - {gauge: 19, tip_mm: [-6, 22], surface: {roughness: {rms_um: 0.45, correlation_um: 25}}}
      - {gauge: 20, tip_mm: [4, 25], surface: {coating: {bubble_diameter_um: 3.5, shear_modulus_mpa: 2.5, per_mm2: 150,
         from_tip_mm: [0, 30]}}}
    """

  func testEveryKeyReadsBack() throws {
    let s = try Scenario.parse(yaml: everyKey)
    let text = try s.yaml()
    XCTAssertEqual(try Scenario.parse(yaml: text), s, text)
    // The noise given as a signal-to-noise ratio and TGC following the tissues, which exclude the keys above.
    let other = try Scenario.parse(
      yaml: "acquisition: {noise_snr_db: 25, tgc_db_per_cm: auto}\nphantom: {background: fat, regions: []}\n")
    XCTAssertEqual(try readBack(other), other)
    XCTAssertEqual(other.phantom?.preset, .custom)
    // Receive steering, which needs plane waves (the scheme above is focused).
    let steered = try Scenario.parse(
      yaml: "transmit: {scheme: plane_wave, angles_deg: [-10, 10]}\nbeamform: {receive_steering: true}\n")
    XCTAssertTrue(steered.beamform.steered)
    XCTAssertEqual(try readBack(steered), steered)
  }

  /// Values that are not short decimals in the file's units (an insertion angle from an entry point, a tip at a
  /// target's centroid) read back within the last digits, and the text written from that is the same.
  func testDerivedValuesAreWrittenStably() throws {
    let s = try Scenario.parse(
      yaml: """
        phantom: {preset: lumbar-transverse-facet}
        needles: [{gauge: 22, target: \(AnatomyPreset.lumbarTransverseFacet.build(AnatomyParameters()).targets[0].name),
                   entry_mm: [-31.7, 0]}, {gauge: 18, tip_mm: [4, 25], entry_mm: [12.3, 1]}]
        image: {pixel_mm: 0.17}
        """)
    let back = try readBack(s)
    for (a, b) in zip(s.needles, back.needles) {
      XCTAssertEqual(a.insertionAngleRadians, b.insertionAngleRadians, accuracy: 1e-14)
      XCTAssertEqual(a.tipX, b.tipX, accuracy: 1e-17)
      XCTAssertEqual(a.tipZ, b.tipZ, accuracy: 1e-17)
      XCTAssertEqual(a.side, b.side)
    }
    XCTAssertEqual(try back.yaml(), try s.yaml())
    XCTAssertEqual(try readBack(back), back)
  }

  /// What a file refers to (scatterers or a label image in a `.npy` file) is not written back; the error names it.
  func testFileContentsAreRefusedByName() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("encoding-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try NumpyArray.write([0, 0, 20, 1], shape: [1, 4], to: dir.appendingPathComponent("points.npy"))
    try NumpyArray.encode(uint8: [0, 1, 1, 0], shape: [2, 2]).write(to: dir.appendingPathComponent("labels.npy"))
    let withPoints = try Scenario.parse(yaml: "scatterers: {file: points.npy}\n", baseDirectory: dir)
    let withLabels = try Scenario.parse(
      yaml: "phantom: {label_image: {file: labels.npy, pixel_mm: 1, classes: {1: fat}}}\n", baseDirectory: dir)
    for (s, field) in [(withPoints, "scatterers.file"), (withLabels, "phantom.label_image")] {
      XCTAssertThrowsError(try s.yaml()) { XCTAssertEqual(($0 as? ScenarioError)?.field, field) }
    }
  }
}
