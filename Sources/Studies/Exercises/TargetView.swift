import Acoustics
import Acquisition
import Beamform
import Foundation
import KernelSupport
import Phantom
import Scenario

/// How much of a target the probe sees from a pose — the planner's quick look before any frame is simulated.
///
/// The anatomy is built once at the neutral pose (no offset, no tilt) and the probe is moved instead: a pose
/// (offset o, tilt t) puts element q of the probe frame at p = R(−t)·q + (o, 0) in anatomy coordinates
/// (``AnatomyParameters/toAnatomy(_:translate:)``, the inverse of ``AnatomyParameters/toProbe(_:)``). The target's
/// fraction in shadow is that of ``GroundTruth``'s mask (two-way ``TwoWayTransmission`` below −20 dB) over points
/// 0.5 mm apart (or about 32) inside the target.
public struct TargetView {
  public let anatomy: Anatomy
  let medium: TissueMedium
  let probe: Probe
  let aperture: ReceiveAperture
  /// Points of the target (anatomy coordinates, metres).
  public let points: [SIMD2<Double>]

  /// - Parameter anatomy: built at the neutral pose; its first target is the one judged.
  public init(anatomy: Anatomy, probe: Probe, aperture: ReceiveAperture) {
    self.anatomy = anatomy
    self.probe = probe
    self.aperture = aperture
    medium = TissueMedium(
      map: anatomy.map, field: Field(xMin: -90e-3, xMax: 90e-3, zMin: -30e-3, zMax: 130e-3),
      centreFrequencyHz: probe.centerFrequencyHz, cellMetres: 0.2e-3)
    var points: [SIMD2<Double>] = []
    if let shape = anatomy.targets.first?.shape, case .polygon(let v) = shape {
      let (x0, x1) = (v.map(\.x).min()!, v.map(\.x).max()!)
      let (z0, z1) = (v.map(\.y).min()!, v.map(\.y).max()!)
      // 0.5 mm apart, coarser for large targets (about 32 points at most).
      let step = max(0.5e-3, ((x1 - x0) * (z1 - z0) / 32).squareRoot())
      for i in 0...Int((z1 - z0) / step) {
        for j in 0...Int((x1 - x0) / step) {
          let p = SIMD2(x0 + (Double(j) + 0.5) * step, z0 + (Double(i) + 0.5) * step)
          if shape.contains(x: p.x, z: p.y) { points.append(p) }
        }
      }
    }
    self.points = points
  }

  /// ``shadowFraction(offsetMetres:tiltRadians:)`` of every pose, in order, computed on `threads` threads (each
  /// pose's fraction is its own, so the values do not depend on the thread count).
  public func shadowFractions(
    _ poses: [(offsetMetres: Double, tiltRadians: Double)], threads: Int = Parallel.defaultThreadCount
  ) -> [Double] {
    var fractions = [Double](repeating: 0, count: poses.count)
    fractions.withUnsafeMutableBufferPointer { out in
      let out = out
      Parallel.forEach(count: poses.count, threads: threads) { i in
        out[i] = shadowFraction(offsetMetres: poses[i].offsetMetres, tiltRadians: poses[i].tiltRadians)
      }
    }
    return fractions
  }

  /// Fraction of the target's points in shadow with the probe at (offset, tilt) (metres, radians).
  public func shadowFraction(offsetMetres o: Double, tiltRadians t: Double) -> Double {
    guard !points.isEmpty else { return 0 }
    var pose = AnatomyParameters()
    pose.probeOffsetMetres = o
    pose.probeTiltRadians = t
    let elements = TwoWayTransmission.elements(of: probe).map {
      (pose.toAnatomy($0.position), pose.toAnatomy($0.normal, translate: false))
    }
    var model = TwoWayTransmission(
      medium: medium, elements: elements, aperture: aperture, centreFrequencyHz: probe.centerFrequencyHz)
    let shadowed = points.filter {
      Double(model.decibels(x: Float($0.x), z: Float($0.y))) < GroundTruth.shadowThresholdDb
    }
    return Double(shadowed.count) / Double(points.count)
  }
}
