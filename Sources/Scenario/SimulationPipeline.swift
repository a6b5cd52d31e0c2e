import Acoustics
import Beamform
import Foundation
import Phantom

/// What one run produced, in memory.
public struct SimulationResult: Sendable {
  public var channelData: ChannelData
  /// Linear envelope on the Cartesian output grid, row-major (nz × nx), row 0 shallowest.
  public var envelope: [Float]
  public var xAxisMetres: [Double]
  public var zAxisMetres: [Double]
  /// 8-bit B-mode, same grid as `envelope`.
  public var bmode: [UInt8]
  /// Beamformed complex image on the beamforming grid (interleaved re, im), and that grid.
  public var beamformed: [Float]
  public var grid: ImageGrid
  public var scattererCount: Int
  /// Seconds per stage: simulate, beamform, envelope (and write, filled in by the writer).
  public var timings: [String: Double]
}

/// Phantom → RF channel data → analytic signal → delay-and-sum → envelope → B-mode, for one ``Scenario``.
public struct SimulationPipeline: Sendable {
  public var scenario: Scenario
  public var threads: Int

  public init(scenario: Scenario, threads: Int = Parallel.defaultThreadCount) {
    self.scenario = scenario
    self.threads = threads
  }

  /// The RF simulator this scenario uses, with its record length.
  public func simulator(events: [TransmitEvent]) -> RFSimulator<HomogeneousMedium> {
    let s = scenario
    let pulse = PulseModel(centerFrequencyHz: s.probe.centerFrequencyHz, fractionalBandwidth: s.probe.fractionalBandwidth, cycles: s.transmit.cycles)
    // Half length of the pulse: excitation plus ±4 σ of the envelope, an upper bound of the tabulated support.
    let half = s.transmit.cycles / s.probe.centerFrequencyHz / 2 + 4 / (2 * Double.pi * pulse.responseSigmaHz)
    let settings = SimulationSettings(
      samplingFrequencyHz: s.acquisition.samplingFrequencyHz,
      sampleCount: s.sampleCount(events: events, pulseHalfLengthSeconds: half), threads: threads)
    return RFSimulator(probe: s.probe, medium: s.medium, pulse: pulse, settings: settings)
  }

  /// The pixel grid the beamformer computes: Cartesian for linear probes, polar for convex and phased ones.
  public func beamformingGrid() -> ImageGrid {
    let s = scenario
    if s.probe.layout == .linear {
      return ImageGrid(.cartesian(x: s.image.xAxis, z: s.image.zAxis))
    }
    guard let grid = sectorGrid(probe: s.probe, image: s.image) else {
      preconditionFailure("image region outside the sector: Scenario.validate() rejects this")
    }
    return grid
  }

  /// Runs the chain. `progress` gets the stage ("simulate", "beamform") and the fraction of it done, 0…1.
  public func run(progress: (@Sendable (String, Double) -> Void)? = nil) -> SimulationResult {
    let s = scenario
    var timings: [String: Double] = [:]
    var clock = Date()
    func lap(_ name: String) {
      timings[name] = Date().timeIntervalSince(clock)
      clock = Date()
    }
    let scatterers = s.phantom.scatterers(seed: s.seed)
    let events = s.transmit.events(probe: s.probe, soundSpeed: s.medium.soundSpeedMetresPerSecond, image: s.image)
    let blocksDone: (@Sendable (Int, Int) -> Void)? = progress.map { p in { @Sendable done, total in p("simulate", Double(done) / Double(total)) } }
    var rf = simulator(events: events).simulate(scatterers: scatterers, sequence: events, progress: blocksDone)
    if let snr = s.acquisition.noiseSnrDb { rf.addNoise(snrDb: snr, seed: s.seed) }
    if let g = s.acquisition.tgcDbPerCm { rf.applyTimeGainCompensation(dbPerCm: g) }
    lap("simulate")

    let analytic = AnalyticChannelData(rf, threads: threads)
    let analyticTime = Date().timeIntervalSince(clock)
    clock = Date()
    let grid = beamformingGrid()
    let das = DelayAndSum(
      settings: BeamformSettings(
        fNumber: s.beamform.fNumber, window: s.beamform.window, soundSpeedMetresPerSecond: s.medium.soundSpeedMetresPerSecond,
        threads: threads))
    let beamformed = das.beamform(analytic, grid: grid, progress: progress.map { p in { @Sendable f in p("beamform", f) } })
    lap("beamform")

    var envelope = Envelope.magnitude(beamformed)
    let xs = s.image.xAxis
    let zs = s.image.zAxis
    if case .polar = grid.geometry {
      envelope = ScanConversion.toCartesian(envelope, from: grid, x: xs, z: zs)
    }
    let bmode = LogCompression.grayscale(envelope, dynamicRangeDb: s.image.dynamicRangeDb, gainDb: s.image.gainDb)
    lap("envelope")
    timings["envelope"]! += analyticTime
    return SimulationResult(
      channelData: rf, envelope: envelope, xAxisMetres: xs, zAxisMetres: zs, bmode: bmode, beamformed: beamformed,
      grid: grid, scattererCount: scatterers.count, timings: timings)
  }
}
