import Acoustics
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

  public init(_ rf: ChannelData) {
    source = rf
    let traces = rf.eventCount * rf.elementCount
    var out = [Float](repeating: 0, count: 2 * traces * rf.sampleCount)
    let transform = AnalyticSignal(length: rf.sampleCount)
    // Batches of up to 128 traces keep the scratch buffers small; the plan is shared by every batch of that size.
    let batch = 128
    rf.data.withUnsafeBufferPointer { inp in
      out.withUnsafeMutableBufferPointer { o in
        var start = 0
        while start < traces {
          let count = min(batch, traces - start)
          transform.transform(
            inp.baseAddress! + start * rf.sampleCount, o.baseAddress! + 2 * start * rf.sampleCount, batch: count)
          start += count
        }
      }
    }
    samples = out
  }
}
