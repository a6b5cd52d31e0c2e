import Foundation
import KernelSupport

/// The elevation (y) beam of an element of height H behind a cylindrical lens of focal distance F.
///
/// In the Fresnel approximation the field of the focused strip at elevation y and in-plane range ρ is
/// ```
/// E(y, ρ) = |∫_{−H/2}^{H/2} exp(iπ/λ · [(η − y)²/ρ − η²/F]) dη| / √(λc ρ)
/// ```
/// (Goodman, "Introduction to Fourier Optics", §4.2 and §5.2: the lens adds the phase −πη²/(λF)), with λc = c/fc
/// in the normalisation. Far from the probe E → H/√(λc ρ), which with the in-plane 1/√ρ spreading gives the 3-D 1/r
/// law; at the focus it gives the lens gain, and off the scan plane the elevation side lobes. Only the magnitude
/// enters the model (the travel time is the geometric distance); it is tabulated over ρ (and |y| when scatterers
/// leave the plane) and read bilinearly.
///
/// **Across the band.** The integral depends on λ: in the near field and beyond the focus the strip passes low
/// frequencies better, at the focus all alike, so an echo's spectrum depends on where it comes from (MUST's SIMUS
/// evaluates this multi-Gaussian elevation field at every frequency; Garcia 2022, and `pfield.py`, `MGBM`). Given the
/// pulse, each cell holds a fit of the one-way factor over the band:
/// ```
/// G(f) = |∫ … dη|(λ = c/f) ≈ G0 · exp(b·(f − fc))
/// b: least squares of ln G over K frequencies across fc(1 ± 0.65 B), weighted by |S(f)|²·G(f)² (S the two-way
///    pulse spectrum, so that frequencies the echo carries, away from the strip's nulls, decide)
/// G0: exp(intercept) scaled so that Σ |S|² G² = Σ |S|² (G0 e^{b(f−fc)})² (the band's energy is kept)
/// ```
/// The tilt b is what the RF kernels apply through the pulse bank, as the attenuation-like term
/// ``tilt(elevationMetres:rangeMetres:)`` = −b·(20/ln 10)/(y·fc^{y−1}) dB at 1 MHz for the medium's power law y
/// (the same slope at fc; it adds to the path's attenuation); the kernel's gain (``kernelValues``) is G0/√(λc ρ)
/// with the bank's attenuation factor at fc undone, so that the kernel's product is G0 at fc. Without a pulse, the
/// beam is at fc alone (b = 0). The fit is exact at the focus and in the far field (G flat in f), and keeps the echo's
/// centroid within ~1 % of the full-band one elsewhere except in deep Fresnel nulls of the near field (a few %).
public struct ElevationBeam: Sendable {
  let rangeStep: Float
  let elevationStep: Float
  let rangeCount: Int
  let elevationCount: Int
  /// E at fc (G0 with a pulse), table[iy * rangeCount + iρ].
  let table: [Float]
  /// What the RF kernel multiplies by: `table` times the inverse of the bank's attenuation factor for ``tilt`` at fc
  /// (equal to `table` without a pulse).
  let kernelTable: [Float]
  /// The attenuation-like tilt (dB at 1 MHz, for the medium's exponent), one way; empty without a pulse.
  let tiltTable: [Float]
  /// Extremes of the tilt over the table (0 without a pulse), for sizing the pulse bank.
  public let minimumTiltDb: Double
  public let maximumTiltDb: Double

  /// Frequencies the dispersion fit uses.
  static var fitFrequencies: Int { 9 }

