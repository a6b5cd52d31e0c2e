import Acoustics
import ConfigReading
import Phantom

extension Scenario {
  /// `physics: {probe_response: gaussian | must, elevation_dispersion: bool, interfaces_at_incidence: bool,
  /// calibration: relative | physical, needle_shadow: bool}`.
  static func parsePhysics(_ n: ConfigNode) throws -> PhysicsPlan {
    let m = try n.mapping(allowed: [
      "probe_response", "elevation_dispersion", "interfaces_at_incidence", "calibration", "needle_shadow",
    ])
    var p = PhysicsPlan()
    if let v = m["probe_response"], v.isPresent { p.probeResponse = try v.choice(of: PulseModel.Response.self) }
    if let v = m["elevation_dispersion"], v.isPresent { p.elevationDispersion = try v.bool() }
    if let v = m["interfaces_at_incidence"], v.isPresent { p.interfacesAtIncidence = try v.bool() }
    if let v = m["calibration"], v.isPresent { p.calibration = try v.choice(of: EchoCalibration.self) }
    if let v = m["needle_shadow"], v.isPresent { p.needleShadow = try v.bool() }
    return p
  }
}
