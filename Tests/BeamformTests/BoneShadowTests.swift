import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom
import TestSupport
import XCTest

/// Bone: a specular surface with a shadow below it that comes from propagation (attenuation and interface losses
/// along each path through ``TissueMedium``), imaged with L11-5v and one 0° plane wave.
final class BoneShadowTests: XCTestCase {
  /// Soft tissue with a cortical-bone slab, x ∈ [−4, 4] mm, z ∈ [20, 24] mm.
  /// - Parameter throughTissue: propagate through the tissue map (false: the same scatterers in a uniform medium,
  ///   the control that shows the shadow is not painted into the scatterers).
  func image(throughTissue: Bool = true) -> (envelope: [Float], x: [Double], z: [Double]) {
    var map = TissueMap(background: .softTissue)
    map.add(.rectangle(xMin: -4e-3, xMax: 4e-3, zMin: 20e-3, zMax: 24e-3), .corticalBone)
    let imaging = Imaging()
    let field = Field(xMin: -12e-3, xMax: 12e-3, zMin: 6e-3, zMax: 40e-3)
    var s = map.speckle(in: field, thicknessMetres: 1e-3, amplitudeUnit: Tissue.speckleAmplitudeUnit, seed: 3)
    s.append(contentsOf: map.interfaces(in: field, wavelengthMetres: imaging.wavelength, seed: 3))
    let medium = TissueMedium(
      map: map, field: Field(xMin: -25e-3, xMax: 25e-3, zMin: -1e-3, zMax: 45e-3),
      centreFrequencyHz: imaging.probe.centerFrequencyHz
    ).tabulated(
      forElementsX: imaging.probe.elements.map(\.xMetres), z: imaging.probe.elements.map(\.zMetres),
      maximumRangeMetres: 50e-3, threads: 2)
    let seq = TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: [0], soundSpeed: imaging.soundSpeed)
    let rf =
      throughTissue
      ? imaging.channelData(s, sequence: seq, maximumDepthMetres: 42e-3, medium: medium)
      : imaging.channelData(s, sequence: seq, maximumDepthMetres: 42e-3)
    let x = stride(from: -11e-3, through: 11e-3, by: 0.1e-3).map { $0 }
    let z = stride(from: 8e-3, through: 38e-3, by: 0.05e-3).map { $0 }
    return (imaging.envelope(rf, x: x, z: z), x, z)
  }

  func mean(_ e: [Float], x: [Double], z: [Double], xs: ClosedRange<Double>, zs: ClosedRange<Double>) -> Double {
    var sum = 0.0
    var n = 0
    for (r, zr) in z.enumerated() where zs.contains(zr) {
      for (c, xc) in x.enumerated() where xs.contains(xc) {
        sum += Double(e[r * x.count + c])
        n += 1
      }
    }
    return sum / Double(n)
  }

  func testShadowBelowBoneAndBrightSurface() {
    let (e, x, z) = image()
    let below = mean(e, x: x, z: z, xs: -2e-3...2e-3, zs: 28e-3...36e-3)
    let beside = mean(e, x: x, z: z, xs: 7e-3...11e-3, zs: 28e-3...36e-3)
    let besideNear = mean(e, x: x, z: z, xs: 7e-3...11e-3, zs: 14e-3...19e-3)
    let surface = mean(e, x: x, z: z, xs: -3e-3...3e-3, zs: 19.8e-3...20.2e-3)
    print("shadow dB", 20 * log10(below / beside), "surface over tissue dB", 20 * log10(surface / besideNear))
    XCTAssertLessThan(20 * log10(below / beside), -20)
    // The brightest pixel is on the bone surface, at its true depth within 1 mm.
    let peak = e.indices.max { e[$0] < e[$1] }!
    XCTAssertEqual(z[peak / x.count], 20e-3, accuracy: 1e-3)
    XCTAssertLessThanOrEqual(abs(x[peak % x.count]), 4e-3)
    XCTAssertGreaterThan(20 * log10(surface / besideNear), 20)
  }

  /// Without propagation through the map, the same scatterers show no shadow: it is not in the scatterers.
  func testNoShadowWithoutPropagation() {
    let (e, x, z) = image(throughTissue: false)
    let below = mean(e, x: x, z: z, xs: -2e-3...2e-3, zs: 28e-3...36e-3)
    let beside = mean(e, x: x, z: z, xs: 7e-3...11e-3, zs: 28e-3...36e-3)
    XCTAssertGreaterThan(20 * log10(below / beside), -6)
  }

  /// Rough bone: with an RMS surface height σ (here 0.02 mm, `roughness_mm` of the bone tissue), each spectral
  /// component of the mirror echo keeps, on average over surface realisations, exp(−2k²σ²) of its amplitude
  /// (Kirchhoff, Gaussian heights). The channel data averaged over 48 realisations (the coherent echo) must hold the
  /// energy that the smooth echo's own spectrum predicts, Σ|X(f)|²·exp(−4k²σ²) / Σ|X(f)|² (−4.7 dB here), within
  /// 1 dB (measured −4.5 dB; what the average keeps of the diffuse part biases it up by a few tenths); and the
  /// coherent echo's mean frequency falls below the smooth one's, the higher frequencies losing more (6.6 → 5.8 MHz).
  func testRoughBoneLosesItsCoherentEcho() {
    let imaging = Imaging()
    let sigma = 0.02e-3
    let field = Field(xMin: -6e-3, xMax: 6e-3, zMin: 15e-3, zMax: 21e-3)
    let seq = TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: [0], soundSpeed: imaging.soundSpeed)
    func channelData(roughness: Double, seed: UInt64) -> ChannelData {
      var bone = Tissue.corticalBone
      bone.surfaceRoughnessMetres = roughness
      var map = TissueMap(background: .softTissue)
      map.add(.rectangle(xMin: -8e-3, xMax: 8e-3, zMin: 20e-3, zMax: 24e-3), bone)
      let s = map.interfaces(in: field, wavelengthMetres: imaging.wavelength, seed: seed)
      return imaging.channelData(s, sequence: seq, maximumDepthMetres: 25e-3)
    }
    let smooth = channelData(roughness: 0, seed: 1)
    let realisations = 48
    var coherent = [Double](repeating: 0, count: smooth.data.count)
    for seed in 1...realisations {
      let rf = channelData(roughness: sigma, seed: UInt64(seed))
      for i in coherent.indices { coherent[i] += Double(rf.data[i]) / Double(realisations) }
    }
    // Power spectra summed over channels (direct DFT of each trace, up to the Nyquist frequency).
    let n = smooth.sampleCount
    let fs = smooth.samplingFrequencyHz
    let cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
    let sines = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
    func spectrum(_ x: [Double]) -> [Double] {
      var power = [Double](repeating: 0, count: n / 2)
      for e in 0..<smooth.elementCount {
        let offset = e * n
        for k in 0..<(n / 2) {
          var re = 0.0
          var im = 0.0
          for t in 0..<n {
            re += x[offset + t] * cosines[(k * t) % n]
            im -= x[offset + t] * sines[(k * t) % n]
          }
          power[k] += re * re + im * im
        }
      }
      return power
    }
    let smoothPower = spectrum(smooth.data.map(Double.init))
    let coherentPower = spectrum(coherent)
    let frequency = (0..<(n / 2)).map { Double($0) * fs / Double(n) }
    let keep = frequency.map { f -> Double in
      let k = 2 * Double.pi * f / imaging.soundSpeed
      return exp(-4 * k * k * sigma * sigma)
    }
    let predicted = 10 * log10(zip(smoothPower, keep).map { $0 * $1 }.reduce(0, +) / smoothPower.reduce(0, +))
    let measured = 10 * log10(coherentPower.reduce(0, +) / smoothPower.reduce(0, +))
    func meanFrequency(_ p: [Double]) -> Double { zip(p, frequency).map { $0 * $1 }.reduce(0, +) / p.reduce(0, +) }
    print(
      "rough bone coherent echo: measured", measured, "dB, predicted", predicted, "dB; mean frequency",
      meanFrequency(smoothPower) / 1e6, "→", meanFrequency(coherentPower) / 1e6, "MHz")
    XCTAssertLessThan(predicted, -3)
    XCTAssertEqual(measured, predicted, accuracy: 1)
    XCTAssertLessThan(meanFrequency(coherentPower), meanFrequency(smoothPower) - 0.2e6)
  }
}
