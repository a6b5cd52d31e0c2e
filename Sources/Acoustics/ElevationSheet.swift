import Foundation
import KernelSupport

/// The elevation factor of specular surfaces that cross the elevation beam: flat sheets (bone and soft-tissue
/// interfaces) and convex cylinders whose axis lies along the scan plane (a needle's wall).
///
/// **Kirchhoff sheet.** A surface of reflection R returns, by the Kirchhoff approximation, what a sheet of point
/// scatterers returns whose scattering amplitude per unit area is `−i·R/λ` (at normal incidence; by stationary phase
/// over both surface coordinates such a sheet gives exactly the image source's field, `R·e^{2ikd}/(2d)` from a
/// mirror at d). The physics core sums the in-plane coordinate over the surface's points (Δ apart, amplitude
/// `R·Δ/λ`, ``Phantom/TissueMap/interfaces(in:wavelengthMetres:seed:model:incidence:)``); this type does the elevation
/// coordinate. With U the element's complex strip field (``ElevationBeam/stripField``) and ``ElevationBeam``'s
/// normalisation, the two-way elevation factor of a point is `|U_t||U_r|/(λ√(ρ_t ρ_r))`; of a surface strip,
/// ```
/// flat:      |∫ U_t U_r dy| / (λ√(ρ_t ρ_r)) = |D(ρ_t + ρ_r)| / √(λ(ρ_t + ρ_r))
///            D(L) = ∫∫ exp(iπ/λ · [(η − η')²/L − (η² + η'²)/F]) dη dη'
///                 = ∫_0^H exp(iπu²/λ · (1/L − 1/(2F))) Φ(H − u) du,   Φ(s) = ∫_{−s}^{s} exp(−iπv²/(2λF)) dv
/// cylinder:  |∫_{|y−y0|<a} U(y)² exp(4πi·Δz(y)/λ) dy| / (λρ),   Δz = a − √(a² − (y − y0)²)
/// flat face: |∫_{|y−y0|<b} U(y)² dy| / (λρ)                        (a strip of half-width b, Δz = 0)
/// ```
/// The flat form is the image-source law: the field of the element's mirror image (lens and all) at the total
/// path L, received by the element (u = η − η', v = η + η' turn the square of element pairs into |u| + |v| ≤ H,
/// whose inner integral Φ does not depend on L). The cylinder's integral is over its probe-facing half, the depth
/// Δz of its surface below the top line adding 2Δz of path; in projected area dy the Kirchhoff obliquity cos θ and
/// the surface's slant 1/cos θ cancel. Far from a thin cylinder it tends to `E(y0)²·√(λa/2)` (the stationary
/// strip of a convex mirror), so the old imposed factor √(a/(a+2z)) now follows from the geometry.
///
/// **Per element.** The RF kernel weights each element separately, so the two-way factor at (ρ_t, ρ_r) is taken as
/// the geometric mean of the factors at (ρ_t, ρ_t) and (ρ_r, ρ_r): exact at ρ_t = ρ_r (a surface's specular
/// pair: equal angles to the normal) and, in the far field, `((ρ_t + ρ_r)/2)^{1/2}/(ρ_t ρ_r)^{1/4}` too small,
/// 1 % at ρ_t/ρ_r = 1.5. The tables hold the per-element factor √(two-way factor at ρ, ρ), at fc.
///
/// **Across the band.** A far mirror's echo is the pulse itself: the −i/λ of the Kirchhoff weight undoes the √λ of
/// each stationary-phase integral, the elevation one (here, at fc) and the in-plane one (the RF kernel's sum over
/// the strips, at every frequency). What the kernel leaves is therefore a factor (f/fc)^{−1/2} on every sheet's
/// echo, which ``tiltDb`` undoes: (f/fc)^{1/2} ≈ e^{(f − fc)/(2fc)} as a one-way attenuation-like tilt of
/// `−(20/ln 10)/(4·fc·y·fc^{y−1})` dB at 1 MHz per element (fc in MHz, y the medium's power law; two ways make the
/// slope 1/(2fc)), through the pulse bank as ``ElevationBeam``'s tilts go; the tables carry the inverse of the
/// bank's factor at fc, so that the product is the factor above at fc. Without it a mirror's envelope peak is
/// ~0.45 dB high for the L11-5v's 77 % band (measured in `SpecularSheetTests`).
public struct ElevationSheet: Sendable {
  let rangeStep: Float
  let rangeCount: Int
  /// √M(2ρ) for a flat sheet, per range step.
  let flat: [Float]
  /// Per finite ``Phantom/ScattererSet/sheetRadius`` code (a cylinder's radius a > 0, or −b for a flat face of
  /// half-width b): its tables over |y0| (steps ``elevationStep``) and ρ.
  let cylinders: [Cylinder]
  let elevationStep: Float
  /// The one-way tilt per element (dB at 1 MHz, for the medium's exponent; negative: a gain rising with frequency).
  public let tiltDb: Float

