/// The envelope of a beamformed image: the magnitude of each complex pixel.
public enum Envelope {
  /// |b| for interleaved complex pixels.
  public static func magnitude(_ complex: [Float]) -> [Float] {
    var out = [Float](repeating: 0, count: complex.count / 2)
    for i in out.indices {
      let re = complex[2 * i]
      let im = complex[2 * i + 1]
      out[i] = (re * re + im * im).squareRoot()
    }
    return out
  }

  /// The envelope of an image beamformed on `grid`, on the Cartesian output axes `x` × `z` (m): the magnitude
  /// itself for a Cartesian grid (whose axes these are), scan-converted from a polar one.
  public static func cartesian(_ complex: [Float], grid: ImageGrid, x: [Double], z: [Double]) -> [Float] {
    let envelope = magnitude(complex)
    guard case .polar = grid.geometry else { return envelope }
    return ScanConversion.toCartesian(envelope, from: grid, x: x, z: z)
  }
}
