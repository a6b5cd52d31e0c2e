import Acoustics
import Acquisition
import Foundation
import Phantom
import XCTest

/// The needle's reverberation (``NeedleWallEcho``) against a brute-force reference that shares none of its code: a
/// 1-D finite-difference time-domain solution of the acoustic equations through the same layers (tissue | steel wall
/// | lumen | steel wall | tissue, or a steel rod for a stylet), driven by the probe's two-way pulse (``PulseModel``,
/// only as the input waveform: a cosine and a sine carrier, so the record's envelope is exact). The echo train
/// convolved with the same pulse must place the copies where the reference does and give the first three copies'
/// levels (relative to the wall's echo) within 1 dB.
final class NeedleWallEchoTests: XCTestCase {
  /// A pulse-echo record: the envelope (from a cosine and a sine carrier under the same Gaussian) at `stepSeconds`.
  struct Record {
    var envelope: [Double]
    var stepSeconds: Double
  }

  /// The pulse's analytic signal, `∫₀^{2.5fc} X(f)·H²(f)·e^{2πift} df` (fc/256 steps), on `times`.
  static func analyticPulse(_ pulse: PulseModel, times: [Double]) -> [(re: Double, im: Double)] {
    let fc = pulse.centerFrequencyHz
    let df = fc / 256
    let spectrum = (0...640).map { k -> (Double, Double, Double) in
      let f = Double(k) * df
      let x = pulse.excitationSpectrum(f)
      let h = pulse.probeResponse(f)
      return (f, x.re * h * df, x.im * h * df)
    }
    return times.map { t in
      var (re, im) = (0.0, 0.0)
      for (f, a, b) in spectrum {
        let (c, s) = (cos(2 * Double.pi * f * t), sin(2 * Double.pi * f * t))
        re += a * c - b * s
        im += a * s + b * c
      }
      return (re, im)
    }
  }

  /// How long before its centre the pulse starts (s): the excitation plus 6/(B·fc).
  static func lead(_ pulse: PulseModel) -> Double {
    pulse.cycles / pulse.centerFrequencyHz / 2 + 6 / (pulse.fractionalBandwidth * pulse.centerFrequencyHz)
  }

  /// 1-D FDTD (staggered pressure–velocity, leapfrog) of a plane wave meeting `layers` (thickness m, density, speed)
  /// set in soft tissue, recorded between the source and the layers, minus the same run without the layers.
  static func reference(layers: [(Double, Double, Double)], pulse: PulseModel, duration: Double) -> Record {
    let tissue = Tissue.softTissue
    let dx = 2e-6
    let cMax = layers.map(\.2).max() ?? tissue.soundSpeedMetresPerSecond
    let dt = 0.9 * dx / cMax
    // Source 1 mm above the receiver, the receiver 1 mm above the layers; tissue beyond the record's reach either way.
    let reach = tissue.soundSpeedMetresPerSecond * (duration + 2 * lead(pulse)) / 2 + 1e-3
    let stack = layers.reduce(0) { $0 + $1.0 }
    let top = Int((reach + 2e-3) / dx)
    let input = top - Int(2e-3 / dx)
    let receiver = top - Int(1e-3 / dx)
    let cells = top + Int(((stack + reach) / dx).rounded(.up))
    let t0 = lead(pulse)
    let steps = Int((duration + 3e-3 / tissue.soundSpeedMetresPerSecond + 2 * t0) / dt)
    let source = analyticPulse(pulse, times: (0..<steps).map { Double($0) * dt - t0 })
    func run(withLayers: Bool, part: KeyPath<(re: Double, im: Double), Double>) -> [Double] {
      var rho = [Double](repeating: tissue.densityKgPerCubicMetre, count: cells)
      var c = [Double](repeating: tissue.soundSpeedMetresPerSecond, count: cells)
      if withLayers {
        var i = top
        for (d, r, s) in layers {
          let n = Int((d / dx).rounded())
          for j in i..<min(cells, i + n) {
            rho[j] = r
            c[j] = s
          }
          i += n
        }
      }
      let bulk = zip(rho, c).map { $0 * $1 * $1 }
      let rhoFace = (0..<cells).map { $0 + 1 < cells ? (rho[$0] + rho[$0 + 1]) / 2 : rho[$0] }
      var p = [Double](repeating: 0, count: cells)
      var v = [Double](repeating: 0, count: cells)
      var out = [Double](repeating: 0, count: steps)
      for n in 0..<steps {
        for i in 0..<(cells - 1) { v[i] -= dt / (rhoFace[i] * dx) * (p[i + 1] - p[i]) }
        for i in 1..<cells { p[i] -= dt * bulk[i] / dx * (v[i] - v[i - 1]) }
        p[input] += source[n][keyPath: part]
        out[n] = p[receiver]
      }
      return out
    }
    func echo(_ part: KeyPath<(re: Double, im: Double), Double>) -> [Double] {
      zip(run(withLayers: true, part: part), run(withLayers: false, part: part)).map { $0 - $1 }
    }
    let (re, im) = (echo(\.re), echo(\.im))
    return Record(envelope: zip(re, im).map { hypot($0, $1) }, stepSeconds: dt)
  }

