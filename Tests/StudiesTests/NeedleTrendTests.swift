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
  /// The visibility of a plain `gauge` needle in the gel block (``GelNeedle``).
  func visibility(
    probe: String = "L11-5v", gauge: Int, angle: Double, depth: Int, tipX: Double = 6, steering: Double = 0,
    seed: Int, pixel: Double = 0.1, extra: String = ""
  ) throws -> NeedleVisibility {
    try GelNeedle(probe: probe, gauge: gauge, angle: angle, depth: depth, tipX: tipX, steering: steering, pixel: pixel)
      .visibility(seed: seed, extra: extra)
  }

  /// Mean wall-band contrast (dB) over seeds 1–3.
  func contrast(_ measure: (Int) throws -> NeedleVisibility) throws -> Double {
    try GelNeedle.meanOverSeeds { try measure($0).contrastDb }
  }

  /// 18G over 25G at 0°, L11-5v (30 mm) and C5-2v (50 mm): the straight shaft (tip beyond the image's right edge,
  /// so that the tip's geometry does not enter) is brighter by ≥ 2 dB, and within 1 dB of the √a law's 3.9 dB
  /// (measured 3.83 and 4.28 dB). The default (relative) calibration imposes that law on the shaft's points, so the
  /// second check verifies that the wall band recovers the echo ratio through speckle, beamforming and pixels — it
  /// is not an independent check of the law; the physical calibration, which integrates the cylinder across the
  /// elevation beam, measures 2.1 and 3.0 dB (the calibration issue's open question). With a Quincke tip inside the
  /// image the mean falls to 2.4 and 2.0 dB: the bevel takes away the probe-facing wall over OD/tan 15°, 4.7 mm for
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

  /// The same at 10° and 20°, with the plane wave steered perpendicular to the shaft and the receive aperture with
  /// it (`beamform: {receive_steering: true}`), as a scanner's needle-enhancement mode images a steep needle:
  /// 18G over 25G by ≥ 2 dB, within 1 dB of the √a law (the relative calibration's law again). Unsteered, a smooth
  /// shaft's echo leaves the aperture past ~10° whatever its gauge (README, "Things to know").
  func testThickerShaftIsMoreVisibleWhenSteeredPerpendicular() throws {
    let expected = 10 * log10(1.270 / 0.514)
    for (probe, depth, pixel) in [("L11-5v", 30, 0.1), ("C5-2v", 50, 0.2)] {
      for angle in [10.0, 20] {
        let c = try [18, 25].map { gauge in
          try contrast {
            try self.visibility(
              probe: probe, gauge: gauge, angle: angle, depth: depth, tipX: 16, steering: -angle, seed: $0,
              pixel: pixel, extra: "beamform: {receive_steering: true}")
          }
        }
        print("\(probe) at \(angle)°, steered: 18G \(c[0]) dB, 25G \(c[1]) dB, difference \(c[0] - c[1])")
        XCTAssertGreaterThanOrEqual(c[0] - c[1], 2, "\(probe) \(angle)°")
        XCTAssertEqual(c[0] - c[1], expected, accuracy: 1, "\(probe) \(angle)°")
      }
    }
  }

  /// A 22G needle fades as it steepens, 0° → 10° → 20°, for the L11-5v (tip at 30 mm) and the C5-2v (50 mm) under
  /// an unsteered plane wave: by at least 2 dB per step while the shallower shaft shows (wall-band contrast ≥ 6 dB,
  /// ``NeedleVisibility/visibleThresholdDb``); once it no longer does, the band holds speckle and its mean contrast
  /// is the speckle's own spread (about ±1 dB over three seeds), so a steeper shaft must only stay unseen. Measured
  /// 31.5 → 4.0 → −0.5 dB and 22.0 → 1.5 → 0.1 dB (with Gaussian speckle amplitudes, before: 32.0 → 4.2 → −0.3 and
  /// 22.5 → 1.7 → −0.6 dB, where the C5-2v's second step, between two unseen shafts, passed by 0.3 dB).
  func testSteeperNeedleFades() throws {
    for (probe, depth, pixel) in [("L11-5v", 30, 0.1), ("C5-2v", 50, 0.2)] {
      let c = try [0.0, 10, 20].map { angle in
        try contrast {
          try self.visibility(probe: probe, gauge: 22, angle: angle, depth: depth, seed: $0, pixel: pixel)
        }
      }
      print("\(probe): 22G wall-band contrast at 0°, 10°, 20°: \(c) dB")
      for (steeper, shallower) in zip(c.dropFirst(), c) {
        if shallower >= NeedleVisibility.visibleThresholdDb {
          XCTAssertLessThan(steeper, shallower - 2, probe)
        } else {
          XCTAssertLessThan(steeper, NeedleVisibility.visibleThresholdDb, probe)
        }
      }
    }
  }

  /// With a fixed receiver noise floor (−60 dB of a perfect mirror's echo at 10 mm), a 22G needle at 0° under the
  /// L11-5v fades as its tip goes from 30 to 45 to 60 mm, by ≥ 3 dB per step (measured 31.5 → 23.9 → 15.0 dB), and
  /// faster than without the noise (32.0 dB at 30 mm, 25.4 dB at 60 mm: the cylinder's spreading and the downshift
  /// alone).
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

  /// Steering the plane wave perpendicular to a 22G shaft at 20° (−20°) and the receive aperture with it
  /// (`beamform: {receive_steering: true}`, the default f/1.5 Hann aperture) gains ≥ 10 dB and recovers at least half
  /// of what the shaft lost against 10°. The steered echo returns along −20°, reaching the array z·tan 20° = 11 mm
  /// aside: an aperture centred under the pixel keeps only its edge (measured before receive steering existed: 2.1 dB
  /// at f/1.5 Hann, 19.3 dB at f/1 rectangular, whose wider aperture reaches it).
  func testPerpendicularSteeringRecoversTheShaft() throws {
    let unsteered = try contrast { try self.visibility(gauge: 22, angle: 20, depth: 30, seed: $0) }
    let steered = try contrast {
      try self.visibility(
        gauge: 22, angle: 20, depth: 30, steering: -20, seed: $0, extra: "beamform: {receive_steering: true}")
    }
    let transmitOnly = try contrast { try self.visibility(gauge: 22, angle: 20, depth: 30, steering: -20, seed: $0) }
    let shallow = try contrast { try self.visibility(gauge: 22, angle: 10, depth: 30, seed: $0) }
    print(
      "22G wall-band contrast: 20° unsteered \(unsteered), steered −20° \(steered) (transmit only \(transmitOnly)), "
        + "10° unsteered \(shallow) dB")
    XCTAssertGreaterThan(steered - unsteered, 10)
    XCTAssertGreaterThan(steered - unsteered, (shallow - unsteered) / 2)
  }
}

