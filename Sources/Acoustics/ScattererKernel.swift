import Acquisition
import Foundation
import KernelSupport
import Phantom

/// The per-scatterer work of ``RFSimulator``: path geometry to every element (once for all transmit events), then
/// for each event the transmit waveform on the fine grid (``ScattererKernel/transmit``) and its delayed, weighted
/// copies on every receiver (``ScattererKernel/receive``). One kernel (with its scratch buffers) per lane.
///
/// Scatterers are prepared in groups of ``group`` per event: each gets its transmit waveform and receive gains in
/// one of that event's ``ReceiveSlot``s, then the group is received receiver by receiver. Neighbouring scatterers
/// (the simulator orders them in depth bands swept laterally) write nearly the same stretch of each trace, so that
/// stretch is read and written once per group instead of once per scatterer. The sum into each sample keeps the
/// scatterers' order, so results do not depend on the grouping.
final class ScattererKernel<M: Medium> {
  let sim: RFSimulator<M>
  let ctx: RFSimulator<M>.Context
  let n: Int
  let fs: Double
  /// K and log2 K (``SimulationSettings/oversampling``; the transposition into phases assumes K = 8).
  static var k: Int { SimulationSettings.oversampling }
  static var kShift: Int { SimulationSettings.oversampling.trailingZeroBitCount }
  /// Table steps per fine-grid step (the pulse tables resolve 1/(8K) of an RF sample), and its log2.
  static var q: Int { 8 }
  static var qShift: Int { 3 }
  /// Scatterers received together.
  static var group: Int { 4 }
  let fineStep: Double
  /// Per event, per element: apodisation and firing delay (s).
  let apods: [UnsafeMutablePointer<Float>]
  let firings: [UnsafeMutablePointer<Float>]
  /// Per element, for the scatterer being prepared: one-way travel time (s), the same for every event.
  let times: UnsafeMutablePointer<Float>
  /// Element positions and normals, padded to whole vectors.
  let geometry: ElementGeometry
  /// Per element, for the scatterer being prepared: weight g and path attenuation (dB at 1 MHz); and for the
  /// medium in ``paths(x:y:z:times:)``, the 3-D length r (m) and the transmission it returns.
  let g: UnsafeMutablePointer<Float>
  let a: UnsafeMutablePointer<Float>
  let length: UnsafeMutablePointer<Float>
  let transmission: UnsafeMutablePointer<Float>
  /// Per element, for the scatterer being prepared: the elevation beam's one-way tilt (dB at 1 MHz), added to `a`.
  let elevationTilt: UnsafeMutablePointer<Float>
  /// Per element: transmit and receive attenuation corrections (amplitude factors; ≤ 1 but for elevation tilts below
  /// the reference element's).
  let corrTx: UnsafeMutablePointer<Float>
  let corrRx: UnsafeMutablePointer<Float>
  /// Per element, for ``transmit(firstArrival:lastArrival:entry:times:into:)``: the weights of its two table
  /// phases, their offsets in the attenuation entry, and the fine sample where its pulse starts.
  let txWeight0: UnsafeMutablePointer<Float>
  let txWeight1: UnsafeMutablePointer<Float>
  let txTable0: UnsafeMutablePointer<Int32>
  let txTable1: UnsafeMutablePointer<Int32>
  let txStart: UnsafeMutablePointer<Int32>
  /// W_s on the fine grid, for the scatterer being prepared.
  var fine: UnsafeMutablePointer<Float>
  var fineCapacity = 0
  /// A train's delayed sum of W_s (``Train``).
  var delayed: UnsafeMutablePointer<Float>
  var delayedCapacity = 0
  /// Per event, the ``group`` slots being filled, and how many are.
  let slots: [[ReceiveSlot]]
  var filled: [Int]
  /// What each event's image can see (``ImageReach``), and for the scatterer being prepared, each event's weight.
  let reach: ImageReach
  var weights: [Float]
  /// Lane multiply-adds done by ``receive(slots:count:into:)`` and ``transmit``, for ``SynthesisWork``.
  var receiveMultiplyAdds = 0
  var transmitMultiplyAdds = 0

