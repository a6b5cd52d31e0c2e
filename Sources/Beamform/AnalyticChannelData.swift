import Acquisition
import Foundation
import KernelSupport
import Spectral

/// Channel data as analytic signals (I + iQ at RF, interleaved), the beamformer's input.
///
/// Made by one batched FFTW transform over every trace (``AnalyticSignal``): the envelope detection of the chain
/// happens here, before delay-and-sum, so that beamforming sums complex samples and the image's magnitude is its
/// envelope.
public struct AnalyticChannelData: Sendable {
  public let source: ChannelData
  /// events × elements × samples × (re, im).
  public let samples: [Float]
  /// The frequency the beamformer's base-band interpolation demodulates at (Hz): the probe's centre frequency for
  /// RF data, the modulation frequency for I/Q data.
  public let demodulationFrequencyHz: Double

  /// - Parameter threads: batches of traces are transformed in parallel (FFTW plans execute safely on new arrays
  ///   from several threads); the result does not depend on it.
  public init(_ rf: ChannelData, threads: Int = 1) {
    source = rf
    let traces = rf.eventCount * rf.elementCount
    var out = [Float](repeating: 0, count: 2 * traces * rf.sampleCount)
    let transform = AnalyticSignal(length: rf.sampleCount)
    // Batches of up to 128 traces keep the scratch buffers small; the plan is shared by every batch of that size.
    let batch = 128
    let ns = rf.sampleCount
    let batches = (traces + batch - 1) / batch
    rf.data.withUnsafeBufferPointer { inp in
      out.withUnsafeMutableBufferPointer { o in
        let input = inp.baseAddress!
        let output = UnsafeMutablePointerBox(o.baseAddress!)
        Parallel.forEach(count: batches, threads: threads) { b in
          let start = b * batch
          let count = min(batch, traces - start)
          transform.transform(input + start * ns, output.pointer + 2 * start * ns, batch: count)
        }
      }
    }
    samples = out
    demodulationFrequencyHz = rf.probe.centerFrequencyHz
  }

  /// Base-band I/Q channel data (demodulated at `modulationFrequencyHz`), brought back to analytic signals:
  /// `s(t_n) = IQ(t_n)·e^{iω_m t_n}` at the sample times `t_n = t₀ + n/fs` of `layout`. The beamformer then
  /// interpolates at ω_m, which is interpolating the I/Q samples linearly and modulating at the exact delay
  /// (USTB's `das` for I/Q data does the same).
  ///
  /// - Parameters:
  ///   - layout: probe, sequence, sampling and start time of the data (its `data` may be empty).
  ///   - iq: events × elements × samples × (I, Q).
  public init(layout: ChannelData, iq: [Float], modulationFrequencyHz: Double) {
    precondition(iq.count == 2 * layout.eventCount * layout.elementCount * layout.sampleCount, "I/Q data size mismatch")
    source = layout
    demodulationFrequencyHz = modulationFrequencyHz
    let ns = layout.sampleCount
    let omega = 2 * Double.pi * modulationFrequencyHz
    // The carrier per sample, computed once in double precision.
    let carrier = (0..<ns).map { n -> (Float, Float) in
      let phase = omega * (layout.startTimeSeconds + Double(n) / layout.samplingFrequencyHz)
      return (Float(cos(phase)), Float(sin(phase)))
    }
    var out = [Float](repeating: 0, count: iq.count)
    for trace in 0..<(layout.eventCount * layout.elementCount) {
      let o = 2 * trace * ns
      for n in 0..<ns {
        let (c, s) = carrier[n]
        let i = iq[o + 2 * n]
        let q = iq[o + 2 * n + 1]
        out[o + 2 * n] = i * c - q * s
        out[o + 2 * n + 1] = i * s + q * c
      }
    }
    samples = out
  }
}
