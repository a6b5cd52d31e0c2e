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
/// (`½·Δa·(ln 10/20)·f_hi^y ≤ 0.005`). The support ends where |p| stays below 10⁻³ of its peak (−60 dB) for
/// the unattenuated pulse. Amplitudes are normalised so the unattenuated pulse's envelope peaks at 1.
public final class PulseBank: Sendable {
  public let model: PulseModel
  public let tableStepSeconds: Double
  public let centerIndex: Int
  public let tableLength: Int
  public let attenuationStepDb: Double
  /// The attenuation of entry 0 (dB at 1 MHz, ≤ 0).
  public let minimumAttenuationDb: Double
  public let attenuationExponent: Double
  public let entryCount: Int
  /// entryCount × tableLength, row-major.
  let tables: [Float]
  /// Spectral centroid of each entry (Hz), for narrowband corrections.
  public let centroidHz: [Double]

  /// - Parameters:
  ///   - tableStepSeconds: time resolution of the tables (s).
  ///   - maximumAttenuationDb: the largest accumulated attenuation to tabulate (dB at 1 MHz); larger requests
  ///     use the last entry.
  ///   - minimumAttenuationDb: the smallest (≤ 0), entry 0's; smaller requests use entry 0.
  /// - Parameter threads: entries are independent and computed in parallel; the tables do not depend on it.
  public init(
    model: PulseModel, tableStepSeconds: Double, maximumAttenuationDb: Double, minimumAttenuationDb: Double = 0,
    attenuationExponent y: Double, threads: Int = 1
  ) {
    precondition(minimumAttenuationDb <= 0)
    self.model = model
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
    // Work window: long enough for the excitation plus ±12 envelope standard deviations; the FFT is periodic.
    let sigmaT = 1 / (2 * Double.pi * model.equivalentGaussianSigmaHz)
    let window = 2 * (model.cycles / fc / 2 + 12 * sigmaT)
    let n = FFTSize.good(atLeast: Int((2 * window / coarseStep).rounded(.up)))
    let fft = RealFFT(length: n)
    let df = 1 / (Double(n) * coarseStep)
    let bins = fft.binCount
    var base = [Double](repeating: 0, count: 2 * bins)  // X·H², phase-shifted so t = 0 lands at index n/2
    for k in 0..<bins {
      let f = Double(k) * df
      let x = model.excitationSpectrum(f)
      let h = model.probeResponse(f)
      // Delay by n/2 samples: multiply by e^{−iπk} = (−1)^k.
      let sign: Double = k % 2 == 0 ? 1 : -1
      base[2 * k] = x.re * h * sign
      base[2 * k + 1] = x.im * h * sign
    }
    // Attenuation of entry e at bin k is 10^(−(a0 + e·Δa)·(f_k/1 MHz)^y/20) = exp((a0/Δa + e)·logRatio[k]).
    let logRatio = (0..<bins).map { k in -step * pow(Double(k) * df / 1e6, y) / 20 * log(10.0) }
    func attenuation(entry e: Int) -> [Double] { logRatio.map { exp((origin + Double(e)) * $0) } }
    func pulse(attenuation att: [Double]) -> [Float] {
      var spec = [Float](repeating: 0, count: 2 * bins)
      for k in 0..<bins {
        spec[2 * k] = Float(base[2 * k] * att[k])
        spec[2 * k + 1] = Float(base[2 * k + 1] * att[k])
      }
      return fft.inverseNormalised(spec)
    }
    func centroid(attenuation att: [Double]) -> Double {
      var num = 0.0
      var den = 0.0
      for k in 1..<bins {
        let m2 = (base[2 * k] * base[2 * k] + base[2 * k + 1] * base[2 * k + 1]) * att[k] * att[k]
        num += Double(k) * df * m2
        den += m2
      }
      return num / den
    }

    // Support from the unattenuated pulse's analytic envelope.
    let p0 = pulse(attenuation: [Double](repeating: 1, count: bins))
    let env = AnalyticSignal(length: n, padding: 0).envelope(p0)
    let peak = env.max() ?? 1
    var halfCoarse = 1
    for i in 0..<(n / 2) where env[n / 2 + i] > 1e-3 * peak || env[n / 2 - i] > 1e-3 * peak { halfCoarse = i + 1 }
    halfCoarse = min(n / 2 - 2, halfCoarse + 2)
    let half = halfCoarse * ratio
    let length = 2 * half + 2
    centerIndex = half
    tableLength = length
    var all = [Float](repeating: 0, count: entries * length)
    var cents = [Double](repeating: fc, count: entries)
    let scale = 1 / peak
    all.withUnsafeMutableBufferPointer { allBuf in
      cents.withUnsafeMutableBufferPointer { centBuf in
        let tablesOut = allBuf.baseAddress!
        let centroidsOut = centBuf.baseAddress!
        Parallel.forEach(count: entries, threads: threads) { e in
          let att = attenuation(entry: e)
          let p = e == 0 && origin == 0 ? p0 : pulse(attenuation: att)
          for i in 0..<(2 * half + 1) {
            // Table sample i is at coarse position n/2 + (i − half)/ratio.
            let offset = i - half + n / 2 * ratio
            let c = offset / ratio
            let f = Float(offset - c * ratio) / Float(ratio)
            tablesOut[e * length + i] = (p[c] + f * (p[c + 1] - p[c])) * scale
          }
          centroidsOut[e] = centroid(attenuation: att)
        }
      }
    }
    tables = all
    centroidHz = cents
  }

  /// The first `entryCount` entries of `source`, sharing its tables (``PulseBankCache``). Entry k's table and
  /// centroid depend only on k, the model, the table step and the exponent, never on how many entries were made,
  /// so this bank equals one made afresh with `entryCount` entries.
  init(prefixOf source: PulseBank, entryCount: Int) {
    precondition(entryCount >= 1 && entryCount <= source.entryCount)
    model = source.model
    tableStepSeconds = source.tableStepSeconds
    centerIndex = source.centerIndex
    tableLength = source.tableLength
    attenuationStepDb = source.attenuationStepDb
    minimumAttenuationDb = source.minimumAttenuationDb
    attenuationExponent = source.attenuationExponent
    self.entryCount = entryCount
    tables = source.tables
    centroidHz = source.centroidHz
  }

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
  /// (≥ `phaseLength`, zero beyond the support) at `(e·stride + r)·rowLength`.
  public func polyphase(stride q: Int, rowLength: Int) -> [Float] {
    let lp = phaseLength(stride: q)
    precondition(rowLength >= lp)
    var out = [Float](repeating: 0, count: entryCount * q * rowLength)
    for e in 0..<entryCount {
      for r in 0..<q {
        for j in 0..<lp where j * q + r < tableLength {
          out[(e * q + r) * rowLength + j] = tables[e * tableLength + j * q + r]
        }
      }
    }
    return out
  }

  /// Samples per phase in ``polyphase(stride:)``.
  public func phaseLength(stride q: Int) -> Int { (tableLength + q - 1) / q + 1 }
}
