import Acquisition
import Foundation
import Phantom

extension ChannelData {
  /// Root-mean-square of all samples.
  public var rms: Double {
    var s = 0.0
    for v in data { s += Double(v) * Double(v) }
    return data.isEmpty ? 0 : (s / Double(data.count)).squareRoot()
  }

  /// Adds white Gaussian noise so that signal RMS / noise RMS = 10^(snrDb/20), drawn from the stream
  /// `RandomSource.derived(seed:, purpose: 2)` in sample order (deterministic). Added before time-gain
  /// compensation, as receiver noise is, so it grows with depth in the image.
  public mutating func addNoise(snrDb: Double, seed: UInt64) {
    addNoise(standardDeviation: rms / pow(10, snrDb / 20), seed: seed)
  }

  /// Adds white Gaussian receiver noise of a fixed standard deviation (in the units of `data`), whatever the scene:
  /// the same receiver hears the same noise, so a deeper, weaker echo ends up closer to it.
  public mutating func addNoise(standardDeviation sigma: Double, seed: UInt64) {
    guard sigma > 0 else { return }
    var rng = RandomSource.derived(seed: seed, purpose: 2)
    for i in data.indices { data[i] += Float(sigma * rng.gaussian()) }
  }

  /// Time-gain compensation: multiplies the sample at time t by `10^(g·d/20)`, d = c·t/2 in cm being the depth
  /// the echo comes from. `g = 2·α0·fc` (dB/cm, fc in MHz) compensates the round-trip attenuation at fc.
  public mutating func applyTimeGainCompensation(dbPerCm g: Double) {
    applyTimeGainCompensation { g * $0 * 100 }
  }

  /// Time-gain compensation by a gain curve: multiplies the sample at time t by `10^(G(d)/20)`, G in dB at the
  /// depth d = c·t/2 (m, ≥ 0) the echo comes from.
  public mutating func applyTimeGainCompensation(gainDb: (Double) -> Double) {
    let ns = sampleCount
    let c = soundSpeedMetresPerSecond
    var gain = [Float](repeating: 1, count: ns)
    for n in 0..<ns {
      let t = startTimeSeconds + Double(n) / samplingFrequencyHz
      gain[n] = Float(pow(10, gainDb(max(0, c * t / 2)) / 20))
    }
    let traces = eventCount * elementCount
    data.withUnsafeMutableBufferPointer { d in
      for trace in 0..<traces {
        let o = d.baseAddress! + trace * ns
        for n in 0..<ns { o[n] *= gain[n] }
      }
    }
  }
}
