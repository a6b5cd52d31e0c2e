import Acquisition
import Foundation
import Phantom

extension RFSimulator {
  /// The unfactored model: every (transmit element, receive element) pair places its own pulse, attenuated by the
  /// pair's own two-way path, at its exact delay. N² pulse placements per scatterer — for tests on a handful of
  /// scatterers, as the truth the factored ``simulate`` is held to.
  public func simulateReference(scatterers s: ScattererSet, sequence: [TransmitEvent]) -> ChannelData {
    let (ctx, blank) = prepare(scatterers: s, sequence: sequence)
    var out = blank
    let bank = ctx.bank
    let ns = settings.sampleCount
    let fs = settings.samplingFrequencyHz
    let half = bank.halfSupportSeconds
    let kernel = ScattererKernel(simulator: self, context: ctx, sequence: sequence)
    let t = kernel.times
    for (ev, event) in sequence.enumerated() {
      for i in 0..<s.count {
        guard kernel.paths(x: s.x[i], y: s.y[i], z: s.z[i], sheet: s.sheetRadius[i], times: t) else { continue }
        kernel.delay(t, bySeconds: s.delaySeconds[i])
        for e in 0..<probe.elementCount where kernel.g[e] != 0 && event.apodization[e] != 0 {
          for j in 0..<probe.elementCount where kernel.g[j] != 0 {
            let delay = event.firingDelaysSeconds[e] + Double(t[e]) + Double(t[j])
            let amp = s.amplitude[i] * event.apodization[e] * kernel.g[e] * kernel.g[j]
            let entry = bank.entry(attenuationDb: kernel.a[e] + kernel.a[j])
            let nLo = max(0, Int(((delay - half - settings.startTimeSeconds) * fs).rounded(.down)))
            let nHi = min(ns - 1, Int(((delay + half - settings.startTimeSeconds) * fs).rounded(.up)))
            if nLo > nHi { continue }
            let base = out.traceOffset(event: ev, element: j)
            for n in nLo...nHi {
              let tn = settings.startTimeSeconds + Double(n) / fs
              out.data[base + n] += amp * bank.value(entry: entry, timeSeconds: tn - delay)
            }
          }
        }
      }
    }
    return out
  }
}
