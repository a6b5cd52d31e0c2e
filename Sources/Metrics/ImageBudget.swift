import Foundation

/// How far a beamformed image made with work left out lies from the exact one, measured as the speed budget states
/// it: the relative RMS error of the complex image over the frame (budget 1 %, −40 dB), and the worst relative RMS
/// error of the 5 × 5 mm tiles whose mean envelope is within 40 dB of the frame's peak (budget 3 %), so that no
/// local artefact hides in the frame's average.
///
/// ```
/// frame = √( Σ_p |b_p − a_p|² / Σ_p |a_p|² )         tile T: the same sums over the pixels p ∈ T
/// ```
/// with a the exact image and b the other, complex pixels (re, im interleaved); tiles are Cartesian bins of the
/// pixels' positions, so polar grids are tiled in millimetres too.
public enum ImageBudget {
  /// Tile side (m) and the level below the peak under which tiles are not held to the budget (dB).
  public static let tileMetres: Float = 5e-3
  public static let tileFloorDb = -40.0

  public static func errors(exact a: [Float], other b: [Float], x: [Float], z: [Float]) -> (
    frame: Double, worstTile: Double
  ) {
    precondition(a.count == b.count && a.count == 2 * x.count && x.count == z.count, "images and grid differ")
    var tiles = [SIMD2<Int>: (power: Double, error: Double, envelope: Double, count: Int)]()
    var power = 0.0
    var error = 0.0
    var peak = 0.0
    for p in x.indices {
      let (re, im) = (Double(a[2 * p]), Double(a[2 * p + 1]))
      let (dr, di) = (Double(b[2 * p]) - re, Double(b[2 * p + 1]) - im)
      let pp = re * re + im * im
      let ee = dr * dr + di * di
      power += pp
      error += ee
      peak = max(peak, pp.squareRoot())
      let key = SIMD2(Int((x[p] / tileMetres).rounded(.down)), Int((z[p] / tileMetres).rounded(.down)))
      let t = tiles[key] ?? (0, 0, 0, 0)
      tiles[key] = (t.power + pp, t.error + ee, t.envelope + pp.squareRoot(), t.count + 1)
    }
    let floor = peak * pow(10, tileFloorDb / 20)
    var worst = 0.0
    for t in tiles.values where t.power > 0 && t.envelope / Double(t.count) >= floor {
      worst = max(worst, (t.error / t.power).squareRoot())
    }
    return (power > 0 ? (error / power).squareRoot() : 0, worst)
  }
}