  init(
    simulator: RFSimulator<M>, context: RFSimulator<M>.Context, sequence: [TransmitEvent],
    reach: ImageReach? = nil
  ) {
    sim = simulator
    self.reach = reach ?? .everything(events: sequence.count)
    weights = sequence.map { _ in 1 }
    ctx = context
    n = simulator.probe.elementCount
    fs = simulator.settings.samplingFrequencyHz
    fineStep = 1 / (fs * Double(Self.k))
    // Per-element columns are rounded up to whole 8-lane vectors (zero past the last element).
    let padded = (n + 7) / 8 * 8
    geometry = context.geometry
    apods = sequence.map { event in
      let p = UnsafeMutablePointer<Float>.zeroed(padded)
      for e in 0..<event.apodization.count { p[e] = event.apodization[e] }
      return p
    }
    firings = sequence.map { event in
      let p = UnsafeMutablePointer<Float>.zeroed(padded)
      for e in 0..<event.firingDelaysSeconds.count { p[e] = Float(event.firingDelaysSeconds[e]) }
      return p
    }
    times = .zeroed(padded)
    g = .zeroed(padded)
    a = .zeroed(padded)
    length = .zeroed(padded)
    transmission = .zeroed(padded)
    elevationTilt = .zeroed(padded)
    corrTx = .zeroed(padded)
    corrRx = .zeroed(padded)
    txWeight0 = .zeroed(padded)
    txWeight1 = .zeroed(padded)
    txTable0 = .zeroed(padded)
    txTable1 = .zeroed(padded)
    txStart = .zeroed(padded)
    fine = .allocate(capacity: 1)
    delayed = .allocate(capacity: 1)
    slots = sequence.map { _ in (0..<Self.group).map { _ in ReceiveSlot(elements: padded) } }
    filled = sequence.map { _ in 0 }
  }

  deinit {
    for p in apods + firings { p.deallocate() }
    for p in [times, g, a, length, transmission, elevationTilt, corrTx, corrRx, txWeight0, txWeight1, fine, delayed] {
      p.deallocate()
    }
    for p in [txTable0, txTable1, txStart] { p.deallocate() }
  }

  /// Path time, weight and attenuation from every element to (x, y, z) into `t`, ``g`` and ``a``; false when no
  /// element sees the point.
  ///
  /// Eight elements at a time: in-plane range ρ, the angle θ to the element normal, directivity D(θ), elevation
  /// beam E(y, ρ) (for a specular sheet, `sheet` ≠ 0, its factor from ``ElevationSheet``), spreading 1/√ρ and the
  /// 3-D length r; the medium then gives times, attenuations and transmissions for all elements at once. The
  /// elevation beam's tilt across the band (``ElevationBeam``) is added to each path's attenuation, so that the pulse
  /// bank shapes the echo's spectrum with it.
  @_specialize(where M == HomogeneousMedium)
  @_specialize(where M == TissueMedium)
  @_specialize(where M == NeedleShadowedMedium<HomogeneousMedium>)
  @_specialize(where M == NeedleShadowedMedium<TissueMedium>)
  func paths(x: Float, y: Float, z: Float, sheet: Float = 0, times t: UnsafeMutablePointer<Float>) -> Bool {
    let dir = ctx.directivity
    let elev = ctx.elevation
    let sheets = sheet != 0 ? ctx.sheets : nil
    let y2 = y * y
    for e in stride(from: 0, to: n, by: 8) {
      let dx = x - Vector8.load(geometry.x + e)
      let dz = z - Vector8.load(geometry.z + e)
      let nx = Vector8.load(geometry.normalX + e)
      let nz = Vector8.load(geometry.normalZ + e)
      let rho2 = dx * dx + dz * dz
      let rho = rho2.squareRoot()
      // Points on an element (ρ → 0) receive nothing: angle 90° there, so the directivity is 0.
      let away = rho .>= 1e-7
      var cosT = (dx * nx + dz * nz) / rho
      var sinT = (dx * nz - dz * nx) / rho
      cosT.replace(with: 0, where: .!away)
      sinT.replace(with: 1, where: .!away)
      let beam =
        if let sheets {
          (
            gain: sheets.values(radius: sheet, elevationMetres: y, rangeMetres: rho),
            tilt: SIMD8<Float>(repeating: sheets.tiltDb)
          )
        } else { elev.kernelValues(elevationMetres: y, rangeMetres: rho) }
      var ge = dir.value(sinTheta: sinT, cosTheta: cosT) * beam.gain / rho.squareRoot()
      ge.replace(with: 0, where: .!away)
      ge.store(to: g + e)
      beam.tilt.store(to: elevationTilt + e)
      (rho2 + y2).squareRoot().store(to: length + e)
    }
    sim.medium.paths(
      fromElementsX: geometry.x, z: geometry.z, to: SIMD3(x, y, z), lengths: length, count: n,
      into: PathBuffers(times: t, attenuations: a, transmissions: transmission))
    var any = false
    for e in stride(from: 0, to: n, by: 8) {
      // The padding past the last element has transmission 0, so its weight is 0.
      let ge = Vector8.load(g + e) * Vector8.load(transmission + e)
      ge.store(to: g + e)
      (Vector8.load(a + e) + Vector8.load(elevationTilt + e)).store(to: a + e)
      any = any || Swift.any(ge .!= 0)
    }
    return any
  }

