import Acoustics
import Acquisition
import Foundation
import Interchange

/// The channel data of a run in forms other tools (and `us-sim beamform`) read: `rf.npy`'s sidecar `rf.yaml`, and
/// `channel_data.uff` (UFF v1.2).
extension SimulationOutput {
  /// The sidecar that describes `rf.npy` (``ChannelDataSidecar``): axes, probe, sampling, start time, sound speed
  /// and one entry per transmit event.
  static func rfSidecar(_ rf: ChannelData) -> String {
    let p = rf.probe
    var probe = [
      "layout: \(p.layout.rawValue)", "elements: \(p.elementCount)", "fc_mhz: \(p.centerFrequencyHz / 1e6)",
      "pitch_mm: \(p.pitchMetres * 1e3)", "element_width_mm: \(p.elementWidthMetres * 1e3)",
      "bandwidth_percent: \(p.fractionalBandwidth * 100)", "element_height_mm: \(p.elementHeightMetres * 1e3)",
    ]
    if p.radiusMetres.isFinite { probe.append("radius_mm: \(p.radiusMetres * 1e3)") }
    if p.elevationFocusMetres.isFinite { probe.append("elevation_focus_mm: \(p.elevationFocusMetres * 1e3)") }
    var lines = [
      "# rf.npy: float32, events × samples × elements, as simulated by us-sim \(version) (\(p.name)).",
      "# `us-sim beamform rf.npy --out DIR` reads this description.",
      "axes: [events, samples, elements]",
      "probe: {\(probe.joined(separator: ", "))}",
      "sampling_mhz: \(rf.samplingFrequencyHz / 1e6)",
      "start_time_us: \(rf.startTimeSeconds * 1e6)",
      "sound_speed_m_s: \(rf.soundSpeedMetresPerSecond)",
      "transmit:",
    ]
    for e in rf.sequence {
      var entry: String
      switch e.wavefront {
      case .plane(let a): entry = "plane_deg: \(a * 180 / .pi)"
      case .focused(let x, let z): entry = "focus_mm: [\(x * 1e3), \(z * 1e3)]"
      case .diverging(let x, let z): entry = "source_mm: [\(x * 1e3), \(z * 1e3)]"
      case .singleElement(let k): entry = "element: \(k)"
      }
      if e.firstFiringTimeSeconds != 0 { entry += ", first_firing_us: \(e.firstFiringTimeSeconds * 1e6)" }
      if case .singleElement = e.wavefront {
      } else if e.apodization.contains(where: { $0 != 1 }) {
        entry += ", apodization: [\(e.apodization.map { "\($0)" }.joined(separator: ", "))]"
      }
      lines.append("  - {\(entry)}")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `channel_data.uff`: the RF channel data, probe, transmit sequence and pulse, with the output image's axes as
  /// the scan (`uff.linear_scan`).
  static func writeUFF(_ result: SimulationResult, scenario s: Scenario, to url: URL) throws {
    let pulse = s.pulse
    let recording = ChannelRecording(
      result.channelData, pulse: pulse, scan: .linear(x: result.xAxisMetres, z: result.zAxisMetres))
    try UFF.write(recording, to: url)
  }
}
