import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom

/// How much of a point's echo the imaging chain gets back past bone: the two-way amplitude factor T·R of the
/// shadow mask (``GroundTruth``) and of the exercise planner.
///
/// With F_e the one-way amplitude factor of element e's straight path to the point — its interface transmission
/// times the attenuation at fc beyond that of generic soft tissue over the same length, 10^(−ΔA/20) —
/// ```
/// T = Σ_e c_e·F_e / Σ_e c_e,   c_e = max(v_e, 0) / r_e             (transmit: every element, obliquity-weighted)
/// R = Σ_e w_e·F_e / Σ_e w_e,   w_e the element's weight in the beamformer's receive aperture (``ReceiveAperture``)
/// ```
/// with (u_e, v_e) the point's offset from element e across and along its normal. A point seen through a narrow
/// window between bones keeps little of R even when most of the transmitting array reaches it, as in the image.
/// When the aperture is steered with each plane wave (``Beamform/ReceiveAperture/steered``), R is the mean over the
/// events of each event's steered aperture's R, as the image sums the events.
public struct TwoWayTransmission {
  let medium: TissueMedium
  let ex: [Float]
  let ez: [Float]
  let nx: [Float]
  let nz: [Float]
  let aperture: ReceiveAperture
  /// Each element's weight when the whole array receives (F = 0).
  let wholeArrayWeights: [Float]
  /// Per event, each element's receive-steering tangent (+∞: not in the aperture); empty when nothing is steered.
  let steeringTangents: [[Float]]
  let referenceDbPerMetre: Float
  let fcMHz: Float
  private var lengths: [Float]
  private var times: [Float]
  private var attenuations: [Float]
  private var transmissions: [Float]
  /// Per aperture (each steered event's, or one), the receive sum Σ w·F and its weight Σ w.
  private var receiveSums: [SIMD2<Float>]

  /// - Parameters:
  ///   - elements: positions (x, z) and unit normals of the elements, in the frame of `medium` (metres).
  ///   - aperture: the beamformer's receive aperture.
  ///   - sequence: the transmit events, for a steered aperture (``Beamform/ReceiveAperture/steeringTangent(of:normalAngleRadians:)``).
  public init(
    medium: TissueMedium, elements: [(position: SIMD2<Double>, normal: SIMD2<Double>)], aperture: ReceiveAperture,
    centreFrequencyHz: Double, sequence: [TransmitEvent] = []
  ) {
    self.medium = medium
    ex = elements.map { Float($0.position.x) }
    ez = elements.map { Float($0.position.y) }
    nx = elements.map { Float($0.normal.x) }
    nz = elements.map { Float($0.normal.y) }
    self.aperture = aperture
    wholeArrayWeights = elements.indices.map { aperture.wholeArrayWeight(element: $0, of: elements.count) }
    steeringTangents = aperture.steeringTangents(
      of: sequence, normalAnglesRadians: elements.map { atan2($0.normal.x, $0.normal.y) })
    referenceDbPerMetre = Float(Tissue.softTissue.attenuationDbPerCmPerMHzLinear(at: centreFrequencyHz) * 100)
    fcMHz = Float(centreFrequencyHz / 1e6)
    let n = elements.count
    lengths = [Float](repeating: 0, count: n)
    times = lengths
    attenuations = lengths
    transmissions = lengths
    receiveSums = [SIMD2<Float>](repeating: .zero, count: max(steeringTangents.count, 1))
  }

  /// The elements of `probe` in its own frame.
  public static func elements(of probe: Probe) -> [(position: SIMD2<Double>, normal: SIMD2<Double>)] {
    probe.elements.map {
      (SIMD2($0.xMetres, $0.zMetres), SIMD2(sin($0.normalAngleRadians), cos($0.normalAngleRadians)))
    }
  }

  /// 20·log10(T·R) at (x, z) (metres), in dB (−240 when nothing gets through).
  public mutating func decibels(x px: Float, z pz: Float) -> Float {
    let n = ex.count
    for e in 0..<n { lengths[e] = ((px - ex[e]) * (px - ex[e]) + (pz - ez[e]) * (pz - ez[e])).squareRoot() }
    lengths.withUnsafeBufferPointer { lb in
      times.withUnsafeMutableBufferPointer { tb in
        attenuations.withUnsafeMutableBufferPointer { ab in
          transmissions.withUnsafeMutableBufferPointer { trb in
            ex.withUnsafeBufferPointer { xb in
              ez.withUnsafeBufferPointer { zb in
                medium.paths(
                  fromElementsX: xb.baseAddress!, z: zb.baseAddress!, to: SIMD3(px, 0, pz), lengths: lb.baseAddress!,
                  count: n,
                  into: PathBuffers(
                    times: tb.baseAddress!, attenuations: ab.baseAddress!, transmissions: trb.baseAddress!))
              }
            }
          }
        }
      }
    }
    var (tSum, tWeight) = (Float(0), Float(0))
    // One receive sum per steered event, or one for every event.
    let apertures = receiveSums.count
    for k in 0..<apertures { receiveSums[k] = .zero }
    var nearest = (distance: Float.infinity, factor: Float(0))
    for e in 0..<n {
      let (dx, dz) = (px - ex[e], pz - ez[e])
      let v = dx * nx[e] + dz * nz[e]
      guard v > 0 else { continue }
      let u = dx * nz[e] - dz * nx[e]
      let excessDb = max(0, attenuations[e] - referenceDbPerMetre * lengths[e]) * fcMHz
      let f = transmissions[e] * pow(10, -excessDb / 20)
      let c = v / max(lengths[e], 1e-9)
      tSum += c * f
      tWeight += c
      if abs(u) < nearest.distance { nearest = (abs(u), f) }
      for k in 0..<apertures {
        let t = steeringTangents.isEmpty ? 0 : steeringTangents[k][e]
        if let w = aperture.weight(lateral: u, normal: v, wholeArrayWeight: wholeArrayWeights[e], steeringTangent: t) {
          receiveSums[k] += SIMD2(w * f, w)
        }
      }
    }
    guard tWeight > 0 else { return -240 }
    // Closer than the aperture's first element pair: the element right above receives.
    var receive = Float(0)
    for sum in receiveSums { receive += sum.y > 0 ? sum.x / sum.y : nearest.factor }
    receive /= Float(apertures)
    return 20 * log10(max(tSum / tWeight * receive, 1e-12))
  }
}
