/// What a straight acoustic path between an element and a point accumulates: travel time, attenuation and
/// interface transmission.
public struct AcousticPath: Sendable, Equatable {
  /// One-way travel time (s).
  public var travelTimeSeconds: Float
  /// Attenuation integrated along the path, in dB at 1 MHz: `Σ α0_k · L_k` with α0 in dB/cm/MHz^y and L in cm.
  /// The amplitude at frequency f is multiplied by `10^(−A·(f/1 MHz)^y / 20)`.
  public var attenuationDbAt1MHz: Float
  /// Product of the pressure transmission coefficients of the interfaces crossed (1 in a homogeneous medium).
  public var transmission: Float

  public init(travelTimeSeconds: Float, attenuationDbAt1MHz: Float, transmission: Float = 1) {
    self.travelTimeSeconds = travelTimeSeconds
    self.attenuationDbAt1MHz = attenuationDbAt1MHz
    self.transmission = transmission
  }
}

/// The propagation medium: how sound gets from a probe element to a point and back.
///
/// Every contribution of the RF model goes through `path(from:to:length:)`, so a heterogeneous tissue map (with its
/// own travel times, per-tissue attenuation and transmission losses at bone interfaces — acoustic shadows) plugs
/// in without changing the physics core. Paths are reciprocal: the receive path equals the transmit path.
public protocol Medium: Sendable {
  /// The sound speed (m/s) that beamformers assume for this medium.
  var soundSpeedMetresPerSecond: Double { get }
  /// The frequency exponent y of the power-law attenuation α(f) = α0·f^y shared by the whole medium.
  var attenuationExponent: Double { get }
  /// Largest attenuation (dB/cm/MHz^y) anywhere in the medium; sizes the attenuated-pulse table.
  var maximumAttenuationDbPerCmPerMHz: Double { get }
  /// The path from `a` to `b` (metres, probe frame), whose straight-line length `length` (m) the caller has
  /// already computed.
  func path(from a: SIMD3<Float>, to b: SIMD3<Float>, length: Float) -> AcousticPath
  /// The paths from `count` elements at `(x[e], 0, z[e])` to `point`, with straight-line lengths `lengths[e]`, into
  /// `out`: the batched form of ``path(from:to:length:)``, which media override when they can do better than one
  /// path at a time.
  func paths(
    fromElementsX x: UnsafePointer<Float>, z: UnsafePointer<Float>, to point: SIMD3<Float>,
    lengths: UnsafePointer<Float>, count: Int, into out: PathBuffers)
}

/// Where ``Medium/paths(fromElementsX:z:to:lengths:count:into:)`` writes, one value per element.
public struct PathBuffers {
  /// One-way travel times (s), attenuations (dB at 1 MHz) and transmissions, as in ``AcousticPath``.
  public let times: UnsafeMutablePointer<Float>
  public let attenuations: UnsafeMutablePointer<Float>
  public let transmissions: UnsafeMutablePointer<Float>

  public init(
    times: UnsafeMutablePointer<Float>, attenuations: UnsafeMutablePointer<Float>,
    transmissions: UnsafeMutablePointer<Float>
  ) {
    self.times = times
    self.attenuations = attenuations
    self.transmissions = transmissions
  }
}

extension Medium {
  public func paths(
    fromElementsX x: UnsafePointer<Float>, z: UnsafePointer<Float>, to point: SIMD3<Float>,
    lengths: UnsafePointer<Float>, count: Int, into out: PathBuffers
  ) {
    for e in 0..<count {
      let p = path(from: SIMD3(x[e], 0, z[e]), to: point, length: lengths[e])
      out.times[e] = p.travelTimeSeconds
      out.attenuations[e] = p.attenuationDbAt1MHz
      out.transmissions[e] = p.transmission
    }
  }
}
