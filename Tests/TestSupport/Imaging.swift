import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom

/// Simulate-and-beamform in one call, for tests that look at images.
public struct Imaging {
  public var probe: Probe
  public var medium: HomogeneousMedium
  public var cycles: Double
  public var fNumber: Double
  public var window: ApodizationWindow
  public var threads: Int
  /// ``SimulationSettings/elevationDispersion``.
  public var elevationDispersion = false
  /// The probe response's shape (``PulseModel/Response``).
  public var pulseResponse = PulseModel.Response.gaussian
  /// Whether each plane wave's receive aperture is steered with it (``ReceiveAperture/steered``).
  public var steered = false

  public init(
    probe: Probe = .l11_5v, medium: HomogeneousMedium = HomogeneousMedium(attenuationDbPerCmPerMHz: 0),
    cycles: Double = 1, fNumber: Double = 1.5, window: ApodizationWindow = .hann, threads: Int = 2
  ) {
    self.probe = probe
    self.medium = medium
    self.cycles = cycles
    self.fNumber = fNumber
    self.window = window
    self.threads = threads
  }

  public var soundSpeed: Double { medium.soundSpeedMetresPerSecond }
  public var wavelength: Double { probe.wavelength(soundSpeed: soundSpeed) }
  public var pulse: PulseModel {
    PulseModel(
      centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth, cycles: cycles,
      response: pulseResponse)
  }

  /// RF for the scatterers, recorded long enough for echoes from `maximumDepth` (m).
  public func channelData(_ s: ScattererSet, sequence: [TransmitEvent], maximumDepthMetres: Double) -> ChannelData {
    channelData(s, sequence: sequence, maximumDepthMetres: maximumDepthMetres, medium: medium)
  }

  /// The same through another medium (its beamforming speed should equal ``soundSpeed``).
  public func channelData<M: Medium>(
    _ s: ScattererSet, sequence: [TransmitEvent], maximumDepthMetres: Double, medium: M
  ) -> ChannelData {
    let fs = 4 * probe.centerFrequencyHz
    let far = hypot(maximumDepthMetres + 5e-3, probe.apertureMetres)
    let n = SimulationSettings.sampleCount(
      samplingFrequencyHz: fs, startTimeSeconds: 0, maximumDistanceMetres: far, soundSpeed: soundSpeed,
      maximumFiringDelaySeconds: sequence.map(\.maximumFiringDelaySeconds).max() ?? 0, pulseHalfLengthSeconds: 2e-6)
    var settings = SimulationSettings(samplingFrequencyHz: fs, sampleCount: n, threads: threads)
    settings.elevationDispersion = elevationDispersion
    let sim = RFSimulator(probe: probe, medium: medium, pulse: pulse, settings: settings)
    return sim.simulate(scatterers: s, sequence: sequence)
  }

  /// Linear envelope of `rf` beamformed on a Cartesian grid.
  public func envelope(_ rf: ChannelData, x: [Double], z: [Double]) -> [Float] {
    envelope(rf, grid: ImageGrid(.cartesian(x: x, z: z)))
  }

  public func envelope(_ rf: ChannelData, grid: ImageGrid) -> [Float] {
    let das = DelayAndSum(
      settings: BeamformSettings(
        aperture: ReceiveAperture(fNumber: fNumber, window: window, steered: steered),
        soundSpeedMetresPerSecond: soundSpeed,
        threads: threads))
    return Envelope.magnitude(das.beamform(AnalyticChannelData(rf), grid: grid))
  }

  /// One scatterer per point (metres).
  public static func points(_ p: [(Double, Double)], amplitude: Float = 1) -> ScattererSet {
    var s = ScattererSet()
    for (x, z) in p { s.append(xMetres: Float(x), yMetres: 0, zMetres: Float(z), amplitude: amplitude) }
    return s
  }
}

/// A row-major image with its axes (metres), and the profiles through its peak.
public struct ImagePatch {
  public let values: [Float]
  public let x: [Double]
  public let z: [Double]

