import Acoustics
import Acquisition
import Beamform
import Foundation
import KernelSupport
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
  /// Labels and masks on the output grid, for scenes with an anatomy or needles.
  public var groundTruth: GroundTruth?
  /// The anatomy the scene was built from, and the medium its echoes went through (tabulated for the probe).
  public var anatomy: Anatomy?
  public var medium: TissueMedium?
  /// The receiver noise added to the channel data: the standard deviation of each addition (channel units, before
  /// time-gain compensation), all drawn from the same stream (``SimulationPipeline/noiseImage(standardDeviations:like:)``
  /// remakes the noise's own image from them); empty for a noise-free frame.
  public var noiseStandardDeviations: [Double] = []
  /// Seconds per stage: simulate, beamform, envelope (and write, filled in by the writer).
  public var timings: [String: Double]
}

/// Phantom → RF channel data → analytic signal → delay-and-sum → envelope → B-mode, for one ``Scenario``.
public struct SimulationPipeline: Sendable {
  public var scenario: Scenario
  public var threads: Int
  /// Where the pulse tables end (``Acoustics/SimulationSettings/pulseSupportLevelDb``); the record's length does
  /// not follow it, so that images at two levels differ by the tables alone (the convergence check in
  /// `PulseSupportConvergenceTests`).
  public var pulseSupportLevelDb = PulseBank.defaultSupportLevelDb

  public init(scenario: Scenario, threads: Int = Parallel.defaultThreadCount) {
    self.scenario = scenario
    self.threads = threads
  }

  /// The RF simulator this scenario uses through `medium`, with its record length (10 % longer when travel times
  /// follow the tissues' speeds, slower than the medium's in fat).
  public func simulator<M: Medium>(events: [TransmitEvent], medium: M) -> RFSimulator<M> {
    let s = scenario
    let pulse = s.pulse
    // Half length of the pulse: excitation plus ±4 σ of the envelope, near the tabulated support for the Gaussian
    // response; MUST's rings longer, so its own support at the default level is asked for when it is longer.
    let gaussianBound =
      s.transmit.cycles / s.probe.centerFrequencyHz / 2
      + 4 / (2 * Double.pi * pulse.equivalentGaussianSigmaHz)
    let half =
      pulse.response == .gaussian
      ? gaussianBound
      : max(gaussianBound, pulse.envelopeHalfSupportSeconds(level: pow(10, PulseBank.defaultSupportLevelDb / 20)))
    let samples = s.sampleCount(events: events, pulseHalfLengthSeconds: half)
    var settings = SimulationSettings(
      samplingFrequencyHz: s.acquisition.samplingFrequencyHz,
      sampleCount: s.phantom?.speedsAlongPaths == true ? samples * 11 / 10 : samples, threads: threads)
    settings.elevationDispersion = s.physics.elevationDispersion
    settings.pulseSupportLevelDb = pulseSupportLevelDb
    // The transmit waveform half an RF sample apart, its other phases interpolated (−80 dB or better), and a point's
    // received without the tails that hold −60 dB of its energy: for the channel data too (budget −40 dB per event).
    settings.approximateWithinBudget(!s.acquisition.exact)
    // Line-by-line focused imaging reads each event on a few columns: what the image cannot see is left out.
    if leavesOutUnseenWork, events.allSatisfy({ $0.scanLine != nil }) {
      settings.focusedLineMarginWidths = Self.focusedLineMarginWidths
      let reads = ReadWindows(
        record: RecordShape(
          probe: s.probe, sequence: events, samplingFrequencyHz: settings.samplingFrequencyHz,
          startTimeSeconds: settings.startTimeSeconds, sampleCount: settings.sampleCount),
        grid: beamformingGrid(), settings: imagingChain.beamforming)
      settings.firstReadSample = reads.firstSample
      settings.lastReadSample = reads.lastSample
    }
    return RFSimulator(probe: s.probe, medium: medium, pulse: pulse, settings: settings)
  }

  /// Whether the simulation may leave out work no pixel of the image reads: only when the image is all that is
  /// kept (no channel data written, no noise scaled to the channel data's own RMS) and the scenario does not ask
  /// for the exact sum (`acquisition: {exact: true}`).
  public var leavesOutUnseenWork: Bool {
    let s = scenario
    return !s.acquisition.exact && !s.outputs.rf && s.outputs.channelData == nil && s.acquisition.noiseSnrDb == nil
  }

