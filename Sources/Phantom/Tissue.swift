import Foundation

/// The acoustic properties of one tissue, and how it scatters.
///
/// Defaults are the values of `docs/physics.md` ("Tissues", about 37 °C). Acoustic impedance
/// Z = ρ·c sets the reflection at interfaces, R = (Z₂ − Z₁)/(Z₂ + Z₁).
public struct Tissue: Sendable, Equatable {
  public var name: String
  /// Sound speed c (m/s) and density ρ (kg/m³).
  public var soundSpeedMetresPerSecond: Double
  public var densityKgPerCubicMetre: Double
  /// Power-law attenuation α(f) = α0·(f / 1 MHz)^y, α0 in dB/cm/MHz^y.
  public var attenuationDbPerCmPerMHz: Double
  public var attenuationExponent: Double
  /// Diffuse scattering: mean number of scatterers per mm² of the scan plane (0 = anechoic) and the RMS of their
  /// amplitudes (relative units shared by every tissue; each scatterer is ± this,
  /// ``TissueMap/speckle(in:thicknessMetres:amplitudeUnit:seed:)``).
  public var scatterersPerSquareMillimetre: Double
  public var amplitudeStd: Double
  /// Striation (muscle fibres): relative amplitude modulation depth (0 = none), the fibres' angle from the +x axis
  /// toward +z (radians) and the spacing between fibre bundles (m).
  public var striationDepth: Double
  public var striationAngleRadians: Double
  public var striationSpacingMetres: Double
  /// RMS height σ (m) of this tissue's surface where it meets another (0 = smooth). Each specular point of a
  /// boundary moves along the normal by a Gaussian of the larger σ of the two tissues, so the coherent (mirror)
  /// echo keeps `⟨e^{2ikh}⟩ = exp(−2k²σ²)` of its amplitude at wavenumber k (Kirchhoff approximation with
  /// Gaussian heights; Ogilvy, "Theory of Wave Scattering from Random Rough Surfaces", 1991) and the rest is
  /// scattered diffusely; higher frequencies lose more, so a rough surface also lowers the echo's centre frequency.
  public var surfaceRoughnessMetres: Double
  /// Backscatter coefficient at 1 MHz (1/(cm·sr)) and its frequency exponent m: η(f) = η₁·(f / 1 MHz)^m, used by
  /// the physical calibration (``EchoCalibration``). nil: the tissue's echogenicity relative to generic soft tissue
  /// (scatterer density × amplitudeStd², as the relative calibration images it) times soft tissue's measured η.
  public var backscatterPerCmPerSrAt1MHz: Double?
  public var backscatterExponent: Double

  public init(
    name: String, soundSpeedMetresPerSecond: Double, densityKgPerCubicMetre: Double, attenuationDbPerCmPerMHz: Double,
    attenuationExponent: Double = 1, scatterersPerSquareMillimetre: Double, amplitudeStd: Double,
    striationDepth: Double = 0, striationAngleRadians: Double = 0, striationSpacingMetres: Double = 1e-3,
    surfaceRoughnessMetres: Double = 0, backscatterPerCmPerSrAt1MHz: Double? = nil, backscatterExponent: Double = 1.4
  ) {
    self.name = name
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.densityKgPerCubicMetre = densityKgPerCubicMetre
    self.attenuationDbPerCmPerMHz = attenuationDbPerCmPerMHz
    self.attenuationExponent = attenuationExponent
    self.scatterersPerSquareMillimetre = scatterersPerSquareMillimetre
    self.amplitudeStd = amplitudeStd
    self.striationDepth = striationDepth
    self.striationAngleRadians = striationAngleRadians
    self.striationSpacingMetres = striationSpacingMetres
    self.surfaceRoughnessMetres = surfaceRoughnessMetres
    self.backscatterPerCmPerSrAt1MHz = backscatterPerCmPerSrAt1MHz
    self.backscatterExponent = backscatterExponent
  }

  /// Acoustic impedance Z = ρ·c (Rayl).
  public var impedanceRayl: Double { densityKgPerCubicMetre * soundSpeedMetresPerSecond }

  /// Pressure reflection coefficient at normal incidence for sound going from `self` into `other`.
  public func reflection(into other: Tissue) -> Double {
    (other.impedanceRayl - impedanceRayl) / (other.impedanceRayl + impedanceRayl)
  }

