import Foundation

/// What a difficulty level sets in an exercise. Values are drawn uniformly from the ranges per exercise.
///
/// | | easy | medium | hard |
/// |---|---|---|---|
/// | subcutaneous fat (mm) — habitus | 6–10 | 10–16 | 18–28 |
/// | depth scale below the fat | 0.9–1.0 | 1.0–1.1 | 1.1–1.25 |
/// | acoustic window (× the preset's) | 1.1 | 0.9 | 0.7 |
/// | share of the sweep with the target in shadow | 1/3 | 1/2 | 2/3 |
/// | needle gauge | 18 | 20 | 22 |
/// | channel noise, SNR (dB) | 40 | 30 | 20 |
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

  public var noiseSnrDb: Double {
    switch self {
    case .easy: 40
    case .medium: 30
    case .hard: 20
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

  public var maximumTiltDegrees: Double {
    switch self {
    case .easy: 15
    case .medium: 20
    case .hard: 25
    }
  }
}
