import Acquisition
import Foundation

/// A UFF probe (`uff.linear_array`, `uff.curvilinear_array` or a plain `uff.probe`) as one of our ``Probe`` layouts.
///
/// The beamformer knows arrays whose elements lie on a line centred on x = 0 (linear) or on an arc centred on
/// (0, −R) (convex); the geometry `[x y z θ φ width height]` (HDF5 (7, N)) is checked against the layout within
/// 1 µm, and files whose elements lie elsewhere are refused with the path of the geometry.
struct UFFProbe {
  let reader: UFFReader

  /// Element positions must match the fitted layout this closely (m).
  static let tolerance = 1e-6

  func probe(at path: String, centerFrequencyHz: Double, fractionalBandwidth: Double) throws -> Probe {
    try reader.require(path)
    let uffClass = try reader.uffClass(path) ?? "uff.probe"
    let known = ["uff.probe", "uff.linear_array", "uff.curvilinear_array"]
    guard known.contains(uffClass) else {
      throw reader.fail(path, "probe class '\(uffClass)' is not supported (\(known.joined(separator: ", ")) are)")
    }
    let file = reader.file
    let name = try reader.string(path + "/name") ?? uffClass
    var geometry: [Double]?
    var n = 0
    if file.kind(path + "/geometry") == .dataset {
      let values = try reader.vector(path + "/geometry", in: -10...10)
      let shape = try file.shape(path + "/geometry")
      // (7, N) as written by USTB; a (N, 7) array is accepted too when unambiguous.
      if shape.count == 2, shape[0] == 7 {
        geometry = values
        n = shape[1]
      } else if shape.count == 2, shape[1] == 7 {
        n = shape[0]
        geometry = (0..<7).flatMap { row in (0..<n).map { values[$0 * 7 + row] } }
      } else {
        throw reader.fail(path + "/geometry", "shape \(shape): expected (7, N) rows [x y z θ φ width height]")
      }
    } else if file.kind(path + "/N") != nil {
      n = Int(try reader.scalar(path + "/N", in: 1...4096, "elements"))
    } else {
      throw reader.fail(
        path + "/geometry", "missing (a compulsory field, or N and pitch for a linear or curvilinear array)")
    }
    guard n >= 1 else { throw reader.fail(path, "has no elements") }
    func row(_ r: Int) -> [Double]? { geometry.map { g in Array(g[(r * n)..<((r + 1) * n)]) } }
    let x = row(0)
    let z = row(2)
    let theta = row(3)
    guard n <= 4096 else { throw reader.fail(path + "/geometry", "has \(n) elements: at most 4096 are supported") }
    let width = try reader.scalar(path + "/element_width", in: 0...1, "m", default: row(5)?.first ?? 0)
    let height = try reader.scalar(path + "/element_height", in: 0...1, "m", default: row(6)?.first ?? 0)

    var radius =
      file.kind(path + "/radius") != nil ? try reader.scalar(path + "/radius", in: 0...100, "m") : Double.infinity
    if radius.isInfinite, let x, let theta, theta.contains(where: { abs($0) > 1e-9 }) {
      // A plain uff.probe on an arc: R from any element off the axis (x = R sin θ).
      if let e = theta.indices.max(by: { abs(theta[$0]) < abs(theta[$1]) }) { radius = x[e] / sin(theta[e]) }
    }
    let convex = radius.isFinite && radius > 0
    var pitch: Double
    if let x, n > 1 {
      pitch = convex ? radius * ((theta?[1] ?? 0) - (theta?[0] ?? 0)) : x[1] - x[0]
    } else if file.kind(path + "/pitch") != nil {
      let p = try reader.scalar(path + "/pitch", in: 0...1, "m")
      pitch = convex ? 2 * radius * asin(p / 2 / radius) : p  // USTB's chord pitch → arc pitch
    } else {
      pitch = width > 0 ? width : 1e-3
    }
    if pitch <= 0 { pitch = width > 0 ? width : 1e-3 }
    let probe = Probe(
      name: name, layout: convex ? .convex : .linear, elementCount: n, centerFrequencyHz: centerFrequencyHz,
      pitchMetres: pitch, elementWidthMetres: width > 0 ? min(width, pitch) : pitch,
      fractionalBandwidth: fractionalBandwidth, radiusMetres: convex ? radius : .infinity,
      elementHeightMetres: height > 0 ? height : 5e-3)
    if let problem = probe.problems.first {
      throw reader.fail(path, "gives a probe with \(problem.field) \(problem.value): must be \(problem.allowed)")
    }
    if let x, let z {
      for (e, el) in probe.elements.enumerated()
      where abs(el.xMetres - x[e]) > Self.tolerance || abs(el.zMetres - z[e]) > Self.tolerance {
        throw reader.fail(
          path + "/geometry",
          String(
            format:
              "element %d at (x %.4f, z %.4f) mm is not on the %@ fitted to the others (expected x %.4f, z %.4f mm): only evenly spaced linear arrays centred on x = 0 and convex arrays centred on their arc are supported",
            e + 1, x[e] * 1e3, z[e] * 1e3, convex ? "arc" : "line", el.xMetres * 1e3, el.zMetres * 1e3))
      }
    }
    return probe
  }
}
