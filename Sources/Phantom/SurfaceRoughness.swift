import Foundation

/// A randomly rough, nearly rigid surface — a needle shaft's steel, ground or blasted rather than polished — and the
/// diffuse echo it returns besides its mirror.
///
/// Heights h(x, y) Gaussian with RMS σ and Gaussian correlation `⟨h(r)h(r + d)⟩ = σ²·exp(−d²/ℓ²)`, whose spectrum
/// (normalised so that `∫W d²K = σ²`) is `W(K) = (σ²ℓ²/4π)·exp(−K²ℓ²/4)`. For small heights (kσ ≪ 1) and slopes
/// (σ/ℓ ≪ 1), first-order perturbation (Rice, Comm. Pure Appl. Math. 4:351, 1951) of a rigid boundary — ∂p/∂n = 0
/// on z = h, expanded about z = 0 — scatters a plane wave arriving at θ from the normal back toward its source with
/// amplitude `f = (k²/π)·(1 + sin²θ)·∫ h(x, y)·e^{2ik sin θ·x} dx dy` (worked out in `docs/physics.md`, "A needle's
/// surface"; the same steps for a pressure-release boundary give the Kirchhoff value `(k²/π)·cos²θ`), so that per unit
/// area of surface
/// ```
/// ⟨|f|²⟩ / A = 4k⁴·R²·(1 + sin²θ)²·W(2k sin θ)
/// ```
/// with R the surface's reflection coefficient (steel against tissue, 0.93, is nearly rigid; the rigid result is
/// scaled by R²). At normal incidence this is also the Kirchhoff (tangent-plane) value, `(k²R/π)·∫h`; off normal
/// the rigid boundary scatters more than the tangent plane's `cos²θ` would say. The mirror keeps the coherent share
/// `exp(−2k²σ²)` of its amplitude (Ogilvy 1991), less than 5 % away for the heights allowed here.
///
/// ``SurfaceRoughnessTests`` hold the closed form to random surfaces built point by point: the Kirchhoff integral with
/// its exact phase `e^{2ikh}` at normal incidence, and the spectrum `W(2k sin θ)` at 30° and 60°.
public struct SurfaceRoughness: Sendable, Equatable {
  /// RMS height σ (m).
  public var rmsHeightMetres: Double
  /// Correlation length ℓ (m) of the Gaussian correlation `exp(−d²/ℓ²)`.
  public var correlationLengthMetres: Double

  public init(rmsHeightMetres: Double, correlationLengthMetres: Double) {
    precondition(rmsHeightMetres > 0 && correlationLengthMetres > 0, "not a roughness")
    self.rmsHeightMetres = rmsHeightMetres
    self.correlationLengthMetres = correlationLengthMetres
  }

  /// The height spectrum `W(K)` (m⁴) at spatial wavenumber `K` (rad/m).
  public func spectrum(_ wavenumber: Double) -> Double {
    let (s, l) = (rmsHeightMetres, correlationLengthMetres)
    return s * s * l * l / (4 * Double.pi) * exp(-wavenumber * wavenumber * l * l / 4)
  }

  /// The diffuse backscatter per unit area, `⟨|f|²⟩/A` (m²/m²), at wavenumber `k` (rad/m) from `θ` (rad) off the
  /// normal, on a surface of reflection coefficient `reflection`. Zero at or beyond grazing.
  public func backscatter(wavenumber k: Double, incidenceRadians theta: Double, reflection: Double) -> Double {
    guard theta < Double.pi / 2 else { return 0 }
    let s = sin(theta)
    let lift = 1 + s * s
    return 4 * pow(k, 4) * reflection * reflection * lift * lift * spectrum(2 * k * s)
  }

  /// The share of the mirror's amplitude the roughness leaves coherent at normal incidence, `exp(−2k²σ²)`.
  public func coherentShare(wavenumber k: Double) -> Double {
    exp(-2 * k * k * rmsHeightMetres * rmsHeightMetres)
  }
}
