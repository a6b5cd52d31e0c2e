/// Channel data as files hold it: one or more frames of RF or base-band I/Q samples, with the probe, transmit
/// sequence, sampling and, when the file gives them, the pulse and the pixel grid it was meant to be imaged on.
public struct ChannelRecording: Sendable {
  /// The largest magnitude a recorded sample may have: beyond it the beamformer's sums (and the envelope's squares)
  /// leave float32's range, and the image would be NaN. Readers refuse files with larger or non-finite samples.
  public static let maximumSampleMagnitude = 1e15

  /// The index of the first sample that is not finite or exceeds ``maximumSampleMagnitude`` (nil when all are fine).
  /// Inlinable, so that the readers' calls are specialised for their arrays: unspecialised, the scan made reading a
  /// 123 MiB UFF file take 2.2 s instead of 0.18 s (`us-sim-bench uff`).
  @inlinable
  public static func firstImplausibleSample<C: Collection>(_ values: C) -> C.Index?
  where C.Element: BinaryFloatingPoint {
    values.firstIndex { !(abs(Double($0)) <= maximumSampleMagnitude) }
  }

  /// Probe, transmit sequence (with each event's ``TransmitEvent/firstFiringTimeSeconds`` on the data's clock),
  /// sampling frequency, time of sample 0 and sound speed. Its `data` is empty: the samples are in ``samples``.
  public var layout: ChannelData
  public var frameCount: Int
  /// 0 for RF data; the demodulation frequency of base-band I/Q data (Hz).
  public var modulationFrequencyHz: Double
  /// Whether ``samples`` are complex (I, Q interleaved).
  public var isComplex: Bool
  /// frames × events × elements × samples, each sample one float (RF) or two (I, Q).
  public var samples: [Float]
  /// The transmitted pulse's centre frequency (Hz) and −6 dB fractional bandwidth, when known.
  public var pulse: (centerFrequencyHz: Double, fractionalBandwidth: Double)?
  /// The image grid the file asks for, when it has one.
  public var scan: RecordedScan?

  public init(
    layout: ChannelData, frameCount: Int, modulationFrequencyHz: Double = 0, isComplex: Bool = false, samples: [Float],
    pulse: (centerFrequencyHz: Double, fractionalBandwidth: Double)? = nil, scan: RecordedScan? = nil
  ) {
    precondition(
      samples.count == frameCount * layout.eventCount * layout.elementCount * layout.sampleCount * (isComplex ? 2 : 1),
      "recording size mismatch")
    var header = layout
    header.data = []
    self.layout = header
    self.frameCount = frameCount
    self.modulationFrequencyHz = modulationFrequencyHz
    self.isComplex = isComplex
    self.samples = samples
    self.pulse = pulse
    self.scan = scan
  }

  /// One frame of simulated RF channel data, with the pulse's centre frequency (Hz) and −6 dB fractional bandwidth.
  public init(
    _ rf: ChannelData, pulse: (centerFrequencyHz: Double, fractionalBandwidth: Double)? = nil,
    scan: RecordedScan? = nil
  ) {
    self.init(layout: rf, frameCount: 1, samples: rf.data, pulse: pulse, scan: scan)
  }

  /// Samples in one frame (floats).
  public var frameLength: Int { layout.eventCount * layout.elementCount * layout.sampleCount * (isComplex ? 2 : 1) }

  /// One frame's samples as stored (RF, or interleaved I and Q).
  public func samples(frame: Int) -> ArraySlice<Float> { samples[(frame * frameLength)..<((frame + 1) * frameLength)] }

  /// One frame as RF channel data (real recordings only).
  public func channelData(frame: Int) -> ChannelData {
    precondition(!isComplex, "complex recordings have no RF channel data")
    var rf = layout
    rf.data = Array(samples(frame: frame))
    return rf
  }
}

/// A pixel grid named by a channel-data file (UFF's `uff.linear_scan` and `uff.sector_scan`), in metres and radians.
public enum RecordedScan: Sendable, Equatable {
  /// Columns at `x`, rows at depths `z`.
  case linear(x: [Double], z: [Double])
  /// Columns at azimuths (rad, from +z toward +x) and rows at depths (m) from an apex.
  case sector(azimuths: [Double], depths: [Double], apexX: Double, apexZ: Double)
}
