import Acquisition
import Beamform
import XCTest

/// ``ReadWindows``: the channel samples each event's pixels read, found column by column from the top and from the
/// bottom, against every pixel scanned (no assumption on how read positions change with depth), and against the
/// geometry of the dynamic aperture.
final class ReadWindowsTests: XCTestCase {
  let c = 1540.0

  func record(_ probe: Probe, _ events: [TransmitEvent], depthMetres: Double) -> RecordShape {
    let fs = 4 * probe.centerFrequencyHz
    return RecordShape(
      probe: probe, sequence: events, samplingFrequencyHz: fs, startTimeSeconds: 0,
      sampleCount: Int(3 * depthMetres / c * fs))
  }

  func sectorGrid(_ probe: Probe, halfAngle: Double, depth: Double) -> ImageGrid {
    let apex = probe.sectorApex
    return ImageGrid.polarCovering(
      xRange: -depth...depth, zRange: 2e-3...depth, apexX: apex.xMetres, apexZ: apex.zMetres, step: 0.4e-3,
      maximumAngle: halfAngle, maximumRange: depth - apex.zMetres)!
  }

  func assertMatchesBruteForce(
    _ record: RecordShape, _ grid: ImageGrid, _ settings: BeamformSettings, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    let fast = ReadWindows(record: record, grid: grid, settings: settings)
    let every = ReadWindows.bruteForce(record: record, grid: grid, settings: settings)
    XCTAssertEqual(fast, every, file: file, line: line)
    XCTAssertTrue(fast.firstSample.contains { $0.isFinite }, file: file, line: line)
  }

  func testColumnScanEqualsEveryPixel() {
    let linear = Probe.l12_3v
    let lines = TransmitSequence.focusedLines(
      probe: linear, lineCount: 48, lateralRange: -15e-3...15e-3, focusDepthMetres: 20e-3, fNumber: 2, soundSpeed: c)
    let cartesian = ImageGrid(
      .cartesian(
        x: ImageGrid.axis(from: -15e-3, to: 15e-3, step: 0.2e-3), z: ImageGrid.axis(from: 2e-3, to: 40e-3, step: 0.2e-3)
      ))
    for aperture in [ReceiveAperture(), ReceiveAperture(fNumber: 0, window: .hann), ReceiveAperture(fNumber: 3)] {
      assertMatchesBruteForce(
        record(linear, lines, depthMetres: 40e-3), cartesian, BeamformSettings(aperture: aperture, threads: 2))
    }
    let planes = TransmitSequence.planeWaves(probe: linear, anglesRadians: [-0.1, 0, 0.1], soundSpeed: c)
    assertMatchesBruteForce(record(linear, planes, depthMetres: 40e-3), cartesian, BeamformSettings(threads: 2))

    for probe in [Probe.c5_2v, Probe.p4_2v] {
      let half = probe.sectorHalfAngleRadians
      let focused = TransmitSequence.focusedLines(
        probe: probe, lineCount: 64, lateralRange: -half...half, focusDepthMetres: 50e-3, fNumber: 2, soundSpeed: c)
      assertMatchesBruteForce(
        record(probe, focused, depthMetres: 90e-3), sectorGrid(probe, halfAngle: half, depth: 90e-3),
        BeamformSettings(threads: 2))
    }
  }

  /// On a flat array an element enters the aperture of a pixel on the line at depth z ≥ 2F·|Δx|, and every read
  /// position there is at least the two-way time 2z/c; elements across the line are read from the first rows.
  func testFarElementsAreReadOnlyDeep() {
    let probe = Probe.l12_3v
    let event = TransmitSequence.focusedLines(
      probe: probe, lineCount: 1, lateralRange: 0...0, focusDepthMetres: 20e-3, fNumber: 2, soundSpeed: c)
    let grid = ImageGrid(.cartesian(x: [0], z: ImageGrid.axis(from: 1e-3, to: 60e-3, step: 0.1e-3)))
    let rec = record(probe, event, depthMetres: 60e-3)
    let windows = ReadWindows(record: rec, grid: grid, settings: BeamformSettings())
    let fs = rec.samplingFrequencyHz
    var checked = 0
    for (j, element) in probe.elements.enumerated() {
      let depth = 3 * abs(element.xMetres)  // 2F·|Δx| with F = 1.5
      guard depth > 1e-3 else { continue }
      if depth > 60e-3 {
        XCTAssertEqual(windows.firstSample[j], .infinity, "element \(j) at \(element.xMetres) m is never read")
      } else {
        XCTAssertGreaterThanOrEqual(Double(windows.firstSample[j]), 2 * (depth - 0.1e-3) / c * fs)
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 100)
  }
}