  /// Adds half an echo's extra two-way time (``Phantom/ScattererSet/delaySeconds``) to every element's one-way time
  /// `t`, so the transmit arrival and the receive path each take half and the echo comes `seconds` later (the
  /// unfactored reference; the factored path delays the transmit waveform instead, ``Train``).
  func delay(_ t: UnsafeMutablePointer<Float>, bySeconds seconds: Float) {
    guard seconds != 0 else { return }
    for e in 0..<n { t[e] += seconds / 2 }
  }

  /// Adds the echoes of `range` to `out`, one block of `traceFloats` (elements × samples) per event. Each
  /// scatterer's paths are found once; it then joins each event's group that its echo reaches.
  @_specialize(where M == HomogeneousMedium)
  @_specialize(where M == TissueMedium)
  @_specialize(where M == NeedleShadowedMedium<HomogeneousMedium>)
  @_specialize(where M == NeedleShadowedMedium<TissueMedium>)
  func accumulate(
    scatterers s: ScattererSet, range: Range<Int>, into out: UnsafeMutablePointer<Float>, traceFloats: Int
  ) {
    // Entries at one place (the copies of a needle wall's ringing, ``Phantom/EchoTrain``, one after another after
    // sorting) share their paths and their transmit waveform: the waveform is delayed and summed once per event
    // (``Train``), and received as one echo.
    var i = range.lowerBound
    while i < range.upperBound {
      let here = SIMD4(s.x[i], s.y[i], s.z[i], s.sheetRadius[i])
      var j = i + 1
      while j < range.upperBound, SIMD4(s.x[j], s.y[j], s.z[j], s.sheetRadius[j]) == here { j += 1 }
      let run = i..<j
      i = j
      let amp: Float
      let train: Train?
      if run.count == 1 && s.delaySeconds[run.lowerBound] == 0 {  // a plain scatterer: no array to build
        amp = s.amplitude[run.lowerBound]
        train = nil
        if amp == 0 { continue }
      } else {
        let copies = run.filter { s.amplitude[$0] != 0 }
        if copies.isEmpty { continue }
        amp = 1
        train = Train(amplitudes: copies.map { s.amplitude[$0] }, delaysSeconds: copies.map { s.delaySeconds[$0] })
      }
      if reach.hasBands, !reach.weigh(x: here.x, z: here.z, into: &weights) { continue }
      if !paths(x: here.x, y: here.y, z: here.z, sheet: here.w, times: times) { continue }
      // Specular sheets and echo trains (bone, interfaces, the needle) keep their whole transmit waveform.
      let whole = here.w != 0 || train != nil
      for ev in 0..<slots.count
      where weights[ev] != 0
        && prepare(
          event: ev, amplitude: amp * weights[ev], train: train, keepsTails: whole, into: slots[ev][filled[ev]])
      {
        filled[ev] += 1
        if filled[ev] == Self.group { flush(event: ev, into: out + ev * traceFloats) }
      }
    }
    for ev in 0..<slots.count where filled[ev] > 0 { flush(event: ev, into: out + ev * traceFloats) }
  }