  /// The acoustic Fresnel reflection coefficient of two fluids for sound going from `self` into `other` at incidence
  /// θ₁ (cos θ₁ given; Kinsler et al., "Fundamentals of Acoustics", §6.3):
  /// ```
  /// sin θ₂ = (c₂/c₁)·sin θ₁,   R = (Z₂ cos θ₁ − Z₁ cos θ₂) / (Z₂ cos θ₁ + Z₁ cos θ₂)
  /// ```
  /// Past the critical angle (sin θ₂ > 1) the reflection is total: |R| = 1, given as +1 (its phase shift is not
  /// modelled). Equal to ``reflection(into:)`` at normal incidence.
  public func reflection(into other: Tissue, cosIncidence cos1: Double) -> Double {
    let (c1, c2) = (soundSpeedMetresPerSecond, other.soundSpeedMetresPerSecond)
    let sin2 = c2 / c1 * max(0, 1 - cos1 * cos1).squareRoot()
    if sin2 >= 1 { return 1 }
    let cos2 = (1 - sin2 * sin2).squareRoot()
    let (z1, z2) = (impedanceRayl, other.impedanceRayl)
    return (z2 * cos1 - z1 * cos2) / (z2 * cos1 + z1 * cos2)
  }

  /// The backscatter coefficient η(f) (1/(cm·sr)) at `frequencyHz` (see ``backscatterPerCmPerSrAt1MHz``).
  public func backscatterPerCmPerSr(at frequencyHz: Double) -> Double {
    let f = frequencyHz / 1e6
    if let eta = backscatterPerCmPerSrAt1MHz { return eta * pow(f, backscatterExponent) }
    let soft = Tissue.softTissue
    let relative =
      scatterersPerSquareMillimetre * amplitudeStd * amplitudeStd
      / (soft.scatterersPerSquareMillimetre * soft.amplitudeStd * soft.amplitudeStd)
    return relative * soft.backscatterPerCmPerSr(at: frequencyHz)
  }

  /// The RMS σ_A (m) of the scattering amplitudes of this tissue's diffuse scatterers (each ±σ_A) in the
  /// physical calibration, when they are spread over an elevation slab `thicknessMetres` thick:
  /// ```
  /// η = n·⟨A²⟩   (backscatter cross-section per unit volume and solid angle; a point of scattering amplitude A
  ///               has differential cross-section |A|²)
  /// n = N·10⁶ / T (scatterers per m³ from N per mm² of the scan plane over the slab)  ⇒  σ_A = √(η·T / (N·10⁶))
  /// ```
  /// with η in 1/(m·sr). 0 for an anechoic tissue or a zero thickness (a slab of no volume carries no power).
  public func speckleAmplitude(frequencyHz: Double, thicknessMetres: Double) -> Double {
    guard scatterersPerSquareMillimetre > 0, thicknessMetres > 0 else { return 0 }
    let etaPerMetre = backscatterPerCmPerSr(at: frequencyHz) * 100
    return (etaPerMetre * thicknessMetres / (scatterersPerSquareMillimetre * 1e6)).squareRoot()
  }

  /// α0 of an equivalent y = 1 law that matches this tissue's attenuation at `frequencyHz`:
  /// α0·(f/1 MHz)^y = α0'·(f/1 MHz). The physics core shares one exponent across the medium, so tissues with
  /// other exponents are represented by this value (exact at fc, approximate across the band).
  public func attenuationDbPerCmPerMHzLinear(at frequencyHz: Double) -> Double {
    let f = frequencyHz / 1e6
    return attenuationDbPerCmPerMHz * pow(f, attenuationExponent - 1)
  }
}

extension Tissue {
  /// The amplitude (√m, as in ``TissueMap/interfaces(in:wavelengthMetres:seed:model:incidence:)``) of a diffuse
  /// scatterer of relative amplitude 1: the one free calibration between speckle and specular echoes, chosen so
  /// that a bone surface (R ≈ 0.57 against soft tissue) images about 30 dB above soft-tissue speckle (L11-5v,
  /// 10 scatterers/mm²; measured 31 dB in BoneShadowTests), as bone lines stand out in clinical images. The
  /// relative calibration's only; the physical one (``EchoCalibration``) takes each tissue's backscatter instead.
  public static let speckleAmplitudeUnit = 5e-4

