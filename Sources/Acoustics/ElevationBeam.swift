import Foundation

/// The elevation (y) beam of an element of height H behind a cylindrical lens of focal distance F, at fc.
///
/// In the Fresnel approximation the field of the focused strip at elevation y and in-plane range ρ is
/// ```
/// E(y, ρ) = |∫_{−H/2}^{H/2} exp(iπ/λ · [(η − y)²/ρ − η²/F]) dη| / √(λρ)
/// ```
/// (Goodman, "Introduction to Fourier Optics", §4.2 and §5.2: the lens adds the phase −πη²/(λF)). Far from the
/// probe E → H/√(λρ), which with the in-plane 1/√ρ spreading gives the 3-D 1/r law; at the focus it gives the lens
/// gain, and off the scan plane the elevation side lobes. Only the magnitude enters the model (the travel time is
/// the geometric distance); it is tabulated over ρ (and |y| when scatterers leave the plane) and read bilinearly.
public struct ElevationBeam: Sendable {
  let rangeStep: Float
  let elevationStep: Float
  let rangeCount: Int
  let elevationCount: Int
  /// table[iy * rangeCount + iρ]
  let table: [Float]

  /// - Parameters:
  ///   - maximumRangeMetres: largest ρ that will be asked for (beyond it the last value is used).
  ///   - maximumElevationMetres: largest |y| that will be asked for (0 for scan-plane scatterers).
  /// - Parameter threads: table rows are computed in parallel; the table does not depend on it.
  public init(
    elementHeightMetres h: Double, elevationFocusMetres f: Double, wavelengthMetres lambda: Double,
    maximumRangeMetres: Double, maximumElevationMetres: Double, threads: Int = 1
  ) {
    // Steps: a quarter wavelength along range (at least 0.05 mm), 0.05 mm across; the beam changes on the scale
    // of the wavelength and more slowly, and is read by bilinear interpolation.
    let dRho = max(0.05e-3, lambda / 4)
    let dY = 0.05e-3
    rangeStep = Float(dRho)
    elevationStep = Float(dY)
    rangeCount = Int((maximumRangeMetres / dRho).rounded(.up)) + 2
    elevationCount = maximumElevationMetres > 0 ? Int((maximumElevationMetres / dY).rounded(.up)) + 2 : 1
    let ranges = rangeCount
    let rows = elevationCount
    var t = [Float](repeating: 0, count: ranges * rows)
    let invF = f.isFinite ? 1 / f : 0
    t.withUnsafeMutableBufferPointer { buffer in
      let out = buffer.baseAddress!
      // Work items: chunks of 64 ranges of one elevation row.
      let chunks = (ranges + 63) / 64
      Parallel.forEach(count: rows * chunks, threads: threads) { item in
        let iy = item / chunks
        let y = Double(iy) * dY
        for ir in ((item % chunks) * 64)..<min(ranges, (item % chunks) * 64 + 64) {
          let rho = max(Double(ir) * dRho, 0.25e-3)
          // Midpoint rule with at most 0.25 rad of phase change per step. The phase a·η² + b·η (the constant y²/ρ
          // term does not change the magnitude) advances by a second-order recurrence: z_{k+1} = z_k·r_k,
          // r_{k+1} = r_k·q with q = e^{2iad²}, so the sum needs no sine or cosine per step.
          let slope = 2 * Double.pi / lambda * ((h / 2 + y) / rho + h / 2 * invF)
          let n = max(32, Int((slope * h / 0.25).rounded(.up)))
          let d = h / Double(n)
          let a = Double.pi / lambda * (1 / rho - invF)
          let b = -2 * Double.pi * y / (lambda * rho)
          let eta0 = -h / 2 + d / 2
          func unit(_ phase: Double) -> (Double, Double) { (cos(phase), sin(phase)) }
          var (zr, zi) = unit(a * eta0 * eta0 + b * eta0)
          var (rr, ri) = unit(a * (2 * eta0 * d + d * d) + b * d)
          let (qr, qi) = unit(2 * a * d * d)
          var re = 0.0
          var im = 0.0
          for _ in 0..<n {
            re += zr
            im += zi
            (zr, zi) = (zr * rr - zi * ri, zr * ri + zi * rr)
            (rr, ri) = (rr * qr - ri * qi, rr * qi + ri * qr)
          }
          out[iy * ranges + ir] = Float((re * re + im * im).squareRoot() * d / (lambda * rho).squareRoot())
        }
      }
    }
    table = t
  }

  /// E(|y|, ρ) by bilinear interpolation (units: √m; only ratios matter).
  @inline(__always)
  public func value(elevationMetres y: Float, rangeMetres rho: Float) -> Float {
    let ur = min(rho / rangeStep, Float(rangeCount - 2))
    let ir = Int(ur)
    let fr = ur - Float(ir)
    if elevationCount == 1 {
      return table[ir] + fr * (table[ir + 1] - table[ir])
    }
    let uy = min(abs(y) / elevationStep, Float(elevationCount - 2))
    let iy = Int(uy)
    let fy = uy - Float(iy)
    let a = iy * rangeCount + ir
    let b = a + rangeCount
    let lo = table[a] + fr * (table[a + 1] - table[a])
    let hi = table[b] + fr * (table[b + 1] - table[b])
    return lo + fy * (hi - lo)
  }

  /// E at one elevation and eight in-plane ranges (same table, same interpolation).
  @inline(__always)
  func value(elevationMetres y: Float, rangeMetres rho: SIMD8<Float>) -> SIMD8<Float> {
    var ur = rho / rangeStep
    ur.replace(with: Float(rangeCount - 2), where: ur .> Float(rangeCount - 2))
    let (ir, fr) = ur.floorAndFraction()
    return table.withUnsafeBufferPointer { t in
      func row(_ offset: Int) -> SIMD8<Float> {
        let lo = SIMD8<Float>.gather(t.baseAddress! + offset, ir)
        let hi = SIMD8<Float>.gather(t.baseAddress! + offset + 1, ir)
        return lo + fr * (hi - lo)
      }
      if elevationCount == 1 { return row(0) }
      let uy = min(abs(y) / elevationStep, Float(elevationCount - 2))
      let iy = Int(uy)
      let fy = uy - Float(iy)
      let lo = row(iy * rangeCount)
      let hi = row((iy + 1) * rangeCount)
      return lo + fy * (hi - lo)
    }
  }
}
