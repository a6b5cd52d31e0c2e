/// The imaging half of both `simulate` and `beamform`: delay-and-sum of analytic channel data on the beamforming
/// grid, then the envelope on the output's Cartesian axes (scan-converted from a polar grid) and its log-compressed
/// 8-bit B-mode. One path, so a recorded file and a simulation with the same settings give the same image.
public struct ImagingChain: Sendable {
  public var beamforming: BeamformSettings
  /// Displayed dynamic range and gain (dB), as ``LogCompression/grayscale(_:dynamicRangeDb:gainDb:)`` takes them.
  public var dynamicRangeDb: Double
  public var gainDb: Double

  public init(
    beamforming: BeamformSettings, dynamicRangeDb: Double = LogCompression.defaultDynamicRangeDb,
    gainDb: Double = LogCompression.defaultGainDb
  ) {
    self.beamforming = beamforming
    self.dynamicRangeDb = dynamicRangeDb
    self.gainDb = gainDb
  }

  /// The complex image (interleaved re, im) on `grid`; `progress` gets the fraction done, 0…1.
  public func beamform(_ data: AnalyticChannelData, grid: ImageGrid, progress: (@Sendable (Double) -> Void)? = nil)
    -> [Float]
  {
    DelayAndSum(settings: beamforming).beamform(data, grid: grid, progress: progress)
  }

  /// The envelope of `beamformed` (on `grid`) at the Cartesian output axes, row-major (z × x), and its B-mode.
  public func display(_ beamformed: [Float], grid: ImageGrid, x: [Double], z: [Double])
    -> (envelope: [Float], bmode: [UInt8])
  {
    let envelope = Envelope.cartesian(beamformed, grid: grid, x: x, z: z)
    return (envelope, LogCompression.grayscale(envelope, dynamicRangeDb: dynamicRangeDb, gainDb: gainDb))
  }
}