  /// K of ``Acoustics/TransmitBeamBand`` for the default: 40 diffraction widths keeps the focused scenes of
  /// `FocusedBudgetTests` within the speed budget (measured 2026-12-08: frame −61 … −75 dB, worst bright tile
  /// 0.4 %). 20 widths passed the scenes tested then but not the gel block under the C5-2v's clinical acquisition
  /// (speckle of equal amplitudes across the convex sector: frame −37.9 and −38.0 dB, seeds 1 and 2; 30 widths left a
  /// tile at the sector's edge at 5.3 %). Off its beam a focused line's field is not a diffraction sidelobe that
  /// falls with the distance: it is each element's own pulse arriving apart, about as strong across the elements'
  /// directivity, and the broadband grating lobes of pitches wider than λ/2 (1.2λ for the C5-2v at fc, 1.5λ for
  /// the L11-5v), which reach 15–20 mm from the line (`validation/focused_offbeam_field.py`). The band in diffraction
  /// widths therefore has to reach most of the sector (40 λ/D is ±44° for the C5-2v at f/2): against no band at all
  /// it saves 4 % of the focused lumbar scene's time and 11 % of the C5-2v gel block's (20 widths saved 13 and 32 %).
  public static let focusedLineMarginWidths = 40.0

  /// The scenario's beamforming (its receive aperture, at the medium's sound speed) and display.
  public var imagingChain: ImagingChain {
    let s = scenario
    return ImagingChain(
      beamforming: BeamformSettings(
        aperture: s.beamform, soundSpeedMetresPerSecond: s.medium.soundSpeedMetresPerSecond, threads: threads),
      dynamicRangeDb: s.image.dynamicRangeDb, gainDb: s.image.gainDb)
  }

  /// The pixel grid the beamformer computes: Cartesian for linear probes, polar for convex and phased ones.
  public func beamformingGrid() -> ImageGrid {
    guard let grid = scenario.image.beamformingGrid(probe: scenario.probe) else {
      preconditionFailure("image region outside the sector: Scenario.validate() rejects this")
    }
    return grid
  }

  /// The channel data of `scatterers` through `medium` (the scenario's uniform medium when nil) and their
  /// delay-and-sum image on ``beamformingGrid()`` (interleaved re, im), with the scenario's time-gain
  /// compensation. With `noise` the scenario's noise is added, as in a frame; without, the image is of these
  /// scatterers' echoes alone — by linearity, a frame's image is the sum of the images of any split of its
  /// scatterers, plus the noise's.
  /// `seconds` holds the time of the stages "simulate", "analytic" and "beamform".
  public func beamformed(
    scatterers: ScattererSet, medium tissueMedium: TissueMedium?, noise: Bool,
    progress: (@Sendable (String, Double) -> Void)? = nil
  ) -> (
    channelData: ChannelData, beamformed: [Float], grid: ImageGrid, seconds: [String: Double],
    noiseStandardDeviations: [Double]
  ) {
    let s = scenario
    var seconds: [String: Double] = [:]
    var clock = Date()
    func lap(_ name: String) {
      seconds[name] = Date().timeIntervalSince(clock)
      clock = Date()
    }
    let events = s.transmit.events(probe: s.probe, soundSpeed: s.medium.soundSpeedMetresPerSecond, image: s.image)
    let blocksDone: (@Sendable (Int, Int) -> Void)? = progress.map { p in
      { @Sendable done, total in p("simulate", Double(done) / Double(total)) }
    }
    func simulate<M: Medium>(through medium: M) -> ChannelData {
      let crossings = s.needleCrossings
      if crossings.isEmpty {
        return simulator(events: events, medium: medium).simulate(
          scatterers: scatterers, sequence: events, progress: blocksDone)
      }
      return simulator(events: events, medium: NeedleShadowedMedium(base: medium, crossings: crossings)).simulate(
        scatterers: scatterers, sequence: events, progress: blocksDone)
    }
    var rf = if let tissueMedium { simulate(through: tissueMedium) } else { simulate(through: s.medium) }
    let sigmas = noise ? receiverNoise(signal: rf) : []
    for sigma in sigmas { rf.addNoise(standardDeviation: sigma, seed: s.seed) }
    applyTimeGain(&rf)
    lap("simulate")

    let analytic = AnalyticChannelData(rf, threads: threads)
    lap("analytic")
    let grid = beamformingGrid()
    let image = imagingChain.beamform(
      analytic, grid: grid, progress: progress.map { p in { @Sendable f in p("beamform", f) } })
    lap("beamform")
    return (rf, image, grid, seconds, sigmas)
  }

