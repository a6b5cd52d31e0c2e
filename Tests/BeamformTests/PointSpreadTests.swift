import Acoustics
import Acquisition
import Beamform
import Metrics
import Phantom
import TestSupport
import XCTest

/// Validation 2: point-spread function of L11-5v against diffraction and bandwidth theory.
///
/// For each depth 10–50 mm, a point is imaged on a 0.02 mm grid (±1.8 mm, as in the PICMUS resolution code); the
/// peak must lie within λ/2 of the point, the lateral −6 dB width within 20 % of the Fraunhofer width of the
/// apodized aperture actually used (Hann over z/F, clipped to the array; times the transmit aperture's pattern for a
/// focused beam; each element weighted by its directivity toward the point, at fc), and the axial −6 dB width
/// within 20 % of c/2 times the −6 dB duration of the pulse's envelope, integrated numerically from the model's
/// spectrum (``Diffraction/axialWidth(pulse:soundSpeed:)``; `c·2 ln 2/(π B)` for a Gaussian spectrum of −6 dB
/// bandwidth B). No attenuation, so the bandwidth is the pulse's own.
final class PointSpreadTests: XCTestCase {
  let imaging = Imaging()
  let depths = [10e-3, 20e-3, 30e-3, 40e-3, 50e-3]

  /// Element directivity toward the point (0, z) at fc.
  func directivity(_ x: Double, depth z: Double) -> Double {
    let d = Directivity(elementWidthMetres: imaging.probe.elementWidthMetres, wavelengthMetres: imaging.wavelength)
    let r = hypot(x, z)
    return Double(d.value(sinTheta: Float(-x / r), cosTheta: Float(z / r)))
  }

  /// Aperture used at depth z with f-number F: elements within z/(2F) of x = 0, weighted by `window` over that span
  /// and by their directivity.
  func aperture(depth z: Double, fNumber: Double, window: ApodizationWindow) -> (x: [Double], weights: [Double]) {
    let half = z / (2 * fNumber)
    let xs = imaging.probe.elements.map(\.xMetres).filter { abs($0) <= half }
    return (xs, xs.map { window.weight($0 / half) * directivity($0, depth: z) })
  }

  func check(
    sequence: (Double, [Double]) -> [TransmitEvent], transmitAperture: ((Double) -> (x: [Double], weights: [Double]))?
  ) {
    let lambda = imaging.wavelength
    let axialExpected = Diffraction.axialWidth(pulse: imaging.pulse, soundSpeed: imaging.soundSpeed)
    for z in depths {
      let xs = ImageGrid.axis(from: -1.8e-3, to: 1.8e-3, step: 0.02e-3)
      let rf = imaging.channelData(Imaging.points([(0, z)]), sequence: sequence(z, xs), maximumDepthMetres: z)
      let zs = ImageGrid.axis(from: z - 1.8e-3, to: z + 1.8e-3, step: 0.02e-3)
      let patch = ImagePatch(values: imaging.envelope(rf, x: xs, z: zs), x: xs, z: zs)
      let p = patch.peak
      let error = hypot(xs[p.column], zs[p.row] - z)
      XCTAssertLessThan(error, lambda / 2, "peak at \(z * 1e3) mm is \(error * 1e3) mm from the point")

      let rx = aperture(depth: z, fNumber: imaging.fNumber, window: imaging.window)
      let lateralExpected = Diffraction.lateralWidth(
        x: rx.x, weights: rx.weights, wavelength: lambda, depth: z, transmit: transmitAperture?(z))
      let lateral = Resolution.fullWidthHalfMaximum(patch.lateralProfile, spacing: 0.02e-3)!
      XCTAssertEqual(lateral, lateralExpected, accuracy: 0.2 * lateralExpected, "lateral FWHM at \(z * 1e3) mm")
      let axial = Resolution.fullWidthHalfMaximum(patch.axialProfile, spacing: 0.02e-3)!
      XCTAssertEqual(axial, axialExpected, accuracy: 0.2 * axialExpected, "axial FWHM at \(z * 1e3) mm")
      print(
        String(
          format: "PSF z %.0f mm: lateral %.3f mm (theory %.3f), axial %.3f mm (theory %.3f), peak error %.3f mm",
          z * 1e3, lateral * 1e3, lateralExpected * 1e3, axial * 1e3, axialExpected * 1e3, error * 1e3))
    }
  }

  func testPlaneWavePointSpread() {
    let probe = imaging.probe
    check(
      sequence: { _, _ in [TransmitEvent(probe: probe, wavefront: .plane(angleRadians: 0), soundSpeed: 1540)] },
      transmitAperture: nil)
  }

  /// Line-by-line focused imaging with the focus at the point's depth and a transmit f-number of 2 (sub-aperture of
  /// width z/2), one scan line per image column, so each column is seen through its own beam: two-way pattern =
  /// receive × transmit. The transmit aperture is weighted as ``Acquisition/TransmitSequence`` defines it,
  /// `w(x / (z/4 + p/2))` over |x| ≤ z/4, rectangular (the default) and Hann (whose wider main lobe widens the
  /// two-way width by about 25 %).
  func testFocusedPointSpreadAtFocus() {
    let probe = imaging.probe
    for window in [ApodizationWindow.rectangular, .hann] {
      check(
        sequence: { z, xs in
          TransmitSequence.focusedLines(
            probe: probe, lineCount: xs.count, lateralRange: xs.first!...xs.last!, focusDepthMetres: z, fNumber: 2,
            soundSpeed: 1540, window: window)
        },
        transmitAperture: { z in
          let half = z / 4
          let xs = probe.elements.map(\.xMetres).filter { abs($0) <= half }
          return (xs, xs.map { window.weight($0 / (half + probe.pitchMetres / 2)) * self.directivity($0, depth: z) })
        })
    }
  }
}
