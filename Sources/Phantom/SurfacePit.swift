import Foundation

/// A pit pressed into a flat reflecting surface — a spherical cap of opening diameter `2a` and depth `h` (an echogenic
/// needle's dimple) — and the echo it returns, by the Kirchhoff approximation.
///
/// Frame: the surface is the plane z = 0 with the fluid above (z > 0); the cap is part of the sphere of radius
/// `ρ = (a² + h²)/(2h)` centred at (0, 0, ρ − h), below the plane. Sound arrives from direction
/// `d = (sin θ, 0, cos θ)` (unit, toward the source), θ from the surface normal. The monostatic far-field
/// scattering amplitude of a surface S of pressure reflection R (scattered pressure `f·e^{ikr}/r` per unit incident
/// amplitude, time dependence e^{−iωt}) is
/// ```
/// f_S = −(i k R / 2π) ∫_S,lit (n̂·d) e^{−2ik d·r} dS
/// ```
/// (the sheet weight −iR/λ per unit area of ``EchoCalibration``, times the obliquity n̂·d). The pit's own echo is
/// what it changes against the flat surface it was cut from: `f = f_cap − f_disc`, the disc being the opening's area
/// of the plane, whose echo a flat wall already returns. The flat disc has the closed form
/// `f_disc = −(i k R / 2π)·cos θ·πa²·2J₁(u)/u`, `u = 2ka·sin θ` (at θ = 0, `|f| = πa²R/λ`, the plate's
/// `σ/4π = A²/λ²`). A cap facet is lit when `n̂·d > 0` and the ray from it toward the source leaves through the
/// opening before it meets the cap again (the pit's rim shadows the far wall at grazing incidence).
///
/// Limits that ``SurfacePitTests`` hold it to: a shallow pit (kh ≪ 1) returns the surface's first-order
/// perturbation `f ≈ (k²R/π)·∫ h(x, y)·e^{−2ik sin θ·x} dx dy` (h the depth below the plane; `k²RV/π` at normal
/// incidence, V the pit's volume); a deep one (ka ≫ 1) the geometric-optics echo of a concave
/// spherical mirror, `|f| = Rρ/2`, the same at every incidence its specular point stays lit — so a hemispherical
/// pit returns its echo whatever the angle, the property echogenic needles are dimpled for (Hebard & Hocking, RAPM
/// 2011: an echogenic needle's tip visibility did not fall with angle).
///
/// Left out: sound reflected twice inside the pit (the corner-reflector effect of deep pits), the steel's elastic
/// response (R is the fluid-on-steel coefficient), and the pit's frequency dependence across the pulse's band (f is
/// evaluated at one frequency, the probe's centre).
public struct SurfacePit: Sendable, Equatable {
  public var diameterMetres: Double
  public var depthMetres: Double

  public init(diameterMetres: Double, depthMetres: Double) {
    precondition(diameterMetres > 0 && depthMetres > 0 && depthMetres <= diameterMetres / 2, "not a cap")
    self.diameterMetres = diameterMetres
    self.depthMetres = depthMetres
  }

  /// Opening radius a (m).
  public var radiusMetres: Double { diameterMetres / 2 }
  /// Radius ρ (m) of the sphere the cap is part of.
  public var curvatureRadiusMetres: Double {
    let (a, h) = (radiusMetres, depthMetres)
    return (a * a + h * h) / (2 * h)
  }
  /// Volume (m³): `πh(3a² + h²)/6`.
  public var volumeCubicMetres: Double {
    let (a, h) = (radiusMetres, depthMetres)
    return Double.pi * h * (3 * a * a + h * h) / 6
  }

  /// The pit's echo `f_cap − f_disc` (m, as real and imaginary parts) at wavenumber `k` (rad/m) from `θ` (rad) off
  /// the surface normal, on a surface of pressure reflection `reflection`. Zero at or beyond grazing. The two
  /// integrals are summed on one grid (the disc's point below each cap node, area `ρ² sin β cos β dβ dφ`), so that
  /// their quadrature errors cancel for a shallow pit, whose echo is a small difference of two large ones.
  public func echo(wavenumber k: Double, incidenceRadians theta: Double, reflection: Double) -> SIMD2<Double> {
    integral(wavenumber: k, incidenceRadians: theta, reflection: reflection, cap: true, disc: true)
  }

