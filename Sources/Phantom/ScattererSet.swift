/// Point scatterers for the linear (first-order Born) pulse-echo model, stored as a structure of arrays.
///
/// Coordinates are in **metres** in the probe frame: `x` lateral (along the array), `y` elevation (across the
/// array, 0 in the scan plane), `z` depth (away from the probe face, positive into the body). `amplitude` is the
/// scatterer's reflectivity (dimensionless, signed: speckle uses zero-mean Gaussian amplitudes).
///
/// Every producer of scatterers (regions, point targets, `.npy` files, and later the spinal phantom's tissues,
/// bone and needles) fills one of these; the physics core consumes only this type.
public struct ScattererSet: Sendable, Equatable {
  public var x: [Float]
  public var y: [Float]
  public var z: [Float]
  public var amplitude: [Float]

  public init() {
    x = []
    y = []
    z = []
    amplitude = []
  }

  public init(x: [Float], y: [Float], z: [Float], amplitude: [Float]) {
    precondition(x.count == y.count && y.count == z.count && z.count == amplitude.count, "ragged scatterer arrays")
    self.x = x
    self.y = y
    self.z = z
    self.amplitude = amplitude
  }

  /// Number of scatterers.
  public var count: Int { x.count }

  /// Appends one scatterer (metres, dimensionless amplitude).
  public mutating func append(xMetres: Float, yMetres: Float, zMetres: Float, amplitude a: Float) {
    x.append(xMetres)
    y.append(yMetres)
    z.append(zMetres)
    amplitude.append(a)
  }

  /// Appends every scatterer of `other`, keeping order.
  public mutating func append(contentsOf other: ScattererSet) {
    x += other.x
    y += other.y
    z += other.z
    amplitude += other.amplitude
  }

  /// Reserves room for `n` more scatterers.
  public mutating func reserveCapacity(_ n: Int) {
    x.reserveCapacity(count + n)
    y.reserveCapacity(count + n)
    z.reserveCapacity(count + n)
    amplitude.reserveCapacity(count + n)
  }
}