  struct Cylinder: Sendable {
    let code: Float
    let elevationCount: Int
    /// table[iy * rangeCount + iρ].
    let table: [Float]
  }

  /// - Parameters:
  ///   - radii: the finite sheet codes (a cylinder's radius a, or −b for a flat face of half-width b; m) with the
  ///     largest |y0| (m) each is asked for.
  ///   - threads: rows are computed in parallel; the tables do not depend on it.
  public init(
    elementHeightMetres h: Double, elevationFocusMetres f: Double, wavelengthMetres lambda: Double,
    maximumRangeMetres: Double, radii: [(radius: Double, maximumElevation: Double)], centerFrequencyHz fc: Double,
    attenuationExponent y: Double = 1, threads: Int = 1
  ) {
    let fcMHz = fc / 1e6
    let lnTen20 = log(10.0) / 20
    let tilt = -1 / (lnTen20 * 4 * fcMHz * y * pow(fcMHz, y - 1))
    tiltDb = Float(tilt)
    // The bank's amplitude factor at fc for this tilt, undone in the tables.
    let undo = exp(lnTen20 * tilt * pow(fcMHz, y))
    let dRho = max(0.05e-3, lambda / 4)
    let dY = 0.05e-3
    rangeStep = Float(dRho)
    elevationStep = Float(dY)
    let ranges = Int((maximumRangeMetres / dRho).rounded(.up)) + 2
    rangeCount = ranges
    let invF = f.isFinite ? 1 / f : 0
    let phi = Self.focusingAcross(height: h, inverseFocus: invF, wavelength: lambda)
    var flatTable = [Float](repeating: 0, count: ranges)
    flatTable.withUnsafeMutableBufferPointer { out in
      let p = out.baseAddress!
      Parallel.forEach(count: (ranges + 63) / 64, threads: threads) { chunk in
        for ir in (chunk * 64)..<min(ranges, chunk * 64 + 64) {
          let rho = max(Double(ir) * dRho, 0.25e-3)
          let l = 2 * rho
          let d = Self.imageIntegral(phi, height: h, inverseFocus: invF, wavelength: lambda, totalPath: l)
          p[ir] = Float((d / (lambda * l).squareRoot()).squareRoot() * undo)
        }
      }
    }
    flat = flatTable
    cylinders = radii.map { entry in
      let rows = entry.maximumElevation > 0 ? Int((entry.maximumElevation / dY).rounded(.up)) + 2 : 1
      var table = [Float](repeating: 0, count: rows * ranges)
      table.withUnsafeMutableBufferPointer { out in
        let p = out.baseAddress!
        Parallel.forEach(count: (ranges + 15) / 16, threads: threads) { chunk in
          for ir in (chunk * 16)..<min(ranges, chunk * 16 + 16) {
            let rho = max(Double(ir) * dRho, 0.25e-3)
            let values = Self.cylinderFactors(
              radius: entry.radius, rows: rows, elevationStep: dY, height: h, inverseFocus: invF,
              wavelength: lambda, range: rho)
            for iy in 0..<rows { p[iy * ranges + ir] = Float(values[iy].squareRoot() * undo) }
          }
        }
      }
      return Cylinder(code: Float(entry.radius), elevationCount: rows, table: table)
    }
  }

  /// Φ(s) = ∫_{−s}^{s} exp(−iπv²/(2λF)) dv on `count` + 1 points s = k·H/count (cumulative midpoint sums).
  static func focusingAcross(
    height h: Double, inverseFocus invF: Double, wavelength lambda: Double, count: Int = 4096
  ) -> [(Double, Double)] {
    let ds = h / Double(count)
    var out = [(0.0, 0.0)]
    out.reserveCapacity(count + 1)
    var (re, im) = (0.0, 0.0)
    for k in 0..<count {
      let v = (Double(k) + 0.5) * ds
      let phase = -Double.pi * v * v * invF / (2 * lambda)
      re += 2 * cos(phase) * ds
      im += 2 * sin(phase) * ds
      out.append((re, im))
    }
    return out
  }

  /// |D(L)| (m²) of the type's doc by the midpoint rule in u, at most 0.2 rad of phase change per step, Φ read
  /// linearly from its table.
  static func imageIntegral(
    _ phi: [(Double, Double)], height h: Double, inverseFocus invF: Double, wavelength lambda: Double,
    totalPath l: Double
  ) -> Double {
    let c = Double.pi / lambda * (1 / l - invF / 2)
    let n = max(64, Int((2 * abs(c) * h * h / 0.2).rounded(.up)))
    let du = h / Double(n)
    let cells = Double(phi.count - 1)
    var re = 0.0
    var im = 0.0
    for k in 0..<n {
      let u = (Double(k) + 0.5) * du
      let at = (h - u) / h * cells
      let i = min(Int(at), phi.count - 2)
      let w = at - Double(i)
      let pr = phi[i].0 + w * (phi[i + 1].0 - phi[i].0)
      let pi = phi[i].1 + w * (phi[i + 1].1 - phi[i].1)
      let (cr, ci) = (cos(c * u * u), sin(c * u * u))
      re += cr * pr - ci * pi
      im += cr * pi + ci * pr
    }
    return (re * re + im * im).squareRoot() * du
  }

