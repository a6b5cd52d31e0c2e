import Phantom

/// Flat colours for tissue classes in pictures (the exercise page's anatomy, the scene figures' label maps): bone
/// white as on the scanner, soft tissues in muted shades, the needle red.
public enum TissuePalette {
  public static func colour(named name: String) -> (UInt8, UInt8, UInt8) {
    switch name {
    case Tissue.corticalBone.name: return (255, 255, 245)
    case Tissue.skin.name: return (205, 170, 150)
    case Tissue.fat.name: return (225, 205, 140)
    case Tissue.muscle.name: return (165, 85, 80)
    case Tissue.ligament.name: return (110, 150, 200)
    case Tissue.csf.name: return (60, 100, 190)
    case Tissue.connective.name: return (150, 140, 160)
    case Tissue.gel.name: return (140, 160, 150)
    case "needle": return (230, 40, 40)
    default: return (120, 110, 110)
    }
  }
}
