import Foundation
import KernelSupport

extension DelayAndSumTables {
  /// One row of the grid, element by element.
  ///
  /// Element j's aperture along the row is one run of columns, and its receive delay r/c and weight are computed
  /// once for the row and reused by every event; the inner loop then walks neighbouring pixels of a single trace.
  /// With `searchAperture` (a flat array on a Cartesian grid with ascending columns: the row shares one depth z)
  /// the run |x − x_j| ≤ z/(2F) is found by search along x (a short walk on from the previous element's run when the
  /// elements are in ascending x, bisection otherwise); otherwise (convex arrays, polar grids) column by column from
  /// the element's own frame, v > 0 and |u| ≤ v/(2F).
  func beamformRow(
    _ row: Int, samples s: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>, searchAperture: Bool
  ) {
    let cols = grid.columns
    let ne = elementCount
    let ns = sampleCount
    // Per-column arrays are read eight columns at a time, so they run 8 past the last column (zeros).
    let padded = cols + 8
    let acc = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: padded)
    acc.initialize(repeating: .zero, count: padded)
    // One vector of sample steps and one of weights, handed lane by lane to the samples.
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 32)
    let rx = UnsafeMutablePointer<Float>.zeroed(padded)
    let weight = UnsafeMutablePointer<Float>.zeroed(padded)
    let x = UnsafeMutablePointer<Float>.zeroed(padded)
    let zs = UnsafeMutablePointer<Float>.zeroed(padded)
    // Transmit arrival (in samples) of each event at each pixel of the row.
    let tx = UnsafeMutablePointer<Float>.zeroed(cols * sequence.count + 8)
    defer {
      acc.deallocate()
      scratch.deallocate()
      for p in [rx, weight, x, zs, tx] { p.deallocate() }
    }
    grid.x.withUnsafeBufferPointer { gx in for i in 0..<cols { x[i] = gx[row * cols + i] } }
    grid.z.withUnsafeBufferPointer { gz in for i in 0..<cols { zs[i] = gz[row * cols + i] } }
    for (k, event) in sequence.enumerated() {
      for i in columnRange[k] {
        tx[k * cols + i] = transmitSamples(event, x: x[i], z: zs[i])
      }
    }
    let xs: [Double]
    if searchAperture, case .cartesian(let columns, _) = grid.geometry { xs = columns } else { xs = [] }
    let z = zs[0]
    if searchAperture && z <= 0 { return }
    let half = useF ? z / twoF : .infinity
    // Where the previous element's aperture began and ended: with elements in ascending x the next one's are at or
    // after them, a few columns on.
    var loHint = 0
    var hiHint = 0
    // Element j's run of columns under steering tangent t, with its receive delays and weights in rx and weight;
    // nil when no column of the row is in its aperture. Unsteered runs walk on from the previous element's.
    func run(_ j: Int, tangent t: Float) -> ClosedRange<Int>? {
      guard searchAperture else {
        let (lo, hi) = elementReceive(element: j, tangent: t, columns: cols, x: x, z: zs, rx: rx, weight: weight)
        return lo <= hi ? lo...hi : nil
      }
      let xj = elementTable[5 * j]
      let shift = z * t  // where the aperture's centre moves (``ReceiveAperture``, steering)
      if t == 0 {
        loHint = lowerBound(xs, Double(xj - half), from: loHint)
        hiHint = lowerBound(xs, Double(xj + half).nextUp, from: hiHint)
      } else {
        (loHint, hiHint) = (lowerBound(xs, Double(xj + shift - half)), lowerBound(xs, Double(xj + shift + half).nextUp))
      }
      let (lo, hi) = (max(loHint, 0), min(hiHint - 1, cols - 1))
      if lo > hi { return nil }
      flatReceive(
        columns: lo...hi, x: x, elementX: xj, depth: z, apertureShift: shift, fixedWeight: elementTable[5 * j + 4],
        rx: rx, weight: weight)
      return lo...hi
    }
    // Events k in `events` from element j's run `columns`.
    func accumulate(_ j: Int, columns: ClosedRange<Int>, events: Range<Int>) {
      for k in events {
        let range = columnRange[k]
        let a = max(columns.lowerBound, range.lowerBound)
        let b = min(columns.upperBound, range.upperBound)
        if a > b { continue }
        self.accumulate(
          trace: s + 2 * (k * ne + j) * ns, transmit: tx + k * cols, receive: rx, weight: weight, columns: a...b,
          into: acc, scratch: scratch)
      }
    }
    for j in 0..<ne {
      if steeringTangents.isEmpty {
        // One aperture for every event: delays and weights once per element.
        if let columns = run(j, tangent: 0) { accumulate(j, columns: columns, events: sequence.indices) }
      } else {
        for k in sequence.indices {
          if let columns = run(j, tangent: steeringTangent(element: j, event: k)) {
            accumulate(j, columns: columns, events: k..<(k + 1))
          }
        }
      }
    }
    for i in 0..<cols {
      image[2 * (row * cols + i)] = acc[i][0] + acc[i][2]
      image[2 * (row * cols + i) + 1] = acc[i][1] + acc[i][3]
    }
  }
}