  /// The echo train convolved with the same pulse, on a 1 ns grid.
  static func model(_ train: EchoTrain, pulse: PulseModel, duration: Double) -> Record {
    let step = 1e-9
    let t0 = lead(pulse)
    let count = Int((duration + 2 * t0) / step)
    // The pulse on the same grid, from −t0 to +t0; each copy is that shifted by its delay (interpolated linearly).
    let width = Int(2 * t0 / step)
    let shape = analyticPulse(pulse, times: (0...width).map { Double($0) * step - t0 })
    var re = [Double](repeating: 0, count: count)
    var im = [Double](repeating: 0, count: count)
    for (tau, a) in zip(train.delaysSeconds, train.amplitudes) {
      let shift = tau / step
      let whole = Int(shift.rounded(.down))
      let frac = shift - Double(whole)
      for k in 0..<width {
        let n = k + whole
        guard n >= 0, n + 1 < count else { continue }
        re[n] += a * shape[k].re * (1 - frac)
        im[n] += a * shape[k].im * (1 - frac)
        re[n + 1] += a * shape[k].re * frac
        im[n + 1] += a * shape[k].im * frac
      }
    }
    return Record(envelope: zip(re, im).map { hypot($0, $1) }, stepSeconds: step)
  }

  /// The wall's echo and `count` copies `spacing` apart in `record`: (time after the wall's echo, level in dB relative
  /// to it), the time the envelope's energy centroid and the level its maximum within ±spacing/3 of where each is
  /// expected (a copy that crossed thin walls is a broad pulse, whose maximum sits on a flat top).
  static func copies(_ record: Record, spacing: Double, count: Int) -> [(Double, Double)] {
    let e = record.envelope
    let first = e.indices.max { e[$0] < e[$1] }!
    let window = Int(spacing / 3 / record.stepSeconds)
    func centroid(_ range: ClosedRange<Int>) -> Double {
      let w = range.map { e[$0] * e[$0] }
      return zip(range, w).reduce(0) { $0 + Double($1.0) * $1.1 } / w.reduce(0, +)
    }
    let origin = centroid(max(0, first - window)...first + window)
    return (0...count).map { k in
      let centre = first + Int((Double(k) * spacing / record.stepSeconds).rounded())
      let range = max(0, centre - window)...min(e.count - 1, centre + window)
      let peak = range.max { e[$0] < e[$1] }!
      return ((centroid(range) - origin) * record.stepSeconds, 20 * log10(e[peak] / e[first]))
    }
  }

