/// RF channel data: what each element received for each transmit event, with everything needed to beamform it.
///
/// Samples are float32, stored event by event, element by element, time contiguous
/// (`data[(event·elementCount + element)·sampleCount + sample]`); sample n of every trace is at time
/// `startTimeSeconds + n / samplingFrequencyHz` after the first element of its event fired. (`rf.npy` is written in
/// the events × samples × elements order users expect.)
public struct ChannelData: Sendable {
  public var probe: Probe
  public var sequence: [TransmitEvent]
  public var samplingFrequencyHz: Double
  public var startTimeSeconds: Double
  public var sampleCount: Int
  /// Sound speed of the medium the data were acquired in (m/s), the beamformer's default.
  public var soundSpeedMetresPerSecond: Double

  /// The sound speed assumed when nothing names one (m/s): the soft-tissue average scanners assume.
  public static let defaultSoundSpeedMetresPerSecond = 1540.0
  /// Sound speeds a file or a beamformer may name (m/s): from slow gases' neighbourhood to beyond bone, for odd
  /// media and files; with the words error messages use.
  public static let soundSpeedRange: ClosedRange<Double> = 100...10_000
  public static let soundSpeedAllowed = "a sound speed in m/s, 100…10000"
  /// The samples; empty for a header only (the layout of data held elsewhere, e.g. base-band I/Q samples).
  public var data: [Float]

  public init(
    probe: Probe, sequence: [TransmitEvent], samplingFrequencyHz: Double, startTimeSeconds: Double, sampleCount: Int,
    soundSpeedMetresPerSecond: Double, data: [Float]? = nil
  ) {
    self.probe = probe
    self.sequence = sequence
    self.samplingFrequencyHz = samplingFrequencyHz
    self.startTimeSeconds = startTimeSeconds
    self.sampleCount = sampleCount
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.data = data ?? [Float](repeating: 0, count: sequence.count * probe.elementCount * sampleCount)
    precondition(
      self.data.isEmpty || self.data.count == sequence.count * probe.elementCount * sampleCount,
      "channel data size mismatch")
  }

  public var eventCount: Int { sequence.count }
  public var elementCount: Int { probe.elementCount }

  /// Offset of a trace's first sample in `data`.
  @inline(__always)
  public func traceOffset(event: Int, element: Int) -> Int { (event * elementCount + element) * sampleCount }

  /// One trace as an array.
  public func trace(event: Int, element: Int) -> [Float] {
    let o = traceOffset(event: event, element: element)
    return Array(data[o..<(o + sampleCount)])
  }

  /// The same data as events × samples × elements (for `rf.npy`).
  public func samplesByElementOrder() -> [Float] {
    var out = [Float](repeating: 0, count: data.count)
    let ne = elementCount
    let ns = sampleCount
    for ev in 0..<eventCount {
      for e in 0..<ne {
        let src = (ev * ne + e) * ns
        for n in 0..<ns { out[(ev * ns + n) * ne + e] = data[src + n] }
      }
    }
    return out
  }
}
