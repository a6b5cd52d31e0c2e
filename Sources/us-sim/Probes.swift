import Acoustics
import Acquisition
import ArgumentParser

/// `us-sim probes`: the probe presets and their values.
struct Probes: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the probe presets.")

  func run() {
    print(
      "preset   layout  elements  fc (MHz)  pitch (mm)  width (mm)  bandwidth (%)  radius (mm)  height (mm)  elev. focus (mm)"
    )
    for p in Probe.presets {
      let radius = p.radiusMetres.isFinite ? String(format: "%.2f", p.radiusMetres * 1e3) : "-"
      print(
        p.name.padding(toLength: 9, withPad: " ", startingAt: 0)
          + p.layout.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
          + String(
            format: "%8d  %8.2f  %10.3f  %10.3f  %13.0f  %11@  %11.1f  %16.0f", p.elementCount,
            p.centerFrequencyHz / 1e6, p.pitchMetres * 1e3,
            p.elementWidthMetres * 1e3, p.fractionalBandwidth * 100, radius, p.elementHeightMetres * 1e3,
            p.elevationFocusMetres * 1e3))
    }
  }
}
