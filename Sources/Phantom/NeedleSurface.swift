import Foundation

/// The finish of a needle's shaft: polished tubing (a mirror), a rough one (``SurfaceRoughness``, its whole length),
/// or an echogenic finish along its distal shaft — a pattern of dimples, or a polymer coating that holds gas bubbles.
///
/// A plain shaft is a perfect mirror, so it vanishes once its specular echo misses the aperture. A bare syringe
/// needle measured 16.2 ± 2.7 nm RMS (Chu et al., Sci. Rep. 6:31847, 2016, Table 1): its diffuse echo, which grows
/// as σ², stands 28 dB under a 0.4 µm finish's at the same correlation length, so the mirror is the default. A
/// rougher finish (ground, blasted, worn), which scatters diffusely whatever the angle, is the user's to state
/// (`.rough`).
/// Echogenic needles carry pits (dimples) on their distal shaft that scatter back whatever the angle
/// (``SurfacePit``). Their geometry differs between makers and is not published: the pattern is the user's to state,
/// from the needle's specification or a micrograph. The one published count, 54 and 70 dimples per low-power
/// microscope field on two dimpled needles (Nichols et al., JVIR 14:1553, 2003), is about 20–35 per mm² for a field
/// 1.6–1.8 mm across. Coated needles carry a polymer layer that holds gas bubbles (``CoatingBubble``); makers
/// publish neither the bubbles' size nor their number, so these too are the user's to state.
public enum NeedleSurface: Sendable, Equatable {
  case plain
  case dimpled(DimplePattern)
  case coated(BubbleCoating)
  case rough(SurfaceRoughness)

  public var dimples: DimplePattern? {
    if case .dimpled(let p) = self { return p }
    return nil
  }

  public var coating: BubbleCoating? {
    if case .coated(let c) = self { return c }
    return nil
  }

  public var roughness: SurfaceRoughness? {
    if case .rough(let r) = self { return r }
    return nil
  }

  /// `plain`, `dimpled`, `coated` or `rough`.
  public var name: String {
    switch self {
    case .plain: "plain"
    case .dimpled: "dimpled"
    case .coated: "coated"
    case .rough: "rough"
    }
  }
}

/// Features of one kind and size — a ``SurfacePit`` or a ``CoatingBubble`` — scattered uniformly at random over the
/// whole circumference of the shaft between two distances from the tip.
public struct ShaftPattern<Feature: Sendable & Equatable>: Sendable, Equatable {
  public var feature: Feature
  /// Mean number of features per mm² of the shaft's outer surface.
  public var perSquareMillimetre: Double
  /// Where the pattern lies, as distances (m) back along the shaft from the tip's point.
  public var fromTipMetres: ClosedRange<Double>

  public init(_ feature: Feature, perSquareMillimetre: Double, fromTipMetres: ClosedRange<Double>) {
    self.feature = feature
    self.perSquareMillimetre = perSquareMillimetre
    self.fromTipMetres = fromTipMetres
  }
}

/// An echogenic needle's dimples.
public typealias DimplePattern = ShaftPattern<SurfacePit>
/// A coated needle's bubbles.
public typealias BubbleCoating = ShaftPattern<CoatingBubble>

extension ShaftPattern where Feature == SurfacePit {
  public var pit: SurfacePit { feature }

  /// The share of the surface the openings take: `n·πa²`, capped at 1. The wall's mirror echo keeps `1 −` this
  /// share over the pattern (the Kirchhoff integral over what is left of the plane).
  public var coverage: Double {
    min(1, perSquareMillimetre * 1e6 * Double.pi * pit.radiusMetres * pit.radiusMetres)
  }
}

extension ShaftPattern where Feature == CoatingBubble {
  public var bubble: CoatingBubble { feature }
}
