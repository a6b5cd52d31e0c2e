import Acoustics
import Acquisition
import Beamform
import Metrics
import Phantom
import TestSupport
import XCTest

/// Validation 3: fully developed speckle has a Rayleigh envelope, mean/std = 1.91 ± 0.10.
final class SpeckleTests: XCTestCase {
  /// 800 scatterers/mm² against a −6 dB resolution cell of about 0.70 × 0.14 mm (plane wave, F = 1.5; see
  /// PointSpreadTests): about 80 scatterers per cell. The raw envelope is taken over a 10 × 4 mm window centred in
  /// a 20 × 14 mm speckle block, far from its edges, with no attenuation, over two speckle realisations.
  ///
  /// With random positions the local sum Σ|h|² itself fluctuates, so the envelope is K-distributed and only tends
  /// to Rayleigh as the number of scatterers per cell grows (Jakeman and Pusey, IEEE Trans. Antennas Propag. 24(6),
  /// 1976): measured here, 200/mm² (about 20 per cell) gives 1.81, 800/mm² gives 1.90.
  func testSpeckleSNRIsRayleigh() {
    let imaging = Imaging()
    let region = SpeckleRegion(
      shape: .rectangle(xMin: -10e-3, xMax: 10e-3, zMin: 13e-3, zMax: 27e-3), densityPerMm2: 800)
    let xs = ImageGrid.axis(from: -5e-3, to: 5e-3, step: 0.1e-3)
    let zs = ImageGrid.axis(from: 18e-3, to: 22e-3, step: 0.05e-3)
    let snrs = ([1, 2] as [UInt64]).map { seed -> Double in
      let s = PhantomDescription(regions: [region]).scatterers(seed: seed)
      let rf = imaging.channelData(
        s, sequence: TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: [0], soundSpeed: 1540),
        maximumDepthMetres: 28e-3)
      return Speckle.snr(imaging.envelope(rf, x: xs, z: zs))
    }
    let snr = snrs.reduce(0, +) / Double(snrs.count)
    print("speckle SNR per realisation \(snrs), mean \(snr) (Rayleigh \(Speckle.rayleighSNR))")
    XCTAssertEqual(snr, Speckle.rayleighSNR, accuracy: 0.10)
  }
}
