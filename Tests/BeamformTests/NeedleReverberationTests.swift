import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom
import TestSupport
import XCTest

/// Where and how strongly the image shows a needle's reverberation copies (``Phantom/EchoTrain``: copies at the wall
/// with their own delays). A copy τ later is imaged c·τ/2 further along the beam — for a convex array's diverging
/// wave, along the ray from the virtual apex, not straight down — and, having spent its extra time inside the
/// needle, it carries the attenuation of the path to the wall only.
final class NeedleReverberationTests: XCTestCase {
  /// A point at `point` with copies every 1.1 µs (an 18G saline lumen's round trip), halving each time, imaged with
  /// the C5-2v by one diverging wave from its arc's centre; the image's maxima near each copy.
  func copies(at point: SIMD2<Double>) -> (positions: [SIMD2<Double>], ray: SIMD2<Double>, spacing: Double) {
    let probe = Probe.c5_2v
    let imaging = Imaging(probe: probe, fNumber: 1.5)
    let periodSeconds = 1.1e-6
    let delays = (0..<4).map { Double($0) * periodSeconds }
    var s = ScattererSet()
    for (k, tau) in delays.enumerated() {
      s.append(
        xMetres: Float(point.x), yMetres: 0, zMetres: Float(point.y), amplitude: Float(pow(0.5, Double(k))),
        delaySeconds: Float(tau))
    }
    let seq = TransmitSequence.divergingWaves(
      probe: probe, anglesRadians: [0], sourceDistanceMetres: probe.radiusMetres, soundSpeed: 1540)
    let spacing = 1540 * periodSeconds / 2
    let rf = imaging.channelData(s, sequence: seq, maximumDepthMetres: point.y + 4 * spacing + 2e-3)
    let apex = SIMD2(probe.sectorApex.xMetres, probe.sectorApex.zMetres)
    let ray = (point - apex) / ((point - apex) * (point - apex)).sum().squareRoot()
    let x = stride(from: point.x - 2e-3, through: point.x + 2e-3, by: 0.02e-3).map { $0 }
    let z = stride(from: point.y - 1e-3, through: point.y + 3 * spacing + 1e-3, by: 0.02e-3).map { $0 }
    let e = imaging.envelope(rf, x: x, z: z)
    var positions: [SIMD2<Double>] = []
    // Each copy's maximum within 0.4 mm (along the beam) of where it would be straight down or along the ray.
    for k in 0..<delays.count {
      var best = (value: Float(0), at: SIMD2<Double>(0, 0))
      for (r, zr) in z.enumerated() {
        for (c, xc) in x.enumerated() {
          let q = SIMD2(xc, zr) - point
          let along = (q * ray).sum()
          guard abs(along - Double(k) * spacing) < 0.4e-3 || abs(q.y - Double(k) * spacing) < 0.4e-3 else { continue }
          if e[r * x.count + c] > best.value { best = (e[r * x.count + c], SIMD2(xc, zr)) }
        }
      }
      positions.append(best.at)
    }
    return (positions, ray, spacing)
  }

  /// 25 mm off the axis at 40 mm the ray from the C5-2v's apex leans 16° outward: copy k's maximum lies k·c·τ/2 along
  /// it (within 0.1 mm; straight down would be 0.25 mm off laterally at copy 3), and no further sideways.
  func testCopiesLieAlongTheRayFromTheVirtualApex() {
    let point = SIMD2(25e-3, 40e-3)
    let m = copies(at: point)
    for k in 1...3 {
      let expected = point + m.ray * (Double(k) * m.spacing)
      let miss = m.positions[k] - expected
      XCTAssertLessThan(
        (miss * miss).sum().squareRoot(), 0.1e-3, "copy \(k) at \(m.positions[k]), expected \(expected)")
    }
  }

  /// At 1 dB/cm/MHz a train's channel data are its copies' sum, each the wall point's own echo (simulated without a
  /// train) shifted by its delay and scaled by its amplitude, within 1 % relative RMS on every element: the copies
  /// carry the attenuation of the path to the wall, not of a place deeper (3.3 mm deeper for copy 3 would cost
  /// 2·0.33 cm·1 dB/cm/MHz·3.6 MHz ≈ 2.4 dB). The delays are whole samples so that the shift is exact; the sum keeps
  /// the wall echo's own tail (a diverging wave's edge waves, −21 dB 3–6 µs after a lossless C5-2v echo), which is why
  /// the copies' levels are compared as channel data and not as image maxima.
  func testCopiesCarryTheAttenuationOfThePathToTheWallOnly() {
    let probe = Probe.c5_2v
    let imaging = Imaging(probe: probe, medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 1), fNumber: 1.5)
    let seq = TransmitSequence.divergingWaves(
      probe: probe, anglesRadians: [0], sourceDistanceMetres: probe.radiusMetres, soundSpeed: 1540)
    let point = SIMD2(8e-3, 40e-3)
    let fs = 4 * probe.centerFrequencyHz
    let shifts = [0, 31, 62, 93]  // samples: 2.15 µs apart, 1.66 mm
    let amplitudes: [Float] = [1, 0.5, 0.25, 0.125]
    var train = ScattererSet()
    for (shift, amplitude) in zip(shifts, amplitudes) {
      train.append(
        xMetres: Float(point.x), yMetres: 0, zMetres: Float(point.y), amplitude: amplitude,
        delaySeconds: Float(Double(shift) / fs))
    }
    let depth = point.y + 8e-3
    let copies = imaging.channelData(train, sequence: seq, maximumDepthMetres: depth)
    let wall = imaging.channelData(
      Imaging.points([(point.x, point.y)]), sequence: seq, maximumDepthMetres: depth)
    XCTAssertEqual(copies.sampleCount, wall.sampleCount)
    var worst = 0.0
    for e in 0..<probe.elementCount {
      let got = copies.trace(event: 0, element: e)
      let one = wall.trace(event: 0, element: e)
      var expected = [Float](repeating: 0, count: one.count)
      for (shift, amplitude) in zip(shifts, amplitudes) {
        for n in 0..<(one.count - shift) { expected[n + shift] += amplitude * one[n] }
      }
      let error = zip(got, expected).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
      let energy = expected.reduce(0.0) { $0 + Double($1 * $1) }
      worst = max(worst, (error / energy).squareRoot())
    }
    print("train vs shifted wall echo: worst relative RMS \(worst)")
    XCTAssertLessThan(worst, 0.01, "worst element's relative RMS difference")
  }
}