extension DelayAndSumTables {
  /// Receive delays (samples) and weights of one element at `xj` for the pixels `columns` of a row at depth z of a
  /// flat array: the arithmetic of ``receiveSamples(_:)`` and ``ReceiveAperture/limitedWeight(lateral:normal:)``, eight
  /// pixels at a time, the aperture's centre moved by `apertureShift` (z·tan θ when steered, else 0). The last vector
  /// may run up to 7 columns past `columns` (the arrays are padded; ``accumulate`` gives those lanes weight 0).
  @inline(__always)
  func flatReceive(
    columns: ClosedRange<Int>, x: UnsafePointer<Float>, elementX xj: Float, depth z: Float, apertureShift: Float,
    fixedWeight: Float, rx: UnsafeMutablePointer<Float>, weight: UnsafeMutablePointer<Float>
  ) {
    typealias V = SIMD8<Float>
    // v = z for every pixel of the row.
    let scale = twoF / z
    var i = columns.lowerBound
    while i <= columns.upperBound {
      let dx = UnsafeRawPointer(x + i).loadUnaligned(as: V.self) - xj
      let r = (dx * dx + z * z).squareRoot()
      UnsafeMutableRawPointer(rx + i).storeBytes(of: r * inverseSoundSpeed * samplingFrequency, as: V.self)
      let u = dx - apertureShift
      let w = useF ? window.weights(u.replacing(with: -u, where: u .< 0) * scale) : V(repeating: fixedWeight)
      UnsafeMutableRawPointer(weight + i).storeBytes(of: w, as: V.self)
      i += 8
    }
  }
}

extension DelayAndSumTables {
  /// `acc[i] += weight[i] · sample(trace, at: transmit[i] + receive[i])` for the pixels `columns` whose position
  /// lies within the trace: positions, bounds and table steps eight pixels at a time (the arrays run 8 past the last
  /// column), then the samples pixel by pixel (``sample(_:step:)``). Lanes outside the trace or past `columns` read
  /// the trace's first sample with weight 0, which leaves their sums unchanged. `scratch`: 64 bytes, 32-byte aligned.
  @inline(__always)
  func accumulate(
    trace: UnsafePointer<Float>, transmit t: UnsafePointer<Float>, receive rx: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, columns: ClosedRange<Int>, into acc: UnsafeMutablePointer<SIMD4<Float>>,
    scratch: UnsafeMutableRawPointer
  ) {
    typealias V = SIMD8<Float>
    func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    let last = lastPosition
    let steps = Float(Self.interpolationSteps)
    let lanes = V(0, 1, 2, 3, 4, 5, 6, 7)
    var i = columns.lowerBound
    while i <= columns.upperBound {
      let pos = load(t + i) + load(rx + i)
      // Column offsets are exact in single precision.
      let inside = (pos .>= 0) .& (pos .< last) .& (lanes .<= Float(columns.upperBound - i))
      let w = V(repeating: 0).replacing(with: load(weight + i), where: inside)
      // u = ⌊256·pos + ½⌋ as in ``sample(_:at:)`` (positions are non-negative, so truncation is the floor).
      let (u, _) = (pos.replacing(with: 0, where: .!inside) * steps + 0.5).floorAndFraction()
      // Through memory once per eight pixels: indexing the vectors lane by lane stores both of them again for
      // every lane.
      scratch.storeBytes(of: u, as: SIMD8<Int32>.self)
      scratch.storeBytes(of: w, toByteOffset: 32, as: V.self)
      let a = acc + i
      for l in 0..<8 {
        let u = Int(scratch.load(fromByteOffset: 4 &* l, as: Int32.self))
        a[l] = a[l].adding(sample(trace, step: u), times: scratch.load(fromByteOffset: 32 &+ 4 &* l, as: Float.self))
      }
      i += 8
    }
  }
}

