import Acoustics
import Acquisition
import Phantom
import TestSupport
import XCTest

/// The factored synthesis against the per-pair reference sum (the exact model).
final class FactoredSynthesisTests: XCTestCase {
  func scatterers() -> ScattererSet {
    var s = ScattererSet()
    s.append(xMetres: 0, yMetres: 0, zMetres: 0.02, amplitude: 1)
    s.append(xMetres: 0.008, yMetres: 0.0005, zMetres: 0.012, amplitude: -0.7)
    s.append(xMetres: -0.015, yMetres: -0.001, zMetres: 0.035, amplitude: 0.5)
    return s
  }

  /// A cloud of 60 scatterers in 1 mm² at 20 mm (the simulator receives neighbours four at a time over a common
  /// stretch of each trace) and two whose echoes cross the end of the 60 µs record.
  func cloud() -> ScattererSet {
    var rng = RandomSource(seed: 7)
    var s = ScattererSet()
    for _ in 0..<60 {
      s.append(
        xMetres: Float(rng.uniform(-0.5e-3, 0.5e-3)), yMetres: Float(rng.uniform(-0.2e-3, 0.2e-3)),
        zMetres: Float(rng.uniform(19.5e-3, 20.5e-3)), amplitude: Float(rng.gaussian()))
    }
    s.append(xMetres: 0.004, yMetres: 0, zMetres: 0.0458, amplitude: 1)
    s.append(xMetres: -0.01, yMetres: 0, zMetres: 0.0452, amplitude: -1)
    return s
  }

  func compare(
    medium: HomogeneousMedium, sequence: (Probe) -> [TransmitEvent], probe: Probe = .l11_5v,
    scatterers: ScattererSet? = nil
  ) -> Double {
    let fs = 4 * probe.centerFrequencyHz
    let settings = SimulationSettings(samplingFrequencyHz: fs, sampleCount: Int(60e-6 * fs), threads: 2)
    let sim = RFSimulator(
      probe: probe, medium: medium,
      pulse: PulseModel(centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth),
      settings: settings)
    let seq = sequence(probe)
    let set = scatterers ?? self.scatterers()
    let fast = sim.simulate(scatterers: set, sequence: seq)
    let slow = sim.simulateReference(scatterers: set, sequence: seq)
    XCTAssertGreaterThan(slow.rms, 0)
    return Signals.relativeRMSError(fast.data, reference: slow.data)
  }

  /// Without attenuation the only differences are the fine-grid interpolation (≤ 0.5 % for K = 8) and the
  /// rounding of the transmit pulse placement to 1/64 of a sample: 1 % overall.
  func testPlaneWaveMatchesReferenceWithoutAttenuation() {
    let err = compare(medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0)) {
      TransmitSequence.planeWaves(probe: $0, anglesRadians: [0, 0.1], soundSpeed: 1540)
    }
    XCTAssertLessThan(err, 0.01)
  }

  func testScattererCloudAndRecordEndMatchReference() {
    let err = compare(
      medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0),
      sequence: { TransmitSequence.planeWaves(probe: $0, anglesRadians: [0.1], soundSpeed: 1540) },
      scatterers: cloud())
    XCTAssertLessThan(err, 0.01)
  }

  func testFocusedMatchesReferenceWithoutAttenuation() {
    let err = compare(medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0)) {
      [TransmitSequence.focused(probe: $0, xMetres: 0.002, zMetres: 0.02, soundSpeed: 1540)]
    }
    XCTAssertLessThan(err, 0.01)
  }

  func testConvexDivergingMatchesReferenceWithoutAttenuation() {
    let err = compare(
      medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0),
      sequence: {
        TransmitSequence.divergingWaves(
          probe: $0, anglesRadians: [0], sourceDistanceMetres: $0.radiusMetres, soundSpeed: 1540)
      }, probe: .c5_2v)
    XCTAssertLessThan(err, 0.01)
  }

  /// With attenuation the factored path approximates each receiver's own spectral shaping by an amplitude factor
  /// at the centroid frequency; the residual is second order in the receive-path spread: under 2 % at 0.5 dB/cm/MHz.
  func testPlaneWaveMatchesReferenceWithAttenuation() {
    let err = compare(medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0.5)) {
      TransmitSequence.planeWaves(probe: $0, anglesRadians: [0], soundSpeed: 1540)
    }
    print("attenuated relative error", err)
    XCTAssertLessThan(err, 0.02)
  }

  /// Echo trains (a needle wall's ringing: many copies at one place, each with its own delay, some before the wall's
  /// echo): the factored path delays one transmit waveform per place; the reference places every copy's pulse on
  /// every pair. An 18G saline needle's wall train for the C5-2v at three places, plus a plain scatterer between
  /// them, with attenuation.
  func testEchoTrainsMatchReference() {
    let probe = Probe.c5_2v
    let needle = Needle(gauge: 18, tipX: 0, tipZ: 30e-3, insertionAngleRadians: 0)
    let train = NeedleWallEcho.train(
      needle: needle, surrounding: .softTissue,
      pulse: PulseModel(centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth),
      maximumDelaySeconds: 8e-6)
    XCTAssertGreaterThan(train.count, 20)
    XCTAssertLessThan(train.delaysSeconds.min()!, 0)
    var s = ScattererSet()
    for (x, z) in [(-0.004, 0.02), (0.0, 0.025), (0.006, 0.03)] as [(Float, Float)] {
      for (tau, a) in zip(train.delaysSeconds, train.amplitudes) {
        s.append(xMetres: x, yMetres: 0, zMetres: z, amplitude: Float(a), delaySeconds: Float(tau))
      }
      s.append(xMetres: x + 0.001, yMetres: 0, zMetres: z + 0.002, amplitude: 0.3)
    }
    let err = compare(
      medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0.5),
      sequence: {
        TransmitSequence.divergingWaves(
          probe: $0, anglesRadians: [0], sourceDistanceMetres: $0.radiusMetres, soundSpeed: 1540)
      }, probe: probe, scatterers: s)
    print("echo trains relative error", err)
    XCTAssertLessThan(err, 0.02)
  }
}
