import Foundation
import Phantom

/// The per-scatterer work of ``RFSimulator``: path geometry to every element, the transmit waveform on the fine
/// grid, and its delayed, weighted copies on every receiver. One kernel (with its scratch buffers) per lane.
final class ScattererKernel<M: Medium> {
  let sim: RFSimulator<M>
  let ctx: RFSimulator<M>.Context
  let n: Int
  let fs: Double
  /// K and log2 K (``SimulationSettings/oversampling``).
  static var k: Int { SimulationSettings.oversampling }
  static var kShift: Int { SimulationSettings.oversampling.trailingZeroBitCount }
  /// Table steps per fine-grid step (the pulse tables resolve 1/(8K) of an RF sample), and its log2.
  static var q: Int { 8 }
  static var qShift: Int { 3 }
  let fineStep: Double
  let apod: UnsafeMutablePointer<Float>
  let firing: UnsafeMutablePointer<Float>
  /// Per element: one-way travel time (s), weight g, path attenuation (dB at 1 MHz).
  let t: UnsafeMutablePointer<Float>
  let g: UnsafeMutablePointer<Float>
  let a: UnsafeMutablePointer<Float>
  /// Per element: transmit and receive attenuation corrections (amplitude factors ≤ 1).
  let corrTx: UnsafeMutablePointer<Float>
  let corrRx: UnsafeMutablePointer<Float>
  private var fine: UnsafeMutablePointer<Float>
  private var poly: UnsafeMutablePointer<Float>
  private var fineCapacity = 0
  private var polyCapacity = 0

  init(simulator: RFSimulator<M>, context: RFSimulator<M>.Context, event: TransmitEvent) {
    sim = simulator
    ctx = context
    n = simulator.probe.elementCount
    fs = simulator.settings.samplingFrequencyHz
    fineStep = 1 / (fs * Double(Self.k))
    apod = .allocate(capacity: n)
    firing = .allocate(capacity: n)
    // Rounded up to whole 8-lane vectors for the vectorised corrections.
    let padded = (n + 7) / 8 * 8
    t = .allocate(capacity: padded)
    g = .allocate(capacity: padded)
    a = .allocate(capacity: padded)
    corrTx = .allocate(capacity: padded)
    corrRx = .allocate(capacity: padded)
    a.initialize(repeating: 0, count: padded)
    for e in 0..<n {
      apod[e] = event.apodization[e]
      firing[e] = Float(event.firingDelaysSeconds[e])
      t[e] = 0
      g[e] = 0
      a[e] = 0
    }
    fine = .allocate(capacity: 1)
    poly = .allocate(capacity: 1)
  }

  deinit {
    for p in [apod, firing, t, g, a, corrTx, corrRx, fine, poly] { p.deallocate() }
  }

  /// Path time, weight and attenuation from every element to (x, y, z); false when no element sees the point.
  @_specialize(where M == HomogeneousMedium)
  func paths(x: Float, y: Float, z: Float) -> Bool {
    var any = false
    let dir = ctx.directivity
    let elev = ctx.elevation
    let medium = sim.medium
    ctx.ex.withUnsafeBufferPointer { ex in
      ctx.ez.withUnsafeBufferPointer { ez in
        ctx.nx.withUnsafeBufferPointer { nx in
          ctx.nz.withUnsafeBufferPointer { nz in
            for e in 0..<n {
              let dx = x - ex[e]
              let dz = z - ez[e]
              let rho = (dx * dx + dz * dz).squareRoot()
              g[e] = 0
              if rho < 1e-7 { continue }
              let cosT = (dx * nx[e] + dz * nz[e]) / rho
              let sinT = (dx * nz[e] - dz * nx[e]) / rho
              let d = dir.value(sinTheta: sinT, cosTheta: cosT)
              if d == 0 { continue }
              let r = (rho * rho + y * y).squareRoot()
              let p = medium.path(from: SIMD3(ex[e], 0, ez[e]), to: SIMD3(x, y, z), length: r)
              g[e] = d * elev.value(elevationMetres: y, rangeMetres: rho) / rho.squareRoot() * p.transmission
              t[e] = p.travelTimeSeconds
              a[e] = p.attenuationDbAt1MHz
              any = any || g[e] != 0
            }
          }
        }
      }
    }
    return any
  }

