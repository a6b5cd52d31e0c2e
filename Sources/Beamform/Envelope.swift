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
}