  /// The standard deviations of the scenario's receiver noise for the noise-free channel data `rf`: the SNR's
  /// (signal RMS / 10^(SNR/20)) and the fixed floor's (``Scenario/noiseReferenceAmplitude(threads:)`` ×
  /// 10^(floor/20)), each when set. Both draw the same stream (``ChannelData/addNoise(standardDeviation:seed:)``).
  func receiverNoise(signal rf: ChannelData) -> [Double] {
    let s = scenario
    var sigmas: [Double] = []
    if let snr = s.acquisition.noiseSnrDb { sigmas.append(rf.rms / pow(10, snr / 20)) }
    if let floor = s.acquisition.noiseFloorDb {
      sigmas.append(s.noiseReferenceAmplitude(threads: threads) * pow(10, floor / 20))
    }
    return sigmas
  }

  /// The scenario's time-gain compensation: the tissues' curve for anatomy scenes that ask for it, else dB/cm.
  func applyTimeGain(_ rf: inout ChannelData) {
    let s = scenario
    if s.acquisition.tgcFollowsTissues, s.phantom != nil {
      let deepest =
        s.medium.soundSpeedMetresPerSecond / 2
        * (rf.startTimeSeconds + Double(rf.sampleCount) / rf.samplingFrequencyHz)
      rf.applyTimeGainCompensation(gainDb: s.automaticGainCurve(maximumDepthMetres: deepest))
    } else if let g = s.acquisition.tgcDbPerCm {
      rf.applyTimeGainCompensation(dbPerCm: g)
    }
  }

  /// The image of a frame's receiver noise alone: the noise of `standardDeviations`
  /// (``SimulationResult/noiseStandardDeviations``) drawn as the frame drew it into channel data shaped like `rf`,
  /// through the same time-gain compensation and beamforming. The chain is linear, so the frame's image is its
  /// echoes' image plus this one (to float rounding).
  public func noiseImage(standardDeviations: [Double], like rf: ChannelData) -> [Float] {
    var noise = ChannelData(
      probe: rf.probe, sequence: rf.sequence, samplingFrequencyHz: rf.samplingFrequencyHz,
      startTimeSeconds: rf.startTimeSeconds, sampleCount: rf.sampleCount,
      soundSpeedMetresPerSecond: rf.soundSpeedMetresPerSecond)
    for sigma in standardDeviations { noise.addNoise(standardDeviation: sigma, seed: scenario.seed) }
    applyTimeGain(&noise)
    return imagingChain.beamform(AnalyticChannelData(noise, threads: threads), grid: beamformingGrid())
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
    let anatomy = s.builtAnatomy()
    let scatterers = s.allScatterers(anatomy: anatomy)
    let tissueMedium = anatomy.map { s.tissueMedium($0, threads: threads) }
    let image = beamformed(scatterers: scatterers, medium: tissueMedium, noise: true, progress: progress)
    let (rf, beamformed, grid) = (image.channelData, image.beamformed, image.grid)
    // The scene's set-up (anatomy, scatterers, medium) counts with the simulation, the analytic signal with the
    // envelope.
    timings["simulate"] = Date().timeIntervalSince(clock) - image.seconds["analytic"]! - image.seconds["beamform"]!
    timings["beamform"] = image.seconds["beamform"]!
    clock = Date()

    let xs = s.image.xAxis
    let zs = s.image.zAxis
    let (envelope, bmode) = imagingChain.display(beamformed, grid: grid, x: xs, z: zs)
    lap("envelope")
    timings["envelope"]! += image.seconds["analytic"]!
    var truth: GroundTruth?
    if anatomy != nil || !s.needles.isEmpty {
      truth = GroundTruth.compute(scenario: s, anatomy: anatomy, medium: tissueMedium, x: xs, z: zs)
      lap("ground_truth")
    }
    return SimulationResult(
      channelData: rf, envelope: envelope, xAxisMetres: xs, zAxisMetres: zs, bmode: bmode, beamformed: beamformed,
      grid: grid, scattererCount: scatterers.count, groundTruth: truth, anatomy: anatomy,
      medium: tissueMedium, noiseStandardDeviations: image.noiseStandardDeviations, timings: timings)
  }
}
