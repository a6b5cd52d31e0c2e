import Acquisition

extension ChannelRecording {
  /// One frame of simulated RF channel data, recorded with the pulse model's centre frequency and bandwidth (what a
  /// file can say of the pulse).
  public init(_ rf: ChannelData, pulse: PulseModel, scan: RecordedScan? = nil) {
    self.init(rf, pulse: (pulse.centerFrequencyHz, pulse.fractionalBandwidth), scan: scan)
  }
}
