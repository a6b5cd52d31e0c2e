import Acquisition
import Foundation
import KernelSupport
import Phantom

/// Linear pulse-echo RF channel data from point scatterers (first-order Born approximation), in 3-D.
///
/// For scatterer s with reflectivity A_s, transmit event with apodization a_e and firing delays τ_e, and receive
/// element j, the model is
/// ```
/// rf_j(t) = A_s · g_j · Σ_e a_e g_e · p_{e,j}(t − τ_e − t_e − t_j)
/// g_e = D(θ_e) · E(y_s, ρ_e) / √ρ_e · T_e                      (directivity, elevation beam, spreading, transmission)
/// p_{e,j} = two-way pulse attenuated by the path attenuation of e and of j (``PulseBank``), each including, with
///           ``SimulationSettings/elevationDispersion``, the elevation beam's tilt across the band (``ElevationBeam``)
/// ```
/// where t_e, ρ_e, θ_e and T_e come from the ``Medium`` path between element e and the scatterer
/// (SIMUS's model, Garcia 2022, in the time domain, with the elevation beam of ``ElevationBeam``).
///
/// **Factored evaluation.** Summing e × j pulse placements costs N² per scatterer (16 384 at 128 elements). Instead,
/// the transmit field at the scatterer, `W_s(t) = Σ_e a_e g_e p_e(t − τ_e − t_e)`, is built once on a grid K times
/// finer than the RF sampling, and each receiver adds `A_s g_j c_j W_s(t − t_j)` by linear interpolation: N·L + N·M
/// operations instead of N²·L. Attenuation shapes the spectrum through one pulse of the bank per scatterer,
/// `a_tx + a_rx` (the shortest transmit and receive paths' attenuations); each element's remainder `a_e − a_tx`
/// (transmit) or `a_j − a_rx` (receive) is applied as the amplitude factor 10^(−(a − a_ref)·(f̄/1 MHz)^y/20) at the
/// echo's centroid frequency f̄. ``simulateReference`` evaluates
/// the full per-pair sum; tests hold the two together.
///
/// **Determinism.** Scatterers are cut into fixed blocks and the blocks into a fixed number of lanes; each lane sums
/// its blocks in order into its own buffer and the lanes are added in order, so the result is bit-identical for any
/// thread count.
public struct RFSimulator<M: Medium>: Sendable {
  public let probe: Probe
  public let medium: M
  public let pulse: PulseModel
  public let settings: SimulationSettings

  /// Scatterers per block and the fixed number of lanes (independent of threads, for reproducibility).
  static var blockSize: Int { 512 }
  static var laneCount: Int { 8 }
  /// Memory for the lanes' partial records of one chunk of events (bytes).
  static var laneMemoryBytes: Int { 128 << 20 }

  public init(probe: Probe, medium: M, pulse: PulseModel, settings: SimulationSettings) {
    self.probe = probe
    self.medium = medium
    self.pulse = pulse
    self.settings = settings
  }

  /// Resolution of the pulse tables: 8 table steps per fine-grid step.
  var tableStepSeconds: Double { 1 / (settings.samplingFrequencyHz * Double(SimulationSettings.oversampling) * 8) }

  /// Attenuation beyond which an echo is dropped: 120 dB at fc, far below any displayed dynamic range.
  static var negligibleAttenuationDbAtFc: Double { 120 }

  /// The attenuated-pulse bank sized for the record's longest two-way path, up to the negligible level (echoes
  /// attenuated more than that are not simulated; a bone-heavy medium would otherwise need thousands of entries for
  /// echoes nobody can see), widened by twice the elevation beam's tilt range (``ElevationBeam``) and the sheets'
  /// tilt (``ElevationSheet``; the lower end is rounded down to 0.5 dB so that similar scenes share a bank), from the
  /// process's ``PulseBankCache``.
  func pulseTables(elevation: ElevationBeam, sheets: ElevationSheet?) -> PulseTables {
    let c = medium.soundSpeedMetresPerSecond
    let tEnd = settings.startTimeSeconds + Double(settings.sampleCount) / settings.samplingFrequencyHz
    let maxTwoWayCm = tEnd * c * 100
    let negligible = Self.negligibleAttenuationDbAtFc / pow(pulse.centerFrequencyHz / 1e6, medium.attenuationExponent)
    let lowestTilt = min(elevation.minimumTiltDb, Double(sheets?.tiltDb ?? 0))
    let lowest = min(0, (2 * lowestTilt / 0.5).rounded(.down) * 0.5)
    return PulseBankCache.shared.tables(
      model: pulse, tableStepSeconds: tableStepSeconds,
      maximumAttenuationDb: min(medium.maximumAttenuationDbPerCmPerMHz * maxTwoWayCm, negligible)
        + 2 * max(0, elevation.maximumTiltDb),
      minimumAttenuationDb: lowest, attenuationExponent: medium.attenuationExponent,
      supportLevelDb: settings.pulseSupportLevelDb, threads: settings.threads)
  }

