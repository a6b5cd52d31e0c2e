import Acoustics
import Foundation

/// Delay-and-sum beamforming of analytic channel data onto an ``ImageGrid``, with coherent compounding.
///
/// For pixel p, transmit event k and element j:
/// ```
/// τ = t_k(p) + |p − p_j| / c                         (``TransmitEvent/arrivalTime(xMetres:zMetres:)`` + receive path)
/// b(p) = Σ_k Σ_j w_j(p) · s_kj(τ)
/// ```
/// where s is the analytic signal, read between samples n and n+1 (τ·fs = n + δ) through the base band:
/// `s(τ) ≈ (1−δ)·e^{iω₀δ/fs}·s[n] + δ·e^{−iω₀(1−δ)/fs}·s[n+1]` (linear interpolation of the demodulated signal,
/// re-modulated; ω₀ = 2π·fc; δ tabulated in 1/256 steps). The receive apodization w_j uses the element's own
/// frame, which is what matters for convex arrays: with u and v the pixel's offsets along and normal to element j,
/// the element takes part when v > 0 and |u| ≤ v/(2F), with weight `window(2F·u/v)` (for a flat array this is the
/// usual dynamic aperture of width z/F centred on the pixel). F = 0 uses every element in front, weighted by the
/// window across the array. Focused line-by-line sequences beamform each pixel column from the event whose scan line
/// is nearest; other schemes sum every event (coherent compounding).
public struct DelayAndSum: Sendable {
  public let settings: BeamformSettings

  public init(settings: BeamformSettings) { self.settings = settings }

  /// Interpolation weights over δ ∈ [0, 1]: (w0.re, w0.im, w1.re, w1.im) per step.
  static let interpolationSteps = 256

  /// Beamforms every event of `data` onto `grid`; returns complex pixels (re, im interleaved), row-major.
  public func beamform(_ data: AnalyticChannelData, grid: ImageGrid) -> [Float] {
    let rf = data.source
    let probe = rf.probe
    let elements = probe.elements
    let ne = elements.count
    let ns = rf.sampleCount
    let fs = rf.samplingFrequencyHz
    let c = settings.soundSpeedMetresPerSecond
    let omega = 2 * Double.pi * probe.centerFrequencyHz
    let steps = Self.interpolationSteps
    var interp = [Float](repeating: 0, count: 4 * (steps + 1))
    for i in 0...steps {
      let d = Double(i) / Double(steps)
      interp[4 * i] = Float((1 - d) * cos(omega * d / fs))
      interp[4 * i + 1] = Float((1 - d) * sin(omega * d / fs))
      interp[4 * i + 2] = Float(d * cos(-omega * (1 - d) / fs))
      interp[4 * i + 3] = Float(d * sin(-omega * (1 - d) / fs))
    }
    let windowSteps = 1024
    let windowTable = settings.window.table(count: windowSteps + 1)
    let ex = elements.map { Float($0.xMetres) }
    let ez = elements.map { Float($0.zMetres) }
    let nx = elements.map { Float(sin($0.normalAngleRadians)) }
    let nz = elements.map { Float(cos($0.normalAngleRadians)) }
    // F = 0: a fixed window across the whole array.
    let fullApertureWeight: [Float] = (0..<ne).map { j in
      let s = ne == 1 ? 0 : 2 * Double(j) / Double(ne - 1) - 1
      return Float(settings.window.weight(s))
    }
    let twoF = Float(2 * settings.fNumber)
    let useF = settings.fNumber > 0

    // Which events each column uses.
    let lines = rf.sequence.map(\.scanLine)
    let columnCoordinates = grid.columnCoordinates
    let eventsForColumn: [[Int]] = columnCoordinates.map { col in
      if lines.allSatisfy({ $0 != nil }) && !lines.isEmpty {
        let best = lines.indices.min { abs(lines[$0]! - col) < abs(lines[$1]! - col) }!
        return [best]
      }
      return Array(rf.sequence.indices)
    }

    let cols = grid.columns
    var image = [Float](repeating: 0, count: 2 * grid.rows * cols)
    let sampleScale = Float(fs)
    let invC = Float(1 / c)
    let t0 = Float(rf.startTimeSeconds)
    image.withUnsafeMutableBufferPointer { imgBuf in
      let img = UnsafeMutablePointerBox(imgBuf.baseAddress!)
      data.samples.withUnsafeBufferPointer { sb in
        interp.withUnsafeBufferPointer { ib in
          windowTable.withUnsafeBufferPointer { wb in
            let s = sb.baseAddress!
            let it = ib.baseAddress!
            let wt = wb.baseAddress!
            Parallel.forEach(count: grid.rows, threads: settings.threads) { row in
              for col in 0..<cols {
                let pix = row * cols + col
                let px = grid.x[pix]
                let pz = grid.z[pix]
                var accRe: Float = 0
                var accIm: Float = 0
                for k in eventsForColumn[col] {
                  let ttx = Float(rf.sequence[k].arrivalTime(xMetres: Double(px), zMetres: Double(pz))) - t0
                  let trace = s + 2 * k * ne * ns
                  for j in 0..<ne {
                    let dx = px - ex[j]
                    let dz = pz - ez[j]
                    let v = dx * nx[j] + dz * nz[j]
                    if v <= 0 { continue }
                    var w: Float
                    if useF {
                      let u = dx * nz[j] - dz * nx[j]
                      let arg = abs(u) * twoF / v
                      if arg > 1 { continue }
                      w = wt[Int(arg * Float(windowSteps))]
                    } else {
                      w = fullApertureWeight[j]
                    }
                    if w == 0 { continue }
                    let r = (dx * dx + dz * dz).squareRoot()
                    let pos = (ttx + r * invC) * sampleScale
                    if pos < 0 { continue }
                    let n = Int(pos)
                    if n + 1 >= ns { continue }
                    let d = pos - Float(n)
                    let q = it + 4 * Int(d * Float(steps) + 0.5)
                    let a = trace + 2 * (j * ns + n)
                    let re = q[0] * a[0] - q[1] * a[1] + q[2] * a[2] - q[3] * a[3]
                    let im = q[0] * a[1] + q[1] * a[0] + q[2] * a[3] + q[3] * a[2]
                    accRe += w * re
                    accIm += w * im
                  }
                }
                img.pointer[2 * pix] = accRe
                img.pointer[2 * pix + 1] = accIm
              }
            }
          }
        }
      }
    }
    return image
  }
}

/// A pointer that rows of a parallel loop write to, each its own part.
struct UnsafeMutablePointerBox: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  init(_ p: UnsafeMutablePointer<Float>) { pointer = p }
}
