import Acoustics
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
}
