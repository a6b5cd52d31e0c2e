import Foundation
import KernelSupport
import Spectral

/// Two-way pulses tabulated finely in time, one per attenuation level, so that placing an attenuated echo costs a
/// table read.
///
/// Entry k holds p(t) of ``PulseModel`` for an accumulated attenuation of `a0 + k·attenuationStepDb` dB at 1 MHz
/// (a0 = ``minimumAttenuationDb`` ≤ 0: the elevation beam's tilt across the band can make a path's attenuation-like
/// term negative, ``ElevationBeam``), sampled
/// every `tableStepSeconds` on `[−halfSupport, +halfSupport]` (index `centerIndex` is t = 0). The step between
/// entries keeps the amplitude error of rounding to the nearest entry under 0.5 % up to fc·(1 + B)
/// (`½·Δa·(ln 10/20)·f_hi^y ≤ 0.005`). Each entry's support ends where its own envelope stays below
/// `supportLevelDb` of its own peak (``entryHalfSupportSamples``; ``defaultSupportLevelDb`` unless asked otherwise),
/// and the table is zero beyond it; the tables' common length is that of the pulse attenuated by
/// ``supportReferenceAttenuationDbAtFc``, at most ``longestSupportRatio`` times the unattenuated one's. Amplitudes
/// are normalised so the unattenuated pulse's envelope peaks at 1.
///
/// Attenuated pulses need longer supports: attenuation tilts MUST's spectrum onto its steep lower edge, which rings
/// (numpy, L12-3v, one cycle: the energy outside the unattenuated pulse's −50 dB support is −54 dB of the pulse's at
/// 0 dB/MHz of two-way attenuation, −43 dB at 4 and −32 dB at 12; the −80 dB support of C5-2v's pulse grows from
/// 2.06 µs unattenuated to 2.84 µs at 120 dB at fc). And how far a support must reach is set by the image, not by
/// the pulse alone: a cut pulse leaks a little energy over the whole band, and echoes that sum many delayed copies
/// (the needle's wall and lumen reverberations, ``NeedleWallEcho``) cancel much of their in-band energy but not
/// that leakage. Exact images (`us-sim simulate … --exact --save-iq`) with every entry cut at −60/−70/−80 dB of its
/// own peak, against −110 dB (frame relative RMS): gel block −35.9/−43.2/−54.6 dB, transverse facet
/// −34.9/−41.0/−51.6, default scene −41.3/−48.8/−60.7, sacral −42.8/−55.7/−72.6; one common support cut at −60 dB of
/// the unattenuated pulse, as before, left the gel block at −32.0 dB (22 % of the echo at the needle's tip) and the
/// facet at −37.5 dB. `PulseSupportConvergenceTests` keeps the default within the image budget.
public final class PulseBank: Sendable {
  public let model: PulseModel
  public let tableStepSeconds: Double
  public let centerIndex: Int
  public let tableLength: Int
  public let attenuationStepDb: Double
  /// The attenuation of entry 0 (dB at 1 MHz, ≤ 0).
  public let minimumAttenuationDb: Double
  public let attenuationExponent: Double
  /// Where each entry's support ends: its envelope's level, dB of its own peak.
  public let supportLevelDb: Double
  public let entryCount: Int
  /// entryCount × tableLength, row-major.
  let tables: [Float]
  /// Spectral centroid of each entry (Hz), for narrowband corrections.
  public let centroidHz: [Double]
  /// Per entry, the half width (table samples) of its own support around `centerIndex`, where its envelope stays
  /// below `supportLevelDb` of its own peak (at most `centerIndex`); the table is zero beyond it.
  public let entryHalfSupportSamples: [Int]

