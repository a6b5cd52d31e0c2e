import Acoustics
import Foundation

extension DelayAndSumTables {
  /// One row of the grid, element by element.
  ///
  /// Element j's aperture along the row is one run of columns, and its receive delay r/c and weight are computed
  /// once for the row and reused by every event; the inner loop then walks neighbouring pixels of a single trace.
  /// With `searchAperture` (a flat array on a Cartesian grid with ascending columns: the row shares one depth z)
  /// the run |x − x_j| ≤ z/(2F) is found by binary search; otherwise (convex arrays, polar grids) column by column
  /// from the element's own frame, v > 0 and |u| ≤ v/(2F).
  func beamformRow(
    _ row: Int, samples s: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>, searchAperture: Bool
  ) {
    let cols = grid.columns
    let ne = elementCount
    let ns = sampleCount
    let last = lastPosition
    let acc = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: cols)
    let rx = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    let weight = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    let x = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    let zs = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    // Transmit arrival (in samples) of each event at each pixel of the row.
    let tx = UnsafeMutablePointer<Float>.allocate(capacity: cols * sequence.count)
    defer {
      acc.deallocate()
      rx.deallocate()
      weight.deallocate()
      x.deallocate()
      zs.deallocate()
      tx.deallocate()
    }
    acc.initialize(repeating: .zero, count: cols)
    grid.x.withUnsafeBufferPointer { gx in for i in 0..<cols { x[i] = gx[row * cols + i] } }
    grid.z.withUnsafeBufferPointer { gz in for i in 0..<cols { zs[i] = gz[row * cols + i] } }
    for (k, event) in sequence.enumerated() {
      for i in columnRange[k] {
        tx[k * cols + i] = transmitSamples(event, x: x[i], z: zs[i])
      }
    }
    let xs: [Double]
    if searchAperture, case let .cartesian(columns, _) = grid.geometry { xs = columns } else { xs = [] }
    let z = zs[0]
    if searchAperture && z <= 0 { return }
    let half = useF ? z / twoF : .infinity
    for j in 0..<ne {
      let xj = elementTable[5 * j]
      let fixed = elementTable[5 * j + 4]
      var lo: Int
      var hi: Int
      if searchAperture {
        lo = max(lowerBound(xs, Double(xj - half)), 0)
        hi = min(lowerBound(xs, Double(xj + half).nextUp) - 1, cols - 1)
        if lo > hi { continue }
        for i in lo...hi {
          let dx = x[i] - xj
          rx[i] = receiveSamples((dx * dx + z * z).squareRoot())
          weight[i] = useF ? windowWeight(lateral: dx, normal: z) : fixed
        }
      } else {
        let zj = elementTable[5 * j + 1]
        lo = cols
        hi = -1
        for i in 0..<cols {
          let dx = x[i] - xj
          let dz = zs[i] - zj
          let w = apertureWeight(element: j, dx: dx, dz: dz)
          weight[i] = w ?? 0
          rx[i] = receiveSamples((dx * dx + dz * dz).squareRoot())
          if w != nil {
            lo = min(lo, i)
            hi = i
          }
        }
        if lo > hi { continue }
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
