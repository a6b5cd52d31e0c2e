import Acoustics
import Foundation

extension DelayAndSumTables {
  /// One row of a Cartesian grid for a flat array, element by element.
  ///
  /// All pixels of the row share the depth z, so element j's aperture |x − x_j| ≤ z/(2F) is one run of columns,
  /// and its receive delay r/c and weight are computed once for the row and reused by every event; the inner loop
  /// then walks neighbouring pixels of a single trace.
  func beamformRow(_ row: Int, samples s: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
    guard case let .cartesian(xs, _) = grid.geometry else { return }
    let cols = xs.count
    let ne = elementCount
    let ns = sampleCount
    let z = grid.z[row * cols]
    guard z > 0 else { return }
    let last = lastPosition
    let acc = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: cols)
    let rx = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    let weight = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    let x = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    // Transmit arrival (in samples) of each event at each pixel of the row.
    let tx = UnsafeMutablePointer<Float>.allocate(capacity: cols * sequence.count)
    defer {
      acc.deallocate()
      rx.deallocate()
      weight.deallocate()
      x.deallocate()
      tx.deallocate()
    }
    acc.initialize(repeating: .zero, count: cols)
    grid.x.withUnsafeBufferPointer { gx in for i in 0..<cols { x[i] = gx[row * cols + i] } }
    for (k, event) in sequence.enumerated() {
      for i in columnRange[k] {
        tx[k * cols + i] = transmitSamples(event, x: x[i], z: z)
      }
    }
    let half = useF ? z / twoF : .infinity
    for j in 0..<ne {
      let xj = elementTable[5 * j]
      // Columns within the aperture (xs ascending).
      var lo = lowerBound(xs, Double(xj - half))
      var hi = lowerBound(xs, Double(xj + half).nextUp) - 1
      lo = max(lo, 0)
      hi = min(hi, cols - 1)
      if lo > hi { continue }
      let fixed = elementTable[5 * j + 4]
      for i in lo...hi {
        let dx = x[i] - xj
        rx[i] = receiveSamples((dx * dx + z * z).squareRoot())
        weight[i] = useF ? windowWeight(lateral: dx, normal: z) : fixed
      }
      for k in sequence.indices {
        let range = columnRange[k]
        let a = max(lo, range.lowerBound)
        let b = min(hi, range.upperBound)
        if a > b { continue }
        let trace = s + 2 * (k * ne + j) * ns
        let t = tx + k * cols
        for i in a...b {
          let pos = t[i] + rx[i]
          if pos < 0 || pos >= last { continue }
          acc[i] += weight[i] * sample(trace, at: pos)
        }
      }
    }
    for i in 0..<cols {
      image[2 * (row * cols + i)] = acc[i][0] + acc[i][2]
      image[2 * (row * cols + i) + 1] = acc[i][1] + acc[i][3]
    }
  }
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
