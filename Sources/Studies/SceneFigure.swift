import Acquisition
import FileFormats
import Foundation
import Scenario

/// A scene as a scanner shows it, beside what it is made of: one picture of three panels on black — the B-mode, the
/// tissue labels (``TissuePalette``, the needle red) and the B-mode with the shadow mask in blue and bone in
/// yellow — each with the probe's sector outlined for convex and phased probes, and a depth scale in centimetres
/// (ticks every 5 mm, numbered every 10 mm, depth below the centre of the probe's face) left of the first panel.
/// `us-sim figure` and `scripts/render-presets` make them.
public enum SceneFigure {
  /// `s` imaged as a scanner shows it: for a convex or phased probe the probe's whole sector
  /// (``Scenario/ImagePlan/FieldOfView/sector``) from the skin down to the scene's depth
  /// (``sectorHalfWidthMetres(probe:depthMetres:)`` either side); a linear probe's image as it is.
  public static func scannerView(_ s: Scenario) -> Scenario {
    guard s.probe.layout != .linear else { return s }
    var v = s
    let depth = s.image.zRangeMetres.upperBound
    let half = sectorHalfWidthMetres(probe: s.probe, depthMetres: depth)
    v.image.xRangeMetres = -half...half
    v.image.zRangeMetres = 0...depth
    v.image.fieldOfView = .sector
    return v
  }

  /// Half the width of a sector probe's whole sector down to `depth` below its centre: (D − A_z)·sin θ (A the
  /// sector's apex, θ its half-angle; (R + D)·sin θ for a convex array of radius R), rounded up to the millimetre
  /// (C5-2v at 60 mm: 67 mm; at 100 mm: 91 mm).
  public static func sectorHalfWidthMetres(probe: Probe, depthMetres depth: Double) -> Double {
    ((depth - probe.sectorApex.zMetres) * sin(probe.sectorHalfAngleRadians) * 1e3).rounded(.up) * 1e-3
  }

  /// Layout (pixels): the margin round the picture, the gap between panels, the scale's column left of the first
  /// panel, and the glyph scale of its numbers.
  public static let margin = 12
  static let gap = 16
  static let scaleWidth = 34
  static let glyphScale = 2
  static let outlineColour: (UInt8, UInt8, UInt8) = (150, 150, 150)
  static let shadowColour: (UInt8, UInt8, UInt8) = (60, 140, 255)
  static let boneColour: (UInt8, UInt8, UInt8) = (250, 220, 40)

  /// The first column of panel `k` (0 B-mode, 1 labels, 2 shadow) for an image `columns` wide; its first row is
  /// ``margin``. The depth scale's ticks end 3 pixels left of panel 0.
  public static func panelLeft(_ k: Int, columns: Int) -> Int { margin + scaleWidth + k * (columns + gap) }

  /// The picture of `result`, a run of `scenario` (RGB rows top to bottom).
  public static func render(_ result: SimulationResult, scenario s: Scenario) -> (rgb: [UInt8], width: Int, height: Int)
  {
    let x = result.xAxisMetres
    let z = result.zAxisMetres
    let (columns, rows) = (x.count, z.count)
    let width = 2 * margin + scaleWidth + 3 * columns + 2 * gap
    let height = 2 * margin + rows
    var canvas = RGBCanvas(width: width, height: height, fill: (0, 0, 0))
    let inside = sectorMask(probe: s.probe, image: s.image, x: x, z: z)
    let left = (0..<3).map { panelLeft($0, columns: columns) }
    let truth = result.groundTruth
    let colours = truth?.classNames.map(TissuePalette.colour(named:)) ?? []
    for r in 0..<rows {
      for c in 0..<columns where inside[r * columns + c] {
        let i = r * columns + c
        let v = result.bmode[i]
        let grey = (v, v, v)
        canvas.set(left[0] + c, margin + r, grey)
        let label = truth.map { Int($0.tissueLabels[i]) }
        canvas.set(left[1] + c, margin + r, label.map { colours[$0] } ?? (0, 0, 0))
        var overlay = grey
        if truth?.shadow[i] == 1 { overlay = blend(overlay, shadowColour, 0.45) }
        if truth?.bone[i] == 1 { overlay = blend(overlay, boneColour, 0.6) }
        canvas.set(left[2] + c, margin + r, overlay)
      }
    }
    if s.probe.layout != .linear {
      let outline = ProbeSchematic.sectorOutline(
        probe: s.probe, depthMetres: s.image.zRangeMetres.upperBound, arcPoints: 96)
      let pixel = s.image.pixelMetres
      for l in left {
        func at(_ p: SIMD2<Double>) -> (Int, Int) {
          (l + Int(((p.x - x[0]) / pixel).rounded()), margin + Int(((p.y - z[0]) / pixel).rounded()))
        }
        for k in outline.indices { canvas.line(at(outline[k]), at(outline[(k + 1) % outline.count]), outlineColour) }
      }
    }
    drawDepthScale(&canvas, z: z, pixelMetres: s.image.pixelMetres, right: left[0] - 3)
    return (canvas.pixels, width, height)
  }

