/// Receive settings of the delay-and-sum beamformer.
public struct BeamformSettings: Sendable, Equatable {
  /// Receive f-number F = depth / aperture (0 = always the whole aperture).
  public var fNumber: Double
  public var window: ApodizationWindow
  /// Sound speed assumed for delays (m/s).
  public var soundSpeedMetresPerSecond: Double
  public var threads: Int

  public init(fNumber: Double = 1.5, window: ApodizationWindow = .hann, soundSpeedMetresPerSecond: Double = 1540, threads: Int = 1) {
    self.fNumber = fNumber
    self.window = window
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.threads = threads
  }
}
