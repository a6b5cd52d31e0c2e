import Foundation

/// Resamples a polar (angle × range) image onto a Cartesian grid by bilinear interpolation in (θ, r).
/// Cartesian pixels outside the sector are 0.
public enum ScanConversion {
  public static func toCartesian(
    _ values: [Float], from grid: ImageGrid, x xs: [Double], z zs: [Double]
  ) -> [Float] {
    guard case .polar(let angles, let ranges, let ax, let az) = grid.geometry else { return values }
    let na = angles.count
    let nr = ranges.count
    let a0 = angles[0]
    let da = (angles[na - 1] - a0) / Double(na - 1)
    let r0 = ranges[0]
    let dr = (ranges[nr - 1] - r0) / Double(nr - 1)
    var out = [Float](repeating: 0, count: xs.count * zs.count)
    for (iz, z) in zs.enumerated() {
      for (ix, x) in xs.enumerated() {
        let a = atan2(x - ax, z - az)
        let r = hypot(x - ax, z - az)
        let u = (a - a0) / da
        let v = (r - r0) / dr
        if u < 0 || v < 0 || u > Double(na - 1) || v > Double(nr - 1) { continue }
        let iu = min(Int(u), na - 2)
        let iv = min(Int(v), nr - 2)
        let fu = Float(u - Double(iu))
        let fv = Float(v - Double(iv))
        let p00 = values[iv * na + iu]
        let p01 = values[iv * na + iu + 1]
        let p10 = values[(iv + 1) * na + iu]
        let p11 = values[(iv + 1) * na + iu + 1]
        let top = p00 + fu * (p01 - p00)
        let bottom = p10 + fu * (p11 - p10)
        out[iz * xs.count + ix] = top + fv * (bottom - top)
      }
    }
    return out
  }
}
