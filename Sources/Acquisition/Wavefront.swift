/// The shape of a transmitted wave (positions in metres, probe frame; angles in radians from +z toward +x).
public enum Wavefront: Sendable, Equatable {
  /// A plane wave travelling at `angleRadians` (steering).
  case plane(angleRadians: Double)
  /// A beam converging on a focal point in front of the probe.
  case focused(xMetres: Double, zMetres: Double)
  /// A wave diverging from a virtual source behind the probe (z < 0).
  case diverging(xMetres: Double, zMetres: Double)
  /// One element firing alone (synthetic transmit aperture).
  case singleElement(index: Int)
}
