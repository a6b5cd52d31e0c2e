import Acoustics
import Acquisition
import Beamform
import Phantom
import TestSupport
import XCTest

/// The row kernel (aperture by binary search for flat arrays on Cartesian grids, column by column otherwise) and
/// the plain pixel-by-pixel kernel compute the same sum.
final class DelayAndSumKernelTests: XCTestCase {
  func compare(
    probe: Probe = .l11_5v, sequence: (Probe) -> [TransmitEvent], fNumber: Double, grid custom: ImageGrid? = nil,
    steered: Bool = false
  ) {
    let imaging = Imaging(probe: probe, fNumber: fNumber)
    let s = PhantomDescription(
      regions: [SpeckleRegion(shape: .rectangle(xMin: -8e-3, xMax: 8e-3, zMin: 8e-3, zMax: 25e-3), densityPerMm2: 5)],
      points: [PointTarget(xMetres: 2e-3, zMetres: 15e-3, amplitude: 5)]
    ).scatterers(seed: 3)
    let rf = imaging.channelData(s, sequence: sequence(imaging.probe), maximumDepthMetres: 26e-3)
    let grid =
      custom
      ?? ImageGrid(
        .cartesian(
          x: ImageGrid.axis(from: -10e-3, to: 10e-3, step: 0.1e-3),
          z: ImageGrid.axis(from: 5e-3, to: 25e-3, step: 0.1e-3)))
    let das = DelayAndSum(
      settings: BeamformSettings(
        aperture: ReceiveAperture(fNumber: fNumber, window: .hann, steered: steered), soundSpeedMetresPerSecond: 1540,
        threads: 2))
    let analytic = AnalyticChannelData(rf)
    let rows = das.beamform(analytic, grid: grid)
    let pixels = das.beamformPixelByPixel(analytic, grid: grid)
    XCTAssertGreaterThan(Signals.mean(pixels.map(abs)), 0)
    XCTAssertLessThan(Signals.relativeRMSError(rows, reference: pixels), 1e-5)
  }

  func testPlaneWaveCompounding() {
    compare(
      sequence: { TransmitSequence.planeWaves(probe: $0, anglesRadians: [-0.1, 0, 0.1], soundSpeed: 1540) },
      fNumber: 1.5)
  }

  /// Each plane wave's aperture steered with it (``ReceiveAperture/steered``): a flat array on a Cartesian grid
  /// (search along x, moved by z·tan θ) and a convex array on a polar grid (each element's own frame).
  func testSteeredReceiveApertures() {
    let angles = [-0.35, 0, 0.2]
    compare(
      sequence: { TransmitSequence.planeWaves(probe: $0, anglesRadians: angles, soundSpeed: 1540) }, fNumber: 1.5,
      steered: true)
    let probe = Probe.c5_2v
    let polar = ImageGrid.polarCovering(
      xRange: -10e-3...10e-3, zRange: 5e-3...25e-3, apexX: 0, apexZ: -probe.radiusMetres, step: 0.2e-3,
      maximumAngle: 0.7)!
    compare(
      probe: probe, sequence: { TransmitSequence.planeWaves(probe: $0, anglesRadians: angles, soundSpeed: 1540) },
      fNumber: 1, grid: polar, steered: true)
  }

  func testWholeAperture() {
    compare(sequence: { TransmitSequence.planeWaves(probe: $0, anglesRadians: [0], soundSpeed: 1540) }, fNumber: 0)
  }

  func testLineByLineFocused() {
    compare(
      sequence: {
        TransmitSequence.focusedLines(
          probe: $0, lineCount: 40, lateralRange: -10e-3...10e-3, focusDepthMetres: 15e-3, fNumber: 2, soundSpeed: 1540)
      },
      fNumber: 1.5)
  }

  func testConvexDivergingOnPolarAndCartesianGrids() {
    let probe = Probe.c5_2v
    let r = probe.radiusMetres
    let diverging = { (p: Probe) in
      TransmitSequence.divergingWaves(
        probe: p, anglesRadians: [-0.15, 0, 0.15], sourceDistanceMetres: r, soundSpeed: 1540)
    }
    let polar = ImageGrid.polarCovering(
      xRange: -10e-3...10e-3, zRange: 5e-3...25e-3, apexX: 0, apexZ: -r, step: 0.2e-3, maximumAngle: 0.7)!
    compare(probe: probe, sequence: diverging, fNumber: 1, grid: polar)
    compare(probe: probe, sequence: diverging, fNumber: 0)
  }
}
