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
/// re-modulated; ω₀ = 2π·fc; δ tabulated in 1/256 steps), computed as one 4-lane complex multiply. The receive apodization w_j uses the element's own
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
    // Per δ step, the complex weights w0 = (1−δ)e^{iω₀δ/fs} and w1 = δe^{−iω₀(1−δ)/fs} laid out for a 4-lane complex
    // multiply of (s[n], s[n+1]) = (re0, im0, re1, im1):
    //   product = (w0r, w0r, w1r, w1r)·(re0, im0, re1, im1) + (−w0i, w0i, −w1i, w1i)·(im0, re0, im1, re1)
    var interp = [SIMD4<Float>](repeating: .zero, count: 2 * (steps + 1))
    for i in 0...steps {
      let d = Double(i) / Double(steps)
      let w0r = Float((1 - d) * cos(omega * d / fs))
      let w0i = Float((1 - d) * sin(omega * d / fs))
      let w1r = Float(d * cos(-omega * (1 - d) / fs))
      let w1i = Float(d * sin(-omega * (1 - d) / fs))
      interp[2 * i] = SIMD4(w0r, w0r, w1r, w1r)
      interp[2 * i + 1] = SIMD4(-w0i, w0i, -w1i, w1i)
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
    // Flat arrays (all normals +z, evenly spaced): the elements inside a pixel's aperture |x_j − x| ≤ z/(2F) form
    // one index range, found directly instead of testing every element.
    let flat = probe.layout != .convex && ne > 1
    let x0 = ex.first ?? 0
    let invPitch = ne > 1 ? 1 / (ex[1] - ex[0]) : 0

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
    let sequence = rf.sequence
    // Everything the inner loop reads, as raw buffers (no bounds checks or reference counting per element):
    // element x, z, normal x, normal z, full-aperture weight, 5 floats per element.
    var elementTable = [Float](repeating: 0, count: 5 * ne)
    for j in 0..<ne {
      elementTable[5 * j] = ex[j]
      elementTable[5 * j + 1] = ez[j]
      elementTable[5 * j + 2] = nx[j]
      elementTable[5 * j + 3] = nz[j]
      elementTable[5 * j + 4] = fullApertureWeight[j]
    }
    image.withUnsafeMutableBufferPointer { imgBuf in
      let img = UnsafeMutablePointerBox(imgBuf.baseAddress!)
      data.samples.withUnsafeBufferPointer { sb in
        interp.withUnsafeBufferPointer { ib in
          windowTable.withUnsafeBufferPointer { wb in
            elementTable.withUnsafeBufferPointer { eb in
              grid.x.withUnsafeBufferPointer { gxb in
                grid.z.withUnsafeBufferPointer { gzb in
                  let s = sb.baseAddress!
                  let it = ib.baseAddress!
                  let wt = wb.baseAddress!
                  let el = eb.baseAddress!
                  let gx = gxb.baseAddress!
                  let gz = gzb.baseAddress!
                  Parallel.forEach(count: grid.rows, threads: settings.threads) { row in
                    for col in 0..<cols {
                      let pix = row * cols + col
                      let px = gx[pix]
                      let pz = gz[pix]
                      var acc = SIMD4<Float>.zero
                      for k in eventsForColumn[col] {
                        let ttx = Float(sequence[k].arrivalTime(xMetres: Double(px), zMetres: Double(pz))) - t0
                        let trace = s + 2 * k * ne * ns
                        var jLo = 0
                        var jHi = ne - 1
                        if flat && useF && pz > 0 {
                          let half = pz / twoF
                          jLo = max(0, Int(((px - half - x0) * invPitch).rounded(.down)))
                          jHi = min(ne - 1, Int(((px + half - x0) * invPitch).rounded(.up)))
                          if jLo > jHi { continue }
                        }
                        for j in jLo...jHi {
                          let e = el + 5 * j
                          let dx = px - e[0]
                          let dz = pz - e[1]
                          let v = dx * e[2] + dz * e[3]
                          if v <= 0 { continue }
                          let w: Float
                          if useF {
                            let u = dx * e[3] - dz * e[2]
                            let arg = abs(u) * twoF
                            if arg > v { continue }
                            w = wt[Int(arg / v * Float(windowSteps))]
                          } else {
                            w = e[4]
                          }
                          let r = (dx * dx + dz * dz).squareRoot()
                          let pos = (ttx + r * invC) * sampleScale
                          if pos < 0 { continue }
                          let n = Int(pos)
                          if n + 1 >= ns { continue }
                          let d = pos - Float(n)
                          let q = it + 2 * Int(d * Float(steps) + 0.5)
                          let pair = UnsafeRawPointer(trace + 2 * (j * ns + n)).loadUnaligned(as: SIMD4<Float>.self)
                          let swapped = SIMD4(pair[1], pair[0], pair[3], pair[2])
                          acc += w * (q[0] * pair + q[1] * swapped)
                        }
                      }
                      img.pointer[2 * pix] = acc[0] + acc[2]
                      img.pointer[2 * pix + 1] = acc[1] + acc[3]
                    }
                  }
                }
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
