import KernelSupport

extension ScattererKernel {
  /// A slot's fields as plain values, so the receive loop does no reference counting.
  struct SlotView {
    let poly: UnsafeMutablePointer<Float>
    let weight0: UnsafeMutablePointer<Float>
    let weight1: UnsafeMutablePointer<Float>
    let row0: UnsafeMutablePointer<Int32>
    let row1: UnsafeMutablePointer<Int32>
    let base: UnsafeMutablePointer<Int32>
    let rows: Int
    let keptLow: Int
    let keptHigh: Int

    init(_ s: ReceiveSlot) {
      poly = s.poly
      weight0 = s.weight0
      weight1 = s.weight1
      row0 = s.row0
      row1 = s.row1
      base = s.base
      rows = s.rows
      keptLow = s.keptLow
      keptHigh = s.keptHigh
    }
  }

  /// Adds the echoes of the first `slotCount` of `slots` to `out` (elements × samples): on receiver j,
  /// `rf_j[n] += A·g_j·c_j·W(t_n − t_j)`, W read by linear interpolation between two phases
  /// (``ReceiveSlot/setReceivers(count:fineStepsPerSecond:)``) over its kept samples
  /// (``ReceiveSlot/trimTails(below:)``).
  ///
  /// Receiver by receiver. A full group whose echoes on this receiver overlap to within ``ReceiveSlot/margin``
  /// samples is summed in one pass over the common range (each trace sample is loaded and stored once for the
  /// group; the slots' zero margins cover the ends); otherwise slot by slot. Either way every sample receives the
  /// slots in order.
  func receive(slots: [ReceiveSlot], count slotCount: Int, into out: UnsafeMutablePointer<Float>) {
    let ns = sim.settings.sampleCount
    let margin = ReceiveSlot.margin
    var lanes = 0
    defer { receiveMultiplyAdds += lanes }
    withUnsafeTemporaryAllocation(of: SlotView.self, capacity: slotCount) { views in
      for s in 0..<slotCount { views.initializeElement(at: s, to: SlotView(slots[s])) }
      for j in 0..<n {
        let trace = out + j * ns
        // Receivers that no slot reaches (every weight 0: out of sight, or unread, ``silenceUnread``) are skipped.
        var heard = false
        for v in views where v.weight0[j] != 0 || v.weight1[j] != 0 { heard = true }
        if !heard { continue }
        if slotCount == 4 {
          // Output samples of slot s: [keptLow − base, keptHigh − base). The common range, in whole vectors; its
          // reads stay within each slot's rows and zero margins.
          var lo = Int.max
          var hi = Int.min
          for v in views {
            let b = Int(v.base[j])
            lo = min(lo, v.keptLow - b)
            hi = max(hi, v.keptHigh - b)
          }
          let length = (hi - lo + 7) & ~7
          var fits = lo >= 0 && lo + length <= ns
          for v in views where fits {
            let b = Int(v.base[j])
            fits = -b - lo <= margin && lo + length - (v.rows - b) <= margin
          }
          if fits {
            receiveGroup(views, receiver: j, into: trace + lo, from: lo, length: length)
            lanes += 8 * length
            continue
          }
        }
        for v in views { lanes += receiveOne(v, receiver: j, into: trace, samples: ns) }
      }
    }
  }

  /// Four slots over output samples `first ..< first + length` (within the record and every slot's margins).
  @inline(__always)
  func receiveGroup(
    _ views: UnsafeMutableBufferPointer<SlotView>, receiver j: Int, into o: UnsafeMutablePointer<Float>,
    from first: Int, length: Int
  ) {
    // Slot s's row sample for output sample `first + i` is `base + first + i`.
    func rows(_ v: SlotView) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Float, Float) {
      let shift = Int(v.base[j]) + first
      return (v.poly + Int(v.row0[j]) + shift, v.poly + Int(v.row1[j]) + shift, v.weight0[j], v.weight1[j])
    }
    let (a0, a1, ca0, ca1) = rows(views[0])
    let (b0, b1, cb0, cb1) = rows(views[1])
    let (d0, d1, cd0, cd1) = rows(views[2])
    let (e0, e1, ce0, ce1) = rows(views[3])
    var i = 0
    while i < length {
      var acc = Vector8.load(o + i)
      acc = acc.adding(Vector8.load(a0 + i), times: ca0).adding(Vector8.load(a1 + i), times: ca1)
      acc = acc.adding(Vector8.load(b0 + i), times: cb0).adding(Vector8.load(b1 + i), times: cb1)
      acc = acc.adding(Vector8.load(d0 + i), times: cd0).adding(Vector8.load(d1 + i), times: cd1)
      acc = acc.adding(Vector8.load(e0 + i), times: ce0).adding(Vector8.load(e1 + i), times: ce1)
      acc.store(to: o + i)
      i &+= 8
    }
  }

  /// One slot on receiver j's trace (`samples` long); returns the lane multiply-adds done.
  @inline(__always)
  func receiveOne(_ v: SlotView, receiver j: Int, into trace: UnsafeMutablePointer<Float>, samples ns: Int) -> Int {
    let c0 = v.weight0[j]
    let c1 = v.weight1[j]
    if c0 == 0 && c1 == 0 { return 0 }
    let base = Int(v.base[j])
    let row0 = v.poly + Int(v.row0[j])
    let row1 = v.poly + Int(v.row1[j])
    let o = trace - base
    let (low, high) = (v.keptLow, v.keptHigh)
    if base <= low && high - base <= ns {
      var i = low
      while i < high {
        Vector8.load(o + i).adding(Vector8.load(row0 + i), times: c0)
          .adding(Vector8.load(row1 + i), times: c1).store(to: o + i)
        i &+= 8
      }
      return 2 * (high - low)
    }
    // The echo crosses the start or the end of the record.
    let lo = max(low, base)
    let hi = min(high, ns + base)
    if lo >= hi { return 0 }
    for i in lo..<hi { o[i] += c0 * row0[i] + c1 * row1[i] }
    return 2 * (hi - lo)
  }
}
