/// A single point reflector (wire target) at a position in metres with a reflectivity.
public struct PointTarget: Sendable, Equatable {
  public var xMetres: Double
  public var yMetres: Double
  public var zMetres: Double
  public var amplitude: Double

  public init(xMetres: Double, yMetres: Double = 0, zMetres: Double, amplitude: Double = 1) {
    self.xMetres = xMetres
    self.yMetres = yMetres
    self.zMetres = zMetres
    self.amplitude = amplitude
  }
}
