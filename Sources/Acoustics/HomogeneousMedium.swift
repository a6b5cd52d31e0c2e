/// A uniform medium: straight rays, one sound speed, power-law attenuation α(f) = α0·f^y, no interfaces.
///
/// Defaults are generic soft tissue as in MUST/SIMUS: c = 1540 m/s, α0 = 0.5 dB/cm/MHz, y = 1
/// (`docs/physics.md`, "Tissues").
public struct HomogeneousMedium: Medium, Equatable {
  public var soundSpeedMetresPerSecond: Double
  /// α0 in dB/cm/MHz^y.
  public var attenuationDbPerCmPerMHz: Double
  public var attenuationExponent: Double

  public init(
    soundSpeedMetresPerSecond: Double = 1540, attenuationDbPerCmPerMHz: Double = 0.5, attenuationExponent: Double = 1
  ) {
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.attenuationDbPerCmPerMHz = attenuationDbPerCmPerMHz
    self.attenuationExponent = attenuationExponent
  }

  public var maximumAttenuationDbPerCmPerMHz: Double { attenuationDbPerCmPerMHz }

  @inlinable
  public func path(from a: SIMD3<Float>, to b: SIMD3<Float>, length: Float) -> AcousticPath {
    AcousticPath(
      travelTimeSeconds: length / Float(soundSpeedMetresPerSecond),
      attenuationDbAt1MHz: Float(attenuationDbPerCmPerMHz) * length * 100)
  }

  /// Straight rays: time and attenuation proportional to length, no interfaces (the same arithmetic as
  /// ``path(from:to:length:)``, in a loop the compiler vectorises).
  public func paths(
    fromElementsX x: UnsafePointer<Float>, z: UnsafePointer<Float>, to point: SIMD3<Float>,
    lengths: UnsafePointer<Float>, count: Int, into out: PathBuffers
  ) {
    let c = Float(soundSpeedMetresPerSecond)
    let alpha = Float(attenuationDbPerCmPerMHz)
    for e in 0..<count {
      out.times[e] = lengths[e] / c
      out.attenuations[e] = alpha * lengths[e] * 100
      out.transmissions[e] = 1
    }
  }
}