  /// Receives event `ev`'s filled slots into its traces `out`.
  private func flush(event ev: Int, into out: UnsafeMutablePointer<Float>) {
    receive(slots: slots[ev], count: filled[ev], into: out)
    filled[ev] = 0
  }

  /// Attenuation corrections, transmit waveform and receive gains for event `ev` of the scatterer whose paths are
  /// in ``times``, ``g`` and ``a`` (with `train`, its copies' delays and amplitudes: the waveform is theirs), into
  /// `slot`; false when its echo misses the record. Unless `keepsTails`, the waveform's tails are left out of the
  /// receive when the settings say so (``SimulationSettings/transmitTailLevel``).
  @_specialize(where M == HomogeneousMedium)
  @_specialize(where M == TissueMedium)
  @_specialize(where M == NeedleShadowedMedium<HomogeneousMedium>)
  @_specialize(where M == NeedleShadowedMedium<TissueMedium>)
  func prepare(
    event ev: Int, amplitude amp: Float, train: Train?, keepsTails: Bool, into slot: ReceiveSlot
  ) -> Bool {
    let t = slot.t
    t.update(from: times, count: (n + 7) / 8 * 8)
    let apod = apods[ev]
    let firing = firings[ev]
    let ns = sim.settings.sampleCount
    let tStart = sim.settings.startTimeSeconds
    let tEnd = tStart + Double(ns) / fs
    let bank = ctx.bank
    let half = bank.halfSupportSeconds
    // Transmit arrivals and the reference attenuations: the medium's least attenuated path, plus the elevation
    // tilt of the element whose wave arrives first (the stationary point of the transmit or receive sum, which
    // carries most of the coherent echo: for a plane wave, the element under the scatterer). Other elements differ
    // from it by the narrowband corrections below, in either direction.
    // Eight elements at a time (the padding has g = 0); minima and maxima are exact in any order, and the elements
    // that reach them are then the first ones, as an element-by-element scan with strict comparisons finds them.
    let big = SIMD8<Float>(repeating: .greatestFiniteMagnitude)
    var aRefV = big
    var aTxV = big
    var tMinRxV = big
    var tMaxRxV = SIMD8<Float>(repeating: 0)
    var tMinTxV = big
    var tMaxTxV = -big
    for e in stride(from: 0, to: n, by: 8) {
      let seen = Vector8.load(g + e) .!= 0
      let sends = seen .& (Vector8.load(apod + e) .!= 0)
      let medium = Vector8.load(a + e) - Vector8.load(elevationTilt + e)
      let te = Vector8.load(t + e)
      let ta = Vector8.load(firing + e) + te
      aRefV.replace(with: medium, where: seen .& (medium .< aRefV))
      tMinRxV.replace(with: te, where: seen .& (te .< tMinRxV))
      tMaxRxV.replace(with: te, where: seen .& (te .> tMaxRxV))
      aTxV.replace(with: medium, where: sends .& (medium .< aTxV))
      tMinTxV.replace(with: ta, where: sends .& (ta .< tMinTxV))
      tMaxTxV.replace(with: ta, where: sends .& (ta .> tMaxTxV))
    }
    var aRef = aRefV.min()
    var aTx = aTxV.min()
    let tMinRx = tMinRxV.min()
    let tMaxRx = tMaxRxV.max()
    let tMinTx = tMinTxV.min()
    let tMaxTx = tMaxTxV.max()
    if tMinTx > tMaxTx { return false }  // no transmitting element sees it
    var nearest = 0
    while g[nearest] == 0 || t[nearest] != tMinRx { nearest += 1 }
    var first = 0
    while g[first] == 0 || apod[first] == 0 || firing[first] + t[first] != tMinTx { first += 1 }
    aRef += elevationTilt[nearest]
    aTx += elevationTilt[first]
    let t0 = Double(tMinTx) - half + Double(train?.earliestSeconds ?? 0)
    let t1 = Double(tMaxTx) + half + Double(train?.latestSeconds ?? 0)
    if t0 + Double(tMinRx) >= tEnd || t1 + Double(tMaxRx) < tStart { return false }
    // Echoes attenuated beyond the bank (``RFSimulator/negligibleAttenuationDbAtFc``) are not simulated; the bank
    // reaches the record's longest path in media without strong absorbers.
    if Double(aTx + aRef) > bank.maximumAttenuationDb + bank.attenuationStepDb { return false }
    let entry = bank.entry(attenuationDb: aTx + aRef)
    let fPow = Float(pow(bank.centroidHz[entry] / 1e6, bank.attenuationExponent))
    // Amplitude corrections for each element's attenuation beyond (or, through the elevation tilt, below) the
    // reference paths (1 at the reference).
    let lnTen20 = Float(log(10.0) / 20)
    NegativeExponential.corrections(a, reference: aTx, coefficient: lnTen20 * fPow, count: n, into: corrTx)
    NegativeExponential.corrections(a, reference: aRef, coefficient: lnTen20 * fPow, count: n, into: corrRx)
    let gain = slot.gain
    for j in stride(from: 0, to: n, by: 8) {
      (Vector8.load(g + j) * Vector8.load(corrRx + j) * amp).store(to: gain + j)
    }
    transmit(
      firstArrival: tMinTx, lastArrival: tMaxTx, entry: entry, times: t, apodization: apod, firing: firing,
      train: train, into: slot)
    if let level = sim.settings.transmitTailLevel, !keepsTails { slot.trimTails(below: level) }
    slot.setReceivers(count: n, fineStepsPerSecond: 1 / fineStep)
    if !reach.firstRead.isEmpty { silenceUnread(slot, first: reach.firstRead[ev], last: reach.lastRead[ev]) }
    return true
  }
}

