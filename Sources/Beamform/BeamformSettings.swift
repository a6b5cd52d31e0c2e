import Acquisition

/// Settings of the delay-and-sum beamformer: the receive aperture and the sound speed its delays assume.
public struct BeamformSettings: Sendable, Equatable {
  public var aperture: ReceiveAperture
  /// Sound speed assumed for delays (m/s).
  public var soundSpeedMetresPerSecond: Double
  public var threads: Int

  /// The sound speed assumed when nothing names one, and the accepted range (``ChannelData``'s, m/s).
  public static let defaultSoundSpeedMetresPerSecond = ChannelData.defaultSoundSpeedMetresPerSecond
  public static let soundSpeedRange = ChannelData.soundSpeedRange
  public static let soundSpeedAllowed = ChannelData.soundSpeedAllowed

  public init(
    aperture: ReceiveAperture = ReceiveAperture(),
    soundSpeedMetresPerSecond: Double = defaultSoundSpeedMetresPerSecond, threads: Int = 1
  ) {
    self.aperture = aperture
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.threads = threads
  }
}