  /// Which pixels lie in the probe's sector (every pixel for a linear probe or a rectangular field of view): below
  /// the skin, within θ of the apex's axis and within D − A_z of the apex, D the image's depth (as the pipeline
  /// bounds the sector's grid).
  public static func sectorMask(probe: Probe, image: ImagePlan, x: [Double], z: [Double]) -> [Bool] {
    guard probe.layout != .linear, image.fieldOfView == .sector else {
      return [Bool](repeating: true, count: x.count * z.count)
    }
    let (ax, az) = (probe.sectorApex.xMetres, probe.sectorApex.zMetres)
    let theta = probe.sectorHalfAngleRadians
    let far = image.zRangeMetres.upperBound - az
    return z.flatMap { zr in
      x.map { xc in
        zr >= 0 && abs(atan2(xc - ax, zr - az)) <= theta && hypot(xc - ax, zr - az) <= far
      }
    }
  }

  /// Ticks every 5 mm of depth (numbered in cm every 10 mm) ending at column `right`, "cm" at the top.
  static func drawDepthScale(_ canvas: inout RGBCanvas, z: [Double], pixelMetres: Double, right: Int) {
    guard let first = z.first, let last = z.last else { return }
    let white: (UInt8, UInt8, UInt8) = (230, 230, 230)
    let glyphHeight = 5 * glyphScale
    let textRight = right - 11
    var millimetres = Int((first * 1e3 / 5).rounded(.up)) * 5
    while Double(millimetres) * 1e-3 <= last + 1e-9 {
      let row = margin + Int(((Double(millimetres) * 1e-3 - first) / pixelMetres).rounded())
      let major = millimetres % 10 == 0
      canvas.line((right - (major ? 8 : 4), row), (right, row), white)
      if major && millimetres > 0 {
        let label = String(millimetres / 10)
        canvas.text(
          label, x: textRight - RGBCanvas.textWidth(label, scale: glyphScale), y: row - glyphHeight / 2,
          scale: glyphScale, white)
      }
      millimetres += 5
    }
    canvas.text("cm", x: textRight - RGBCanvas.textWidth("cm", scale: glyphScale), y: margin, scale: glyphScale, white)
  }

  static func blend(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8), _ t: Double) -> (UInt8, UInt8, UInt8) {
    func mix(_ u: UInt8, _ v: UInt8) -> UInt8 { UInt8((Double(u) * (1 - t) + Double(v) * t).rounded()) }
    return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
  }

  /// Writes the picture of `result` to `url` as an RGB PNG, whole or not at all (``FileFormats/AtomicFile``).
  public static func write(_ result: SimulationResult, scenario: Scenario, to url: URL) throws -> (
    width: Int, height: Int
  ) {
    let picture = render(result, scenario: scenario)
    try AtomicFile.write(PNGImage.encodeRGB(picture.rgb, width: picture.width, height: picture.height), to: url)
    return (picture.width, picture.height)
  }
}
