import Acquisition

/// What the image can see of each event, so that a simulation keeping the image alone leaves out the rest
/// (``SimulationSettings/focusedLineMarginWidths``, ``SimulationSettings/firstReadSample``).
///
/// - **Bands** (``TransmitBeamBand``): a focused scan line's event takes a scatterer with weight 1 inside its band,
///   fading to 0 beyond. The weight depends on the scatterer's place alone, never on its amplitude, so the synthesis
///   stays linear: a frame split into parts (amplitudes A = A₁ + A₂ included, as ``Studies/TargetEcho`` splits one)
///   sums to the whole. The band reaches most of the sector (``SimulationPipeline/focusedLineMarginWidths``), and
///   bright scatterers need no wider one: margins widened by |A| over the median amplitude gave the same images
///   (2026-12-08, `FocusedBudgetTests`: the lumbar scene −72.0 dB with them, −71.2 dB without; the others unchanged).
/// - **Read windows**: on each element, echoes wholly before the first or after the last sample any pixel reads are
///   not synthesised (``ScattererKernel/silenceUnread(_:first:last:)``).
struct ImageReach {
  /// Per event (nil: every scatterer).
  let bands: [TransmitBeamBand?]
  /// Per event, per element (empty: every sample is read).
  let firstRead: [[Float]]
  let lastRead: [[Float]]

  /// Whether any event leaves out scatterers.
  var hasBands: Bool { bands.contains { $0 != nil } }

  init(bands: [TransmitBeamBand?], firstRead: [[Float]], lastRead: [[Float]]) {
    self.bands = bands
    self.firstRead = firstRead
    self.lastRead = lastRead
  }

  /// Everything, for every one of `events`: the exact sum.
  static func everything(events: Int) -> ImageReach {
    ImageReach(bands: Array(repeating: nil, count: events), firstRead: [], lastRead: [])
  }

  /// The reach `settings` ask for, for `sequence`.
  init(settings: SimulationSettings, sequence: [TransmitEvent], probe: Probe, wavelengthMetres: Double) {
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
  }

  /// The reach of events `range` alone.
  func events(_ range: Range<Int>) -> ImageReach {
    ImageReach(
      bands: Array(bands[range]), firstRead: firstRead.isEmpty ? [] : Array(firstRead[range]),
      lastRead: lastRead.isEmpty ? [] : Array(lastRead[range]))
  }

  /// Every event's weight of a scatterer at (x, z) into `weights`; false when no event takes it.
  func weigh(x: Float, z: Float, into weights: inout [Float]) -> Bool {
    var taken = false
    for ev in bands.indices {
      weights[ev] = bands[ev]?.weight(x: x, z: z) ?? 1
      taken = taken || weights[ev] != 0
    }
    return taken
  }
}
