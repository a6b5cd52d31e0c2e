import Acquisition

/// Settings of the delay-and-sum beamformer: the receive aperture and the sound speed its delays assume.
public struct BeamformSettings: Sendable, Equatable {
  public var aperture: ReceiveAperture
  /// Sound speed assumed for delays (m/s).
  public var soundSpeedMetresPerSecond: Double
  public var threads: Int

  public init(
    aperture: ReceiveAperture = ReceiveAperture(),
    soundSpeedMetresPerSecond: Double = ChannelData.defaultSoundSpeedMetresPerSecond, threads: Int = 1
  ) {
    self.aperture = aperture
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.threads = threads
  }
}
