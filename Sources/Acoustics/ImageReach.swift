import Acquisition
import Phantom

/// What the image can see of each event, so that a simulation keeping the image alone leaves out the rest
/// (``SimulationSettings/focusedLineMarginWidths``, ``SimulationSettings/firstReadSample``).
///
/// - **Bands** (``TransmitBeamBand``): a focused scan line's event takes a scatterer with weight 1 inside its band,
///   fading to 0 beyond. A scatterer's left-out sidelobe echo is proportional to its amplitude |A| and to the
///   sidelobe, which falls about as one over the distance from the beam, so a scatterer |A|/A_ref times the reference
///   amplitude gets that many times the band's margin (at least once): its left-out echo is then no stronger than a
///   reference scatterer's. A_ref is the median |A| of the scatterers simulated together — diffuse scatterers
///   outnumber specular and needle points, so it is a speckle scatterer's, and bright surfaces keep their sidelobes.
/// - **Read windows**: on each element, echoes wholly before the first or after the last sample any pixel reads are
///   not synthesised (``ScattererKernel/silenceUnread(_:first:last:)``).
struct ImageReach {
  /// Per event (nil: every scatterer).
  let bands: [TransmitBeamBand?]
  /// Per event, per element (empty: every sample is read).
  let firstRead: [[Float]]
  let lastRead: [[Float]]
  let referenceAmplitude: Float

  /// Whether any event leaves out scatterers.
  var hasBands: Bool { bands.contains { $0 != nil } }

  init(bands: [TransmitBeamBand?], firstRead: [[Float]], lastRead: [[Float]], referenceAmplitude: Float) {
    self.bands = bands
    self.firstRead = firstRead
    self.lastRead = lastRead
    self.referenceAmplitude = referenceAmplitude
  }

  /// Everything, for every one of `events`: the exact sum.
  static func everything(events: Int) -> ImageReach {
    ImageReach(bands: Array(repeating: nil, count: events), firstRead: [], lastRead: [], referenceAmplitude: 1)
  }

  /// The reach `settings` ask for, for `sequence` and `scatterers`.
  init(
    settings: SimulationSettings, sequence: [TransmitEvent], probe: Probe, wavelengthMetres: Double,
    scatterers: ScattererSet
  ) {
    let n = probe.elementCount
    bands =
      settings.focusedLineMarginWidths.map {
        TransmitBeamBand.bands(for: sequence, probe: probe, wavelengthMetres: wavelengthMetres, widths: $0)
      } ?? Array(repeating: nil, count: sequence.count)
    if settings.firstReadSample.isEmpty {
      (firstRead, lastRead) = ([], [])
    } else {
      precondition(
        settings.firstReadSample.count == sequence.count * n && settings.lastReadSample.count == sequence.count * n,
        "read windows need one entry per event and element")
      firstRead = sequence.indices.map { Array(settings.firstReadSample[$0 * n..<($0 + 1) * n]) }
      lastRead = sequence.indices.map { Array(settings.lastReadSample[$0 * n..<($0 + 1) * n]) }
    }
    let median =
      bands.contains { $0 != nil } && scatterers.count > 0
      ? scatterers.amplitude.map(abs).sorted()[scatterers.count / 2] : 1
    referenceAmplitude = max(median, .leastNormalMagnitude)
  }

  /// The reach of events `range` alone.
  func events(_ range: Range<Int>) -> ImageReach {
    ImageReach(
      bands: Array(bands[range]), firstRead: firstRead.isEmpty ? [] : Array(firstRead[range]),
      lastRead: lastRead.isEmpty ? [] : Array(lastRead[range]), referenceAmplitude: referenceAmplitude)
  }

  /// Event `ev`'s weights of a scatterer at (x, z) of amplitude `strength` (the largest |A| of its copies) into
  /// `weights`; false when no event takes it.
  func weigh(x: Float, z: Float, strength: Float, into weights: inout [Float]) -> Bool {
    let widening = max(1, strength / referenceAmplitude)
    var taken = false
    for ev in bands.indices {
      weights[ev] = bands[ev]?.weight(x: x, z: z, widening: widening) ?? 1
      taken = taken || weights[ev] != 0
    }
    return taken
  }
}
