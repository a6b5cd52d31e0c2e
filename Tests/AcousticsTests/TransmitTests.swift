import Acoustics
import Acquisition
import Foundation
import XCTest

final class TransmitTests: XCTestCase {
  let c = 1540.0

  /// The wave of every element reaches the focus at the same time, and the model's arrival time there agrees.
  func testFocusedDelaysEqualiseArrivalAtTheFocus() {
    let p = Probe.l11_5v
    let ev = TransmitSequence.focused(probe: p, xMetres: 3e-3, zMetres: 25e-3, soundSpeed: c)
    let arrivals = zip(p.elements, ev.firingDelaysSeconds).map { $1 + hypot(3e-3 - $0.xMetres, 25e-3 - $0.zMetres) / c }
    XCTAssertLessThan(arrivals.max()! - arrivals.min()!, 1e-12)
    XCTAssertEqual(ev.arrivalTime(xMetres: 3e-3, zMetres: 25e-3), arrivals[0], accuracy: 1e-12)
    XCTAssertEqual(ev.firingDelaysSeconds.min()!, 0, accuracy: 1e-15)
  }

  /// A steered plane wave: delays grow linearly along the array, and the wavefront model matches any element's
  /// wave where it is normal to the front.
  func testPlaneWaveDelaysAreLinear() {
    let p = Probe.l11_5v
    let theta = 10.0 * .pi / 180
    let ev = TransmitEvent(probe: p, wavefront: .plane(angleRadians: theta), soundSpeed: c)
    let d = ev.firingDelaysSeconds
    XCTAssertEqual(d[1] - d[0], p.pitchMetres * sin(theta) / c, accuracy: 1e-15)
    XCTAssertEqual(d[0], 0, accuracy: 1e-15)
    let e = p.elements[40]
    let point = (e.xMetres + 20e-3 * sin(theta), 20e-3 * cos(theta))
    XCTAssertEqual(ev.arrivalTime(xMetres: point.0, zMetres: point.1), d[40] + 20e-3 / c, accuracy: 1e-12)
  }

  /// Diverging waves from the arc centre of a convex array fire all elements together.
  func testConvexDivergingFromArcCentreFiresTogether() {
    let p = Probe.c5_2v
    let ev = TransmitSequence.divergingWaves(
      probe: p, anglesRadians: [0], sourceDistanceMetres: p.radiusMetres, soundSpeed: c)[0]
    XCTAssertLessThan(ev.firingDelaysSeconds.max()!, 1e-12)
    XCTAssertEqual(ev.arrivalTime(xMetres: 0, zMetres: 30e-3), 30e-3 / c, accuracy: 1e-12)
  }

  /// Transmit apodization (``TransmitSequence/weights(probe:positionsMetres:halfWidthMetres:window:)``): Hann over
  /// the whole array spans its physical width N·p, `cos²(π x / (N p))`; a focused line's Hann spans its nominal
  /// sub-aperture plus half a pitch, symmetric about its line, peaking on it; rectangular (the default) leaves every
  /// active element at 1, as before windows existed.
  func testTransmitApodizationWindows() {
    let p = Probe.l11_5v
    let n = Double(p.elementCount)
    let plane = TransmitSequence.planeWaves(probe: p, anglesRadians: [0], soundSpeed: c, window: .hann)[0]
    for (e, el) in p.elements.enumerated() {
      let expected = pow(cos(Double.pi * el.xMetres / (n * p.pitchMetres)), 2)
      XCTAssertEqual(Double(plane.apodization[e]), expected, accuracy: 1e-6)
    }
    XCTAssertGreaterThan(plane.apodization.min()!, 0, "the outermost elements keep a small weight")
    let rectangular = TransmitSequence.planeWaves(probe: p, anglesRadians: [0], soundSpeed: c)[0]
    XCTAssertEqual(rectangular.apodization, [Float](repeating: 1, count: p.elementCount))

    let lines = TransmitSequence.focusedLines(
      probe: p, lineCount: 1, lateralRange: 0...0, focusDepthMetres: 20e-3, fNumber: 2, soundSpeed: c, window: .hann)
    let flat = TransmitSequence.focusedLines(
      probe: p, lineCount: 1, lateralRange: 0...0, focusDepthMetres: 20e-3, fNumber: 2, soundSpeed: c)
    let hann = lines[0].apodization
    XCTAssertEqual(hann.map { $0 != 0 }, flat[0].apodization.map { $0 != 0 }, "the same active elements")
    XCTAssertEqual(Set(flat[0].apodization), [0, 1])
    for (e, el) in p.elements.enumerated() where hann[e] != 0 {
      let expected = pow(cos(Double.pi * el.xMetres / (2 * (5e-3 + p.pitchMetres / 2))), 2)
      XCTAssertEqual(Double(hann[e]), expected, accuracy: 1e-6)
      XCTAssertEqual(hann[e], hann[p.elementCount - 1 - e], accuracy: 1e-6)
    }
  }

  func testLineByLineUsesSubAperturesAndSyntheticApertureOneElement() {
    let p = Probe.l11_5v
    let lines = TransmitSequence.focusedLines(
      probe: p, lineCount: 5, lateralRange: -10e-3...10e-3, focusDepthMetres: 20e-3, fNumber: 2, soundSpeed: c)
    XCTAssertEqual(lines.count, 5)
    XCTAssertEqual(lines[2].scanLine!, 0, accuracy: 1e-12)
    // z/F = 10 mm wide: 33 or 34 elements of 0.3 mm.
    let active = lines[2].apodization.filter { $0 != 0 }.count
    XCTAssertTrue((32...34).contains(active), "\(active)")
    let sta = TransmitSequence.syntheticAperture(probe: p, soundSpeed: c)
    XCTAssertEqual(sta.count, 128)
    XCTAssertEqual(sta[7].apodization.filter { $0 != 0 }.count, 1)
    XCTAssertEqual(sta[7].apodization[7], 1)
  }
}
