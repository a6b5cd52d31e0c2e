import Acquisition

extension ChannelRecording {
  /// One frame as the beamformer's analytic signals: through FFTW for RF data, by modulating I/Q data back to its
  /// carrier (``AnalyticChannelData/init(layout:iq:modulationFrequencyHz:)``) otherwise.
  public func analytic(frame: Int, threads: Int = 1) -> AnalyticChannelData {
    if !isComplex { return AnalyticChannelData(channelData(frame: frame), threads: threads) }
    return AnalyticChannelData(
      layout: layout, iq: Array(samples(frame: frame)), modulationFrequencyHz: modulationFrequencyHz)
  }
}
