import Foundation

/// A region filled with randomly placed scatterers: tissue speckle, or an anechoic cyst when its density is zero.
///
/// Regions are layered: a region listed later owns its area, so scatterers of earlier regions that fall inside it
/// are removed. An anechoic cyst is therefore a region with `densityPerMm2 = 0` listed after the background.
///
/// Amplitudes are `±10^(echogenicityDb/20)` with a random sign
/// (``TissueMap/speckle(in:thicknessMetres:amplitudeUnit:seed:)`` says why not Gaussian); with enough scatterers per
/// resolution cell the envelope is then Rayleigh-distributed (fully developed speckle, mean/std = 1.91;
/// `docs/metrics.md`).
public struct SpeckleRegion: Sendable, Equatable {
  public var shape: RegionShape
  /// Mean number of scatterers per square millimetre of scan-plane area.
  public var densityPerMm2: Double
  /// Echogenicity in dB relative to a 0 dB background (amplitude standard deviation `10^(dB/20)`).
  public var echogenicityDb: Double
  /// Elevation extent in metres: scatterers are spread uniformly over `y ∈ [-thickness/2, thickness/2]`
  /// (0 = in the scan plane).
  public var thicknessMetres: Double

  public init(shape: RegionShape, densityPerMm2: Double, echogenicityDb: Double = 0, thicknessMetres: Double = 0) {
    self.shape = shape
    self.densityPerMm2 = densityPerMm2
    self.echogenicityDb = echogenicityDb
    self.thicknessMetres = thicknessMetres
  }

  /// An anechoic region (no scatterers) of the given shape.
  public static func anechoic(_ shape: RegionShape) -> SpeckleRegion {
    SpeckleRegion(shape: shape, densityPerMm2: 0)
  }

  /// Expected number of scatterers: density × area.
  public var expectedCount: Double { densityPerMm2 * shape.area * 1e6 }
}
