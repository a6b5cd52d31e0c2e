import Foundation
import Phantom

/// What a difficulty level sets in an exercise. Values are drawn uniformly from the ranges per exercise.
///
/// | | easy | medium | hard |
/// |---|---|---|---|
/// | subcutaneous fat (mm) — habitus | 6–10 | 10–16 | 18–28 |
/// | depth scale below the fat | 0.9–1.0 | 1.0–1.1 | 1.1–1.25 |
/// | acoustic window (× the preset's) | 1.1 | 0.9 | 0.7 |
/// | share of the sweep with the target in shadow | 1/3 | 1/2 | 2/3 |
/// | needle gauge | 18 | 20 | 22 |
/// | receiver noise floor (dB re a mirror at 10 mm) | −74 | −64 | −54 |
/// | frames in the sweep | 7 | 9 | 11 |
/// | largest probe tilt (°) | 15 | 20 | 25 |
public enum ExerciseDifficulty: String, Sendable, CaseIterable {
  case easy, medium, hard

  public var fatThicknessMillimetres: ClosedRange<Double> {
    switch self {
    case .easy: 6...10
    case .medium: 10...16
    case .hard: 18...28
    }
  }

  public var depthScale: ClosedRange<Double> {
    switch self {
    case .easy: 0.9...1.0
    case .medium: 1.0...1.1
    case .hard: 1.1...1.25
    }
  }

  public var windowScale: Double {
    switch self {
    case .easy: 1.1
    case .medium: 0.9
    case .hard: 0.7
    }
  }

  /// Share of the frames the planner aims to have the target in shadow.
  public var hiddenShare: Double {
    switch self {
    case .easy: 1.0 / 3
    case .medium: 0.5
    case .hard: 2.0 / 3
    }
  }

  public var gauge: Int {
    switch self {
    case .easy: 18
    case .medium: 20
    case .hard: 22
    }
  }

  /// The receiver's noise floor (`acquisition.noise_floor_db`: noise RMS in dB relative to the echo of a perfect
  /// mirror at 10 mm, ``Scenario/noiseReferenceAmplitude(threads:)``), the same in every frame: a scanner's receiver
  /// noise does not change with what lies under the probe. The levels put it about 40, 30 and 20 dB under the
  /// channel RMS of the exercises' frames — the SNRs the difficulties had when the noise followed each frame's own
  /// RMS —, whose RMS lies 31–36 dB under the reference (C5-2v, three diverging waves, relative calibration;
  /// medians over the frames of one exercise: paramedian 32.8, hiatus 31.4, facet 35.9 dB).
  public var noiseFloorDb: Double {
    switch self {
    case .easy: -74
    case .medium: -64
    case .hard: -54
    }
  }

  public var frameCount: Int {
    switch self {
    case .easy: 7
    case .medium: 9
    case .hard: 11
    }
  }

  /// `pose` within the sweeps' reach: offsets −40…40 mm, tilts within ``maximumTiltDegrees``.
  func clamped(_ pose: ExercisePlan.Pose) -> ExercisePlan.Pose {
    let maxTilt = maximumTiltDegrees * .pi / 180
    return ExercisePlan.Pose(
      offsetMetres: min(40e-3, max(-40e-3, pose.offsetMetres)),
      tiltRadians: min(maxTilt, max(-maxTilt, pose.tiltRadians)))
  }

  /// Why exercises of `preset` at this difficulty are known not to teach (README, *Known shortfalls*), or nil. The
  /// facet joint's lips are the shallowest bone on every path to them from the poses of easy and medium sweeps (tilts
  /// up to 15° and 20°), so no pose there puts them in shadow: frames hide them only by the glare of the bone beside
  /// the gap, with their own echo within 10 dB of the frames that show them (`scripts/validate-exercises`, measured
  /// with each surface lit from the side facing the beam's source).
  public func knownShortfall(of preset: AnatomyPreset) -> String? {
    guard preset == .lumbarTransverseFacet, self != .hard else { return nil }
    return
      "at \(rawValue) no probe pose puts the facet joint's lips in bone shadow (frames hide them only by the glare of the bone beside the gap); facet exercises teach at --difficulty hard"
  }

  public var maximumTiltDegrees: Double {
    switch self {
    case .easy: 15
    case .medium: 20
    case .hard: 25
    }
  }
}