  /// - Parameters:
  ///   - tableStepSeconds: time resolution of the tables (s).
  ///   - maximumAttenuationDb: the largest accumulated attenuation to tabulate (dB at 1 MHz); larger requests
  ///     use the last entry.
  ///   - minimumAttenuationDb: the smallest (≤ 0), entry 0's; smaller requests use entry 0.
  ///   - supportLevelDb: the envelope level (dB of each entry's own peak, < 0) where its support ends.
  /// - Parameter threads: entries are independent and computed in parallel; the tables do not depend on it.
  public init(
    model: PulseModel, tableStepSeconds: Double, maximumAttenuationDb: Double, minimumAttenuationDb: Double = 0,
    attenuationExponent y: Double, supportLevelDb: Double = PulseBank.defaultSupportLevelDb, threads: Int = 1
  ) {
    precondition(minimumAttenuationDb <= 0)
    precondition(supportLevelDb < 0)
    self.model = model
    self.supportLevelDb = supportLevelDb
    let level = pow(10, supportLevelDb / 20)
    self.tableStepSeconds = tableStepSeconds
    self.attenuationExponent = y
    let fc = model.centerFrequencyHz
    let step = Self.attenuationStepDb(model: model, attenuationExponent: y)
    attenuationStepDb = step
    self.minimumAttenuationDb = minimumAttenuationDb
    let origin = minimumAttenuationDb / step
    let entries = Self.entryCount(
      maximumAttenuationDb: maximumAttenuationDb, minimumAttenuationDb: minimumAttenuationDb, stepDb: step)
    entryCount = entries

    // Pulses are computed by FFT on a grid `ratio` times coarser than the table (still ≥ 64 samples per period of
    // fc) and filled into the table by linear interpolation (error ≤ (2π/64)²/8 ≈ 0.1 %): the pulse is band-limited
    // far below the table's rate, and the FFTs were most of the bank's cost.
    let ratio = max(1, Int((1 / (64 * fc)) / tableStepSeconds))
    let coarseStep = tableStepSeconds * Double(ratio)
    let sigmaT = 1 / (2 * Double.pi * model.equivalentGaussianSigmaHz)
    let logRatio = { (df: Double, bins: Int) in
      (0..<bins).map { k in -step * pow(Double(k) * df / 1e6, y) / 20 * log(10.0) }
    }
    // Work window: the excitation plus ±12 envelope standard deviations, and at least twice the longest support, that
    // of the pulse attenuated by ``supportReferenceAttenuationDbAtFc`` (attenuation lengthens MUST's pulse) up to
    // ``longestSupportRatio`` times the unattenuated one's, so that the FFT's periodic copies stay far from every
    // support. It depends on the model, the table step, the exponent and the level alone, so that a bank's entries
    // do not depend on how many it has (``init(prefixOf:entryCount:)``).
    var window = 2 * max(model.cycles / fc / 2 + 12 * sigmaT, model.envelopeHalfSupportSeconds(level: level))
    let deepest = Self.supportReferenceAttenuationDbAtFc / pow(fc / 1e6, y)
    var layout: Layout
    var ratios: [Double]
    var reach: Int
    var peak: Float
    var doublings = 0
    repeat {
      // Even: the half-period delay (−1)^k puts t = 0 on index n/2 only when n/2 is whole (an odd n would shift
      // every pulse by half a coarse step, 1/128 of a period).
      layout = Layout(
        model: model, n: 2 * FFTSize.good(atLeast: Int((window / coarseStep).rounded(.up))),
        coarseStep: coarseStep)
      ratios = logRatio(layout.df, layout.bins)
      let (p, q) = layout.pulse(attenuation: ratios.map { exp(deepest / step * $0) })
      // The unattenuated pulse sets the amplitude scale and bounds the common length.
      let (p0, q0) = layout.pulse(attenuation: [Double](repeating: 1, count: layout.bins))
      peak = Layout.envelopePeak(p0, q0)
      reach = min(
        Layout.halfSupport(p, q, level: level), Self.longestSupportRatio * Layout.halfSupport(p0, q0, level: level))
      window *= 2
      doublings += 1
    } while 2 * reach > layout.n / 2 - 2 && doublings < 8
    let n = layout.n
    let bins = layout.bins
    let df = layout.df
    // Attenuation of entry e at bin k is 10^(−(a0 + e·Δa)·(f_k/1 MHz)^y/20) = exp((a0/Δa + e)·ratios[k]).
    func attenuation(entry e: Int) -> [Double] { ratios.map { exp((origin + Double(e)) * $0) } }
    func centroid(attenuation att: [Double]) -> Double {
      var num = 0.0
      var den = 0.0
      for k in 1..<bins {
        let m2 = layout.base[k].squaredMagnitude * att[k] * att[k]
        num += Double(k) * df * m2
        den += m2
      }
      return num / den
    }

    let halfCoarse = min(n / 2 - 2, reach + 2)
    let half = halfCoarse * ratio
    let length = 2 * half + 2
    centerIndex = half
    tableLength = length
    var all = [Float](repeating: 0, count: entries * length)
    var cents = [Double](repeating: fc, count: entries)
    var halves = [Int](repeating: half, count: entries)
    let scale = 1 / peak
    all.withUnsafeMutableBufferPointer { allBuf in
      cents.withUnsafeMutableBufferPointer { centBuf in
        halves.withUnsafeMutableBufferPointer { halfBuf in
          let tablesOut = allBuf.baseAddress!
          let centroidsOut = centBuf.baseAddress!
          let halvesOut = halfBuf.baseAddress!
          Parallel.forEach(count: entries, threads: threads) { e in
            let att = attenuation(entry: e)
            let (p, q) = layout.pulse(attenuation: att)
            // The entry's own support: where its envelope stays below `level` of its own peak.
            let own = min(halfCoarse, Layout.halfSupport(p, q, level: level) + 2) * ratio
            halvesOut[e] = own
            // Table sample i is at coarse position n/2 + (i − half)/ratio: sub-step s of coarse sample c is table
            // sample half + (c − n/2)·ratio + s.
            let ownCoarse = own / ratio
            let first = tablesOut + e * length + half - own
            p.withUnsafeBufferPointer { p in
              for k in 0...(2 * ownCoarse) {
                let c = n / 2 - ownCoarse + k
                for s in 0..<(k < 2 * ownCoarse ? ratio : 1) {
                  let f = Float(s) / Float(ratio)
                  first[k * ratio + s] = (p[c] + f * (p[c + 1] - p[c])) * scale
                }
              }
            }
            centroidsOut[e] = centroid(attenuation: att)
          }
        }
      }
    }
    tables = all
    centroidHz = cents
    entryHalfSupportSamples = halves
  }

