/// Probe presets by the names MUST users know (`getparam('L11-5v')`), with the values tabulated in
/// `docs/physics.md` ("Probe presets", from MUST's getparam, itself from Verasonics' computeTrans).
/// The constants keep the probes' own names (`l11_5v` for L11-5v), which lowerCamelCase would hide.
extension Probe {
  /// All presets, in a stable order.
  public static let presets: [Probe] = [l11_5v, l12_3v, c5_2v, p4_2v]

  /// Looks a preset up by name, ignoring case.
  public static func preset(named name: String) -> Probe? {
    presets.first { $0.name.lowercased() == name.lowercased() }
  }

  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// 128-element linear array, 7.6 MHz, 0.300 mm pitch, 77 % bandwidth, 5 mm high, elevation focus 18 mm.
  public static let l11_5v = Probe(
    name: "L11-5v", layout: .linear, elementCount: 128, centerFrequencyHz: 7.6e6, pitchMetres: 0.300e-3,
    elementWidthMetres: 0.270e-3, fractionalBandwidth: 0.77, elementHeightMetres: 5e-3, elevationFocusMetres: 18e-3)

  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// 192-element linear array, 7.54 MHz, 0.200 mm pitch, 93 % bandwidth, 5 mm high, elevation focus 20 mm.
  public static let l12_3v = Probe(
    name: "L12-3v", layout: .linear, elementCount: 192, centerFrequencyHz: 7.54e6, pitchMetres: 0.200e-3,
    elementWidthMetres: 0.170e-3, fractionalBandwidth: 0.93, elementHeightMetres: 5e-3, elevationFocusMetres: 20e-3)

  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// 128-element convex array, 3.57 MHz, 0.508 mm pitch, radius 49.57 mm, 79 % bandwidth, 13.5 mm high, focus 60 mm.
  public static let c5_2v = Probe(
    name: "C5-2v", layout: .convex, elementCount: 128, centerFrequencyHz: 3.57e6, pitchMetres: 0.508e-3,
    elementWidthMetres: 0.460e-3, fractionalBandwidth: 0.79, radiusMetres: 49.57e-3, elementHeightMetres: 13.5e-3,
    elevationFocusMetres: 60e-3)

  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// 64-element phased array, 2.72 MHz, 0.300 mm pitch, 74 % bandwidth, 14 mm high, elevation focus 60 mm.
  public static let p4_2v = Probe(
    name: "P4-2v", layout: .phased, elementCount: 64, centerFrequencyHz: 2.72e6, pitchMetres: 0.300e-3,
    elementWidthMetres: 0.250e-3, fractionalBandwidth: 0.74, elementHeightMetres: 14e-3, elevationFocusMetres: 60e-3)
}