  /// The cylinder's two-way factor `|∫ U² e^{4πiΔz/λ} dy|/(λρ)` at range ρ for |y0| = 0, Δy, …, (rows − 1)·Δy:
  /// U on one grid of λ/16 steps shared by the rows. A negative `radius` −b is a flat face of half-width b.
  static func cylinderFactors(
    radius code: Double, rows: Int, elevationStep dY: Double, height h: Double, inverseFocus invF: Double,
    wavelength lambda: Double, range rho: Double
  ) -> [Double] {
    let a = abs(code)
    let curved = code > 0
    let dy = lambda / 16
    let half = Int((a / dy).rounded(.up))
    let span = Int((Double(rows - 1) * dY / dy).rounded(.up)) + half + 1
    // U at y = k·dy for k in −span…span.
    let field = (-span...span).map { k in
      ElevationBeam.stripField(height: h, inverseFocus: invF, wavelength: lambda, elevation: Double(k) * dy, range: rho)
    }
    /// U at elevation y by linear interpolation on the grid.
    func u(_ y: Double) -> (Double, Double) {
      let at = y / dy + Double(span)
      let i = min(max(0, Int(at.rounded(.down))), field.count - 2)
      let w = at - Double(i)
      return (
        field[i].0 + w * (field[i + 1].0 - field[i].0), field[i].1 + w * (field[i + 1].1 - field[i].1)
      )
    }
    // A cylinder is integrated over its angle φ from the top (y = y0 + a sin φ, dy = a cos φ dφ, Δz = a(1 − cos φ)),
    // at most 0.25 rad of its two-way phase 4πΔz/λ per step, so the steep flanks alias nothing; a flat face over y.
    let steps = curved ? max(64, Int((4 * Double.pi * a / lambda * Double.pi / 0.25).rounded(.up))) : 0
    return (0..<rows).map { iy in
      let y0 = Double(iy) * dY
      var re = 0.0
      var im = 0.0
      func add(_ y: Double, phase: Double, weight: Double) {
        let (ur, ui) = u(y)
        let (sr, si) = (ur * ur - ui * ui, 2 * ur * ui)
        let (cr, ci) = (cos(phase) * weight, sin(phase) * weight)
        re += sr * cr - si * ci
        im += sr * ci + si * cr
      }
      if curved {
        let dPhi = Double.pi / Double(steps)
        for k in 0..<steps {
          let phi = -Double.pi / 2 + (Double(k) + 0.5) * dPhi
          add(y0 + a * sin(phi), phase: 4 * Double.pi * a * (1 - cos(phi)) / lambda, weight: a * cos(phi) * dPhi)
        }
      } else {
        let lo = Int(((y0 - a) / dy).rounded(.up))
        let hi = Int(((y0 + a) / dy).rounded(.down))
        for k in lo...hi { add(Double(k) * dy, phase: 0, weight: dy) }
      }
      return (re * re + im * im).squareRoot() / (lambda * rho)
    }
  }

  /// The per-element factor at eight in-plane ranges for a sheet of code `radius` (∞: flat; see `cylinders`) at
  /// elevation `y`.
  @inline(__always)
  func values(radius: Float, elevationMetres y: Float, rangeMetres rho: SIMD8<Float>) -> SIMD8<Float> {
    var ur = rho / rangeStep
    ur.replace(with: Float(rangeCount - 2), where: ur .> Float(rangeCount - 2))
    let (ir, fr) = ur.floorAndFraction()
    func row(_ t: UnsafeBufferPointer<Float>, _ offset: Int) -> SIMD8<Float> {
      let lo = SIMD8<Float>.gather(t.baseAddress! + offset, ir)
      let hi = SIMD8<Float>.gather(t.baseAddress! + offset + 1, ir)
      return lo + fr * (hi - lo)
    }
    guard radius.isFinite, let c = cylinders.first(where: { $0.code == radius }) else {
      return flat.withUnsafeBufferPointer { row($0, 0) }
    }
    return c.table.withUnsafeBufferPointer { t in
      if c.elevationCount == 1 { return row(t, 0) }
      let uy = min(abs(y) / elevationStep, Float(c.elevationCount - 2))
      let iy = Int(uy)
      let fy = uy - Float(iy)
      let lo = row(t, iy * rangeCount)
      return lo + fy * (row(t, (iy + 1) * rangeCount) - lo)
    }
  }
}