extension DelayAndSumTables {
  /// Receive delays (samples) and weights of element j for the `columns` pixels of a row at (x, z), in the
  /// element's own frame as ``apertureWeight(element:event:dx:dz:)`` with steering tangent `t` (weight 0 outside its
  /// aperture), eight pixels at a time; returns the first and last column inside the aperture (lo > hi when none).
  @inline(__always)
  func elementReceive(
    element j: Int, tangent t: Float, columns: Int, x: UnsafePointer<Float>, z: UnsafePointer<Float>,
    rx: UnsafeMutablePointer<Float>, weight: UnsafeMutablePointer<Float>
  ) -> (Int, Int) {
    typealias V = SIMD8<Float>
    func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    let e = elementTable + 5 * j
    let (xj, zj, nx, nz, fixed) = (e[0], e[1], e[2], e[3], e[4])
    let lanes = V(0, 1, 2, 3, 4, 5, 6, 7)
    var lo = columns
    var hi = -1
    var i = 0
    while i < columns {
      let dx = load(x + i) - xj
      let dz = load(z + i) - zj
      let v = dx * nx + dz * nz
      var inside = (v .> 0) .& (lanes .< Float(columns - i))
      var s = V.zero
      if useF {
        let u = dx * nz - dz * nx - v * t
        s = u.replacing(with: -u, where: u .< 0) * (twoF / v)
        inside .&= s .<= 1
      }
      // Most of a row lies outside one element's aperture: the window and delays only where a pixel is inside.
      if !any(inside) {
        UnsafeMutableRawPointer(weight + i).storeBytes(of: V.zero, as: V.self)
        i += 8
        continue
      }
      let w = useF ? window.weights(s) : V(repeating: fixed)
      UnsafeMutableRawPointer(weight + i).storeBytes(of: V(repeating: 0).replacing(with: w, where: inside), as: V.self)
      UnsafeMutableRawPointer(rx + i).storeBytes(
        of: (dx * dx + dz * dz).squareRoot() * inverseSoundSpeed * samplingFrequency, as: V.self)
      for l in 0..<8 where inside[l] {
        lo = min(lo, i + l)
        hi = i + l
      }
      i += 8
    }
    return (lo, hi)
  }
}

/// ``lowerBound(_:_:)`` searched forward from `start` when every value before it is below `v` (a walk of a few
/// steps when `start` is a nearby earlier answer), and by bisection otherwise.
@inline(__always)
func lowerBound(_ a: [Double], _ v: Double, from start: Int) -> Int {
  if start > 0 && a[start - 1] >= v { return lowerBound(a, v) }
  var i = start
  while i < a.count && a[i] < v { i += 1 }
  return i
}

/// First index of ascending `a` whose value is ≥ `v` (a.count when none).
@inline(__always)
func lowerBound(_ a: [Double], _ v: Double) -> Int {
  var lo = 0
  var hi = a.count
  while lo < hi {
    let mid = (lo + hi) / 2
    if a[mid] < v { lo = mid + 1 } else { hi = mid }
  }
  return lo
}