  public init(values: [Float], x: [Double], z: [Double]) {
    self.values = values
    self.x = x
    self.z = z
  }

  public var peak: (row: Int, column: Int) {
    let i = values.indices.max { values[$0] < values[$1] }!
    return (i / x.count, i % x.count)
  }

  public var lateralProfile: [Float] {
    let p = peak
    return Array(values[(p.row * x.count)..<((p.row + 1) * x.count)])
  }

  public var axialProfile: [Float] {
    let p = peak
    return (0..<z.count).map { values[$0 * x.count + p.column] }
  }
}

/// Diffraction estimates of resolution.
public enum Diffraction {
  /// −6 dB full width (m) of the Fraunhofer (focal-plane) amplitude pattern at depth z of an aperture whose element
  /// positions are `x` (m) with weights `w`, at wavelength λ: `|Σ w_j exp(−2πi x_j u / (λ z))|` over lateral offset u.
  /// `transmit` multiplies in a second aperture's pattern (two-way focusing).
  public static func lateralWidth(
    x: [Double], weights: [Double], wavelength lambda: Double, depth z: Double,
    transmit: (x: [Double], weights: [Double])? = nil
  ) -> Double {
    func pattern(_ u: Double, _ xs: [Double], _ ws: [Double]) -> Double {
      var re = 0.0
      var im = 0.0
      for (xj, wj) in zip(xs, ws) {
        let ph = -2 * Double.pi * xj * u / (lambda * z)
        re += wj * cos(ph)
        im += wj * sin(ph)
      }
      return (re * re + im * im).squareRoot()
    }
    func total(_ u: Double) -> Double {
      var p = pattern(u, x, weights)
      if let t = transmit { p *= pattern(u, t.x, t.weights) }
      return p
    }
    let peak = total(0)
    var u = 0.0
    let du = lambda / 2000
    while total(u) > peak / 2 { u += du }
    return 2 * u
  }

  /// Axial −6 dB width (m) of the envelope of a pulse with a Gaussian spectrum whose −6 dB (half amplitude) full
  /// bandwidth is B: the envelope's −6 dB duration is 4·ln2/(π·B), and the round trip halves it in depth:
  /// `c · 2 ln 2 / (π B)`.
  public static func axialWidth(bandwidthHz b: Double, soundSpeed c: Double) -> Double {
    c * 2 * log(2.0) / (Double.pi * b)
  }

  /// Axial −6 dB width (m) of the point echo of `pulse`, for any response shape: the −6 dB duration T of the
  /// envelope `|∫₀^{3fc} X(f)·H²(f)·e^{2πift} df|` (the analytic pulse, by direct numerical integration of the
  /// model's spectrum, 1/4000 of fc apart), times c/2 for the round trip. For a Gaussian spectrum it equals
  /// ``axialWidth(bandwidthHz:soundSpeed:)``.
  public static func axialWidth(pulse: PulseModel, soundSpeed c: Double) -> Double {
    let fc = pulse.centerFrequencyHz
    let df = fc / 4000
    let spectrum = stride(from: df / 2, to: 3 * fc, by: df).map { f -> (Double, Double, Double) in
      let x = pulse.excitationSpectrum(f)
      let h = pulse.probeResponse(f)
      return (f, x.re * h, x.im * h)
    }
    func envelope(_ t: Double) -> Double {
      var re = 0.0
      var im = 0.0
      for (f, sr, si) in spectrum {
        let ph = 2 * Double.pi * f * t
        re += sr * cos(ph) - si * sin(ph)
        im += sr * sin(ph) + si * cos(ph)
      }
      return (re * re + im * im).squareRoot()
    }
    // The envelope peaks at t = 0 (the pulse is centred); walk out each way to half of it.
    let peak = envelope(0)
    let dt = 1 / (fc * 400)
    var hi = 0.0
    while envelope(hi) > peak / 2 { hi += dt }
    var lo = 0.0
    while envelope(lo) > peak / 2 { lo -= dt }
    return (hi - lo) * c / 2
  }
}
