import Acoustics
import Acquisition
import Beamform
import Foundation

extension TransmitPlan {
  /// The transmit events this plan makes for a probe, imaging the given region.
  public func events(probe: Probe, soundSpeed c: Double, image: ImagePlan) -> [TransmitEvent] {
    switch scheme {
    case .planeWave:
      return TransmitSequence.planeWaves(
        probe: probe, anglesRadians: anglesRadians, soundSpeed: c, window: txWindow)
    case .diverging:
      return TransmitSequence.divergingWaves(
        probe: probe, anglesRadians: anglesRadians, sourceDistanceMetres: resolvedSourceDistance(probe: probe),
        soundSpeed: c, window: txWindow)
    case .syntheticAperture:
      return TransmitSequence.syntheticAperture(probe: probe, soundSpeed: c)
    case .focused:
      switch focus {
      case .point(let x, let z):
        return [
          TransmitSequence.focused(probe: probe, xMetres: x, zMetres: z, soundSpeed: c, window: txWindow)
        ]
      case .depth(let d):
        let lateral: ClosedRange<Double>
        if probe.layout == .linear {
          let half = probe.apertureMetres / 2
          let lo = max(-half, image.xRangeMetres.lowerBound)
          let hi = min(half, image.xRangeMetres.upperBound)
          lateral = lo < hi ? lo...hi : -half...half
        } else {
          let a = sectorGrid(probe: probe, image: image)?.columnCoordinates ?? [0, 0]
          lateral = a.first!...a.last!
        }
        let count = lines ?? min(probe.elementCount, 256)
        return TransmitSequence.focusedLines(
          probe: probe, lineCount: count, lateralRange: lateral, focusDepthMetres: d, fNumber: txFNumber, soundSpeed: c,
          window: txWindow)
      }
    }
  }

  /// Virtual-source distance actually used by diverging waves.
  public func resolvedSourceDistance(probe: Probe) -> Double {
    sourceDistanceMetres ?? (probe.layout == .convex ? probe.radiusMetres : probe.apertureMetres / 2)
  }
}

/// The polar beamforming grid of a sector probe for a Cartesian image region; nil when the region is outside the
/// sector (``Scenario/validate()`` rejects such scenarios).
func sectorGrid(probe: Probe, image: ImagePlan) -> ImageGrid? {
  let (apex, maxAngle, maxRange) = sectorLimits(probe, image: image)
  return .polarCovering(
    xRange: image.xRangeMetres, zRange: image.zRangeMetres, apexX: apex.xMetres, apexZ: apex.zMetres,
    step: image.pixelMetres, maximumAngle: maxAngle, maximumRange: maxRange)
}

/// The sector's apex, the widest angle (rad) its beamforming grid reaches and its farthest range (m). A rectangular
/// field of view reaches the convex array's half-angle plus 20°, or 80° for a phased array, at any range; the
/// probe's sector (``ImagePlan/FieldOfView/sector``) the array's half-angle or 45°, down to the image's depth below
/// the probe's centre.
func sectorLimits(_ probe: Probe, image: ImagePlan) -> (
  apex: (xMetres: Double, zMetres: Double), maximumAngle: Double, maximumRange: Double
) {
  let apex = probe.sectorApex
  switch image.fieldOfView {
  case .rectangle:
    let maxAngle =
      probe.layout == .convex ? probe.apertureMetres / 2 / probe.radiusMetres + 0.35 : 80 * Double.pi / 180
    return (apex, maxAngle, .infinity)
  case .sector:
    return (apex, probe.sectorHalfAngleRadians, image.zRangeMetres.upperBound - apex.zMetres)
  }
}

extension ImagePlan {
  /// The pixel grid the beamformer computes for this image: Cartesian for linear probes, a polar grid from the
  /// sector apex covering the image for convex and phased ones (nil when the image lies outside the sector).
  public func beamformingGrid(probe: Probe) -> ImageGrid? {
    probe.layout == .linear ? ImageGrid(.cartesian(x: xAxis, z: zAxis)) : sectorGrid(probe: probe, image: self)
  }

  /// The pixel count of ``beamformingGrid(probe:)``, without building it (nil when that grid is nil).
  public func beamformingPixelCount(probe: Probe) -> Double? {
    if probe.layout == .linear { return outputPixelCount }
    let (apex, maxAngle, maxRange) = sectorLimits(probe, image: self)
    return ImageGrid.polarCoveringPixelCount(
      xRange: xRangeMetres, zRange: zRangeMetres, apexX: apex.xMetres, apexZ: apex.zMetres, step: pixelMetres,
      maximumAngle: maxAngle, maximumRange: maxRange)
  }

  /// The pixel count of the Cartesian output image (``xAxis`` × ``zAxis``), without building the axes.
  public var outputPixelCount: Double {
    ImageGrid.axisCount(from: xRangeMetres.lowerBound, to: xRangeMetres.upperBound, step: pixelMetres)
      * ImageGrid.axisCount(from: zRangeMetres.lowerBound, to: zRangeMetres.upperBound, step: pixelMetres)
  }

  /// A generous estimate of the bytes the images take: per beamforming pixel its position and complex value with
  /// the kernels' scratch (40 bytes), per output pixel the envelope, B-mode, labels and PNG rows (24 bytes).
  public func imageMemoryBytes(probe: Probe) -> Double {
    (beamformingPixelCount(probe: probe) ?? 0) * 40 + outputPixelCount * 24
  }
}
