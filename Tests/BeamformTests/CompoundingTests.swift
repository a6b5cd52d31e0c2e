import Acoustics
import Acquisition
import Beamform
import Metrics
import Phantom
import TestSupport
import XCTest

/// Validation 6: coherent compounding of 7 steered plane waves narrows the lateral PSF and lowers its side lobes.
final class CompoundingTests: XCTestCase {
  /// Lateral −6 dB width (m) through the peak, and the fraction of the PSF's energy (dB) lying more than 1 mm from
  /// the point — side lobes and edge-wave clutter in every direction (Hann apodization leaves no distinct lobes on
  /// the lateral profile, so a peak-side-lobe figure would only measure the main lobe's skirt).
  func psf(angles: [Double]) -> (width: Double, clutterDb: Double) {
    let imaging = Imaging()
    let z = 25e-3
    let rf = imaging.channelData(
      Imaging.points([(0, z)]),
      sequence: TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: angles, soundSpeed: 1540),
      maximumDepthMetres: z)
    let xs = ImageGrid.axis(from: -4e-3, to: 4e-3, step: 0.02e-3)
    let zs = ImageGrid.axis(from: z - 3e-3, to: z + 3e-3, step: 0.02e-3)
    let e = imaging.envelope(rf, x: xs, z: zs)
    let width = Resolution.fullWidthHalfMaximum(ImagePatch(values: e, x: xs, z: zs).lateralProfile, spacing: 0.02e-3)!
    var outside = 0.0
    var total = 0.0
    for r in zs.indices {
      for c in xs.indices {
        let v = Double(e[r * xs.count + c])
        total += v * v
        if hypot(xs[c], zs[r] - z) > 1e-3 { outside += v * v }
      }
    }
    return (width, 10 * log10(outside / total))
  }

  func testSevenAngleCompoundingNarrowsAndLowersSideLobes() {
    let single = psf(angles: [0])
    let seven = psf(angles: stride(from: -9.0, through: 9.0, by: 3.0).map { $0 * .pi / 180 })
    print("single angle: \(single), seven angles: \(seven)")
    XCTAssertLessThan(seven.width, 0.95 * single.width)
    XCTAssertLessThan(seven.clutterDb, single.clutterDb - 3)
  }
}
