import Acquisition
import Foundation
import Yams

/// A probe as scenario files and channel-data sidecars describe it (`probe:`): a preset name, or a mapping that
/// overrides a preset's fields or describes a probe whole.
public enum ProbeDescription {
  static let keys = [
    "preset", "layout", "elements", "fc_mhz", "pitch_mm", "element_width_mm", "kerf_mm", "bandwidth_percent",
    "radius_mm", "element_height_mm", "elevation_focus_mm",
  ]

  public static func parse(_ n: ConfigNode) throws -> Probe {
    let names = Probe.presets.map(\.name).joined(separator: ", ")
    if !n.isPresent { return .l11_5v }
    if case .scalar = n.node! {
      let name = try n.string()
      guard let p = Probe.preset(named: name) else { throw n.error("a preset name (\(names)) or a mapping") }
      return p
    }
    let m = try n.mapping(allowed: keys)
    var p: Probe
    if let pn = m["preset"], pn.isPresent {
      let name = try pn.string()
      guard let preset = Probe.preset(named: name) else { throw pn.error("one of \(names)") }
      p = preset
    } else {
      // A custom probe names everything that has no sensible default.
      for key in ["layout", "elements", "fc_mhz", "pitch_mm", "bandwidth_percent", "element_height_mm"]
      where m[key] == nil {
        throw ScenarioError(
          field: n.child(key), value: "(missing)", allowed: "a value: a custom probe (no preset) needs \(key)",
          line: n.line)
      }
      p = Probe(
        name: "custom", layout: .linear, elementCount: 1, centerFrequencyHz: 1e6, pitchMetres: 1e-3,
        elementWidthMetres: 0.9e-3, fractionalBandwidth: 0.7, elementHeightMetres: 5e-3)
    }
    if let v = m["layout"] {
      let s = try v.string()
      guard let l = Probe.Layout(rawValue: s) else { throw v.error("linear, convex or phased") }
      p.layout = l
    }
    if let v = m["elements"] { p.elementCount = try v.integer(in: 1...4096, "a whole number 1…4096") }
    if let v = m["fc_mhz"] { p.centerFrequencyHz = try v.number(in: 0.1...100, "a number 0.1…100") * 1e6 }
    if let v = m["pitch_mm"] {
      let kerf = p.kerfMetres
      p.pitchMetres = try v.number(in: 1e-3...100, "a number > 0") * 1e-3
      if m["element_width_mm"] == nil && m["kerf_mm"] == nil {
        p.elementWidthMetres = max(p.pitchMetres - kerf, p.pitchMetres * 0.5)
      }
    }
    if let v = m["element_width_mm"] { p.elementWidthMetres = try v.number(in: 1e-4...100, "a number > 0") * 1e-3 }
    if let v = m["kerf_mm"] {
      let kerf = try v.number(in: 0...100, "a number ≥ 0") * 1e-3
      guard kerf < p.pitchMetres else { throw v.error("less than the pitch (\(p.pitchMetres * 1e3) mm)") }
      p.elementWidthMetres = p.pitchMetres - kerf
    }
    if m["element_width_mm"] == nil && m["kerf_mm"] == nil && m["preset"] == nil {
      p.elementWidthMetres = p.pitchMetres * 0.9
    }
    if let v = m["bandwidth_percent"] { p.fractionalBandwidth = try v.number(in: 5...200, "a number 5…200") / 100 }
    if let v = m["radius_mm"] { p.radiusMetres = try v.number(in: 1...10000, "a number 1…10000") * 1e-3 }
    if let v = m["element_height_mm"] {
      p.elementHeightMetres = try v.number(in: 0.01...200, "a number 0.01…200") * 1e-3
    }
    if let v = m["elevation_focus_mm"] {
      p.elevationFocusMetres = try v.number(in: 0.1...10000, "a number 0.1…10000") * 1e-3
    }
    if p.layout == .convex && !p.radiusMetres.isFinite {
      throw ScenarioError(
        field: n.child("radius_mm"), value: "(missing)", allowed: "a radius for a convex probe", line: n.line)
    }
    if p.layout != .convex { p.radiusMetres = .infinity }
    if p.name != "custom" && m.keys.contains(where: { $0 != "preset" }) { p.name += " (modified)" }
    if let problem = p.problems.first {
      throw ScenarioError(field: n.child(problem.field), value: problem.value, allowed: problem.allowed, line: n.line)
    }
    return p
  }
}