  /// The first `entryCount` entries of `source`, sharing its tables (``PulseBankCache``). Entry k's table and
  /// centroid depend only on k, the model, the table step, the exponent and the support level, never on how many
  /// entries were made, so this bank equals one made afresh with `entryCount` entries.
  init(prefixOf source: PulseBank, entryCount: Int) {
    precondition(entryCount >= 1 && entryCount <= source.entryCount)
    model = source.model
    tableStepSeconds = source.tableStepSeconds
    centerIndex = source.centerIndex
    tableLength = source.tableLength
    attenuationStepDb = source.attenuationStepDb
    minimumAttenuationDb = source.minimumAttenuationDb
    attenuationExponent = source.attenuationExponent
    supportLevelDb = source.supportLevelDb
    self.entryCount = entryCount
    tables = source.tables
    centroidHz = source.centroidHz
    entryHalfSupportSamples = Array(source.entryHalfSupportSamples.prefix(entryCount))
  }

  /// The supports' default end, −80 dB of each entry's envelope peak: the exact image's convergence above.
  public static let defaultSupportLevelDb = -80.0

  /// The step between entries (dB at 1 MHz): half a step of attenuation changes the amplitude at fc·(1 + B) by
  /// 0.5 %, `½·Δa·(ln 10/20)·f_hi^y = 0.005`.
  static func attenuationStepDb(model: PulseModel, attenuationExponent y: Double) -> Double {
    let fHigh = model.centerFrequencyHz * (1 + model.fractionalBandwidth)
    return 0.01 / ((log(10.0) / 20) * pow(fHigh / 1e6, y))
  }

  /// Entries a0, a0 + Δa, a0 + 2Δa, … up to the first at or above `maximumAttenuationDb`.
  static func entryCount(maximumAttenuationDb: Double, minimumAttenuationDb: Double = 0, stepDb: Double) -> Int {
    max(1, Int((max(0, maximumAttenuationDb - minimumAttenuationDb) / stepDb).rounded(.up)) + 1)
  }

  /// The largest tabulated attenuation (dB at 1 MHz).
  public var maximumAttenuationDb: Double { minimumAttenuationDb + Double(entryCount - 1) * attenuationStepDb }

  /// Half-width of the tabulated support (s).
  public var halfSupportSeconds: Double { Double(centerIndex) * tableStepSeconds }

  /// The entry for an accumulated attenuation (dB at 1 MHz), rounded to the nearest level.
  @inline(__always)
  public func entry(attenuationDb a: Float) -> Int {
    min(entryCount - 1, max(0, Int(((Double(a) - minimumAttenuationDb) / attenuationStepDb).rounded())))
  }

  /// p(t) of an entry by linear interpolation in the table (0 outside the support).
  public func value(entry e: Int, timeSeconds t: Double) -> Float {
    let u = t / tableStepSeconds + Double(centerIndex)
    guard u >= 0, u < Double(tableLength - 1) else { return 0 }
    let i = Int(u)
    let f = Float(u - Double(i))
    let row = e * tableLength
    return tables[row + i] + f * (tables[row + i + 1] - tables[row + i])
  }

  /// The entries re-laid for reading every `stride`-th sample contiguously: phase r of entry e holds
  /// `table[j·stride + r]` for j = 0 ..< ``phaseLength(stride:)``, in a row of `rowLength` samples
  /// (≥ `phaseLength`, zero beyond the support) at `(e·stride + r)·rowLength`. Entries are re-laid on `threads`
  /// threads; the layout does not depend on it.
  public func polyphase(stride q: Int, rowLength: Int, threads: Int = 1) -> [Float] {
    let lp = phaseLength(stride: q)
    precondition(rowLength >= lp)
    let length = tableLength
    var out = [Float](repeating: 0, count: entryCount * q * rowLength)
    tables.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { buffer in
        let target = buffer.baseAddress!
        Parallel.forEach(count: entryCount, threads: threads) { e in
          let row = source.baseAddress! + e * length
          for r in 0..<q {
            let phase = target + (e * q + r) * rowLength
            for j in 0..<lp where j * q + r < length { phase[j] = row[j * q + r] }
          }
        }
      }
    }
    return out
  }

  /// Samples per phase in ``polyphase(stride:)``.
  public func phaseLength(stride q: Int) -> Int { (tableLength + q - 1) / q + 1 }
}
