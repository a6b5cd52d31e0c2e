import Foundation

/// One transmission: which elements fire, with what weights and delays, and when the wave reaches any point.
///
/// Time zero is the moment the first active element fires. Element e fires at `firingDelaysSeconds[e]`; its wave
/// reaches p at `τ_e + |p − p_e|/c`, and the superposition of all of them is what the RF model computes. The
/// beamformer needs one arrival time per pixel, the conventional wavefront model of each scheme:
/// ```
/// plane, angle θ, u = (sin θ, cos θ):   τ_e = (u·p_e − min_k u·p_k)/c,          t(p) = (u·p − min_k u·p_k)/c
/// focused at F:                         τ_e = (max_k|F−p_k| − |F−p_e|)/c,       t(p) = (max_k|F−p_k| + (p−F)·a)/c
///                                       (a: unit vector from the active aperture's centre to F)
/// diverging from V (behind the probe):  τ_e = (|p_e−V| − min_k|p_k−V|)/c,       t(p) = (|p−V| − min_k|p_k−V|)/c
/// single element k:                     τ_k = 0,                                 t(p) = |p − p_k|/c
/// ```
/// (the delay models of USTB's `uff.wave` and MUST's `txdelay`); minima and maxima run over active elements.
/// The focused model is the conventional scan-line one: the wave is taken to travel along the beam axis, which is
/// exact on the axis and, across the focal zone, matches the nearly planar wavefront there. (The virtual-source
/// model ±|F − p| kinks at the focus and narrows the focal spot artificially for pixels beside the axis.)
public struct TransmitEvent: Sendable, Equatable {
  public var wavefront: Wavefront
  /// Transmit apodization per element (0 = silent).
  public var apodization: [Float]
  /// Firing delay per element (s), ≥ 0.
  public var firingDelaysSeconds: [Double]
  /// Sound speed the delays were computed for (m/s).
  public var soundSpeedMetresPerSecond: Double
  /// For line-by-line focused imaging: the lateral position (m, linear) or angle (rad, sector) of this event's
  /// scan line; nil when every event insonifies the whole image (plane, diverging, synthetic aperture).
  public var scanLine: Double?
  /// When this event's first element fired on the clock of the channel data (s): 0 for data simulated here, whose
  /// samples count from the first firing; other files start their clock elsewhere (UFF: at the moment a plane wave
  /// passes the origin, less the wave's `delay`). ``arrivalTime(xMetres:zMetres:)`` includes it.
  public var firstFiringTimeSeconds: Double = 0

  /// The delay model's reference time: `min_k u·p_k` (plane), `max_k|F − p_k|` (focused) or `min_k|p_k − V|`
  /// (diverging), over c; 0 for a single element. (What converts to and from other files' time origins.)
  public let referenceTimeSeconds: Double
  let elementX: Double
  let elementZ: Double
  /// sin θ and cos θ of a plane wave's angle (0 and 1 otherwise), so the arrival model computes no trigonometry.
  let steerSin: Double
  let steerCos: Double

  public init(
    probe: Probe, wavefront: Wavefront, apodization: [Float]? = nil, soundSpeed c: Double, scanLine: Double? = nil
  ) {
    let elements = probe.elements
    var apod = apodization ?? [Float](repeating: 1, count: elements.count)
    if case .singleElement(let k) = wavefront {
      apod = [Float](repeating: 0, count: elements.count)
      apod[k] = 1
    }
    precondition(apod.count == elements.count, "apodization needs one weight per element")
    let active = elements.indices.filter { apod[$0] != 0 }
    var delays = [Double](repeating: 0, count: elements.count)
    var reference = 0.0
    var ex = 0.0
    var ez = 0.0
    switch wavefront {
    case .plane(let theta):
      let proj = elements.map { $0.xMetres * sin(theta) + $0.zMetres * cos(theta) }
      reference = active.map { proj[$0] }.min() ?? 0
      for e in elements.indices { delays[e] = (proj[e] - reference) / c }
    case .focused(let fx, let fz):
      let d = elements.map { hypot(fx - $0.xMetres, fz - $0.zMetres) }
      reference = active.map { d[$0] }.max() ?? 0
      for e in elements.indices { delays[e] = (reference - d[e]) / c }
      // Beam axis origin: the centre of the active aperture.
      ex = active.map { elements[$0].xMetres }.reduce(0, +) / Double(max(active.count, 1))
      ez = active.map { elements[$0].zMetres }.reduce(0, +) / Double(max(active.count, 1))
    case .diverging(let vx, let vz):
      let d = elements.map { hypot($0.xMetres - vx, $0.zMetres - vz) }
      reference = active.map { d[$0] }.min() ?? 0
      for e in elements.indices { delays[e] = (d[e] - reference) / c }
    case .singleElement(let k):
      ex = elements[k].xMetres
      ez = elements[k].zMetres
    }
    for e in elements.indices where apod[e] == 0 { delays[e] = 0 }
    self.wavefront = wavefront
    self.apodization = apod
    self.firingDelaysSeconds = delays
    self.soundSpeedMetresPerSecond = c
    self.scanLine = scanLine
    self.referenceTimeSeconds = reference / c
    self.elementX = ex
    self.elementZ = ez
    if case .plane(let theta) = wavefront {
      steerSin = sin(theta)
      steerCos = cos(theta)
    } else {
      steerSin = 0
      steerCos = 1
    }
  }

  /// Arrival time of the transmitted wavefront at (x, z) (s) on the channel data's clock: the scheme's delay model
  /// above plus ``firstFiringTimeSeconds``.
  @inline(__always)
  public func arrivalTime(xMetres x: Double, zMetres z: Double) -> Double {
    firstFiringTimeSeconds + arrivalAfterFirstFiring(xMetres: x, zMetres: z)
  }

  @inline(__always)
  func arrivalAfterFirstFiring(xMetres x: Double, zMetres z: Double) -> Double {
    let c = soundSpeedMetresPerSecond
    switch wavefront {
    case .plane:
      return (x * steerSin + z * steerCos) / c - referenceTimeSeconds
    case .focused(let fx, let fz):
      let ax = fx - elementX
      let az = fz - elementZ
      let norm = max(hypot(ax, az), 1e-12)
      return referenceTimeSeconds + ((x - fx) * ax + (z - fz) * az) / norm / c
    case .diverging(let vx, let vz):
      return hypot(x - vx, z - vz) / c - referenceTimeSeconds
    case .singleElement:
      return hypot(x - elementX, z - elementZ) / c
    }
  }

  /// Latest firing delay (s).
  public var maximumFiringDelaySeconds: Double { firingDelaysSeconds.max() ?? 0 }
}
