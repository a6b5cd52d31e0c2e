import KernelSupport

/// One scatterer's echo, ready to be received: its transmit waveform W_s laid out by phase, and per element the
/// one-way travel time and where and how strongly W_s lands on that element's trace.
final class ReceiveSlot {
  /// Zeros before and after each phase row, so that a group of slots can be read over a common output range
  /// (``ScattererKernel/receive(slots:count:into:)``) that reaches up to `margin` samples beyond a slot's own.
  static var margin: Int { 32 }
  /// Per element: one-way travel time (s) and receive gain `A_s·g_j·c_j` (0 for elements that do not see it).
  let t: UnsafeMutablePointer<Float>
  let gain: UnsafeMutablePointer<Float>
  /// Per element, from ``setReceivers(count:fineStepsPerSecond:)``: the weights of the two phases read, their rows'
  /// offsets in ``poly`` (at the row's first data sample), and `base`: row sample i feeds output sample i − base.
  let weight0: UnsafeMutablePointer<Float>
  let weight1: UnsafeMutablePointer<Float>
  let row0: UnsafeMutablePointer<Int32>
  let row1: UnsafeMutablePointer<Int32>
  let base: UnsafeMutablePointer<Int32>
  /// `poly[ph·rowLength + margin + i] = W[i·K + ph]`: each receiver reads two contiguous rows. A row holds
  /// `margin` zeros, `rows` samples (a multiple of 8), and `margin + 8` zeros (a row is read one sample ahead).
  private(set) var poly: UnsafeMutablePointer<Float>
  private var capacity = 0
  /// Fine-grid index of W[0] (W[m] is at `tStart + (firstSample + m)·fineStep`).
  private(set) var firstSample = 0
  private(set) var rows = 0
  /// The row samples received, `keptLow ..< keptHigh` (multiples of 8 within `0 ... rows`): all of them, unless
  /// ``trimTails(below:)`` left out W's tails.
  private(set) var keptLow = 0
  private(set) var keptHigh = 0
  var rowLength: Int { rows + 2 * Self.margin + 8 }

  init(elements: Int) {
    t = .zeroed(elements)
    gain = .zeroed(elements)
    weight0 = .zeroed(elements)
    weight1 = .zeroed(elements)
    row0 = .zeroed(elements)
    row1 = .zeroed(elements)
    base = .zeroed(elements)
    poly = .allocate(capacity: 1)
  }

  deinit {
    for p in [t, gain, weight0, weight1, poly] { p.deallocate() }
    for p in [row0, row1, base] { p.deallocate() }
  }

  /// Sizes the rows for `groups` RF samples of W, and zeroes each row's margins and its samples past `groups`.
  private func prepareRows(groups: Int, firstSample: Int) {
    rows = (groups + 7) & ~7
    keptLow = 0
    keptHigh = rows
    self.firstSample = firstSample
    let length = rowLength
    if capacity < 8 * length {
      poly.deallocate()
      poly = .allocate(capacity: 8 * length)
      capacity = 8 * length
    }
    let margin = Self.margin
    for ph in 0..<8 {
      let row = poly + ph * length
      row.update(repeating: 0, count: margin)
      (row + margin + groups).update(repeating: 0, count: length - margin - groups)
    }
  }

  /// Lays out the fine-grid W (`count` samples, a multiple of K = 8) by phase. The 8 fine samples of one RF sample
  /// load as one vector, and its lanes go to the 8 rows.
  func setPhases(of w: UnsafePointer<Float>, count: Int, firstSample: Int) {
    let groups = count >> 3
    prepareRows(groups: groups, firstSample: firstSample)
    let length = rowLength
    // Eight groups at a time: an 8 × 8 transpose (the compiler turns the lane moves into shuffles), then one
    // vector per row; the last groups one at a time.
    let p = poly + Self.margin
    var i = 0
    while i + 8 <= groups {
      let src = w + 8 * i
      let m0 = Vector8.load(src)
      let m1 = Vector8.load(src + 8)
      let m2 = Vector8.load(src + 16)
      let m3 = Vector8.load(src + 24)
      let m4 = Vector8.load(src + 32)
      let m5 = Vector8.load(src + 40)
      let m6 = Vector8.load(src + 48)
      let m7 = Vector8.load(src + 56)
      for ph in 0..<8 {
        Vector8(m0[ph], m1[ph], m2[ph], m3[ph], m4[ph], m5[ph], m6[ph], m7[ph]).store(to: p + ph * length + i)
      }
      i += 8
    }
    while i < groups {
      let v = Vector8.load(w + 8 * i)
      for ph in 0..<8 { p[ph * length + i] = v[ph] }
      i += 1
    }
  }

