import Foundation

/// Builders for the transmit schemes: steered plane waves, focused beams, diverging waves and synthetic aperture.
public enum TransmitSequence {
  /// One full-aperture plane wave per steering angle (radians), for coherent compounding.
  public static func planeWaves(probe: Probe, anglesRadians: [Double], soundSpeed c: Double) -> [TransmitEvent] {
    anglesRadians.map { TransmitEvent(probe: probe, wavefront: .plane(angleRadians: $0), soundSpeed: c) }
  }

  /// Diverging waves from virtual sources `distance` behind the probe's origin, tilted by each angle (radians):
  /// `V = O − d·(sin θ, cos θ)` with O the probe origin (for a convex array d = R puts V at the arc's centre).
  public static func divergingWaves(
    probe: Probe, anglesRadians: [Double], sourceDistanceMetres d: Double, soundSpeed c: Double
  ) -> [TransmitEvent] {
    anglesRadians.map {
      TransmitEvent(probe: probe, wavefront: .diverging(xMetres: -d * sin($0), zMetres: -d * cos($0)), soundSpeed: c)
    }
  }

  /// A single focused beam on a point, with the whole array (or the given apodization).
  public static func focused(probe: Probe, xMetres: Double, zMetres: Double, soundSpeed c: Double) -> TransmitEvent {
    TransmitEvent(probe: probe, wavefront: .focused(xMetres: xMetres, zMetres: zMetres), soundSpeed: c)
  }

  /// Line-by-line focused imaging: `lineCount` beams focused at `focusDepth` (m, range from the sector apex for
  /// convex and phased arrays, depth for linear ones), each with the active sub-aperture of width
  /// `focusDepth / fNumber` (all elements when `fNumber` is 0) centred on its line.
  ///
  /// Linear arrays: lines evenly spaced over `[xMin, xMax]` (m), pointing along +z. Convex and phased: lines evenly
  /// spaced in angle over `[xMin, xMax]` (rad) from the sector apex.
  public static func focusedLines(
    probe: Probe, lineCount: Int, lateralRange: ClosedRange<Double>, focusDepthMetres: Double, fNumber: Double,
    soundSpeed c: Double
  ) -> [TransmitEvent] {
    let elements = probe.elements
    let apex = probe.sectorApex
    return (0..<lineCount).map { i in
      let u = lineCount == 1 ? 0.5 : Double(i) / Double(lineCount - 1)
      let line = lateralRange.lowerBound + u * (lateralRange.upperBound - lateralRange.lowerBound)
      let fx: Double
      let fz: Double
      if probe.layout == .linear {
        fx = line
        fz = focusDepthMetres
      } else {
        let r = focusDepthMetres + (probe.layout == .convex ? probe.radiusMetres : 0)
        fx = apex.xMetres + r * sin(line)
        fz = apex.zMetres + r * cos(line)
      }
      var apod = [Float](repeating: 1, count: elements.count)
      if fNumber > 0 {
        let halfWidth = focusDepthMetres / fNumber / 2
        for (e, el) in elements.enumerated() {
          // Distance along the array from the element to the foot of the line.
          let foot: Double
          if probe.layout == .convex {
            foot = (el.normalAngleRadians - line) * probe.radiusMetres
          } else if probe.layout == .phased {
            foot = el.xMetres
          } else {
            foot = el.xMetres - line
          }
          if abs(foot) > halfWidth { apod[e] = 0 }
        }
        if !apod.contains(where: { $0 != 0 }) {
          // Narrower than one element: keep the nearest one.
          let nearest = elements.indices.min { a, b in abs(elements[a].xMetres - fx) < abs(elements[b].xMetres - fx) }!
          apod[nearest] = 1
        }
      }
      return TransmitEvent(
        probe: probe, wavefront: .focused(xMetres: fx, zMetres: fz), apodization: apod, soundSpeed: c, scanLine: line)
    }
  }

  /// Synthetic transmit aperture: every element fires alone, in turn.
  public static func syntheticAperture(probe: Probe, soundSpeed c: Double) -> [TransmitEvent] {
    (0..<probe.elementCount).map { TransmitEvent(probe: probe, wavefront: .singleElement(index: $0), soundSpeed: c) }
  }
}