  /// - Parameters:
  ///   - maximumRangeMetres: largest ρ that will be asked for (beyond it the last value is used).
  ///   - maximumElevationMetres: largest |y| that will be asked for (0 for scan-plane scatterers).
  ///   - pulse: the two-way pulse whose band the dispersion is fitted over; nil for the beam at fc alone.
  ///   - attenuationExponent: the medium's power law y, in which the tilt is expressed.
  /// - Parameter threads: table rows are computed in parallel; the table does not depend on it.
  public init(
    elementHeightMetres h: Double, elevationFocusMetres f: Double, wavelengthMetres lambda: Double,
    maximumRangeMetres: Double, maximumElevationMetres: Double, pulse: PulseModel? = nil,
    attenuationExponent y: Double = 1, threads: Int = 1
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
    // The band: wavelengths and weights |S|² of the fit's frequencies (unused without a pulse).
    let fc = pulse?.centerFrequencyHz ?? 1
    let band: [(lambda: Double, offsetMHz: Double, weight: Double)] =
      if let p = pulse {
        (0..<Self.fitFrequencies).map { k in
          let u = 1.3 * (Double(k) / Double(Self.fitFrequencies - 1) - 0.5)
          let fk = fc * (1 + p.fractionalBandwidth * u)
          let s = p.spectrumMagnitude(fk)
          return (lambda * fc / fk, (fk - fc) / 1e6, s * s)
        }
      } else { [] }
    // dB at 1 MHz^y of attenuation per unit of log-amplitude slope (per MHz) at fc, and the bank's exponent at fc.
    let lnTen20 = log(10.0) / 20
    let fcMHz = fc / 1e6
    let tiltPerSlope = -1 / (lnTen20 * y * pow(fcMHz, y - 1))
    let fcPow = pow(fcMHz, y)
    var amplitude = [Float](repeating: 0, count: ranges * rows)
    var kernel = amplitude
    var tilts = [Float](repeating: 0, count: pulse == nil ? 0 : ranges * rows)
    let invF = f.isFinite ? 1 / f : 0
    amplitude.withUnsafeMutableBufferPointer { ampBuffer in
      kernel.withUnsafeMutableBufferPointer { kernelBuffer in
        tilts.withUnsafeMutableBufferPointer { tiltBuffer in
          let ampOut = ampBuffer.baseAddress!
          let kernelOut = kernelBuffer.baseAddress!
          let tiltOut = pulse == nil ? nil : tiltBuffer.baseAddress
          // Work items: chunks of 64 ranges of one elevation row.
          let chunks = (ranges + 63) / 64
          Parallel.forEach(count: rows * chunks, threads: threads) { item in
            let iy = item / chunks
            let yv = Double(iy) * dY
            for ir in ((item % chunks) * 64)..<min(ranges, (item % chunks) * 64 + 64) {
              let rho = max(Double(ir) * dRho, 0.25e-3)
              func strip(_ wavelength: Double) -> Double {
                Self.stripIntegral(height: h, inverseFocus: invF, wavelength: wavelength, elevation: yv, range: rho)
              }
              let norm = 1 / (lambda * rho).squareRoot()
              let i = iy * ranges + ir
              guard let tiltOut else {
                ampOut[i] = Float(strip(lambda) * norm)
                kernelOut[i] = ampOut[i]
                continue
              }
              let (g0, slope) = Self.fit(band.map { strip($0.lambda) }, band: band)
              let tilt = slope * tiltPerSlope
              ampOut[i] = Float(g0 * norm)
              kernelOut[i] = Float(g0 * norm * exp(lnTen20 * tilt * fcPow))
              tiltOut[i] = Float(tilt)
            }
          }
        }
      }
    }
    table = amplitude
    kernelTable = kernel
    tiltTable = tilts
    minimumTiltDb = Double(tilts.min() ?? 0)
    maximumTiltDb = Double(tilts.max() ?? 0)
  }

  /// |∫_{−H/2}^{H/2} exp(iπ/λ · [(η − y)²/ρ − η²/F]) dη| (m): the magnitude of ``stripField``.
  static func stripIntegral(
    height h: Double, inverseFocus invF: Double, wavelength lambda: Double, elevation y: Double, range rho: Double
  ) -> Double {
    let (re, im) = stripField(height: h, inverseFocus: invF, wavelength: lambda, elevation: y, range: rho)
    return (re * re + im * im).squareRoot()
  }

  /// ∫_{−H/2}^{H/2} exp(iπ/λ · [(η − y)²/ρ − η²/F]) dη (m; real and imaginary parts) by the midpoint rule with at
  /// most 0.25 rad of phase change per step. The phase a·η² + b·η + πy²/(λρ) advances by a second-order
  /// recurrence: z_{k+1} = z_k·r_k, r_{k+1} = r_k·q with q = e^{2iad²}, so the sum needs no sine or cosine per step.
  static func stripField(
    height h: Double, inverseFocus invF: Double, wavelength lambda: Double, elevation y: Double, range rho: Double
  ) -> (Double, Double) {
    let slope = 2 * Double.pi / lambda * ((h / 2 + abs(y)) / rho + h / 2 * abs(invF))
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
    let (cr, ci) = unit(Double.pi * y * y / (lambda * rho))
    return ((re * cr - im * ci) * d, (re * ci + im * cr) * d)
  }