  /// Skin: c 1655 m/s (measured 1655 ± 33), ρ 1100, α0 2.1 dB/cm/MHz (physics.md); moderately echogenic.
  public static let skin = Tissue(
    name: "skin", soundSpeedMetresPerSecond: 1655, densityKgPerCubicMetre: 1100, attenuationDbPerCmPerMHz: 2.1,
    scatterersPerSquareMillimetre: 10, amplitudeStd: 1.2)
  /// Subcutaneous (and epidural) fat: c 1462 (1462 ± 26), ρ 940, α0 0.6 (0.4–0.8); hypoechoic.
  public static let fat = Tissue(
    name: "fat", soundSpeedMetresPerSecond: 1462, densityKgPerCubicMetre: 940, attenuationDbPerCmPerMHz: 0.6,
    scatterersPerSquareMillimetre: 4, amplitudeStd: 0.45)
  /// Paraspinal muscle: c 1580 (1562 ⊥ fibres – 1599 ∥), ρ 1060, α0 0.8 (0.5–1.0 common in imaging work);
  /// striated along its fibres.
  public static let muscle = Tissue(
    name: "muscle", soundSpeedMetresPerSecond: 1580, densityKgPerCubicMetre: 1060, attenuationDbPerCmPerMHz: 0.8,
    scatterersPerSquareMillimetre: 10, amplitudeStd: 0.8, striationDepth: 0.8, striationAngleRadians: 0,
    striationSpacingMetres: 0.8e-3)
  /// Ligament (ligamentum flavum, sacrococcygeal ligament): c 1664 (1664 ± 42), ρ 1101, α0 0.8 (~0.5–1);
  /// hyperechoic.
  public static let ligament = Tissue(
    name: "ligament", soundSpeedMetresPerSecond: 1664, densityKgPerCubicMetre: 1101, attenuationDbPerCmPerMHz: 0.8,
    scatterersPerSquareMillimetre: 12, amplitudeStd: 2.2)
  /// Connective tissue (dura, posterior longitudinal ligament): c 1613, ρ 1120, α0 0.5 (Fullwave 2.5).
  public static let connective = Tissue(
    name: "connective", soundSpeedMetresPerSecond: 1613, densityKgPerCubicMetre: 1120, attenuationDbPerCmPerMHz: 0.5,
    scatterersPerSquareMillimetre: 12, amplitudeStd: 1.6)
  // swift-format-ignore: DontRepeatTypeInStaticProperties
  /// Generic soft tissue: c 1540, ρ 1000, α0 0.5 (MUST/SIMUS default); backscatter that of liver,
  /// η = 3.7·10⁻⁵·f^1.4 1/(cm·sr), f in MHz (Campbell & Waag, JASA 75:603, 1984: 3.7·10⁻⁶ f^1.4 mm⁻¹sr⁻¹ for calf
  /// liver, 3–7 MHz; 3.5·10⁻⁴ 1/(cm·sr) at 5 MHz), the anchor of every tissue without its own η.
  public static let softTissue = Tissue(
    name: "soft tissue", soundSpeedMetresPerSecond: 1540, densityKgPerCubicMetre: 1000, attenuationDbPerCmPerMHz: 0.5,
    scatterersPerSquareMillimetre: 10, amplitudeStd: 1, backscatterPerCmPerSrAt1MHz: 3.7e-5, backscatterExponent: 1.4)
  /// Cerebrospinal fluid (water): c 1523, ρ 1000, α0 0.003 with y = 2; anechoic.
  public static let csf = Tissue(
    name: "CSF", soundSpeedMetresPerSecond: 1523, densityKgPerCubicMetre: 1000, attenuationDbPerCmPerMHz: 0.003,
    attenuationExponent: 2, scatterersPerSquareMillimetre: 0, amplitudeStd: 0)
  /// Cortical bone: c 3200 (3194 ± 113), ρ 1900 (Z ≈ 6.1 MRayl), α0 10 dB/cm/MHz (5–20 is used for shadow
  /// modelling at imaging frequencies). Its inside is not imaged: the surface echo and the shadow are what matter.
  public static let corticalBone = Tissue(
    name: "bone", soundSpeedMetresPerSecond: 3200, densityKgPerCubicMetre: 1900, attenuationDbPerCmPerMHz: 10,
    scatterersPerSquareMillimetre: 4, amplitudeStd: 1)
  /// Tissue-mimicking gel (agar/gelatin needle phantoms): c 1540, ρ 1020, α0 0.5; uniform speckle, 6 dB less
  /// echogenic than generic soft tissue, as needle-training gels with sparse scatterers are (configurable).
  public static let gel = Tissue(
    name: "gel", soundSpeedMetresPerSecond: 1540, densityKgPerCubicMetre: 1020, attenuationDbPerCmPerMHz: 0.5,
    scatterersPerSquareMillimetre: 10, amplitudeStd: 0.5)
  /// Stainless steel 304: longitudinal c 5790, ρ 7930 (Z ≈ 45.9 MRayl); attenuation negligible.
  public static let steel = Tissue(
    name: "steel", soundSpeedMetresPerSecond: 5790, densityKgPerCubicMetre: 7930, attenuationDbPerCmPerMHz: 0,
    scatterersPerSquareMillimetre: 0, amplitudeStd: 0)
  /// Air at 20 °C: c 343, ρ 1.21 (Z ≈ 415 Rayl; Kinsler et al., "Fundamentals of Acoustics", 4th ed., 2000,
  /// Appendix A10). An air-filled needle's lumen.
  public static let air = Tissue(
    name: "air", soundSpeedMetresPerSecond: 343, densityKgPerCubicMetre: 1.21, attenuationDbPerCmPerMHz: 0,
    scatterersPerSquareMillimetre: 0, amplitudeStd: 0)
}
