import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom
import TestSupport
import XCTest

/// A steered receive aperture (``ReceiveAperture/steered``) against the geometry of specular reflection.
///
/// A bone face tilted by θ under a plane wave steered by θ is met at normal incidence: its echo returns against the
/// wave, as a plane wave steered by θ back toward the array, and reaches the array z·tan θ to the side of the point.
/// Rotating the face and the wave together changes nothing in the medium, so the face's echo at a point P, beamformed
/// with the aperture centred where the returning wave comes from, equals that of a flat face under an unsteered plane
/// wave at the same range along the beam (r = |P − (x_c, 0)| = z_P / cos θ, x_c = x_P − z_P·tan θ: the same path,
/// the same elevation focusing), but for what the array itself cannot rotate:
/// - each element sends and receives the wave at θ from its normal: D(θ)² with the strip element's directivity
///   `D(θ) = cos θ · sinc(π w sin θ / λ)` (soft baffle, at fc; Selfridge, Kino & Khuri-Yakub, Appl. Phys. Lett. 37,
///   1980; the form MUST's SIMUS uses);
/// - the array crosses the oblique wave: both sums along it (the plane wave's field at P, and the delay-and-sum of
///   the echo) are dominated by the Fresnel zone round x_c, where the path from P varies as (x − x_c)²·cos²θ/(2r)
///   against x²/(2r) for the flat face; the zone is longer by 1/cos θ, so it holds 1/cos θ more elements (the
///   elements' pitch projected on the wavefront is p·cos θ) on each way.
/// Together: the steered face's echo over the flat face's is `[D(θ)/cos θ]² = sinc²(π w sin θ/λ)`, at 20° on the
/// L11-5v (w = 0.27 mm, λ = 0.203 mm at 7.6 MHz) −6.4 dB. The aperture's own width drops out: at F = 1.5 it spans
/// z/F ≈ 17 mm, far wider than the Fresnel zone (2·√(λr) ≈ 4.6 mm). An unsteered aperture of half-width z/(2F)
/// reaches no further than arctan(1/(2F)) = 18° aside, so it loses most of the echo.
final class ReceiveSteeringTests: XCTestCase {
  /// The peak envelope within 0.5 mm of (x, z) of a 4 mm bone plate whose face passes through (x, z) at tilt θ (the
  /// face's normal turned by θ from +z; interfaces only, physical calibration: 3-D mirrors), under a plane wave
  /// steered by `steering`, beamformed with or without steering the aperture.
  func facePeak(tilt theta: Double, steering: Double, steered: Bool, x: Double, z: Double) -> Float {
    var imaging = Imaging()
    imaging.steered = steered
    let d = SIMD2(sin(theta), cos(theta))  // into the plate
    let t = SIMD2(cos(theta), -sin(theta))  // along the face
    let p = SIMD2(x, z)
    let corners = [p - t * 15e-3, p + t * 15e-3, p + t * 15e-3 + d * 4e-3, p - t * 15e-3 + d * 4e-3]
    var map = TissueMap(background: .softTissue)
    map.add(.polygon(corners), .corticalBone)
    let field = Field(xMin: -25e-3, xMax: 25e-3, zMin: 1e-3, zMax: 50e-3)
    let s = map.interfaces(in: field, wavelengthMetres: imaging.wavelength, seed: 1, model: .physical)
    let seq = TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: [steering], soundSpeed: 1540)
    let rf = imaging.channelData(s, sequence: seq, maximumDepthMetres: 45e-3)
    let xs = ImageGrid.axis(from: x - 0.5e-3, to: x + 0.5e-3, step: 0.05e-3)
    let zs = ImageGrid.axis(from: z - 0.5e-3, to: z + 0.5e-3, step: 0.05e-3)
    let e = imaging.envelope(rf, x: xs, z: zs)
    var peak: Float = 0
    for (i, v) in e.enumerated() {
      let (dx, dz) = (xs[i % xs.count] - x, zs[i / xs.count] - z)
      if dx * dx + dz * dz <= 0.25e-6 { peak = max(peak, v) }
    }
    return peak
  }

  /// At 10°, 20° and 30°, within 1 dB of `sinc²(π w sin θ/λ)`; the unsteered aperture ≥ 10 dB below that past
  /// its 18° reach.
  func testSteeredApertureReceivesAFaceMetAtNormalIncidence() {
    let zP = 25e-3
    let probe = Probe.l11_5v
    let lambda = probe.wavelength(soundSpeed: 1540)
    for degrees in [10.0, 20, 30] {
      let theta = degrees * Double.pi / 180
      let flat = facePeak(tilt: 0, steering: 0, steered: false, x: 0, z: zP / cos(theta))
      let steered = facePeak(tilt: theta, steering: theta, steered: true, x: 0, z: zP)
      let unsteered = facePeak(tilt: theta, steering: theta, steered: false, x: 0, z: zP)
      let u = Double.pi * probe.elementWidthMetres * sin(theta) / lambda
      let expected = 2 * 20 * log10(sin(u) / u)
      let db = { (a: Float) in 20 * log10(Double(a / flat)) }
      print(
        String(
          format: "face at %.0f°, plane wave at the same angle: steered aperture %.2f dB, unsteered %.2f dB of the "
            + "flat face at 0°; (D(θ)/cos θ)² = %.2f dB", degrees, db(steered), db(unsteered), expected))
      XCTAssertEqual(db(steered), expected, accuracy: 1, "\(degrees)°")
      if degrees > 18 { XCTAssertLessThan(db(unsteered), expected - 10, "\(degrees)°") }
    }
  }
}
