import Acoustics
import ConfigReading
import FileFormats
import Foundation
import Phantom
import Yams

/// The `scatterers:` section: point targets, a `.npy` file of scatterers and layered speckle regions.
extension Scenario {
  static let regionKeys = [
    "shape", "x_mm", "z_mm", "center_mm", "radius_mm", "semi_axes_mm", "angle_deg", "density_per_mm2",
    "echogenicity_db", "anechoic", "thickness_mm",
  ]

  /// Point amplitudes are relative to a unit scatterer; beyond ±10⁶ the summed echoes leave float32's range.
  static let maximumAmplitude = 1e6
  static let amplitudeRange = "an amplitude within ±1e6"

  static func parseScatterers(_ n: ConfigNode, base: URL) throws -> PhantomDescription {
    let m = try n.mapping(allowed: ["points", "file", "regions"])
    var ph = PhantomDescription()
    for p in try (m["points"] ?? ConfigNode(nil, path: "")).list() {
      let pm = try p.mapping(allowed: ["x_mm", "y_mm", "z_mm", "amplitude"])
      guard let x = pm["x_mm"], let z = pm["z_mm"] else { throw p.error("a point with x_mm and z_mm") }
      ph.points.append(
        PointTarget(
          xMetres: try x.number(in: -1000...1000, "a number in mm") * 1e-3,
          yMetres: try pm["y_mm"].map { try $0.number(in: -1000...1000, "a number in mm") }.map { $0 * 1e-3 } ?? 0,
          zMetres: try z.number(in: 0.001...1000, "a depth in mm > 0") * 1e-3,
          amplitude: try pm["amplitude"]?.number(in: -maximumAmplitude...maximumAmplitude, amplitudeRange) ?? 1))
    }
    if let f = m["file"], f.isPresent {
      let array = try readNumpy(f, base: base, expected: "a float32/float64 .npy array (N, 4)")
      guard array.shape.count == 2, array.shape[1] == 4 else {
        throw f.error(
          "an array of shape (N, 4) with columns x_mm, y_mm, z_mm, amplitude", value: "shape \(array.shape)")
      }
      for i in 0..<array.shape[0] {
        let r = Array(array.values[(4 * i)..<(4 * i + 4)])
        guard r.allSatisfy(\.isFinite) else { throw f.error("finite values", value: "row \(i): \(r)") }
        guard r[0...1].allSatisfy({ abs($0) <= 1000 }), r[2] >= 0, r[2] <= 1000 else {
          throw f.error("x_mm and y_mm within ±1000, z_mm within 0…1000", value: "row \(i): \(r)")
        }
        guard abs(r[3]) <= maximumAmplitude else { throw f.error(amplitudeRange, value: "row \(i): \(r)") }
        ph.extra.append(
          xMetres: Float(r[0] * 1e-3), yMetres: Float(r[1] * 1e-3), zMetres: Float(r[2] * 1e-3), amplitude: Float(r[3]))
      }
    }
    for r in try (m["regions"] ?? ConfigNode(nil, path: "")).list() {
      let rm = try r.mapping(allowed: regionKeys)
      let shape = try parseShape(r, rm, allowed: ["rectangle", "disk", "ellipse"])
      var density =
        try rm["density_per_mm2"]?.number(in: 0...10000, "a density 0…10000 per mm²") ?? defaultRegionDensityPerMm2
      if let a = rm["anechoic"], try a.bool() { density = 0 }
      ph.regions.append(
        SpeckleRegion(
          shape: shape, densityPerMm2: density,
          echogenicityDb: try rm["echogenicity_db"]?.number(in: -100...100, "a level in dB, −100…100") ?? 0,
          thicknessMetres: (try rm["thickness_mm"]?.number(in: 0...100, "a thickness in mm, 0…100") ?? 0) * 1e-3))
    }
    return ph
  }

  /// The shape of a region mapping `rm` (node `r`): `shape:` one of `allowed` with its keys — rectangle `x_mm`,
  /// `z_mm`; disk `center_mm`, `radius_mm`; ellipse `center_mm`, `semi_axes_mm`, `angle_deg`; polygon `points_mm:
  /// [[x, z], …]` (at least 3); layer `z_mm` (a band across the whole width). Millimetres in the probe frame.
  static func parseShape(_ r: ConfigNode, _ rm: [String: ConfigNode], allowed: [String]) throws -> RegionShape {
    let names = allowed.joined(separator: ", ")
    guard let shapeNode = rm["shape"] else { throw r.error("a region with a shape (\(names))") }
    let shapeName = try shapeNode.string(allowed: names)
    func need(_ key: String) throws -> ConfigNode {
      guard let v = rm[key] else {
        throw ScenarioError(
          field: r.child(key), value: "(missing)", allowed: "a value for a \(shapeName)", line: r.line)
      }
      return v
    }
    guard allowed.contains(shapeName) else { throw shapeNode.error(names) }
    switch shapeName {
    case "rectangle":
      let x = try need("x_mm").range(in: -1000...1000, "[min, max] in mm")
      let z = try need("z_mm").range(in: 0...1000, "[min, max] depth in mm, ≥ 0")
      return .rectangle(
        xMin: x.lowerBound * 1e-3, xMax: x.upperBound * 1e-3, zMin: z.lowerBound * 1e-3, zMax: z.upperBound * 1e-3)
    case "layer":
      let z = try need("z_mm").range(in: 0...1000, "[top, bottom] depth in mm, ≥ 0")
      return .rectangle(xMin: -1, xMax: 1, zMin: z.lowerBound * 1e-3, zMax: z.upperBound * 1e-3)
    case "disk":
      let c = try need("center_mm").numbers(count: 2, in: -1000...1000, "[x, z] in mm")
      let rad = try need("radius_mm").number(in: 1e-3...1000, "a radius in mm > 0")
      return .disk(x: c[0] * 1e-3, z: c[1] * 1e-3, radius: rad * 1e-3)
    case "ellipse":
      let c = try need("center_mm").numbers(count: 2, in: -1000...1000, "[x, z] in mm")
      let ax = try need("semi_axes_mm").numbers(count: 2, in: 1e-3...1000, "[a, b] in mm, both > 0")
      let ang = try rm["angle_deg"]?.number(in: -360...360, "an angle in degrees") ?? 0
      return .ellipse(x: c[0] * 1e-3, z: c[1] * 1e-3, a: ax[0] * 1e-3, b: ax[1] * 1e-3, angle: ang * .pi / 180)
    default:
      let v = try need("points_mm")
      let points = try v.list().map { try $0.numbers(count: 2, in: -1000...1000, "[x, z] in mm") }
      guard points.count >= 3 else { throw v.error("at least 3 points [x, z] in mm", value: "\(points.count) points") }
      return .polygon(points.map { SIMD2($0[0] * 1e-3, $0[1] * 1e-3) })
    }
  }

  /// The `.npy` array that file node `f` names (a path relative to the scenario's folder `base`, or absolute);
  /// errors name the field, with `expected` saying what the file should hold.
  static func readNumpy(_ f: ConfigNode, base: URL, expected: String) throws -> (values: [Double], shape: [Int]) {
    let path = try f.string()
    guard !path.isEmpty else { throw f.error("a path to a .npy file (relative to the scenario's folder, or absolute)") }
    let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
    guard let data = try? Data(contentsOf: url) else { throw f.error("a readable .npy file (looked for \(url.path))") }
    do { return try NumpyArray.decode(data) } catch { throw f.error("\(expected): \(error)") }
  }
}
