import Foundation

/// Builders for the transmit schemes: steered plane waves, focused beams, diverging waves and synthetic aperture.
///
/// Every scheme but synthetic aperture weights its active elements by an apodization window (``weights(probe:
/// positionsMetres:halfWidthMetres:window:)``), rectangular by default. Field II's line-by-line examples apodize
/// their transmit aperture with Hann (`apo = hanning(N_active)`; J. A. Jensen, *Users' guide for the Field II
/// program*, §6.1–6.2): a tapered aperture trades a wider main lobe for far lower focal sidelobes — the Fraunhofer
/// pattern of a rectangular aperture falls off as 1/u (first sidelobe −13 dB), Hann's as 1/u³ (−31 dB) — though off
/// the beam a broadband focused wave is the incoherent train of the elements' pulses, which no window removes.
public enum TransmitSequence {
  /// One full-aperture plane wave per steering angle (radians), for coherent compounding.
  public static func planeWaves(
    probe: Probe, anglesRadians: [Double], soundSpeed c: Double, window: ApodizationWindow = .rectangular
  ) -> [TransmitEvent] {
    let apod = wholeArray(probe, window: window)
    return anglesRadians.map {
      TransmitEvent(probe: probe, wavefront: .plane(angleRadians: $0), apodization: apod, soundSpeed: c)
    }
  }

  /// Diverging waves from virtual sources `distance` behind the probe's origin, tilted by each angle (radians):
  /// `V = O − d·(sin θ, cos θ)` with O the probe origin (for a convex array d = R puts V at the arc's centre).
  public static func divergingWaves(
    probe: Probe, anglesRadians: [Double], sourceDistanceMetres d: Double, soundSpeed c: Double,
    window: ApodizationWindow = .rectangular
  ) -> [TransmitEvent] {
    let apod = wholeArray(probe, window: window)
    return anglesRadians.map {
      TransmitEvent(
        probe: probe, wavefront: .diverging(xMetres: -d * sin($0), zMetres: -d * cos($0)), apodization: apod,
        soundSpeed: c)
    }
  }

  /// A single focused beam on a point, with the whole array weighted by `window`.
  public static func focused(
    probe: Probe, xMetres: Double, zMetres: Double, soundSpeed c: Double, window: ApodizationWindow = .rectangular
  ) -> TransmitEvent {
    TransmitEvent(
      probe: probe, wavefront: .focused(xMetres: xMetres, zMetres: zMetres),
      apodization: wholeArray(probe, window: window),
      soundSpeed: c)
  }

  /// Line-by-line focused imaging: `lineCount` beams focused at `focusDepth` (m, range from the sector apex for
  /// convex and phased arrays, depth for linear ones), each with the active sub-aperture of width
  /// `focusDepth / fNumber` (all elements when `fNumber` is 0) centred on its line, weighted by `window` over that
  /// width (``weights(probe:positionsMetres:halfWidthMetres:window:)``; a line near the array's end keeps the part of
  /// its window that falls on the array).
  ///
  /// Linear arrays: lines evenly spaced over `[xMin, xMax]` (m), pointing along +z. Convex and phased: lines evenly
  /// spaced in angle over `[xMin, xMax]` (rad) from the sector apex.
  public static func focusedLines(
    probe: Probe, lineCount: Int, lateralRange: ClosedRange<Double>, focusDepthMetres: Double, fNumber: Double,
    soundSpeed c: Double, window: ApodizationWindow = .rectangular
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
      // Distance along the array from each element to the foot of the line.
      let feet = elements.map { el -> Double in
        switch probe.layout {
        case .convex: return (el.normalAngleRadians - line) * probe.radiusMetres
        case .phased: return el.xMetres
        case .linear: return el.xMetres - line
        }
      }
      let halfWidth = fNumber > 0 ? focusDepthMetres / fNumber / 2 : .infinity
      var apod = weights(probe: probe, positionsMetres: feet, halfWidthMetres: halfWidth, window: window)
      if !apod.contains(where: { $0 != 0 }) {
        // Narrower than one element: keep the nearest one.
        let nearest = elements.indices.min { a, b in abs(elements[a].xMetres - fx) < abs(elements[b].xMetres - fx) }!
        apod[nearest] = 1
      }
      return TransmitEvent(
        probe: probe, wavefront: .focused(xMetres: fx, zMetres: fz), apodization: apod, soundSpeed: c, scanLine: line)
    }
  }

  /// Transmit weights of elements at `positions` (m along the array from the aperture's centre; for a convex array
  /// the arc length): `w(x / (h' + p/2))` for |x| ≤ h, 0 beyond, with h the aperture's half-width (m; infinite: the
  /// whole array), h' = min(h, (N − 1)·p/2) and p the pitch. The window thus spans the nominal aperture, at most the
  /// array, plus half a pitch at each end — for the whole array exactly its physical width N·p — so the outermost
  /// active elements keep a small weight, as MATLAB's `hanning(N)` does.
  public static func weights(
    probe: Probe, positionsMetres x: [Double], halfWidthMetres h: Double, window: ApodizationWindow
  ) -> [Float] {
    let half = min(h, Double(probe.elementCount - 1) * probe.pitchMetres / 2)
    let span = half + probe.pitchMetres / 2
    return x.map { abs($0) <= h ? Float(window.weight($0 / span)) : 0 }
  }

  /// The whole array weighted by `window` (elements' positions along the array from its centre).
  static func wholeArray(_ probe: Probe, window: ApodizationWindow) -> [Float] {
    let positions = probe.elements.map { el -> Double in
      probe.layout == .convex ? el.normalAngleRadians * probe.radiusMetres : el.xMetres
    }
    return weights(probe: probe, positionsMetres: positions, halfWidthMetres: .infinity, window: window)
  }

  /// Synthetic transmit aperture: every element fires alone, in turn.
  public static func syntheticAperture(probe: Probe, soundSpeed c: Double) -> [TransmitEvent] {
    (0..<probe.elementCount).map { TransmitEvent(probe: probe, wavefront: .singleElement(index: $0), soundSpeed: c) }
  }
}
