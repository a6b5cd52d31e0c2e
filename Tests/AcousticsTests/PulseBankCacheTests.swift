import Acoustics
import Acquisition
import Phantom
import TestSupport
import XCTest

/// The process-wide pulse banks (``PulseBank/shared``): a simulation gets the same tables whatever ran before it.
final class PulseBankCacheTests: XCTestCase {
  let model = PulseModel(centerFrequencyHz: 7.6e6, fractionalBandwidth: 0.77)
  let step = 1 / (4 * 7.6e6 * 64)

  /// A bank served as the first entries of a larger one equals a fresh bank: same entry count and range, and every
  /// entry's pulse (sampled across the support, compared exactly) and centroid.
  func testASmallerRequestGetsTheFirstEntriesOfTheKeptBank() {
    PulseBank.removeAllShared()
    let large = PulseBank.shared(model: model, tableStepSeconds: step, maximumAttenuationDb: 12, attenuationExponent: 1)
    let small = PulseBank.shared(model: model, tableStepSeconds: step, maximumAttenuationDb: 4, attenuationExponent: 1)
    let fresh = PulseBank(model: model, tableStepSeconds: step, maximumAttenuationDb: 4, attenuationExponent: 1)
    XCTAssertGreaterThan(large.entryCount, fresh.entryCount)
    XCTAssertEqual(small.entryCount, fresh.entryCount)
    XCTAssertEqual(small.maximumAttenuationDb, fresh.maximumAttenuationDb)
    XCTAssertEqual(small.tableLength, fresh.tableLength)
    XCTAssertEqual(small.centerIndex, fresh.centerIndex)
    for e in 0..<fresh.entryCount {
      XCTAssertEqual(small.centroidHz[e], fresh.centroidHz[e])
      for i in stride(from: 0, to: fresh.tableLength, by: 7) {
        let t = (Double(i - fresh.centerIndex) + 0.3) * step
        XCTAssertEqual(small.value(entry: e, timeSeconds: t), fresh.value(entry: e, timeSeconds: t), "entry \(e)")
      }
    }
    // Beyond its own range the small bank clamps to its own last entry, as a fresh one does.
    XCTAssertEqual(small.entry(attenuationDb: 10), fresh.entry(attenuationDb: 10))
  }

  /// Channel data of a shallow record made right after a deeper one (whose bank, with more entries, is kept and
  /// served in part) is byte-identical to the same record made with no bank kept.
  func testChannelDataDoNotDependOnWhatWasSimulatedBefore() {
    let imaging = Imaging(medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0.7))
    let sequence = TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: [0], soundSpeed: 1540)
    let shallow = Imaging.points([(0, 10e-3), (-3e-3, 18e-3), (4e-3, 25e-3)])
    PulseBank.removeAllShared()
    let cold = imaging.channelData(shallow, sequence: sequence, maximumDepthMetres: 25e-3)
    PulseBank.removeAllShared()
    _ = imaging.channelData(Imaging.points([(0, 50e-3)]), sequence: sequence, maximumDepthMetres: 60e-3)
    let warm = imaging.channelData(shallow, sequence: sequence, maximumDepthMetres: 25e-3)
    XCTAssertEqual(cold.data, warm.data)
    XCTAssertGreaterThan(cold.data.map(abs).max() ?? 0, 0)
  }
}