  /// One needle: train vs reference, copies' times within 1 % of the spacing (or 4 ns) and levels within 1 dB.
  /// The spacing itself is not the lumen's round trip alone: the walls' group delays add 1–3 %.
  func check(
    gauge: Int, lumen: Needle.Lumen, probe: Probe, file: StaticString = #filePath, line: UInt = #line
  ) {
    let needle = Needle(gauge: gauge, tipX: 0, tipZ: 20e-3, insertionAngleRadians: 0)
    let pulse = PulseModel(centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth)
    let steel = Tissue.steel
    let (od, id) = (needle.outerDiameterMetres, needle.innerDiameterMetres)
    let wall = (od - id) / 2
    let (rs, cs) = (steel.densityKgPerCubicMetre, steel.soundSpeedMetresPerSecond)
    let fluid = Tissue.csf
    let layers: [(Double, Double, Double)]
    let spacing: Double
    switch lumen {
    case .saline:
      layers = [
        (wall, rs, cs), (id, fluid.densityKgPerCubicMetre, fluid.soundSpeedMetresPerSecond), (wall, rs, cs),
      ]
      spacing = 2 * id / fluid.soundSpeedMetresPerSecond
    case .stylet:
      layers = [(od, rs, cs)]
      spacing = 2 * od / cs
    case .air:
      XCTFail("use checkRingDown for air")
      return
    }
    let duration = 3.5 * spacing + Self.lead(pulse)
    let train = NeedleWallEcho.train(
      needle: needle, lumen: lumen, surrounding: .softTissue, pulse: pulse, maximumDelaySeconds: 1e-3,
      spreading: false)
    let truth = Self.copies(
      Self.reference(layers: layers, pulse: pulse, duration: duration), spacing: spacing, count: 3)
    let ours = Self.copies(Self.model(train, pulse: pulse, duration: duration), spacing: spacing, count: 3)
    print(
      "\(gauge)G \(lumen) \(probe.name): copies 1–3 (µs, dB) ours",
      ours[1...3].map { String(format: "%.3f %.1f", $0.0 * 1e6, $0.1) }, "reference",
      truth[1...3].map { String(format: "%.3f %.1f", $0.0 * 1e6, $0.1) })
    for k in 1...3 {
      let label = "\(gauge)G \(lumen) \(probe.name) copy \(k): ours \(ours[k]), reference \(truth[k])"
      XCTAssertEqual(ours[k].0, truth[k].0, accuracy: max(4e-9, 0.01 * spacing), label, file: file, line: line)
      XCTAssertEqual(ours[k].1, truth[k].1, accuracy: 1, label, file: file, line: line)
    }
  }

  func testSalineLumenCopiesMatchTheLayeredMedium() {
    check(gauge: 18, lumen: .saline, probe: .c5_2v)
    check(gauge: 18, lumen: .saline, probe: .l11_5v)
    check(gauge: 22, lumen: .saline, probe: .c5_2v)
  }

  func testStyletCopiesMatchTheSteelRod() {
    check(gauge: 18, lumen: .stylet, probe: .c5_2v)
    check(gauge: 25, lumen: .stylet, probe: .l11_5v)
  }

  /// An air-filled lumen: the wall rings over air in copies 2w/c_steel apart, closer than the pulse, so the tail is a
  /// continuous ring-down; its envelope 0.5, 1 and 2 µs after the wall's echo within 1 dB of the reference.
  func testAirLumenRingDownMatchesTheReference() {
    let needle = Needle(gauge: 22, tipX: 0, tipZ: 20e-3, insertionAngleRadians: 0)
    let probe = Probe.l11_5v
    let pulse = PulseModel(centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth)
    let wall = (needle.outerDiameterMetres - needle.innerDiameterMetres) / 2
    let steel = Tissue.steel
    let air = Tissue.air
    let layers = [
      (wall, steel.densityKgPerCubicMetre, steel.soundSpeedMetresPerSecond),
      (0.2e-3, air.densityKgPerCubicMetre, air.soundSpeedMetresPerSecond),
    ]
    let duration = 3e-6
    let train = NeedleWallEcho.train(
      needle: needle, lumen: .air, surrounding: .softTissue, pulse: pulse, maximumDelaySeconds: 1e-3,
      spreading: false)
    let truth = Self.reference(layers: layers, pulse: pulse, duration: duration)
    let ours = Self.model(train, pulse: pulse, duration: duration)
    func level(_ r: Record, after t: Double) -> Double {
      let e = r.envelope
      let first = e.indices.max { e[$0] < e[$1] }!
      return 20 * log10(e[first + Int((t / r.stepSeconds).rounded())] / e[first])
    }
    for t in [0.5e-6, 1e-6, 2e-6] {
      XCTAssertEqual(level(ours, after: t), level(truth, after: t), accuracy: 1, "\(t * 1e6) µs")
    }
  }
}
