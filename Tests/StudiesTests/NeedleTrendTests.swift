import Foundation
import Metrics
import Scenario
import Studies
import XCTest

/// Needle-visibility trends on the wall-band metric (`docs/metrics.md`, "Needle visibility") in a speckled gel block,
/// each the mean of three speckle seeds, measured as a user's scene measures them (scenario → simulation → the
/// metric that `metrics.json`, dataset labels and exercise keys use).
///
/// References, none of them our code:
/// - Gauge: the probe-facing wall of a smooth tube is a convex mirror of radius a across the elevation beam; by
///   geometric optics its echo grows as √a (`docs/physics.md`, "Needles"), so 18G (OD 1.270 mm) stands
///   10·log10(1.270/0.514) = 3.9 dB over 25G (OD 0.514 mm) on the straight shaft. The criterion: ≥ 2 dB.
/// - Angle, depth and steering: the published trends (Schafhalter-Zoppoth et al., RAPM 2004: visibility falls with
///   steeper insertion; beam steering toward the perpendicular of the shaft restores it), and the specular law: a
///   plane wave reflected by a shaft at α returns at 2α, off a receive aperture that is only z/F wide.
final class NeedleTrendTests: XCTestCase {
  /// The needle's visibility in a gel block: `gauge` with its tip at (`tipX`, `depth`) mm, `angle` degrees from the
  /// left, one plane wave at `steering` degrees, an image ±12 mm wide from 12 mm above the tip to 6 mm below it, and
  /// `extra` YAML lines.
  func visibility(
    probe: String = "L11-5v", gauge: Int, angle: Double, depth: Int, tipX: Double = 6, steering: Double = 0,
    seed: Int, pixel: Double = 0.1, extra: String = ""
  ) throws -> NeedleVisibility {
    let s = try Scenario.parse(
      yaml: """
        probe: \(probe)
        phantom: {preset: gel-block}
        needles: [{gauge: \(gauge), tip_mm: [\(tipX), \(depth)], angle_deg: \(angle), side: left}]
        transmit: {scheme: plane_wave, angles_deg: [\(steering)]}
        image: {x_mm: [-12, 12], z_mm: [\(depth - 12), \(depth + 6)], pixel_mm: \(pixel)}
        seed: \(seed)
        \(extra)
        """)
    let r = SimulationPipeline(scenario: s, threads: 2).run()
    return try XCTUnwrap(DatasetLabels.visibility(result: r, scenario: s).first)
  }

  /// Mean wall-band contrast (dB) over seeds 1–3.
  func contrast(_ measure: (Int) throws -> NeedleVisibility) throws -> Double {
    try (1...3).map { try measure($0).contrastDb }.reduce(0, +) / 3
  }

  /// 18G over 25G at 0°, L11-5v (30 mm) and C5-2v (50 mm): the straight shaft (tip beyond the image's right edge,
  /// so that the tip's geometry does not enter) is brighter by ≥ 2 dB, and within 1 dB of the √a law's 3.9 dB
  /// (measured 3.85 and 3.8 dB). The default (relative) calibration imposes that law on the shaft's points, so the
  /// second check verifies that the wall band recovers the echo ratio through speckle, beamforming and pixels — it
  /// is not an independent check of the law; the physical calibration, which integrates the cylinder across the
  /// elevation beam, measures 2.1 and 1.7 dB (the calibration issue's open question). With a Quincke tip inside the
  /// image the mean falls to 2.4 and 1.7 dB: the bevel takes away the probe-facing wall over OD/tan 15°, 4.7 mm for
  /// 18G against 1.9 mm for 25G.
  func testThickerShaftIsMoreVisible() throws {
    let expected = 10 * log10(1.270 / 0.514)
    for (probe, depth, pixel) in [("L11-5v", 30, 0.1), ("C5-2v", 50, 0.2)] {
      let c = try [18, 25].map { gauge in
        try contrast {
          try self.visibility(probe: probe, gauge: gauge, angle: 0, depth: depth, tipX: 16, seed: $0, pixel: pixel)
        }
      }
      print(
        "\(probe): wall-band contrast 18G \(c[0]) dB, 25G \(c[1]) dB, difference \(c[0] - c[1]) (√a law \(expected))")
      XCTAssertGreaterThanOrEqual(c[0] - c[1], 2)
      XCTAssertEqual(c[0] - c[1], expected, accuracy: 1)
    }
  }

  /// A 22G needle fades as it steepens, 0° → 10° → 20°, by at least 2 dB per step, for the L11-5v (tip at 30 mm) and
  /// the C5-2v (50 mm) under an unsteered plane wave (measured 31.6 → 4.9 → −0.6 dB and 22.3 → 1.4 → −0.8 dB).
  func testSteeperNeedleFades() throws {
    for (probe, depth, pixel) in [("L11-5v", 30, 0.1), ("C5-2v", 50, 0.2)] {
      let c = try [0.0, 10, 20].map { angle in
        try contrast {
          try self.visibility(probe: probe, gauge: 22, angle: angle, depth: depth, seed: $0, pixel: pixel)
        }
      }
      print("\(probe): 22G wall-band contrast at 0°, 10°, 20°: \(c) dB")
      for (steeper, shallower) in zip(c.dropFirst(), c) { XCTAssertLessThan(steeper, shallower - 2) }
    }
  }

