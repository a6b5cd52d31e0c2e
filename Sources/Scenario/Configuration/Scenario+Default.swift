import Foundation

extension Scenario {
  /// The built-in scene, word for word `examples/phantoms/lumbar-paramedian-sagittal.yaml`: the paramedian
  /// sagittal oblique view at L3–L4 (laminae as a sawtooth of bone lines with their shadows, the posterior complex
  /// through the interlaminar window, the anterior complex deeper) with an 18G Tuohy needle coming in at 25° from
  /// the cranial side, imaged with a C5-2v (128 elements, 3.57 MHz) to 80 mm by three compounded diverging waves.
  public static let defaultSceneYAML = """
    # Paramedian sagittal oblique view at L3-L4 for an interlaminar epidural: laminae as a sawtooth of bone lines with
    # shadows, the posterior complex through the window, an 18G Tuohy needle coming in from the cranial side.
    probe: C5-2v
    phantom: {preset: lumbar-paramedian-sagittal, level: L3-L4, fat_thickness_mm: 12}
    needles:
      - {gauge: 18, tip_mm: [-2, 40], angle_deg: 25, side: left, tip: tuohy}
    transmit: {scheme: diverging, angles_deg: [-10, 0, 10]}
    image: {x_mm: [-40, 40], z_mm: [1, 80], pixel_mm: 0.2}
    acquisition: {noise_floor_db: -71}
    seed: 3

    """

  /// ``defaultSceneYAML`` parsed.
  public static var defaultScene: Scenario {
    do {
      return try parse(yaml: defaultSceneYAML)
    } catch {
      preconditionFailure("the built-in scene does not parse: \(error)")
    }
  }
}
