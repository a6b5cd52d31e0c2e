import KernelSupport

extension ScattererKernel {
  /// The transmit field at the scatterer on the fine grid, `W_s(t) = Σ_e a_e g_e c_e p(t − τ_e − t_e)`, for the
  /// event with apodisation `apod` (a_e) and firing delays `firing` (τ_e), covering the arrivals
  /// `firstArrival ... lastArrival` (s) and half a pulse either side; handed to `slot`, which lays it out by phase
  /// for ``receive(slots:count:into:)``. With ``RFSimulator/Context/halfSample`` (the default's coarse waveform) and
  /// no train, the sum is taken half an RF sample apart (every fourth fine sample) and the slot interpolates the
  /// other phases (``ReceiveSlot/setPhases(halfSamples:count:firstSample:interpolator:)``); otherwise on every fine
  /// sample.
  ///
  /// Fine sample m is at `tStart + (mStart + m)·fineStep`. Fine sample m of element e's pulse sits at table
  /// position `v_e + m·q`, `v_e = (gridT0 − τ_e − t_e)/tableStep + centre`; the fractional part of v_e becomes a
  /// linear interpolation between two table phases. Positions are reckoned from the first arrival in single
  /// precision: below 2¹⁶ table steps (arrivals spread over 33 µs at 7.6 MHz) they are exact to 2⁻⁷ of a step, 4 ps.
  /// Each element then adds the entry's span of samples (``PulseTables/Rows``: whole vectors; the tables are zero
  /// past the pulse) from its lead on. The grid spans the entry's own support
  /// (``PulseBank/entryHalfSupportSamples``, h) and 4 fine samples either side, within the bank's common one: a
  /// pulse cut to ±h table samples is nonzero only from row ⌊(centre − h)/q⌋ − 1 on, so every element's first
  /// write stays at or after the grid's start, and its last within `mW` plus its span.
  func transmit(
    firstArrival: Float, lastArrival: Float, entry: Int, times t: UnsafeMutablePointer<Float>,
    apodization apod: UnsafeMutablePointer<Float>, firing: UnsafeMutablePointer<Float>, train: Train? = nil,
    into slot: ReceiveSlot
  ) {
    let tStart = sim.settings.startTimeSeconds
    let q = Self.q
    let own = ctx.bank.entryHalfSupportSamples[entry]
    let half = min(ctx.bank.halfSupportSeconds, Double(own + 4 * q) * ctx.bank.tableStepSeconds)
    let kk = Self.k
    let shift = Self.kShift
    let invTableStep = 1 / ctx.bank.tableStepSeconds
    let mStart = floorInt((Double(firstArrival) - half - tStart) / fineStep)
    let m = -floorInt(-(Double(lastArrival) + half - tStart) / fineStep) - mStart + 2
    let mW = ((m + kk - 1) >> shift) << shift
    let gridT0 = tStart + Double(mStart) * fineStep
    let v0First = Float((gridT0 - Double(firstArrival)) * invTableStep + Double(ctx.bank.centerIndex))
    if train == nil, let coarse = ctx.halfSample {
      // W half an RF sample apart (fine samples 0, K/2, K, …: table steps q·K/2 apart), its other phases interpolated.
      let interpolator = coarse.interpolator
      let half = sumPulses(
        rows: coarse.rows, entry: entry, stride: q * kk / 2, count: mW >> (shift - 1), firstArrival: firstArrival,
        v0First: v0First, scale: Float(invTableStep), times: t, apodization: apod, firing: firing, pad: 16)
      slot.setPhases(halfSamples: half, count: mW >> shift, firstSample: mStart, interpolator: interpolator)
      transmitMultiplyAdds += 6 * interpolator.taps * (((mW >> shift) + 7) & ~7)
      return
    }
    let w = sumPulses(
      rows: ctx.fine, entry: entry, stride: q, count: mW, firstArrival: firstArrival, v0First: v0First,
      scale: Float(invTableStep), times: t, apodization: apod, firing: firing, pad: 0)
    guard let train else {
      slot.setPhases(of: w, count: mW, firstSample: mStart)
      return
    }
    // W'(t) = Σ_j a_j W(t − τ_j): copy j of fine sample m lands at m + τ_j/fineStep, split linearly between the two
    // fine samples around it. W' starts ⌊τ_min/fineStep⌋ samples from W's start.
    let lo = floorInt(Double(train.earliestSeconds) / fineStep)
    let hi = -floorInt(-Double(train.latestSeconds) / fineStep) + 1
    let count = ((mW + hi - lo + kk - 1) >> shift) << shift
    let d = Self.zeroed(&delayed, capacity: &delayedCapacity, count: count)
    for (a, tau) in zip(train.amplitudes, train.delaysSeconds) {
      let u = Double(tau) / fineStep - Double(lo)
      let k0 = floorInt(u)
      let f = Float(u - Double(k0))
      let (c0, c1) = (a * (1 - f), a * f)
      let dst = d + k0
      var m = 0
      while m < mW {  // mW is whole vectors
        Vector8.load(dst + m).adding(Vector8.load(w + m), times: c0).store(to: dst + m)
        m &+= 8
      }
      m = 0
      while m < mW {
        Vector8.load(dst + m + 1).adding(Vector8.load(w + m), times: c1).store(to: dst + m + 1)
        m &+= 8
      }
    }
    transmitMultiplyAdds += 2 * mW * train.amplitudes.count
    slot.setPhases(of: d, count: count, firstSample: mStart + lo)
  }
}

