import Acoustics
import Phantom

/// Model switches (`physics:`) that make the simulation closer to MUST and to interface physics. MUST's probe response
/// and the needle's shadow are on by default; the others are off until the scenes, exercises and tests tuned without
/// them are redone (see the README, "What is simulated").
public struct PhysicsPlan: Sendable, Equatable {
  /// The probe's two-way response: MUST's generalized normal window (the default: the presets carry MUST's names and
  /// bandwidths, and their pulses match PyMUST's, `MUSTReferenceTests`) or a Gaussian (``PulseModel/Response``).
  public var probeResponse: PulseModel.Response = .must
  /// The elevation beam shapes each path's spectrum (``SimulationSettings/elevationDispersion``).
  public var elevationDispersion = false
  /// Interfaces transmit at the path's own incidence angle (``TissueMedium/interfacesAtIncidence``).
  public var interfacesAtIncidence = false
  /// How echo amplitudes are scaled: the relative calibration or the physical one (backscatter coefficients and
  /// Kirchhoff sheets across the elevation beam; ``Phantom/EchoCalibration``).
  public var calibration = EchoCalibration.relative
  /// Needles are part of the propagation medium: paths through a shaft carry its walls' and lumen's transmission
  /// (``Acoustics/NeedleShadowedMedium``), so tissue beyond a needle lies in its shadow. On by default: its depth
  /// under a shaft is the share of the elevation beam the shaft blocks (`NeedleShadowDepthTests`), and it costs about
  /// a tenth of the default scene's synthesis.
  public var needleShadow = true

  public init() {}
}

extension Scenario {
  /// The two-way pulse this scenario's probe, transmit and physics give.
  public var pulse: PulseModel {
    PulseModel(
      centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth,
      cycles: transmit.cycles, response: physics.probeResponse)
  }
}
