/// Point scatterers for the linear (first-order Born) pulse-echo model, stored as a structure of arrays.
///
/// Coordinates are in **metres** in the probe frame: `x` lateral (along the array), `y` elevation (across the
/// array, 0 in the scan plane), `z` depth (away from the probe face, positive into the body). `amplitude` is the
/// scatterer's reflectivity (signed: speckle uses amplitudes of random sign); its unit depends on what the
/// scatterer stands for (``sheetRadius``).
///
/// Every producer of scatterers (regions, point targets, `.npy` files, and later the spinal phantom's tissues,
/// bone and needles) fills one of these; the physics core consumes only this type.
public struct ScattererSet: Sendable, Equatable {
  public var x: [Float]
  public var y: [Float]
  public var z: [Float]
  public var amplitude: [Float]
  /// What each entry stands for across the elevation beam (m):
  /// - 0: a point at (x, y, z);
  /// - +∞: a strip of a flat specular surface that crosses the whole elevation beam through (x, z), the surface's
  ///   normal in the scan plane;
  /// - a > 0 finite: a strip of a convex cylinder of radius a whose axis lies along the scan plane at elevation y,
  ///   (x, z) on its probe-facing line (a needle's wall);
  /// - −b < 0: a strip of a flat face that spans elevations y − b … y + b (a bevel's face).
  /// A sheet's amplitude is its Kirchhoff weight `R·Δ/λ` for a strip Δ wide (``ElevationSheet`` in the physics
  /// core); a point's is its scattering amplitude.
  public var sheetRadius: [Float]
  /// Extra two-way travel time (s) of each entry's echo beyond its straight path: 0 for a scatterer; for a copy of
  /// an echo that rang inside a layered structure (a needle's lumen, ``EchoTrain``), the time the sound spent ringing.
  /// The echo then carries the attenuation of the path to (x, y, z) only, and arrives later by this much on every
  /// element, so the image shows it further along the beam.
  public var delaySeconds: [Float]

  public init() {
    x = []
    y = []
    z = []
    amplitude = []
    sheetRadius = []
    delaySeconds = []
  }

  /// Scatterers from columns; `sheetRadius` nil makes every one a point, `delaySeconds` nil delays none.
  public init(
    x: [Float], y: [Float], z: [Float], amplitude: [Float], sheetRadius: [Float]? = nil, delaySeconds: [Float]? = nil
  ) {
    precondition(x.count == y.count && y.count == z.count && z.count == amplitude.count, "ragged scatterer arrays")
    precondition(sheetRadius.map { $0.count == x.count } ?? true, "ragged scatterer arrays")
    precondition(delaySeconds.map { $0.count == x.count } ?? true, "ragged scatterer arrays")
    self.x = x
    self.y = y
    self.z = z
    self.amplitude = amplitude
    self.sheetRadius = sheetRadius ?? [Float](repeating: 0, count: x.count)
    self.delaySeconds = delaySeconds ?? [Float](repeating: 0, count: x.count)
  }

  /// Number of scatterers.
  public var count: Int { x.count }

  /// Whether any entry is a sheet.
  public var hasSheets: Bool { sheetRadius.contains { $0 != 0 } }

  /// Appends one scatterer (metres; a point unless `sheetRadius` says otherwise).
  public mutating func append(
    xMetres: Float, yMetres: Float, zMetres: Float, amplitude a: Float, sheetRadius r: Float = 0,
    delaySeconds t: Float = 0
  ) {
    x.append(xMetres)
    y.append(yMetres)
    z.append(zMetres)
    amplitude.append(a)
    sheetRadius.append(r)
    delaySeconds.append(t)
  }

  /// Appends scatterer `i` of `other`.
  public mutating func append(_ i: Int, of other: ScattererSet) {
    append(
      xMetres: other.x[i], yMetres: other.y[i], zMetres: other.z[i], amplitude: other.amplitude[i],
      sheetRadius: other.sheetRadius[i], delaySeconds: other.delaySeconds[i])
  }

  /// Appends every scatterer of `other`, keeping order.
  public mutating func append(contentsOf other: ScattererSet) {
    x += other.x
    y += other.y
    z += other.z
    amplitude += other.amplitude
    sheetRadius += other.sheetRadius
    delaySeconds += other.delaySeconds
  }

  /// The scatterers for which `keep(x, z)` (metres) holds, in order.
  public func keeping(where keep: (Double, Double) -> Bool) -> ScattererSet {
    var out = ScattererSet()
    for i in 0..<count where keep(Double(x[i]), Double(z[i])) { out.append(i, of: self) }
    return out
  }

  /// Reserves room for `n` more scatterers.
  public mutating func reserveCapacity(_ n: Int) {
    x.reserveCapacity(count + n)
    y.reserveCapacity(count + n)
    z.reserveCapacity(count + n)
    amplitude.reserveCapacity(count + n)
    sheetRadius.reserveCapacity(count + n)
    delaySeconds.reserveCapacity(count + n)
  }
}
