/// How the scene's echo amplitudes are scaled, which sets every ratio a user measures between specular and diffuse
/// echoes.
///
/// - `relative`: speckle amplitudes are the tissues' relative values times ``Tissue/speckleAmplitudeUnit`` (a
///   constant chosen so bone images ~30 dB over soft tissue), and specular surfaces are lines of points in the scan
///   plane (a needle's wall with an imposed cylinder factor).
/// - `physical`: speckle amplitudes follow from each tissue's backscatter coefficient η (1/(cm·sr)) and scatterer
///   density (``Tissue/speckleAmplitude(frequencyHz:thicknessMetres:)``), and specular surfaces are Kirchhoff sheets
///   across the elevation beam (``ScattererSet/sheetRadius``): mirrors follow the image-source law and a needle's
///   echo its curvature. No free constant is left between the two.
public enum EchoCalibration: String, Sendable, CaseIterable {
  case relative
  case physical

  /// The amplitude of a strip Δ = `spacingMetres` wide of a mirror of reflection 1: `Δ/λ` (physical: a Kirchhoff
  /// sheet's −i/λ per unit area, the elevation integral done by the physics core) or `Δ/√λ` (relative: a line of
  /// points that by in-plane stationary phase is a mirror in 2-D).
  public func specularAmplitude(spacingMetres spacing: Double, wavelengthMetres lambda: Double) -> Double {
    self == .physical ? spacing / lambda : spacing / lambda.squareRoot()
  }

  /// ``ScattererSet/sheetRadius`` of a flat surface's strip: ∞ (a sheet) physically, 0 (a point) relatively.
  public var flatSheetRadius: Float { self == .physical ? .infinity : 0 }

  /// The factor that turns a scattering amplitude in metres (|A|² a differential backscatter cross-section, m²/sr:
  /// a needle's dimple, ``SurfacePit``) into this calibration's units: 1 physically; relatively, generic soft
  /// tissue's relative speckle amplitude (``Tissue/speckleAmplitudeUnit``) over its physical one at `frequencyHz` and
  /// a slab `thicknessMetres` thick (``Tissue/speckleAmplitude(frequencyHz:thicknessMetres:)``), so that the point
  /// stands against the tissues' speckle as it does physically. 0 for a slab of no thickness, where speckle has no
  /// physical level.
  public func pointScatteringScale(frequencyHz: Double, thicknessMetres: Double) -> Double {
    guard self == .relative else { return 1 }
    let soft = Tissue.softTissue
    let physical = soft.speckleAmplitude(frequencyHz: frequencyHz, thicknessMetres: thicknessMetres)
    return physical > 0 ? Tissue.speckleAmplitudeUnit * soft.amplitudeStd / physical : 0
  }
}