  /// Tables shared by every scatterer of one simulation.
  struct Context {
    let bank: PulseBank
    /// The tables one fine-grid step apart (`bank.polyphase(stride: 8, rowLength: fine.span + 8)`), each row
    /// zero-padded so that `fine.span` samples (a multiple of 8) can be read from offset 0 or 1 (``PulseTables``).
    let fine: PulseTables.Rows
    /// The tables half an RF sample apart and their phase filters, when the transmit waveform is built there
    /// (``SimulationSettings/coarseTransmitWaveform`` and a filter that reaches its target); nil otherwise.
    let halfSample: PulseTables.HalfSample?
    let directivity: Directivity
    let elevation: ElevationBeam
    /// The elevation factors of the specular sheets among the scatterers (nil when there are none).
    let sheets: ElevationSheet?
    /// Element positions (m) and unit normals in the scan plane, padded to whole 8-lane vectors.
    let geometry: ElementGeometry
  }

  func makeContext(scatterers: ScattererSet) -> Context {
    let lambda = probe.wavelength(soundSpeed: medium.soundSpeedMetresPerSecond)
    let elements = probe.elements
    var maxRange: Float = 1e-3
    var maxY: Float = 0
    var cylinders: [Float: Float] = [:]
    // Element geometry padded to whole 8-lane vectors (the padding repeats the last element).
    let padded = (elements.count + 7) / 8 * 8
    func column(_ value: (ProbeElement) -> Double) -> [Float] {
      (0..<padded).map { Float(value(elements[min($0, elements.count - 1)])) }
    }
    let ex = column(\.xMetres)
    let ez = column(\.zMetres)
    for i in 0..<scatterers.count {
      let radius = scatterers.sheetRadius[i]
      if radius != 0, radius.isFinite { cylinders[radius] = max(cylinders[radius] ?? 0, abs(scatterers.y[i])) }
      if radius == 0 { maxY = max(maxY, abs(scatterers.y[i])) }
      for e in [0, elements.count - 1] {
        maxRange = max(maxRange, hypot(scatterers.x[i] - ex[e], scatterers.z[i] - ez[e]))
      }
    }
    let elevation = ElevationBeam.shared(
      elementHeightMetres: probe.elementHeightMetres, elevationFocusMetres: probe.elevationFocusMetres,
      wavelengthMetres: lambda, maximumRangeMetres: Double(maxRange) * 1.01, maximumElevationMetres: Double(maxY),
      pulse: settings.elevationDispersion ? pulse : nil, attenuationExponent: medium.attenuationExponent,
      threads: settings.threads)
    let sheets =
      scatterers.hasSheets
      ? ElevationSheet(
        elementHeightMetres: probe.elementHeightMetres, elevationFocusMetres: probe.elevationFocusMetres,
        wavelengthMetres: lambda, maximumRangeMetres: Double(maxRange) * 1.01,
        radii: cylinders.sorted { $0.key < $1.key }.map { (Double($0.key), Double($0.value)) },
        centerFrequencyHz: pulse.centerFrequencyHz, attenuationExponent: medium.attenuationExponent,
        threads: settings.threads) : nil
    let pulses = pulseTables(elevation: elevation, sheets: sheets)
    return Context(
      bank: pulses.bank, fine: pulses.fine, halfSample: settings.coarseTransmitWaveform ? pulses.halfSample : nil,
      directivity: Directivity(elementWidthMetres: probe.elementWidthMetres, wavelengthMetres: lambda),
      elevation: elevation, sheets: sheets,
      geometry: ElementGeometry(
        x: ex, z: ez, normalX: column { sin($0.normalAngleRadians) }, normalZ: column { cos($0.normalAngleRadians) }))
  }

  /// The tables shared by every scatterer, and zeroed channel data for the sequence.
  func prepare(scatterers: ScattererSet, sequence: [TransmitEvent]) -> (Context, ChannelData) {
    let ctx = makeContext(scatterers: scatterers)
    let out = ChannelData(
      probe: probe, sequence: sequence, samplingFrequencyHz: settings.samplingFrequencyHz,
      startTimeSeconds: settings.startTimeSeconds, sampleCount: settings.sampleCount,
      soundSpeedMetresPerSecond: medium.soundSpeedMetresPerSecond)
    return (ctx, out)
  }