  /// The band fit of the type's doc: (G0, b) with b per MHz, from G at the band's frequencies.
  static func fit(_ g: [Double], band: [(lambda: Double, offsetMHz: Double, weight: Double)]) -> (Double, Double) {
    // Weighted least squares of ln G = c0 + b·x.
    var sw = 0.0
    var sx = 0.0
    var sy = 0.0
    var sxx = 0.0
    var sxy = 0.0
    for (gk, bk) in zip(g, band) where gk > 0 {
      let w = bk.weight * gk * gk
      let l = log(gk)
      sw += w
      sx += w * bk.offsetMHz
      sy += w * l
      sxx += w * bk.offsetMHz * bk.offsetMHz
      sxy += w * bk.offsetMHz * l
    }
    guard sw > 0 else { return (0, 0) }
    let det = sw * sxx - sx * sx
    let slope = det > 1e-12 * sw * sxx ? (sw * sxy - sx * sy) / det : 0
    let c0 = (sy - slope * sx) / sw
    // Scale so the fitted band carries the band's energy.
    var e = 0.0
    var ef = 0.0
    for (gk, bk) in zip(g, band) {
      let fk = exp(c0 + slope * bk.offsetMHz)
      e += bk.weight * gk * gk
      ef += bk.weight * fk * fk
    }
    return (exp(c0) * (ef > 0 ? (e / ef).squareRoot() : 0), slope)
  }

  /// E(|y|, ρ) at fc (with a pulse: G0, the fit's amplitude at fc) by bilinear interpolation (units: √m; only
  /// ratios matter).
  @inline(__always)
  public func value(elevationMetres y: Float, rangeMetres rho: Float) -> Float {
    Self.read(table, y: y, rho: rho, in: self)
  }

  /// The one-way attenuation-like tilt at (|y|, ρ) (dB at 1 MHz, for the medium's exponent); 0 without a pulse.
  @inline(__always)
  public func tilt(elevationMetres y: Float, rangeMetres rho: Float) -> Float {
    tiltTable.isEmpty ? 0 : Self.read(tiltTable, y: y, rho: rho, in: self)
  }

  @inline(__always)
  static func read(_ table: [Float], y: Float, rho: Float, in beam: ElevationBeam) -> Float {
    let ur = min(rho / beam.rangeStep, Float(beam.rangeCount - 2))
    let ir = Int(ur)
    let fr = ur - Float(ir)
    if beam.elevationCount == 1 {
      return table[ir] + fr * (table[ir + 1] - table[ir])
    }
    let uy = min(abs(y) / beam.elevationStep, Float(beam.elevationCount - 2))
    let iy = Int(uy)
    let fy = uy - Float(iy)
    let a = iy * beam.rangeCount + ir
    let b = a + beam.rangeCount
    let lo = table[a] + fr * (table[a + 1] - table[a])
    let hi = table[b] + fr * (table[b + 1] - table[b])
    return lo + fy * (hi - lo)
  }

  /// The kernel's gain and tilt at one elevation and eight in-plane ranges (same interpolation); the tilt is 0
  /// without a pulse.
  @inline(__always)
  func kernelValues(
    elevationMetres y: Float, rangeMetres rho: SIMD8<Float>
  ) -> (gain: SIMD8<Float>, tilt: SIMD8<Float>) {
    var ur = rho / rangeStep
    ur.replace(with: Float(rangeCount - 2), where: ur .> Float(rangeCount - 2))
    let (ir, fr) = ur.floorAndFraction()
    var iy = 0
    var fy: Float = 0
    if elevationCount > 1 {
      let uy = min(abs(y) / elevationStep, Float(elevationCount - 2))
      iy = Int(uy)
      fy = uy - Float(iy)
    }
    func read(_ table: [Float]) -> SIMD8<Float> {
      table.withUnsafeBufferPointer { t in
        func row(_ offset: Int) -> SIMD8<Float> {
          let lo = SIMD8<Float>.gather(t.baseAddress! + offset, ir)
          let hi = SIMD8<Float>.gather(t.baseAddress! + offset + 1, ir)
          return lo + fr * (hi - lo)
        }
        if elevationCount == 1 { return row(0) }
        let lo = row(iy * rangeCount)
        let hi = row((iy + 1) * rangeCount)
        return lo + fy * (hi - lo)
      }
    }
    return (read(kernelTable), tiltTable.isEmpty ? SIMD8(repeating: 0) : read(tiltTable))
  }
}
