import Acoustics
import Beamform
import Metrics
import Phantom
import TestSupport
import XCTest

/// Validation 3: fully developed speckle has a Rayleigh envelope, mean/std = 1.91 ± 0.10.
final class SpeckleTests: XCTestCase {
  /// 200 scatterers/mm² against a resolution cell of about 0.70 × 0.14 mm (plane wave, F = 1.5; see
  /// PointSpreadTests) is about 20 scatterers per cell. The envelope is taken over a 10 × 4 mm window centred in a
  /// 20 × 14 mm speckle block, far from its edges, with no attenuation, over four speckle realisations. With TGC
  /// off the mean level still falls about 2 dB across the window (spreading, elevation beam), which would mix
  /// Rayleigh laws of different scales; each row is therefore divided by its RMS over all realisations (a
  /// depth-gain compensation estimated from 4 × 101 pixels per row) before mean/std is taken.
  func testSpeckleSNRIsRayleigh() {
    let imaging = Imaging()
    let region = SpeckleRegion(shape: .rectangle(xMin: -10e-3, xMax: 10e-3, zMin: 13e-3, zMax: 27e-3), densityPerMm2: 200)
    let xs = ImageGrid.axis(from: -5e-3, to: 5e-3, step: 0.1e-3)
    let zs = ImageGrid.axis(from: 18e-3, to: 22e-3, step: 0.05e-3)
    let seeds: [UInt64] = [1, 2, 3, 4]
    let images = seeds.map { seed -> [Float] in
      let s = PhantomDescription(regions: [region]).scatterers(seed: seed)
      let rf = imaging.channelData(
        s, sequence: TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: [0], soundSpeed: 1540), maximumDepthMetres: 28e-3)
      return imaging.envelope(rf, x: xs, z: zs)
    }
    var rowPower = [Double](repeating: 0, count: zs.count)
    for e in images {
      for r in zs.indices { for c in xs.indices { rowPower[r] += Double(e[r * xs.count + c] * e[r * xs.count + c]) } }
    }
    let snrs = images.map { e -> Double in
      var n = e
      for r in zs.indices {
        let rms = Float((rowPower[r] / Double(seeds.count * xs.count)).squareRoot())
        for c in xs.indices { n[r * xs.count + c] /= rms }
      }
      return Speckle.snr(n)
    }
    let snr = snrs.reduce(0, +) / Double(snrs.count)
    print("speckle SNR per realisation \(snrs), mean \(snr) (Rayleigh \(Speckle.rayleighSNR))")
    XCTAssertEqual(snr, Speckle.rayleighSNR, accuracy: 0.10)
  }
}
