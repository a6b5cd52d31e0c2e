/// How RF channel data are sampled and computed.
public struct SimulationSettings: Sendable, Equatable {
  /// RF sampling rate (Hz); MUST's default is 4·fc.
  public var samplingFrequencyHz: Double
  /// Time of the first sample after the first element fires (s).
  public var startTimeSeconds: Double
  /// Samples per trace.
  public var sampleCount: Int
  /// Threads for the synthesis (results do not depend on it).
  public var threads: Int
  /// Whether each path's elevation beam shapes the echo's spectrum (``ElevationBeam``, "Across the band"), as MUST
  /// evaluates it, instead of acting at fc alone. Off by default: with it, the factored synthesis departs from the
  /// per-pair sum by more than its 1 % budget (the paths' tilts differ more across the aperture than the narrowband
  /// corrections can carry), so it is for point-target comparisons with MUST until the synthesis carries it.
  public var elevationDispersion = false
  /// Focused line-by-line sequences: when set (K), each scan line's event leaves out the scatterers its transmit
  /// beam misses by more than K diffraction widths (``TransmitBeamBand``), which reach that line's image only through
  /// the product of two sidelobes. Only for runs that keep the image alone (the channel data then lack those
  /// sidelobe echoes); nil (the default here) computes every scatterer for every event, exactly.
  public var focusedLineMarginWidths: Double? = nil
  /// Whether each scatterer's transmit waveform is built half an RF sample apart and its other fine-grid phases
  /// interpolated (``PhaseInterpolator``: Wiener filters for the pulse's spectrum, −80 dB or better; 8 taps for the
  /// presets), instead of built on all K phases: the elements' sum then costs 2/K of its work, plus six filters per
  /// RF sample of the waveform. Off (the exact sum) by default here; scenarios turn it on unless they ask for the exact
  /// sum. Echo trains (a needle wall's copies) and pulses with no such filter (the Gaussian response) keep the fine
  /// grid.
  public var coarseTransmitWaveform = false
  /// When set (ε), each point scatterer's transmit waveform W is received without its tails: from each end, the
  /// longest run of 8-sample blocks that together hold at most ½ε² of W's energy (``ReceiveSlot/trimTails(below:)``)
  /// — the elements' pulses ringing out before and after the wave. Each echo then leaves out at most ε² of its
  /// energy. Specular sheets and echo trains (bone surfaces, interfaces, the needle) keep their whole waveform. Which
  /// samples are left out depends on the scatterer's waveform and kind, not on its amplitude, so the synthesis stays
  /// linear: the channel data of a split of the scatterers (amplitudes A = A₁ + A₂ included) sum to the whole's.
  /// nil (the exact sum) by default here; scenarios set ``tailLevelForBudget`` unless they ask for the exact sum.
  public var transmitTailLevel: Float? = nil
  /// ε for ``transmitTailLevel`` within the speed budget (issue 28: −40 dB of the image, 3 % in every bright 5 mm
  /// tile, −40 dB of each event's channel data): −60 dB. Measured 2026-12-07 against the exact sum (`us-sim-bench
  /// scene --exact`, frame and worst bright tile): default scene −73.4 dB, 0.08 % (receive multiply-adds −17 %); gel
  /// block −71.4 dB, 0.09 % (−7 %); transverse facet −58.7 dB, 1.0 %; sacral hiatus −60.0 dB, 0.4 %. At −50 dB the
  /// facet's worst tile stood at 1.9 %, most of the tile budget, for −27 % on the default scene.
  public static let tailLevelForBudget: Float = 0.001

  /// The speed budget's approximations of the synthesis (``coarseTransmitWaveform``, ``transmitTailLevel`` at
  /// ``tailLevelForBudget``), or none of them for the exact sum.
  public mutating func approximateWithinBudget(_ on: Bool) {
    coarseTransmitWaveform = on
    transmitTailLevel = on ? Self.tailLevelForBudget : nil
  }
  /// Where each echo's tabulated pulse ends: its envelope's level, dB of its own peak (``PulseBank``, whose doc
  /// gives the measurement behind the default).
  public var pulseSupportLevelDb = PulseBank.defaultSupportLevelDb
  /// The channel samples the image reads, per event and element (event-major, events × elements): the first and
  /// last sample position any pixel reads (+∞ and −∞ when none does). An echo lying wholly outside its element's
  /// window, by more than ``readGuardSamples``, is left out. Empty (the default) synthesises every echo on every
  /// element. Only for runs that keep the image alone.
  public var firstReadSample: [Float] = []
  public var lastReadSample: [Float] = []
  /// Samples kept either side of a read window: the beamformer's interpolation reads one sample ahead, and the
  /// analytic signal's Hilbert transform spreads an echo's imaginary part over neighbouring samples (for a
  /// band-pass echo its tail beyond a few periods is far below the −40 dB budget).
  public static let readGuardSamples: Float = 16

  /// K: the transmit waveform at each scatterer is built on a grid K times finer than the RF sampling and read
  /// back with linear interpolation (amplitude error ≤ (2π/(K·fs/fc))²/8: 0.5 % at fs = 4·fc). A power of two, so
  /// the kernel's index arithmetic is shifts; the kernel's transposition is written for exactly 8.
  public static let oversampling = 8

  public init(samplingFrequencyHz: Double, startTimeSeconds: Double = 0, sampleCount: Int, threads: Int = 1) {
    self.samplingFrequencyHz = samplingFrequencyHz
    self.startTimeSeconds = startTimeSeconds
    self.sampleCount = sampleCount
    self.threads = threads
  }

  /// Samples needed so that echoes from points up to `maximumDistanceMetres` from every element (one way) arrive
  /// within the record, given the latest firing delay and the pulse's half length.
  public static func sampleCount(
    samplingFrequencyHz fs: Double, startTimeSeconds t0: Double, maximumDistanceMetres d: Double,
    soundSpeed c: Double, maximumFiringDelaySeconds tau: Double, pulseHalfLengthSeconds h: Double
  ) -> Int {
    max(1, Int(((tau + 2 * d / c + 2 * h - t0) * fs).rounded(.up)) + 1)
  }
}