extension ScattererKernel {
  /// `Σ_e a_e g_e c_e p(t − τ_e − t_e)` at `count` grid samples `stride` table steps apart, sample 0 at table
  /// position `v0First` for an arrival at `firstArrival`, from `rows` (the bank's tables laid out `stride` apart),
  /// into the kernel's scratch buffer. The result has `pad` zeros before it and is zero from `count` to at least
  /// `count + 24`.
  ///
  /// Per element: the weights of the two table phases around its position, where they start in the entry's rows, and
  /// where the pulse starts on the grid. The grid starts half a pulse before the first arrival, so the position
  /// v_e ≤ 0 and the pulse starts at sample −b ≥ 0, b = ⌊v_e/stride⌋. Each element then adds its entry's span (whole
  /// vectors, zero past the pulse) from its lead on.
  func sumPulses(
    rows: PulseTables.Rows, entry: Int, stride q: Int, count: Int, firstArrival: Float, v0First: Float,
    scale: Float, times t: UnsafeMutablePointer<Float>, apodization apod: UnsafeMutablePointer<Float>,
    firing: UnsafeMutablePointer<Float>, pad: Int
  ) -> UnsafeMutablePointer<Float> {
    let lead = rows.leads[entry]
    let span = rows.spans[entry]
    let tableRow = rows.span + 8
    let w = Self.zeroed(&fine, capacity: &fineCapacity, count: pad + count + lead + span + 32) + pad
    let qMask = SIMD8<Int32>(repeating: Int32(q - 1))
    let qShift = Int32(q.trailingZeroBitCount)
    let row = SIMD8<Int32>(repeating: Int32(tableRow))
    for e in stride(from: 0, to: n, by: 8) {
      let arrival = Vector8.load(firing + e) + Vector8.load(t + e) - firstArrival
      let v = v0First - arrival * scale
      let (vi, frac) = v.floorAndFraction()
      let r0 = vi & qMask
      let b = (vi &- r0) &>> qShift
      let weight = Vector8.load(apod + e) * Vector8.load(g + e) * Vector8.load(corrTx + e)
      (weight - weight * frac).store(to: txWeight0 + e)
      (weight * frac).store(to: txWeight1 + e)
      // table[vi + j·q] is phase r0 at row b + j; table[vi + 1 + j·q] is phase r0 + 1 at the same row, or phase 0
      // one row further.
      let first = r0 &* row
      var second = first &+ row
      second.replace(with: 1, where: r0 .== qMask)
      first.store(to: txTable0 + e)
      second.store(to: txTable1 + e)
      (0 &- b).store(to: txStart + e)
    }
    var elements = 0
    rows.poly.withUnsafeBufferPointer { tb in
      let entryBase = tb.baseAddress! + entry * q * tableRow
      for e in 0..<n where apod[e] != 0 && g[e] != 0 {
        elements += 1
        let t0p = entryBase + Int(txTable0[e]) + lead
        let t1p = entryBase + Int(txTable1[e]) + lead
        let dst = w + Int(txStart[e]) + lead
        let c0 = txWeight0[e]
        let c1 = txWeight1[e]
        var k = 0
        while k < span {
          Vector8.load(dst + k).adding(Vector8.load(t0p + k), times: c0)
            .adding(Vector8.load(t1p + k), times: c1).store(to: dst + k)
          k &+= 8
        }
      }
    }
    transmitMultiplyAdds += 2 * span * elements
    return w
  }
}

extension ScattererKernel {
  /// `buffer`'s first `count` floats set to zero, the buffer reallocated first when it holds fewer (`capacity`).
  static func zeroed(
    _ buffer: inout UnsafeMutablePointer<Float>, capacity: inout Int, count: Int
  ) -> UnsafeMutablePointer<Float> {
    if capacity < count {
      buffer.deallocate()
      buffer = .allocate(capacity: count)
      capacity = count
    }
    buffer.update(repeating: 0, count: count)
    return buffer
  }
}

/// The copies of one echo at one place (``Phantom/EchoTrain``: a needle wall's ringing), as the kernel receives them:
/// one transmit waveform W_s delayed by each copy's two-way time and weighted by its amplitude, `Σ_j a_j W_s(t − τ_j)`,
/// so the paths and the receive work are done once for all copies instead of once per copy.
struct Train {
  let amplitudes: [Float]
  let delaysSeconds: [Float]
  let earliestSeconds: Float
  let latestSeconds: Float

  init(amplitudes: [Float], delaysSeconds: [Float]) {
    self.amplitudes = amplitudes
    self.delaysSeconds = delaysSeconds
    earliestSeconds = delaysSeconds.min() ?? 0
    latestSeconds = delaysSeconds.max() ?? 0
  }
}
