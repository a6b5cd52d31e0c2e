/// Settings of the delay-and-sum beamformer: the receive aperture and the sound speed its delays assume.
public struct BeamformSettings: Sendable, Equatable {
  public var aperture: ReceiveAperture
  /// Sound speed assumed for delays (m/s).
  public var soundSpeedMetresPerSecond: Double
  public var threads: Int

  /// The sound speed assumed when nothing names one (m/s): the soft-tissue average scanners assume.
  public static let defaultSoundSpeedMetresPerSecond = 1540.0
  /// Accepted beamforming sound speeds (m/s): from slow gases' neighbourhood to beyond bone, for odd media and
  /// files.
  public static let soundSpeedRange: ClosedRange<Double> = 100...10_000
  /// The accepted sound speeds in words, for error messages.
  public static let soundSpeedAllowed = "a sound speed in m/s, 100…10000"

  public init(
    aperture: ReceiveAperture = ReceiveAperture(),
    soundSpeedMetresPerSecond: Double = defaultSoundSpeedMetresPerSecond, threads: Int = 1
  ) {
    self.aperture = aperture
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.threads = threads
  }
}
