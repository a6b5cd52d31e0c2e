import Acquisition
import FileFormats
import Foundation
import Phantom

/// Where the probe sits on the patient, for the trainee's page: a picture of the exercise's anatomy in the scan
/// plane (`anatomy.png`, the tissues in flat colours, bone white) and, per frame, the probe's face and its sector in
/// that picture's coordinates, so the page can draw the probe sliding and rocking over the vertebrae as the frames
/// go by — the body marker of a scanner, drawn to scale.
///
/// Geometry (probe frame: x lateral, z depth below the centre of the face, metres): the sector's apex A lies at
/// ``Probe/sectorApex`` (the arc's centre (0, −R) for a convex array); its sides are the rays from A at ±θ
/// (``Probe/sectorHalfAngleRadians``); the image starts at the skin (z = 0), where the sides meet it at
/// r₀ = −A_z / cos θ from A, and ends on the arc r₁ = D − A_z (D the image's depth). A frame's pose turns the probe
/// frame into anatomy coordinates (``Phantom/AnatomyParameters/toAnatomy(_:translate:)``).
enum ProbeSchematic {
  /// The picture's region in anatomy coordinates (metres) and its pixel size: 220 mm across, from 25 mm above the
  /// skin (where the probe is drawn) to 10 mm below the image's depth.
  static let halfWidthMetres = 110e-3
  static let aboveSkinMetres = 25e-3
  static let pixelMetres = 0.5e-3

  /// The picture's rows for an image `depth` deep.
  static func rows(depthMetres depth: Double) -> Int {
    Int(((aboveSkinMetres + depth + 10e-3) / pixelMetres).rounded())
  }

  /// The sector's outline in the probe frame, clockwise from the skin at the left side: the left side, the bottom
  /// arc (`arcPoints` + 1 points), the right side, back along the skin.
  static func sectorOutline(probe: Probe, depthMetres depth: Double, arcPoints: Int = 48) -> [SIMD2<Double>] {
    let apex = SIMD2(probe.sectorApex.xMetres, probe.sectorApex.zMetres)
    let theta = probe.sectorHalfAngleRadians
    let (near, far) = (-apex.y / cos(theta), depth - apex.y)
    func at(_ angle: Double, _ r: Double) -> SIMD2<Double> { apex + SIMD2(sin(angle), cos(angle)) * r }
    let arc = (0...arcPoints).map { at(-theta + 2 * theta * Double($0) / Double(arcPoints), far) }
    return [at(-theta, near)] + arc + [at(theta, near)]
  }

  /// The probe's face in the probe frame: every eighth element's centre and the last.
  static func face(probe: Probe) -> [SIMD2<Double>] {
    let e = probe.elements
    return (Array(stride(from: 0, to: e.count - 1, by: 8)) + [e.count - 1]).map { SIMD2(e[$0].xMetres, e[$0].zMetres) }
  }

  /// The picture's RGB pixels of the anatomy at the neutral pose (`parameters` with offset and tilt 0).
  static func picture(_ anatomy: Anatomy, depthMetres depth: Double) -> (rgb: [UInt8], width: Int, height: Int) {
    let width = Int((2 * halfWidthMetres / pixelMetres).rounded())
    let height = rows(depthMetres: depth)
    let colours = anatomy.map.tissues.map(colour)
    var rgb = [UInt8](repeating: 0, count: width * height * 3)
    for row in 0..<height {
      let z = -aboveSkinMetres + (Double(row) + 0.5) * pixelMetres
      for column in 0..<width {
        let x = -halfWidthMetres + (Double(column) + 0.5) * pixelMetres
        let c: (UInt8, UInt8, UInt8) = z < 0 ? (250, 250, 250) : colours[anatomy.map.tissueIndex(x: x, z: z)]
        let i = 3 * (row * width + column)
        (rgb[i], rgb[i + 1], rgb[i + 2]) = c
      }
    }
    return (rgb, width, height)
  }

  /// A tissue's flat colour in the picture (``TissuePalette``).
  static func colour(_ t: Tissue) -> (UInt8, UInt8, UInt8) { TissuePalette.colour(named: t.name) }

  /// The page's entry for the picture: its file and the anatomy region it spans (mm).
  static func entry(image: String, depthMetres depth: Double) -> [String: Any] {
    let mm = { (v: Double) in (v * 1e6).rounded() / 1e3 }
    return [
      "image": image, "x_mm": [mm(-halfWidthMetres), mm(halfWidthMetres)],
      "z_mm": [mm(-aboveSkinMetres), mm(-aboveSkinMetres + pixelMetres * Double(rows(depthMetres: depth)))],
    ]
  }

  /// Frame `pose`'s probe face and sector outline in anatomy coordinates (mm), for the picture.
  static func frameEntry(probe: Probe, pose: ExercisePlan.Pose, depthMetres depth: Double) -> [String: Any] {
    func mm(_ points: [SIMD2<Double>]) -> [[Double]] {
      points.map { p in
        let q = pose.frame.toAnatomy(p)
        return [(q.x * 1e6).rounded() / 1e3, (q.y * 1e6).rounded() / 1e3]
      }
    }
    return ["face_mm": mm(face(probe: probe)), "sector_mm": mm(sectorOutline(probe: probe, depthMetres: depth))]
  }
}
