import Foundation

/// A gas bubble held in the polymer coating of an echogenic needle, and the echo it returns: the small-amplitude
/// radial pulsation of a gas cavity in an elastic matrix, driven by the incident pressure.
///
/// The bubble (radius `a`, air at atmospheric pressure `P₀`, adiabatic index γ) sits in a matrix of shear modulus
/// `G`, in tissue of density ρ and sound speed c (bulk modulus `K = ρc²`; the polymer's density and bulk modulus are
/// taken as the tissue's, as a coating's are not stated). Its monostatic scattering amplitude (scattered pressure
/// `f·e^{ikr}/r` per unit incident amplitude, time dependence e^{−iωt}) is that of a driven, radiation-damped
/// oscillator (Minnaert 1933; a cavity in an elastic medium as in Church, JASA 97:1510, 1995, and Yang & Church,
/// JASA 118:3595, 2005):
/// ```
/// f = a·(1 + 4G/3K) / ((ω₀/ω)² − 1 − i·ka),     ω₀² = (3γP₀ + 4G) / (ρa²)
/// ```
/// The stiffness is the gas's `3γP₀` and the matrix's `4G` (the Lamé solution for a spherical cavity); the factor
/// `1 + 4G/3K` is the same Lamé solution's: a matrix of finite bulk modulus passes its own compression to the cavity
/// wall, so a pressure `p` far away strains the cavity by `(p/(4G + 3γP₀))·(1 + 4G/3K)`. With `G = 0` it is
/// Minnaert's bubble, resonant at `f₀·a ≈ 3.3 µm·MHz` in water; a stiff matrix moves the resonance far above the
/// band and leaves the Rayleigh-like `a·(ω/ω₀)²`.
///
/// Limits (``CoatingBubbleTests``, against the exact n = 0 modal solution of a gas sphere in an elastic shell in
/// tissue): the oscillator drops terms of order `(ka)²` (the gas's and the tissue's own wave motion) — within
/// `20·log₁₀(1 + (ka)²)` dB of the exact echo over 1–12 MHz for bubbles 1–4 µm across in matrices of 0–10 MPa and
/// 10 µm across up to 1 MPa. Left out: the gas's thermal and the matrix's viscous damping (only radiation damps
/// the pulsation, so the echo near resonance is an upper bound), surface tension (a cavity in a solid has no
/// gas–liquid interface), the coating's own layer and its polymer–tissue interface.
public struct CoatingBubble: Sendable, Equatable {
  public var diameterMetres: Double
  /// Shear modulus G (Pa) of the matrix holding the bubble (0 for a bubble in a liquid).
  public var matrixShearModulusPascals: Double

  /// Atmospheric pressure (Pa); the body adds a few kPa, well within the model's accuracy.
  public static let ambientPressurePascals = 101_325.0
  /// Air's ratio of specific heats: bubbles of micrometres pulse adiabatically at MHz, the gas's thermal diffusion
  /// length `√(D/2ω)` (D = 2.2·10⁻⁵ m²/s) being 0.6 µm at 5 MHz.
  public static let adiabaticIndex = 1.4

  public init(diameterMetres: Double, matrixShearModulusPascals: Double) {
    precondition(diameterMetres > 0 && matrixShearModulusPascals >= 0, "not a bubble")
    self.diameterMetres = diameterMetres
    self.matrixShearModulusPascals = matrixShearModulusPascals
  }

  public var radiusMetres: Double { diameterMetres / 2 }

  /// The stiffness `3γP₀ + 4G` (Pa) that restores the bubble's volume.
  var stiffnessPascals: Double {
    3 * Self.adiabaticIndex * Self.ambientPressurePascals + 4 * matrixShearModulusPascals
  }

  /// Resonance frequency `ω₀/2π` (Hz) in `tissue`.
  public func resonanceFrequencyHz(in tissue: Tissue) -> Double {
    (stiffnessPascals / tissue.densityKgPerCubicMetre).squareRoot() / (2 * Double.pi * radiusMetres)
  }

  /// The scattering amplitude f (m, as real and imaginary parts) at `frequencyHz` in `tissue`.
  public func echo(frequencyHz: Double, in tissue: Tissue) -> SIMD2<Double> {
    let a = radiusMetres
    let c = tissue.soundSpeedMetresPerSecond
    let bulk = tissue.densityKgPerCubicMetre * c * c
    let drive = a * (1 + 4 * matrixShearModulusPascals / (3 * bulk))
    let ratio = resonanceFrequencyHz(in: tissue) / frequencyHz
    let (re, im) = (ratio * ratio - 1, -2 * Double.pi * frequencyHz / c * a)
    let norm = re * re + im * im
    return SIMD2(re, -im) * (drive / norm)
  }
}