  /// With a fixed receiver noise floor (−60 dB of a perfect mirror's echo at 10 mm), a 22G needle at 0° under the
  /// L11-5v fades as its tip goes from 30 to 45 to 60 mm, by ≥ 3 dB per step (measured 31.0 → 23.9 → 15.6 dB), and
  /// faster than without the noise (31.6 → 27.4 → 25.9 dB: the cylinder's spreading and the downshift alone).
  func testDeeperNeedleFadesIntoTheNoiseFloor() throws {
    let noisy = try [30, 45, 60].map { depth in
      try contrast {
        try self.visibility(gauge: 22, angle: 0, depth: depth, seed: $0, extra: "acquisition: {noise_floor_db: -60}")
      }
    }
    let quiet = try [30, 60].map { depth in
      try contrast { try self.visibility(gauge: 22, angle: 0, depth: depth, seed: $0) }
    }
    print("22G wall-band contrast at 30, 45, 60 mm with noise: \(noisy) dB; at 30, 60 mm without: \(quiet) dB")
    for (deeper, shallower) in zip(noisy.dropFirst(), noisy) { XCTAssertLessThan(deeper, shallower - 3) }
    XCTAssertLessThan(noisy[2], quiet[1] - 3)
  }

  /// Steering the plane wave perpendicular to a 22G shaft at 20° (−20°) gains ≥ 10 dB and recovers at least half of
  /// what the shaft lost against 10° (measured: 1.1 dB unsteered, 18.8 dB steered, 22.8 dB at 10° unsteered).
  /// Receive f-number 1, rectangular window: the steered echo returns along −20°, so it reaches the array about
  /// z·tan 20° = 11 mm aside; the default f/1.5 Hann aperture, centred under the pixel and not steered, keeps only its
  /// edge (measured 2.7 dB).
  func testPerpendicularSteeringRecoversTheShaft() throws {
    let aperture = "beamform: {f_number: 1, window: rectangular}"
    let unsteered = try contrast { try self.visibility(gauge: 22, angle: 20, depth: 30, seed: $0, extra: aperture) }
    let steered = try contrast {
      try self.visibility(gauge: 22, angle: 20, depth: 30, steering: -20, seed: $0, extra: aperture)
    }
    let shallow = try contrast { try self.visibility(gauge: 22, angle: 10, depth: 30, seed: $0, extra: aperture) }
    print("22G wall-band contrast: 20° unsteered \(unsteered), steered −20° \(steered), 10° unsteered \(shallow) dB")
    XCTAssertGreaterThan(steered - unsteered, 10)
    XCTAssertGreaterThan(steered - unsteered, (shallow - unsteered) / 2)
  }
}

/// Keypoint flags from the image (`docs/metrics.md`, image-based visibility): the gel-needle sweep's base scene (22G,
/// L11-5v, tip at 40 mm, one unsteered plane wave, f/1 Hann receive, noise 40 dB down).
final class NeedleKeypointFlagTests: XCTestCase {
  func keypoints(angle: Double) throws -> (flags: [Int], seen: NeedleVisibility) {
    let s = try Scenario.parse(
      yaml: """
        probe: L11-5v
        phantom: {preset: gel-block}
        needles: [{gauge: 22, tip_mm: [4, 40], angle_deg: \(angle), side: left}]
        transmit: {scheme: plane_wave, angles_deg: [0]}
        beamform: {f_number: 1, window: hann}
        image: {x_mm: [-12, 12], z_mm: [12, 66], pixel_mm: 0.1}
        acquisition: {noise_snr_db: 40}
        seed: 1
        """)
    let r = SimulationPipeline(scenario: s, threads: 2).run()
    let seen = try XCTUnwrap(DatasetLabels.visibility(result: r, scenario: s).first)
    let kp = DatasetLabels.keypoints(s.needles[0], seen: seen, result: r, scenario: s)
    return (kp.map(\.visibility), seen)
  }

  /// At 10° the shaft and tip show (entry and tip flag 2; measured wall-band contrast 9.0 dB, 88 % of the length
  /// visible, tip 11.4 dB). At 60° the shaft's echo leaves the aperture: the entry is present but not visible (1),
  /// though the needle lies in plane and in no shadow — geometry alone would have flagged it 2. The tip's flag
  /// follows its measured contrast (at 60° still 9.1 dB, from the tip's own isotropic point, which the needle
  /// issue's tip-geometry point replaces).
  func testFlagsFollowTheImage() throws {
    let shallow = try keypoints(angle: 10)
    XCTAssertEqual(shallow.flags, [2, 2])
    let steep = try keypoints(angle: 60)
    XCTAssertEqual(steep.flags[0], 1)
    XCTAssertLessThan(steep.seen.visibleLengthFraction, 0.2)
    XCTAssertEqual(steep.flags[1], steep.seen.tipContrastDb >= 6 ? 2 : 1)
  }
}