/// Keypoint flags from the image (`docs/metrics.md`, image-based visibility): the gel-needle sweep's base scene (22G,
/// L11-5v, tip at 40 mm, one unsteered plane wave, f/1 Hann receive, noise 40 dB down).
final class NeedleKeypointFlagTests: XCTestCase {
  func keypoints(angle: Double, needleKeys: String = "") throws -> (flags: [Int], seen: NeedleVisibility) {
    let s = try Scenario.parse(
      yaml: """
        probe: L11-5v
        phantom: {preset: gel-block}
        needles: [{gauge: 22, tip_mm: [4, 40], angle_deg: \(angle), side: left\(needleKeys)}]
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

  /// At 10° the shaft shows (entry flag 2; measured wall-band contrast 8.5 dB, 94 % of the length visible) and the
  /// tip stands at the threshold (5.6 dB, the open bevel's lower-wall line; 6.3 dB in the speckle of Gaussian
  /// amplitudes before). At 60° the shaft's echo leaves the aperture: the entry is present but not visible (1),
  /// though the needle lies in plane and in no shadow — geometry alone would have flagged it 2. The tip's flag
  /// follows its measured contrast at both angles (at 60° −0.7 dB: the tip's surfaces, all steeper than the shaft,
  /// return nothing the aperture receives).
  func testFlagsFollowTheImage() throws {
    let shallow = try keypoints(angle: 10)
    XCTAssertEqual(shallow.flags[0], 2)
    XCTAssertEqual(shallow.flags[1], shallow.seen.tipContrastDb >= NeedleVisibility.visibleThresholdDb ? 2 : 1)
    let steep = try keypoints(angle: 60)
    print(
      "22G at 10°: contrast", shallow.seen.contrastDb, "visible", shallow.seen.visibleLengthFraction, "tip",
      shallow.seen.tipContrastDb, "| 60°: visible", steep.seen.visibleLengthFraction, "tip", steep.seen.tipContrastDb)
    XCTAssertEqual(steep.flags[0], 1)
    XCTAssertLessThan(steep.seen.visibleLengthFraction, 0.2)
    XCTAssertEqual(steep.flags[1], steep.seen.tipContrastDb >= NeedleVisibility.visibleThresholdDb ? 2 : 1)
  }

  /// A dimpled needle at the same 60° (``NeedleSurfaceTests``' pits, here over the distal 40 mm, the whole shaft in
  /// the image): its pits return their echo whatever the angle, so the entry shows again (flag 2, most of the length
  /// visible), and so does the
  /// tip with the bevel down, whose cut leaves the probe-facing wall and its pits up to the point (measured 13.8 dB).
  /// With the bevel up the steel near the point is the lower wall, its pits facing away: the bright pits end where
  /// the heel begins, 2.7 mm (OD/tan 15°) short of the point, and the tip's flag follows its measured contrast.
  func testDimplesBringASteepNeedleBack() throws {
    let pits = ", surface: {dimples: {diameter_um: 100, depth_um: 50, per_mm2: 25, from_tip_mm: [0, 40]}}"
    let down = try keypoints(angle: 60, needleKeys: ", bevel: down" + pits)
    let up = try keypoints(angle: 60, needleKeys: pits)
    print(
      "dimpled 22G at 60°: bevel down visible", down.seen.visibleLengthFraction, "tip", down.seen.tipContrastDb,
      "| bevel up visible", up.seen.visibleLengthFraction, "tip", up.seen.tipContrastDb)
    XCTAssertEqual(down.flags, [2, 2])
    XCTAssertGreaterThan(down.seen.visibleLengthFraction, 0.5)
    XCTAssertEqual(up.flags[0], 2)
    XCTAssertEqual(up.flags[1], up.seen.tipContrastDb >= 6 ? 2 : 1)
  }
}