extension ScattererKernel {
  /// Zero weight on every element whose echo in `slot` (its kept samples) lies wholly outside the samples the image
  /// reads there (`first`, `last` per element, widened by ``SimulationSettings/readGuardSamples``): receivers then
  /// skip it.
  func silenceUnread(_ slot: ReceiveSlot, first: [Float], last: [Float]) {
    let guardSamples = SimulationSettings.readGuardSamples
    let (low, high) = (Float(slot.keptLow), Float(slot.keptHigh))
    for j in 0..<n {
      let start = -Float(slot.base[j])
      if start + high + guardSamples < first[j] || start + low - guardSamples > last[j] {
        slot.weight0[j] = 0
        slot.weight1[j] = 0
      }
    }
  }
}

/// Element positions (m) and unit normals in the scan plane, padded to whole 8-lane vectors; made once per
/// simulation and only read afterwards.
final class ElementGeometry: @unchecked Sendable {
  let x: UnsafeMutablePointer<Float>
  let z: UnsafeMutablePointer<Float>
  let normalX: UnsafeMutablePointer<Float>
  let normalZ: UnsafeMutablePointer<Float>

  init(x: [Float], z: [Float], normalX: [Float], normalZ: [Float]) {
    func copy(_ a: [Float]) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: a.count)
      p.initialize(from: a, count: a.count)
      return p
    }
    self.x = copy(x)
    self.z = copy(z)
    self.normalX = copy(normalX)
    self.normalZ = copy(normalZ)
  }

  deinit {
    for p in [x, z, normalX, normalZ] { p.deallocate() }
  }
}

/// ⌊x⌋ as an Int without a libm call (truncate, then step down for negative non-integers).
@inline(__always)
func floorInt(_ x: Double) -> Int {
  let i = Int(x)
  return Double(i) > x ? i - 1 : i
}