  /// Lays out W by phase from its samples half an RF sample apart, `half[j] = W[j·K/2]` (2·`count` of them): phases 0
  /// and 4 are the even and odd samples, phases 1–3 and 5–7 the ``PhaseInterpolator``'s filters for the fractions ¼,
  /// ½ and ¾ of a half sample, `W[(j + f)·K/2] ≈ Σ_t h_f[t]·half[j + t]`, t = −L/2 + 1 … L/2. The even and odd
  /// samples go to rows 0 and 4 first, whose zero margins then pad the filters' reach; eight outputs of the six
  /// interpolated phases at a time, each loaded input serving three of them.
  func setPhases(
    halfSamples half: UnsafePointer<Float>, count groups: Int, firstSample: Int, interpolator: PhaseInterpolator
  ) {
    precondition(interpolator.phases == 4 && interpolator.taps <= 2 * Self.margin - 16)
    prepareRows(groups: groups, firstSample: firstSample)
    let length = rowLength
    let p = poly + Self.margin
    let even = p
    let odd = p + 4 * length
    var i = 0
    while i < groups {
      let pair = UnsafeRawPointer(half + 2 * i).loadUnaligned(as: SIMD16<Float>.self)
      pair.evenHalf.store(to: even + i)
      pair.oddHalf.store(to: odd + i)
      i += 8
    }
    // Past 2·`groups`, `half` is zero (the grid ends past every element's pulse), and so are rows 0 and 4 there.
    let taps = interpolator.taps
    let back = taps / 2 - 1
    interpolator.coefficients.withUnsafeBufferPointer { hb in
      let h = hb.baseAddress!
      i = 0
      while i < groups {
        var a1 = Vector8()
        var a2 = Vector8()
        var a3 = Vector8()
        var a5 = Vector8()
        var a6 = Vector8()
        var a7 = Vector8()
        for t in 0..<taps {
          // Half sample 2i + u (phases 1–3) and 2i + 1 + u (phases 5–7), u = t − back: even ones in row 0, odd in 4.
          let u = t - back
          let x = Vector8.load((u & 1 == 0 ? even : odd) + i + (u >> 1))
          let y = Vector8.load((u & 1 == 0 ? odd : even) + i + ((u + 1) >> 1))
          let (c1, c2, c3) = (h[t], h[taps + t], h[2 * taps + t])
          a1 = a1.adding(x, times: c1)
          a2 = a2.adding(x, times: c2)
          a3 = a3.adding(x, times: c3)
          a5 = a5.adding(y, times: c1)
          a6 = a6.adding(y, times: c2)
          a7 = a7.adding(y, times: c3)
        }
        a1.store(to: p + length + i)
        a2.store(to: p + 2 * length + i)
        a3.store(to: p + 3 * length + i)
        a5.store(to: p + 5 * length + i)
        a6.store(to: p + 6 * length + i)
        a7.store(to: p + 7 * length + i)
        i += 8
      }
    }
    // The last vector wrote the `rows − groups` samples past `groups` (prepareRows zeroed the rest): zero them again,
    // as W is past its grid.
    for ph in [1, 2, 3, 5, 6, 7] { (p + ph * length + groups).update(repeating: 0, count: rows - groups) }
  }

  /// Leaves W's tails out of the receive: from each end, the longest run of blocks of 8 row samples whose energy
  /// together stays within ½·`level`² of W's, so that what is left out holds at most `level`² of W's energy (on W's
  /// samples half an RF sample apart, phases 0 and 4: 16 per block of the band-limited W, at twice its Nyquist rate).
  /// Rows and their zero margins stay as they are (a group of slots may still read a trimmed tail within its common
  /// range, which only adds what the exact sum has).
  func trimTails(below level: Float) {
    let length = rowLength
    let even = poly + Self.margin
    let odd = even + 4 * length
    let blocks = rows >> 3
    guard blocks > 0 else { return }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: blocks) { energy in
      var total: Float = 0
      for b in 0..<blocks {
        let u = Vector8.load(even + 8 * b)
        let v = Vector8.load(odd + 8 * b)
        let e = (u * u).adding(v, times: v)
        energy[b] = ((e[0] + e[1]) + (e[2] + e[3])) + ((e[4] + e[5]) + (e[6] + e[7]))
        total += energy[b]
      }
      let allowance = 0.5 * level * level * total
      var lo = 0
      var cut: Float = 0
      while lo < blocks && cut + energy[lo] <= allowance {
        cut += energy[lo]
        lo += 1
      }
      var hi = blocks
      cut = 0
      while hi > lo && cut + energy[hi - 1] <= allowance {
        cut += energy[hi - 1]
        hi -= 1
      }
      keptLow = 8 * lo
      keptHigh = 8 * hi
    }
  }

  /// Where W lands on each of `count` receivers (rounded up to whole vectors): on receiver j output sample n reads
  /// W at fine position `u_j + n·K`, `u_j = −t_j·fineStepsPerSecond − firstSample`, by linear interpolation between
  /// the phases ⌊u_j⌋ mod K and the next. u_j is formed in single precision: below 2¹⁵ fine steps (135 µs at
  /// 7.6 MHz) it is exact to 2⁻⁸ of a step, 16 ps.
  func setReceivers(count: Int, fineStepsPerSecond: Double) {
    let scale = Float(fineStepsPerSecond)
    let first = Float(firstSample)
    let length = Int32(rowLength)
    let margin = Int32(Self.margin)
    let phaseMask = SIMD8<Int32>(repeating: 7)
    for j in stride(from: 0, to: count, by: 8) {
      let u = -Vector8.load(t + j) * scale - first
      let (mb, f) = u.floorAndFraction()
      // W[mb + nK] is phase ph at row index base + n; W[mb + 1 + nK] is phase ph + 1 at the same index, or phase
      // 0 one index further.
      let ph = mb & phaseMask
      let g = Vector8.load(gain + j)
      (g - g * f).store(to: weight0 + j)
      (g * f).store(to: weight1 + j)
      let r0 = ph &* length &+ margin
      var r1 = r0 &+ length
      r1.replace(with: margin &+ 1, where: ph .== phaseMask)
      r0.store(to: row0 + j)
      r1.store(to: row1 + j)
      ((mb &- ph) &>> 3).store(to: base + j)
    }
  }
}
