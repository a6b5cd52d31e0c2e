import Foundation

/// An ultrasound array transducer: element layout, frequency response and elevation lens.
///
/// All lengths are in metres and frequencies in hertz. The probe frame has its origin at the centre of the array
/// face (for a convex array, the apex of the arc), `x` along the array, `z` into the body and `y` in elevation.
public struct Probe: Sendable, Equatable {
  /// How the elements are laid out and how images from this probe are scanned.
  public enum Layout: String, Sendable, Equatable, CaseIterable {
    /// Flat array, Cartesian (x × z) images.
    case linear
    /// Elements on an arc of `radiusMetres`, sector (angle × range) images from the arc's centre.
    case convex
    /// Flat array imaged as a sector from the array's centre.
    case phased
  }

  /// Preset or user-given name.
  public var name: String
  public var layout: Layout
  public var elementCount: Int
  /// Centre frequency fc (Hz).
  public var centerFrequencyHz: Double
  /// Centre-to-centre element spacing (m); for convex arrays measured along the arc.
  public var pitchMetres: Double
  /// Active width of one element along the array (m); `pitch − width` is the kerf.
  public var elementWidthMetres: Double
  /// Pulse-echo (two-way) −6 dB fractional bandwidth, as a fraction of fc (MUST's convention; 0.77 = 77 %).
  public var fractionalBandwidth: Double
  /// Radius of curvature of a convex array (m); `.infinity` for flat arrays.
  public var radiusMetres: Double
  /// Element height in elevation (m).
  public var elementHeightMetres: Double
  /// Elevation lens focal distance (m); `.infinity` for no lens.
  public var elevationFocusMetres: Double

  public init(
    name: String, layout: Layout, elementCount: Int, centerFrequencyHz: Double, pitchMetres: Double,
    elementWidthMetres: Double, fractionalBandwidth: Double, radiusMetres: Double = .infinity,
    elementHeightMetres: Double, elevationFocusMetres: Double = .infinity
  ) {
    self.name = name
    self.layout = layout
    self.elementCount = elementCount
    self.centerFrequencyHz = centerFrequencyHz
    self.pitchMetres = pitchMetres
    self.elementWidthMetres = elementWidthMetres
    self.fractionalBandwidth = fractionalBandwidth
    self.radiusMetres = radiusMetres
    self.elementHeightMetres = elementHeightMetres
    self.elevationFocusMetres = elevationFocusMetres
  }

  /// Gap between neighbouring elements, pitch − width (m).
  public var kerfMetres: Double { pitchMetres - elementWidthMetres }

  /// Array length from the first to the last element centre (m), along the array (arc length for convex).
  public var apertureMetres: Double { Double(elementCount - 1) * pitchMetres }

  /// Wavelength at fc for a sound speed (m).
  public func wavelength(soundSpeed c: Double) -> Double { c / centerFrequencyHz }

  /// Pulse-echo axial resolution c / (2·B·fc) (m) for a pulse of fractional bandwidth B at fc: half the length of a
  /// pulse of duration 1/(B·fc), the width the needle masks and metrics add to the shaft (`docs/metrics.md`).
  public static func axialResolutionMetres(
    soundSpeed c: Double, centerFrequencyHz fc: Double, fractionalBandwidth b: Double
  ) -> Double { c / (2 * b * fc) }

  /// The elements' centres and orientations.
  ///
  /// Linear and phased: `x_e = (e − (N−1)/2)·pitch`, `z_e = 0`, normal +z.
  /// Convex: angle `φ_e = (e − (N−1)/2)·pitch/R` on an arc of radius R centred at `(0, −R)`, so
  /// `x_e = R sin φ_e`, `z_e = R(cos φ_e − 1)`, normal `(sin φ_e, cos φ_e)`.
  public var elements: [ProbeElement] {
    (0..<elementCount).map { e in
      let u = Double(e) - Double(elementCount - 1) / 2
      if layout == .convex {
        let phi = u * pitchMetres / radiusMetres
        return ProbeElement(
          xMetres: radiusMetres * sin(phi), zMetres: radiusMetres * (cos(phi) - 1), normalAngleRadians: phi)
      }
      return ProbeElement(xMetres: u * pitchMetres, zMetres: 0, normalAngleRadians: 0)
    }
  }

  /// Origin of sector scans: the arc centre `(0, −R)` for convex arrays, the array centre for phased arrays.
  public var sectorApex: (xMetres: Double, zMetres: Double) {
    layout == .convex ? (0, -radiusMetres) : (0, 0)
  }

  /// Half the opening angle of the sector scanners show (rad): the arc of a convex array's element centres
  /// (C5-2v: ±37.3°), ±45° for a phased array (the 90° field of view of cardiac scanners); 0 for a linear array.
  public var sectorHalfAngleRadians: Double {
    switch layout {
    case .convex: return Double(elementCount - 1) / 2 * pitchMetres / radiusMetres  // max |φ_e| of ``elements``
    case .phased: return Double.pi / 4
    case .linear: return 0
    }
  }

  /// Problems with the description, as `(field, value, what is allowed)`; empty when the probe is usable.
  public var problems: [(field: String, value: String, allowed: String)] {
    var p: [(String, String, String)] = []
    func positive(_ name: String, _ v: Double, unit: Double = 1e-3, suffix: String = "_mm") {
      if !(v.isFinite && v > 0) { p.append((name + suffix, "\(v / unit)", "a finite number > 0")) }
    }
    if elementCount < 1 || elementCount > 4096 { p.append(("elements", "\(elementCount)", "a whole number 1…4096")) }
    if !(centerFrequencyHz.isFinite && centerFrequencyHz >= 0.1e6 && centerFrequencyHz <= 100e6) {
      p.append(("fc_mhz", "\(centerFrequencyHz / 1e6)", "a number 0.1…100"))
    }
    positive("pitch", pitchMetres)
    positive("element_width", elementWidthMetres)
    if elementWidthMetres > pitchMetres {
      p.append(("element_width_mm", "\(elementWidthMetres * 1e3)", "at most the pitch (\(pitchMetres * 1e3) mm)"))
    }
    if !(fractionalBandwidth.isFinite && fractionalBandwidth > 0.05 && fractionalBandwidth <= 2) {
      p.append(("bandwidth_percent", "\(fractionalBandwidth * 100)", "a number 5…200"))
    }
    positive("element_height", elementHeightMetres)
    if !(elevationFocusMetres > 0) {
      p.append(("elevation_focus_mm", "\(elevationFocusMetres * 1e3)", "a number > 0, or omit it for no lens"))
    }
    if layout == .convex { positive("radius", radiusMetres) }
    return p
  }
}

/// One element's centre (m) and the angle of its outward normal from +z toward +x (rad).
public struct ProbeElement: Sendable, Equatable {
  public var xMetres: Double
  public var zMetres: Double
  public var normalAngleRadians: Double
}