  /// Simulates every transmit event of `sequence`.
  ///
  /// - Parameter progress: called after each block of scatterers with (blocks done, blocks in all), from any thread.
  @_specialize(where M == HomogeneousMedium)
  @_specialize(where M == TissueMedium)
  @_specialize(where M == NeedleShadowedMedium<HomogeneousMedium>)
  @_specialize(where M == NeedleShadowedMedium<TissueMedium>)
  public func simulate(
    scatterers: ScattererSet, sequence: [TransmitEvent], progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> ChannelData {
    let (ctx, blank) = prepare(scatterers: scatterers, sequence: sequence)
    var out = blank
    let traceFloats = probe.elementCount * settings.sampleCount
    // Neighbouring scatterers one after the other (bands two wavelengths deep, swept laterally): consecutive ones
    // write nearly the same stretch of every trace, so it stays in cache and four of them are received together.
    // The order depends only on the scatterers, so results stay identical for any thread count.
    let lambda = Float(probe.wavelength(soundSpeed: medium.soundSpeedMetresPerSecond))
    let ordered = Self.sortedForLocality(scatterers, bandMetres: 2 * lambda)
    let blocks = (scatterers.count + Self.blockSize - 1) / Self.blockSize
    let lanes = max(1, min(Self.laneCount, blocks))
    // Events are simulated in chunks that share each scatterer's paths. Each lane sums its blocks into its own copy
    // of the chunk's record; the lanes' copies are then added in lane order, so the result does not depend on which
    // thread ran a lane. A chunk holds as many events as keep the lanes' copies within `laneMemoryBytes`.
    let chunk = max(1, min(sequence.count, Self.laneMemoryBytes / (lanes * traceFloats * MemoryLayout<Float>.size)))
    let counter = ProgressCounter(total: blocks * ((sequence.count + chunk - 1) / chunk), report: progress)
    let reach = ImageReach(settings: settings, sequence: sequence, probe: probe, wavelengthMetres: Double(lambda))
    let laneBuffers = UnsafeMutablePointer<Float>.allocate(capacity: lanes * chunk * traceFloats)
    defer { laneBuffers.deallocate() }
    for first in stride(from: 0, to: sequence.count, by: chunk) {
      let events = Array(sequence[first..<min(sequence.count, first + chunk)])
      let recordFloats = events.count * traceFloats
      laneBuffers.initialize(repeating: 0, count: lanes * recordFloats)
      Parallel.forEach(count: lanes, threads: settings.threads) { lane in
        let kernel = ScattererKernel(
          simulator: self, context: ctx, sequence: events, reach: reach.events(first..<first + events.count))
        // Lanes interleave blocks, so each lane sees every depth (shallow scatterers cost more).
        for b in stride(from: lane, to: blocks, by: lanes) {
          let lo = b * Self.blockSize
          let hi = min(scatterers.count, lo + Self.blockSize)
          kernel.accumulate(
            scatterers: ordered, range: lo..<hi, into: laneBuffers + lane * recordFloats, traceFloats: traceFloats)
          counter.advance()
        }
        SynthesisWork.shared.add(receive: kernel.receiveMultiplyAdds, transmit: kernel.transmitMultiplyAdds)
      }
      out.data.withUnsafeMutableBufferPointer { d in
        let dst = d.baseAddress! + first * traceFloats
        for lane in 0..<lanes {
          let src = laneBuffers + lane * recordFloats
          for i in 0..<recordFloats { dst[i] += src[i] }
        }
      }
    }
    return out
  }
}

extension RFSimulator {
  /// The scatterers in bands of depth `bandMetres`, shallow to deep, each band swept laterally (left to right,
  /// then right to left, …) so that consecutive scatterers are neighbours (ties keep their order).
  ///
  /// Sorted by one integer key per scatterer: the band (offset to be unsigned) in the high 32 bits, the lateral
  /// position (negated in odd bands) in the low 32 as bits whose unsigned order is the numbers' order. That is the
  /// order of comparing (band, ±x, index) directly, at a fraction of the cost.
  public static func sortedForLocality(_ s: ScattererSet, bandMetres: Float) -> ScattererSet {
    var keys = [(key: UInt64, index: Int)]()
    keys.reserveCapacity(s.count)
    for i in 0..<s.count {
      let band = Int((s.z[i] / bandMetres).rounded(.down))
      // + 0 turns −0 into +0, which compare equal as numbers.
      let lateral = (band % 2 == 0 ? s.x[i] : -s.x[i]) + 0
      let bits = lateral.bitPattern
      let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
      let high = UInt64(UInt32(truncatingIfNeeded: band &+ Int(Int32.max) &+ 1))
      keys.append((high << 32 | UInt64(ordered), i))
    }
    keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
    return ScattererSet(
      x: keys.map { s.x[$0.index] }, y: keys.map { s.y[$0.index] }, z: keys.map { s.z[$0.index] },
      amplitude: keys.map { s.amplitude[$0.index] }, sheetRadius: keys.map { s.sheetRadius[$0.index] },
      delaySeconds: keys.map { s.delaySeconds[$0.index] })
  }
}
