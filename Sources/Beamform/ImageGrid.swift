import Foundation

/// The pixels a beamformer computes: a Cartesian x × z grid (linear arrays) or a polar angle × range grid from a
/// sector apex (convex and phased arrays). Positions in metres; row r, column c is pixel `r·columns + c`.
public struct ImageGrid: Sendable, Equatable {
  public enum Geometry: Sendable, Equatable {
    /// Columns at `x` (m), rows at depths `z` (m).
    case cartesian(x: [Double], z: [Double])
    /// Columns at angles (rad, from +z toward +x) and rows at ranges (m) from the apex `(apexX, apexZ)`.
    case polar(angles: [Double], ranges: [Double], apexX: Double, apexZ: Double)
  }

  public let geometry: Geometry
  public let rows: Int
  public let columns: Int
  /// Pixel positions, row-major (m).
  public let x: [Float]
  public let z: [Float]

  public init(_ geometry: Geometry) {
    self.geometry = geometry
    var px: [Float] = []
    var pz: [Float] = []
    switch geometry {
    case .cartesian(let xs, let zs):
      rows = zs.count
      columns = xs.count
      for zv in zs {
        for xv in xs {
          px.append(Float(xv))
          pz.append(Float(zv))
        }
      }
    case .polar(let angles, let ranges, let ax, let az):
      rows = ranges.count
      columns = angles.count
      for r in ranges {
        for a in angles {
          px.append(Float(ax + r * sin(a)))
          pz.append(Float(az + r * cos(a)))
        }
      }
    }
    x = px
    z = pz
  }

  /// Evenly spaced samples from `lo` to `hi` with spacing close to `step` (both ends included).
  public static func axis(from lo: Double, to hi: Double, step: Double) -> [Double] {
    let n = Int(axisCount(from: lo, to: hi, step: step))
    return (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
  }

  /// How many values ``axis(from:to:step:)`` returns (at least 2), as a Double so that sizes can be checked before
  /// anything is allocated.
  public static func axisCount(from lo: Double, to hi: Double, step: Double) -> Double {
    max(2, ((hi - lo) / step).rounded() + 1)
  }

  /// The lateral coordinate of each column: x (m) for Cartesian grids, angle (rad) for polar ones.
  public var columnCoordinates: [Double] {
    switch geometry {
    case .cartesian(let xs, _): return xs
    case .polar(let angles, _, _, _): return angles
    }
  }

  /// A polar grid covering the Cartesian region `x ∈ xRange`, `z ∈ zRange` as seen from the apex, with about
  /// `step` metres between samples along range and along the arc at the far edge, up to `maximumRange` from the
  /// apex; nil when the region lies wholly outside `±maximumAngle` or beyond `maximumRange`.
  public static func polarCovering(
    xRange: ClosedRange<Double>, zRange: ClosedRange<Double>, apexX: Double, apexZ: Double, step: Double,
    maximumAngle: Double, maximumRange: Double = .infinity
  ) -> ImageGrid? {
    guard
      let e = polarExtent(
        xRange: xRange, zRange: zRange, apexX: apexX, apexZ: apexZ, maximumAngle: maximumAngle,
        maximumRange: maximumRange)
    else { return nil }
    let angles = axis(from: e.angles.lowerBound, to: e.angles.upperBound, step: step / e.ranges.upperBound)
    let ranges = axis(from: e.ranges.lowerBound, to: e.ranges.upperBound, step: step)
    return ImageGrid(.polar(angles: angles, ranges: ranges, apexX: apexX, apexZ: apexZ))
  }

  /// The pixel count ``polarCovering(xRange:zRange:apexX:apexZ:step:maximumAngle:maximumRange:)`` would give,
  /// without building the grid (a Double: a mistaken pixel size can make it astronomically large); nil when that
  /// grid would be nil.
  public static func polarCoveringPixelCount(
    xRange: ClosedRange<Double>, zRange: ClosedRange<Double>, apexX: Double, apexZ: Double, step: Double,
    maximumAngle: Double, maximumRange: Double = .infinity
  ) -> Double? {
    guard
      let e = polarExtent(
        xRange: xRange, zRange: zRange, apexX: apexX, apexZ: apexZ, maximumAngle: maximumAngle,
        maximumRange: maximumRange)
    else { return nil }
    return axisCount(from: e.angles.lowerBound, to: e.angles.upperBound, step: step / e.ranges.upperBound)
      * axisCount(from: e.ranges.lowerBound, to: e.ranges.upperBound, step: step)
  }

  /// The angles (rad, within ±`maximumAngle`) and ranges (m, up to `maximumRange`) from the apex that cover the
  /// rectangle, sampled on a 65 × 65 lattice of its points; nil when no angle or range is left.
  static func polarExtent(
    xRange: ClosedRange<Double>, zRange: ClosedRange<Double>, apexX: Double, apexZ: Double, maximumAngle: Double,
    maximumRange: Double
  ) -> (angles: ClosedRange<Double>, ranges: ClosedRange<Double>)? {
    var aMin = Double.infinity
    var aMax = -Double.infinity
    var rMin = Double.infinity
    var rMax = 0.0
    let n = 64
    for i in 0...n {
      for j in 0...n {
        let px = xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * Double(i) / Double(n)
        let pz = zRange.lowerBound + (zRange.upperBound - zRange.lowerBound) * Double(j) / Double(n)
        let a = atan2(px - apexX, pz - apexZ)
        let r = hypot(px - apexX, pz - apexZ)
        aMin = min(aMin, a)
        aMax = max(aMax, a)
        rMin = min(rMin, r)
        rMax = max(rMax, r)
      }
    }
    aMin = max(aMin, -maximumAngle)
    aMax = min(aMax, maximumAngle)
    rMax = min(rMax, maximumRange)
    guard aMin < aMax, rMin < rMax else { return nil }
    return (aMin...aMax, rMin...rMax)
  }
}
