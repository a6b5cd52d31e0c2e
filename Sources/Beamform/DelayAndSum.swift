import Foundation
import KernelSupport

/// Delay-and-sum beamforming of analytic channel data onto an ``ImageGrid``, with coherent compounding.
///
/// For pixel p, transmit event k and element j:
/// ```
/// τ = t_k(p) + |p − p_j| / c                         (``TransmitEvent/arrivalTime(xMetres:zMetres:)`` + receive path)
/// b(p) = Σ_k Σ_j w_j(p) · s_kj(τ)
/// ```
/// where s is the analytic signal, read between samples n and n+1 (τ·fs = n + δ) through the base band:
/// `s(τ) ≈ (1−δ)·e^{iω₀δ/fs}·s[n] + δ·e^{−iω₀(1−δ)/fs}·s[n+1]` (linear interpolation of the demodulated signal,
/// re-modulated; ω₀ = 2π·fc; δ tabulated in 1/256 steps), computed as one 4-lane complex multiply. The receive
/// apodization w_j uses the element's own frame, which is what matters for convex arrays: with u and v the pixel's
/// offsets along and normal to element j, the element takes part when v > 0 and |u| ≤ v/(2F), with weight
/// `window(2F·u/v)` (for a flat array this is the usual dynamic aperture of width z/F centred on the pixel). F = 0
/// uses every element in front, weighted by the window across the array. Focused line-by-line sequences beamform
/// each pixel column from the event whose scan line is nearest; other schemes sum every event (coherent
/// compounding).
///
/// Two kernels compute the same sum: one row by row (receive delays and weights computed once per row and reused by
/// every event, inner loops over neighbouring pixels of one element's trace), and one pixel by pixel, the plain
/// form of the sum that tests hold the row kernel to. Rows are independent, so results do not depend
/// on the thread count.
public struct DelayAndSum: Sendable {
  public let settings: BeamformSettings

  public init(settings: BeamformSettings) { self.settings = settings }

  /// Beamforms every event of `data` onto `grid`; returns complex pixels (re, im interleaved), row-major.
  ///
  /// - Parameter progress: called with the fraction of rows done, from any thread.
  public func beamform(_ data: AnalyticChannelData, grid: ImageGrid, progress: (@Sendable (Double) -> Void)? = nil)
    -> [Float]
  {
    beamform(data, grid: grid, pixelByPixel: false, progress: progress)
  }

  /// The same sum computed pixel by pixel whatever the geometry: the general kernel, which tests hold the row
  /// kernel to.
  public func beamformPixelByPixel(_ data: AnalyticChannelData, grid: ImageGrid) -> [Float] {
    beamform(data, grid: grid, pixelByPixel: true)
  }

  func beamform(
    _ data: AnalyticChannelData, grid: ImageGrid, pixelByPixel: Bool, progress: (@Sendable (Double) -> Void)? = nil
  ) -> [Float] {
    let tables = DelayAndSumTables(data: data, grid: grid, settings: settings)
    var image = [Float](repeating: 0, count: 2 * grid.rows * grid.columns)
    // For a flat array on a Cartesian grid with ascending columns, the row kernel finds each element's aperture by
    // binary search along x.
    let searchAperture: Bool = {
      guard tables.flat, case .cartesian(let xs, _) = grid.geometry else { return false }
      return zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }
    }()
    let rowsDone = ProgressCounter(
      total: grid.rows, report: progress.map { p in { @Sendable done, total in p(Double(done) / Double(total)) } })
    image.withUnsafeMutableBufferPointer { out in
      let box = UnsafeMutablePointerBox(out.baseAddress!)
      data.samples.withUnsafeBufferPointer { samples in
        let s = samples.baseAddress!
        Parallel.forEach(count: grid.rows, threads: settings.threads) { row in
          if !pixelByPixel {
            tables.beamformRow(row, samples: s, into: box.pointer, searchAperture: searchAperture)
          } else {
            tables.beamformPixels(row, samples: s, into: box.pointer)
          }
          rowsDone.advance()
        }
      }
    }
    return image
  }
}
