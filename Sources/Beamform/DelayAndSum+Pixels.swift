import Foundation
import KernelSupport

extension DelayAndSumTables {
  /// One row, pixel by pixel: any probe geometry and grid (convex arrays, polar grids).
  func beamformPixels(_ row: Int, samples s: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
    let ne = elementCount
    let ns = sampleCount
    let cols = grid.columns
    let el = UnsafePointer(elementTable)
    grid.x.withUnsafeBufferPointer { gx in
      grid.z.withUnsafeBufferPointer { gz in
        for col in 0..<cols {
          let pix = row * cols + col
          let px = gx[pix]
          let pz = gz[pix]
          var acc = SIMD4<Float>.zero
          for (k, event) in sequence.enumerated() where columnRange[k].contains(col) {
            let ttx = transmitSamples(event, x: px, z: pz)
            let traces = s + 2 * k * ne * ns
            for j in 0..<ne {
              let e = el + 5 * j
              let dx = px - e[0]
              let dz = pz - e[1]
              guard let w = apertureWeight(element: j, event: k, dx: dx, dz: dz) else { continue }
              let r = (dx * dx + dz * dz).squareRoot()
              let pos = ttx + receiveSamples(r)
              if pos < 0 || pos >= lastPosition { continue }
              acc = acc.adding(sample(traces + 2 * j * ns, at: pos), times: w)
            }
          }
          image[2 * pix] = acc[0] + acc[2]
          image[2 * pix + 1] = acc[1] + acc[3]
        }
      }
    }
  }
}
