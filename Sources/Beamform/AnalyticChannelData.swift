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
  }
}
