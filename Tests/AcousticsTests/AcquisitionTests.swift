import Acoustics
import Acquisition
import Foundation
import XCTest

final class AcquisitionTests: XCTestCase {
  func channelData(_ values: [Float]) -> ChannelData {
    let p = Probe(
      name: "one", layout: .linear, elementCount: 1, centerFrequencyHz: 5e6, pitchMetres: 1e-3,
      elementWidthMetres: 0.9e-3, fractionalBandwidth: 0.7, elementHeightMetres: 5e-3)
    return ChannelData(
      probe: p, sequence: [TransmitEvent(probe: p, wavefront: .plane(angleRadians: 0), soundSpeed: 1540)],
      samplingFrequencyHz: 20e6, startTimeSeconds: 0, sampleCount: values.count, soundSpeedMetresPerSecond: 1540,
      data: values)
  }

  /// Added noise has the requested SNR (within 2 %) and is the same for the same seed.
  func testNoiseHasRequestedSNRAndIsSeeded() {
    let signal = (0..<20000).map { Float(sin(Double($0) * 0.3)) }
    var a = channelData(signal)
    a.addNoise(snrDb: 20, seed: 3)
    var b = channelData(signal)
    b.addNoise(snrDb: 20, seed: 3)
    XCTAssertEqual(a.data, b.data)
    let noise = zip(a.data, signal).map { Double($0 - $1) }
    let noiseRMS = (noise.reduce(0) { $0 + $1 * $1 } / Double(noise.count)).squareRoot()
    XCTAssertEqual(20 * log10((0.5).squareRoot() / noiseRMS), 20, accuracy: 0.4)
  }

  /// TGC gains 10^(g·d/20) at depth d = c·t/2: 1 cm deep at 2 dB/cm is +2 dB.
  func testTimeGainCompensationFollowsDepth() {
    var d = channelData([Float](repeating: 1, count: 400))
    d.applyTimeGainCompensation(dbPerCm: 2)
    let n = Int(2 * 0.01 / 1540 * 20e6)
    XCTAssertEqual(Double(d.data[n]), pow(10, 2.0 / 20), accuracy: 0.01)
    XCTAssertEqual(d.data[0], 1)
  }
}
