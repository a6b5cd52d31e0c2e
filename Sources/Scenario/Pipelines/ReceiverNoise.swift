import Acoustics
import Acquisition
import Foundation
import Phantom
import Spectral

extension Scenario {
  /// Depth of the reference mirror of ``AcquisitionPlan/noiseFloorDb`` (m).
  static var noiseReferenceDepthMetres: Double { 10e-3 }

  /// The receiver's reference level, in the units of the RF: the envelope peak of the echo of a perfect mirror
  /// (R = 1) 10 mm in front of the probe's centre element, which alone transmits and receives, in a lossless medium
  /// at the scene's sound speed, with this scenario's pulse and calibration (``Phantom/EchoCalibration``: Kirchhoff
  /// strips `R·Δ/λ` or the relative calibration's points `R·Δ/√λ`, every λ/4 over ±20 mm). It depends on the probe,
  /// the pulse and the calibration only, so a noise floor relative to it is the same for every scene.
  public func noiseReferenceAmplitude(threads: Int = 1) -> Double {
    let c = medium.soundSpeedMetresPerSecond
    let lambda = probe.wavelength(soundSpeed: c)
    let centre = probe.elementCount / 2
    let element = probe.elements[centre]
    let depth = Self.noiseReferenceDepthMetres
    let calibration = physics.calibration
    let spacing = lambda / 4
    var mirror = ScattererSet()
    // The mirror lies across the element's normal, `depth` in front of it.
    let (nx, nz) = (sin(element.normalAngleRadians), cos(element.normalAngleRadians))
    for i in -Int(20e-3 / spacing)...Int(20e-3 / spacing) {
      let u = Double(i) * spacing
      mirror.append(
        xMetres: Float(element.xMetres + depth * nx + u * nz), yMetres: 0,
        zMetres: Float(element.zMetres + depth * nz - u * nx),
        amplitude: Float(calibration.specularAmplitude(spacingMetres: spacing, wavelengthMetres: lambda)),
        sheetRadius: calibration.flatSheetRadius)
    }
    let event = TransmitEvent(probe: probe, wavefront: .singleElement(index: centre), soundSpeed: c)
    let fs = acquisition.samplingFrequencyHz
    let samples = Int((2 * (depth + 25e-3) / c * fs).rounded(.up))
    var settings = SimulationSettings(samplingFrequencyHz: fs, sampleCount: samples, threads: threads)
    settings.elevationDispersion = physics.elevationDispersion
    let lossless = HomogeneousMedium(soundSpeedMetresPerSecond: c, attenuationDbPerCmPerMHz: 0)
    let rf = RFSimulator(probe: probe, medium: lossless, pulse: pulse, settings: settings)
      .simulate(scatterers: mirror, sequence: [event])
    let trace = rf.trace(event: 0, element: centre)
    // The specular echo alone: the mirror's ends echo later, from farther.
    let arrival = Int((2 * depth / c * fs).rounded())
    let window = Int((1.5e-6 * fs).rounded(.up))
    let envelope = AnalyticSignal(length: trace.count).envelope(trace)
    return Double(envelope[max(0, arrival - window)...min(trace.count - 1, arrival + window)].max() ?? 0)
  }
}

extension Scenario {
  /// The automatic time-gain curve (dB of depth d, m), tabulated every 0.1 mm down to `maximumDepthMetres`: the
  /// round-trip attenuation at fc of the tissues along the probe's axis (x = 0 of the probe frame) down to d,
  /// `G(d) = 2·fc·∫₀^d α(z) dz` (α in dB/cm/MHz at fc, ``Phantom/Tissue/attenuationDbPerCmPerMHzLinear(at:)``, fc in
  /// MHz), as a sonographer sets the TGC for the tissue. Bone (tissues faster than 2500 m/s) is not compensated, as
  /// no scanner's TGC undoes 10 dB/cm/MHz: where the axis meets bone, the tissue above it continues. Without an
  /// anatomy, the medium's α.
  public func automaticGainCurve(maximumDepthMetres: Double) -> @Sendable (Double) -> Double {
    let fc = probe.centerFrequencyHz
    let twoWay = 2 * fc / 1e6 * 100  // dB per (dB/cm/MHz · m)
    let step = 0.1e-3
    let count = Int((maximumDepthMetres / step).rounded(.up)) + 2
    var cumulative = [0.0]
    cumulative.reserveCapacity(count)
    let anatomy = builtAnatomy()
    var last = medium.attenuationDbPerCmPerMHz
    for k in 0..<count {
      if let a = anatomy {
        let tissue = a.map.tissue(x: 0, z: (Double(k) + 0.5) * step)
        if tissue.soundSpeedMetresPerSecond < 2500 { last = tissue.attenuationDbPerCmPerMHzLinear(at: fc) }
      }
      cumulative.append(cumulative[k] + twoWay * last * step)
    }
    let table = cumulative
    return { d in
      let u = min(max(0, d / step), Double(table.count - 2))
      let i = Int(u)
      return table[i] + (u - Double(i)) * (table[i + 1] - table[i])
    }
  }
}
