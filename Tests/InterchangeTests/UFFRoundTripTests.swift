import Acoustics
import Acquisition
import Beamform
import FileFormats
import Foundation
import Interchange
import Scenario
import XCTest

/// simulate → file → beamform gives the envelope of beamforming directly: through UFF (linear plane waves, convex
/// diverging waves, focused lines), through rf.npy and its sidecar, and through I/Q data.
final class UFFRoundTripTests: XCTestCase {
  func scenario(_ name: String) throws -> Scenario {
    try Scenario.load(contentsOf: Support.root.appendingPathComponent("examples/scenes/\(name).yaml"))
  }

  /// The same beamforming and display as the scenario's own, over its image region.
  func imaging(_ s: Scenario) -> RecordingImaging {
    RecordingImaging(
      xRangeMetres: s.image.xRangeMetres, zRangeMetres: s.image.zRangeMetres, pixelMetres: s.image.pixelMetres,
      aperture: s.beamform, dynamicRangeDb: s.image.dynamicRangeDb,
      gainDb: s.image.gainDb)
  }

  func image(_ recording: ChannelRecording, _ imaging: RecordingImaging) throws -> RecordingImage {
    let pipeline = RecordingPipeline(recording: recording, imaging: imaging, threads: 2)
    let grids = try XCTUnwrap(pipeline.grids())
    return pipeline.image(frame: 0, grids: grids)
  }

  /// Writes the run's channel data as UFF, reads it back and beamforms it over the scenario's region.
  func assertUFFRoundTrip(
    _ name: String, steered: Bool = false, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    var s = try scenario(name)
    s.beamform.steered = steered
    let direct = SimulationPipeline(scenario: s, threads: 2).run()
    let url = Support.temporaryDirectory().appendingPathComponent("\(name).uff")
    // With the pulse, so that the reader's centre frequency (the base-band interpolation's) is the probe's.
    let pulse = PulseModel(
      centerFrequencyHz: s.probe.centerFrequencyHz, fractionalBandwidth: s.probe.fractionalBandwidth)
    try UFF.write(ChannelRecording(direct.channelData, pulse: pulse), to: url)
    let read = try UFF.read(url)
    XCTAssertEqual(read.layout.sequence.count, direct.channelData.sequence.count, file: file, line: line)
    for (a, b) in zip(read.layout.sequence, direct.channelData.sequence) {
      XCTAssertEqual(a.firingDelaysSeconds.count, b.firingDelaysSeconds.count, file: file, line: line)
      for (da, db) in zip(a.firingDelaysSeconds, b.firingDelaysSeconds) {
        XCTAssertEqual(da, db, accuracy: 1e-15, file: file, line: line)
      }
      XCTAssertEqual(a.firstFiringTimeSeconds, 0, accuracy: 1e-15, file: file, line: line)
      XCTAssertEqual(a.scanLine == nil, b.scanLine == nil, file: file, line: line)
    }
    let image = try image(read, imaging(s))
    XCTAssertEqual(image.xAxisMetres, direct.xAxisMetres, file: file, line: line)
    XCTAssertEqual(image.zAxisMetres, direct.zAxisMetres, file: file, line: line)
    // Float rounding only: element positions and delays come back through double-precision datasets.
    XCTAssertLessThan(Support.relativeDifference(direct.envelope, image.envelope), 1e-5, file: file, line: line)
  }

  func testLinearPlaneWavesThroughUFF() throws { try assertUFFRoundTrip("speckle-wires-l11") }

  /// The plane waves read back as plane waves, so a receive aperture steered with them is the simulation's own.
  func testSteeredReceiveThroughUFF() throws { try assertUFFRoundTrip("speckle-wires-l11", steered: true) }

  func testConvexDivergingWavesThroughUFF() throws { try assertUFFRoundTrip("diverging-c5") }

  func testFocusedLinesThroughUFF() throws { try assertUFFRoundTrip("focused-lines-l12") }

  func testSyntheticApertureThroughUFF() throws { try assertUFFRoundTrip("synthetic-aperture-l11") }

  /// `simulate` with `outputs.channel_data: uff` writes the file, and its scan makes the default grid the image's.
  func testSimulateWritesUFFWhoseScanIsTheImage() throws {
    var s = try scenario("speckle-wires-l11")
    s.outputs = OutputPlan(rf: true, channelData: .uff)
    var direct = SimulationPipeline(scenario: s, threads: 2).run()
    let dir = Support.temporaryDirectory()
    try SimulationOutput.write(&direct, scenario: s, to: dir)
    let recording = try RecordingInput.load(dir.appendingPathComponent("channel_data.uff"))
    XCTAssertEqual(recording.scan, .linear(x: direct.xAxisMetres, z: direct.zAxisMetres))
    let fromFile = try image(
      recording,
      RecordingImaging(aperture: s.beamform, dynamicRangeDb: s.image.dynamicRangeDb))
    XCTAssertLessThan(Support.relativeDifference(direct.envelope, fromFile.envelope), 1e-5)
    XCTAssertEqual(fromFile.bmode, direct.bmode)

    // rf.npy with the rf.yaml sidecar simulate writes beside it.
    let npy = try RecordingInput.load(dir.appendingPathComponent("rf.npy"))
    XCTAssertEqual(npy.layout.sequence.count, 3)
    let fromNpy = try image(npy, imaging(s))
    XCTAssertLessThan(Support.relativeDifference(direct.envelope, fromNpy.envelope), 1e-5)
  }

  /// I/Q data: the analytic signals demodulated at f_m, `IQ(t) = s(t)·e^{−iω_m t}`, come back to the same image
  /// (the base-band interpolation at ω_m is exact for a pure carrier; float rounding of the carrier remains).
  func testIQDataBeamformsLikeRF() throws {
    let s = try scenario("speckle-wires-l11")
    let direct = SimulationPipeline(scenario: s, threads: 2).run()
    let rf = direct.channelData
    let analytic = AnalyticChannelData(rf).samples
    let fm = rf.probe.centerFrequencyHz
    var iq = analytic
    let ns = rf.sampleCount
    for trace in 0..<(rf.eventCount * rf.elementCount) {
      for n in 0..<ns {
        let phase = -2 * Double.pi * fm * (rf.startTimeSeconds + Double(n) / rf.samplingFrequencyHz)
        let (c, sn) = (Float(cos(phase)), Float(sin(phase)))
        let o = 2 * (trace * ns + n)
        iq[o] = analytic[o] * c - analytic[o + 1] * sn
        iq[o + 1] = analytic[o] * sn + analytic[o + 1] * c
      }
    }
    let recording = ChannelRecording(layout: rf, frameCount: 1, modulationFrequencyHz: fm, isComplex: true, samples: iq)
    let url = Support.temporaryDirectory().appendingPathComponent("iq.uff")
    try UFF.write(recording, to: url)
    let read = try UFF.read(url)
    XCTAssertTrue(read.isComplex)
    XCTAssertEqual(read.modulationFrequencyHz, fm)
    let image = try image(read, imaging(s))
    XCTAssertLessThan(Support.relativeDifference(direct.envelope, image.envelope), 1e-3)
  }
}