  /// `f_cap` alone.
  public func capEcho(wavenumber k: Double, incidenceRadians theta: Double, reflection: Double) -> SIMD2<Double> {
    integral(wavenumber: k, incidenceRadians: theta, reflection: reflection, cap: true, disc: false)
  }

  /// The midpoint rule over the cap in polar angle β (from its bottom) and azimuth φ, fine enough that the phase
  /// 2k·d·r moves by at most 0.2 rad between neighbouring nodes: `f_cap`, minus `f_disc` when `disc`.
  func integral(
    wavenumber k: Double, incidenceRadians theta: Double, reflection: Double, cap: Bool, disc: Bool
  ) -> SIMD2<Double> {
    let rho = curvatureRadiusMetres
    let c0 = rho - depthMetres
    let betaMax = acos(max(-1, min(1, c0 / rho)))
    let (dx, dz) = (sin(theta), cos(theta))
    guard dz > 1e-9 else { return .zero }
    let steps = max(32, Int((10 * k * rho * betaMax).rounded(.up)))
    let azimuths = max(64, Int((10 * k * radiusMetres * 2 * Double.pi).rounded(.up)))
    let dBeta = betaMax / Double(steps)
    let dPhi = 2 * Double.pi / Double(azimuths)
    let cosPhi = (0..<azimuths).map { cos((Double($0) + 0.5) * dPhi) }
    var sum = SIMD2<Double>.zero
    for i in 0..<steps {
      let beta = (Double(i) + 0.5) * dBeta
      let (sb, cb) = (sin(beta), cos(beta))
      let area = rho * rho * sb * dBeta * dPhi
      let rz = c0 - rho * cb
      for cp in cosPhi {
        let rx = rho * sb * cp
        if disc {
          let phase = -2 * k * dx * rx
          sum -= SIMD2(cos(phase), sin(phase)) * (dz * area * cb)
        }
        guard cap else { continue }
        // Inward normal n̂ = (−sin β cos φ, ·, cos β); the point r = C − ρ n̂.
        let nd = -sb * cp * dx + cb * dz
        guard nd > 0 else { continue }
        // The ray r + t·d meets the sphere again at t₂ = 2ρ(n̂·d) and the opening's plane at t₀ = −r_z/d_z.
        guard -rz / dz <= 2 * rho * nd else { continue }
        let phase = -2 * k * (dx * rx + dz * rz)
        sum += SIMD2(cos(phase), sin(phase)) * (nd * area)
      }
    }
    // −(i k R / 2π)·(re + i·im) = (k R / 2π)·(im, −re).
    let scale = k * reflection / (2 * Double.pi)
    return SIMD2(sum.y, -sum.x) * scale
  }

  /// `f_disc`, the opening's flat disc in closed form (``SurfacePitTests`` hold the grid's disc to it).
  public func discEcho(wavenumber k: Double, incidenceRadians theta: Double, reflection: Double) -> SIMD2<Double> {
    let a = radiusMetres
    let u = 2 * k * a * sin(theta)
    let airy = abs(u) < 1e-9 ? 1 : 2 * Self.besselJ1(u) / u
    let integral = cos(theta) * Double.pi * a * a * airy
    return SIMD2(0, -k * reflection / (2 * Double.pi) * integral)
  }

  /// J₁(u) (``besselJ(_:_:)``).
  static func besselJ1(_ u: Double) -> Double { besselJ(1, u) }

  /// Jₙ(u) by Bessel's integral `(1/π)∫₀^π cos(nτ − u sin τ) dτ` (the midpoint rule converges geometrically for
  /// this integrand, even about 0 and π; 64 + 4|u| nodes give about 1e-12).
  public static func besselJ(_ order: Int, _ u: Double) -> Double {
    let n = 64 + Int(4 * abs(u))
    let step = Double.pi / Double(n)
    var sum = 0.0
    for i in 0..<n {
      let tau = (Double(i) + 0.5) * step
      sum += cos(Double(order) * tau - u * sin(tau))
    }
    return sum * step / Double.pi
  }
}
