import Acoustics
import Acquisition
import Foundation
import Phantom

/// The exact ground truth of a frame on its B-mode pixel grid (row 0 shallowest, like `envelope.npy`), and the
/// description that goes into `labels.json`.
public struct GroundTruth: Sendable {
  public let rows: Int
  public let columns: Int
  /// Tissue class per pixel (index into ``classNames``); the needle's own class inside its tube.
  public var tissueLabels: [UInt8]
  /// 0/1 masks.
  public var needle: [UInt8]
  public var tip: [UInt8]
  public var bone: [UInt8]
  public var shadow: [UInt8]
  public var target: [UInt8]
  public var classNames: [String]

  /// Shadow: where the two-way transmission is below this (dB).
  public static let shadowThresholdDb = -20.0
}

extension GroundTruth {
  /// Computes the masks for `scenario` on the axes (metres).
  ///
  /// - Needle: pixels within half the outer diameter plus half the axial resolution (c / (2·B·fc)) of the shaft
  ///   centreline, entry to tip (`docs/metrics.md`); tip: a disk of radius max(OD, 0.5 mm).
  /// - Shadow: the two-way transmission T·R of ``TwoWayTransmission`` below −20 dB — the transmitting array's
  ///   average times the receive aperture's, so a target seen through a window narrower than the aperture is
  ///   partly shadowed. Computed every 4 pixels and filled in between.
  public static func compute(
    scenario s: Scenario, anatomy: Anatomy?, medium: TissueMedium?, x: [Double], z: [Double]
  ) -> GroundTruth {
    let nx = x.count
    let nz = z.count
    var classes = anatomy?.map.tissues.map(\.name) ?? ["medium"]
    let needleClass = UInt8(classes.count)
    classes.append("needle")
    var labels = [UInt8](repeating: 0, count: nx * nz)
    var needle = labels
    var tip = labels
    var bone = labels
    var target = labels
    let axial = s.axialResolutionMetres
    let boneIndex = anatomy?.map.tissues.firstIndex { $0.name == Tissue.corticalBone.name }
    for r in 0..<nz {
      // Tissues and targets of the row at once (``TissueMap/tissueIndices(row:z:)``).
      let tissues = anatomy?.map.tissueIndices(row: x, z: z[r]) ?? []
      let inTargets = anatomy?.targets.map { $0.shape.contains(row: x, z: z[r]) } ?? []
      for c in 0..<nx {
        let i = r * nx + c
        if anatomy != nil {
          let t = tissues[c]
          labels[i] = UInt8(t)
          if t == boneIndex { bone[i] = 1 }
          if inTargets.contains(where: { $0[c] }) { target[i] = 1 }
        }
        for n in s.needles {
          let p = SIMD3(x[c], n.elevationOffsetMetres, z[r])
          let d = n.distance(to: p)
          if d <= n.outerDiameterMetres / 2 + axial / 2 { needle[i] = 1 }
          if d <= n.outerDiameterMetres / 2 { labels[i] = needleClass }
          let dt = SIMD2(x[c] - n.tipX, z[r] - n.tipZ)
          if (dt * dt).sum() <= pow(max(n.outerDiameterMetres, 0.5e-3), 2) { tip[i] = 1 }
        }
      }
    }
    let shadow = medium.map { shadowMask(scenario: s, medium: $0, x: x, z: z) } ?? [UInt8](repeating: 0, count: nx * nz)
    return GroundTruth(
      rows: nz, columns: nx, tissueLabels: labels, needle: needle, tip: tip, bone: bone, shadow: shadow, target: target,
      classNames: classes)
  }

  static func shadowMask(scenario s: Scenario, medium: TissueMedium, x: [Double], z: [Double]) -> [UInt8] {
    let nx = x.count
    let nz = z.count
    let step = 4
    let cx = (nx + step - 1) / step + 1
    let cz = (nz + step - 1) / step + 1
    var model = TwoWayTransmission(
      medium: medium, elements: TwoWayTransmission.elements(of: s.probe), aperture: s.beamform,
      centreFrequencyHz: s.probe.centerFrequencyHz,
      sequence: s.transmit.events(probe: s.probe, soundSpeed: s.medium.soundSpeedMetresPerSecond, image: s.image))
    var coarse = [Float](repeating: 0, count: cx * cz)
    for r in 0..<cz {
      for c in 0..<cx {
        coarse[r * cx + c] = model.decibels(x: Float(x[min(nx - 1, c * step)]), z: Float(z[min(nz - 1, r * step)]))
      }
    }
    var mask = [UInt8](repeating: 0, count: nx * nz)
    for r in 0..<nz {
      for c in 0..<nx {
        // Bilinear between the coarse samples.
        let u = Double(c) / Double(step)
        let v = Double(r) / Double(step)
        let (c0, r0) = (min(cx - 2, Int(u)), min(cz - 2, Int(v)))
        let (fu, fv) = (Float(u - Double(c0)), Float(v - Double(r0)))
        let top = coarse[r0 * cx + c0] + fu * (coarse[r0 * cx + c0 + 1] - coarse[r0 * cx + c0])
        let bottom = coarse[(r0 + 1) * cx + c0] + fu * (coarse[(r0 + 1) * cx + c0 + 1] - coarse[(r0 + 1) * cx + c0])
        if Double(top + fv * (bottom - top)) < shadowThresholdDb { mask[r * nx + c] = 1 }
      }
    }
    return mask
  }
}