  private func reserve(fine m: Int, poly mp: Int) {
    if fineCapacity < m {
      fine.deallocate()
      fine = .allocate(capacity: m)
      fineCapacity = m
    }
    if polyCapacity < mp {
      poly.deallocate()
      poly = .allocate(capacity: mp)
      polyCapacity = mp
    }
  }

  /// Adds the echoes of `range` to `out` (elements × samples).
  @_specialize(where M == HomogeneousMedium)
  func accumulate(scatterers s: ScattererSet, range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
    let ns = sim.settings.sampleCount
    let tStart = sim.settings.startTimeSeconds
    let tEnd = tStart + Double(ns) / fs
    let bank = ctx.bank
    let half = bank.halfSupportSeconds
    let lnTen20 = Float(log(10.0) / 20)
    let exponent = bank.attenuationExponent
    let kk = Self.k
    let invFineStep = 1 / fineStep
    let shift = Self.kShift
    let mask = kk - 1
    let q = Self.q
    for i in range {
      let amp = s.amplitude[i]
      if amp == 0 { continue }
      guard paths(x: s.x[i], y: s.y[i], z: s.z[i]) else { continue }
      // Transmit arrivals and the reference (shortest-path) attenuations.
      var aRef = Float.greatestFiniteMagnitude
      var aTx = Float.greatestFiniteMagnitude
      var tMinRx = Float.greatestFiniteMagnitude
      var tMaxRx: Float = 0
      var tMinTx = Float.greatestFiniteMagnitude
      var tMaxTx = -Float.greatestFiniteMagnitude
      for e in 0..<n where g[e] != 0 {
        aRef = min(aRef, a[e])
        tMinRx = min(tMinRx, t[e])
        tMaxRx = max(tMaxRx, t[e])
        if apod[e] != 0 {
          let ta = firing[e] + t[e]
          tMinTx = min(tMinTx, ta)
          tMaxTx = max(tMaxTx, ta)
          aTx = min(aTx, a[e])
        }
      }
      if tMinTx > tMaxTx { continue }  // no transmitting element sees it
      let t0 = Double(tMinTx) - half
      let t1 = Double(tMaxTx) + half
      if t0 + Double(tMinRx) >= tEnd || t1 + Double(tMaxRx) < tStart { continue }
      let entry = bank.entry(attenuationDb: aTx + aRef)
      let fPow = Float(pow(bank.centroidHz[entry] / 1e6, exponent))
      // Amplitude corrections for each element's attenuation beyond the reference paths (1 at the reference).
      NegativeExponential.corrections(a, reference: aTx, coefficient: lnTen20 * fPow, count: n, into: corrTx)
      NegativeExponential.corrections(a, reference: aRef, coefficient: lnTen20 * fPow, count: n, into: corrRx)

      // W_s on the fine grid, index m ↔ time tStart + (mStart + m)·fineStep.
      let mStart = floorInt((t0 - tStart) / fineStep)
      let m = -floorInt(-(t1 - tStart) / fineStep) - mStart + 2
      let mp = (m + kk - 1) >> shift + 1
      reserve(fine: m, poly: kk * mp)
      let w = fine
      w.update(repeating: 0, count: m)
      let gridT0 = tStart + Double(mStart) * fineStep
      let lp = bank.phaseLength(stride: q)
      let invTableStep = 1 / bank.tableStepSeconds
      let centre = Double(bank.centerIndex)
      ctx.polyTables.withUnsafeBufferPointer { tb in
        let entryBase = tb.baseAddress! + entry * q * lp
        for e in 0..<n where g[e] != 0 && apod[e] != 0 {
          let weight = apod[e] * g[e] * corrTx[e]
          let arrival = Double(firing[e] + t[e])
          // Fine sample j sits at table position v0 + j·q; split v0 into whole and fractional parts.
          let v0 = (gridT0 - arrival) * invTableStep + centre
          let vi = floorInt(v0)
          let frac = Float(v0 - Double(vi))
          // Phase r and start row of table[vi + j·q] and of table[vi + 1 + j·q] in the polyphase layout.
          let r0 = vi & (q - 1)
          let b0 = (vi - r0) >> Self.qShift
          let r1 = r0 + 1 == q ? 0 : r0 + 1
          let b1 = r0 + 1 == q ? b0 + 1 : b0
          // Rows b + j must lie in [0, lp − 1).
          let jLo = max(0, -b0, -b1)
          let jHi = min(m - 1, lp - 2 - b0, lp - 2 - b1)
          if jLo > jHi { continue }
          let t0p = entryBase + r0 * lp + b0
          let t1p = entryBase + r1 * lp + b1
          let c0 = weight * (1 - frac)
          let c1 = weight * frac
          for j in jLo..<(jHi + 1) {  // half-open: no overflow check per step
            w[j] += c0 * t0p[j] + c1 * t1p[j]
          }
        }
      }
      // Polyphase layout, poly[ph·mp + i] = W[i·K + ph], so each receiver reads two contiguous rows. K = 8 fine
      // samples (one of each phase) load as one vector, and its lanes go to the 8 rows.
      let p = poly
      let groups = m >> 3
      for i in 0..<groups {
        let v = UnsafeRawPointer(w + 8 * i).loadUnaligned(as: SIMD8<Float>.self)
        p[i] = v[0]
        p[mp + i] = v[1]
        p[2 * mp + i] = v[2]
        p[3 * mp + i] = v[3]
        p[4 * mp + i] = v[4]
        p[5 * mp + i] = v[5]
        p[6 * mp + i] = v[6]
        p[7 * mp + i] = v[7]
      }
      for ph in 0..<kk {
        // The partial last group, then zeros to the end of the row (read as W = 0 past its end).
        let row = p + ph * mp
        let j = 8 * groups + ph
        row[groups] = j < m ? w[j] : 0
        (row + groups + 1).update(repeating: 0, count: mp - groups - 1)
      }

      // Receive: rf_j[n] += A·g_j·c_j·W(t_n − t_j).
      for j in 0..<n where g[j] != 0 {
        let gain = amp * g[j] * corrRx[j]
        let u0 = -Double(t[j]) * invFineStep - Double(mStart)
        let mb = floorInt(u0)
        let f = Float(u0 - Double(mb))
        // Need 0 ≤ mb + nK and mb + nK + 1 ≤ m − 1.
        let nLo = mb >= 0 ? 0 : (-mb + mask) >> shift
        let top = m - 2 - mb
        if top < 0 { continue }
        let nHi = min(ns - 1, top >> shift)
        if nLo > nHi { continue }
        let ph = mb & mask  // two's complement: the non-negative residue
        let base = (mb - ph) >> shift
        let ph1 = ph + 1 == kk ? 0 : ph + 1
        let base1 = ph + 1 == kk ? base + 1 : base
        let w0 = p + ph * mp + base
        let w1 = p + ph1 * mp + base1
        let c0 = gain * (1 - f)
        let c1 = gain * f
        let o = out + j * ns
        for nn in nLo..<(nHi + 1) {  // half-open: no overflow check per step
          o[nn] += c0 * w0[nn] + c1 * w1[nn]
        }
      }
    }
  }
}

/// ⌊x⌋ as an Int without a libm call (truncate, then step down for negative non-integers).
@inline(__always)
func floorInt(_ x: Double) -> Int {
  let i = Int(x)
  return Double(i) > x ? i - 1 : i
}
