import Acoustics
import Acquisition
import Beamform
import Foundation
import Phantom

/// One fully resolved simulation: every value the pipeline uses, defaults filled in. Lengths in metres,
/// frequencies in hertz, angles in radians (the YAML file uses mm, MHz and degrees, named in its keys).
public struct Scenario: Sendable, Equatable {
  public var probe: Probe
  public var medium: HomogeneousMedium
  public var transmit: TransmitPlan
  /// Scatterer regions, points and files (`scatterers:`).
  public var scatterers: PhantomDescription
  /// The receive beamformer (YAML `beamform:`).
  public var beamform: ReceiveAperture
  public var image: ImagePlan
  public var acquisition: AcquisitionPlan
  public var outputs: OutputPlan
  public var seed: UInt64
  /// The anatomy preset (`phantom:`), whose tissues then also carry the propagation (nil = the uniform `medium`).
  public var phantom: AnatomyPlan?
  /// Needles (`needles:`), in the anatomy or in the uniform medium.
  public var needles: [Needle]
  /// Model switches (`physics:`).
  public var physics = PhysicsPlan()

  public init(
    probe: Probe, medium: HomogeneousMedium = HomogeneousMedium(), transmit: TransmitPlan = TransmitPlan(),
    scatterers: PhantomDescription, beamform: ReceiveAperture = ReceiveAperture(), image: ImagePlan,
    acquisition: AcquisitionPlan, outputs: OutputPlan = OutputPlan(), seed: UInt64 = 7, phantom: AnatomyPlan? = nil,
    needles: [Needle] = []
  ) {
    self.phantom = phantom
    self.needles = needles
    self.probe = probe
    self.medium = medium
    self.transmit = transmit
    self.scatterers = scatterers
    self.beamform = beamform
    self.image = image
    self.acquisition = acquisition
    self.outputs = outputs
    self.seed = seed
  }
}

/// Which transmit scheme and its parameters.
public struct TransmitPlan: Sendable, Equatable {
  public enum Scheme: String, Sendable, CaseIterable {
    case planeWave = "plane_wave"
    case focused
    case diverging
    case syntheticAperture = "synthetic_aperture"
  }

  public enum Focus: Sendable, Equatable {
    /// Line-by-line imaging with every line focused at this depth (m).
    case depth(Double)
    /// One beam focused at this point (m).
    case point(x: Double, z: Double)
  }

  public var scheme: Scheme
  /// Steering angles (plane and diverging waves).
  public var anglesRadians: [Double]
  /// Excitation length in periods of fc (MUST's default: 1).
  public var cycles: Double
  public var focus: Focus
  /// Number of scan lines for line-by-line focused imaging (nil = one per element, at most 256).
  public var lines: Int?
  /// Transmit f-number of focused beams (focus depth / active aperture); 0 = whole array.
  public var txFNumber: Double
  /// Distance of the diverging waves' virtual source behind the probe origin (nil = the arc's centre for convex
  /// arrays, half the aperture for flat ones: a ±45° wave).
  public var sourceDistanceMetres: Double?
  /// Transmit apodization over the active aperture of plane, diverging and focused waves
  /// (``Acquisition/TransmitSequence``); synthetic aperture fires one element at a time and has none.
  public var txWindow: ApodizationWindow

  public init(
    scheme: Scheme = .planeWave, anglesRadians: [Double] = [0], cycles: Double = 1, focus: Focus = .depth(0.02),
    lines: Int? = nil, txFNumber: Double = 2, sourceDistanceMetres: Double? = nil,
    txWindow: ApodizationWindow = .rectangular
  ) {
    self.scheme = scheme
    self.anglesRadians = anglesRadians
    self.cycles = cycles
    self.focus = focus
    self.lines = lines
    self.txFNumber = txFNumber
    self.sourceDistanceMetres = sourceDistanceMetres
    self.txWindow = txWindow
  }
}

/// An anatomy preset, its parameters, and how sound crosses it.
public struct AnatomyPlan: Sendable, Equatable {
  public var preset: AnatomyPreset
  public var parameters: AnatomyParameters
  /// Travel times at the tissues' own sound speeds along each path (the beamformer still assumes the medium's one
  /// speed: real aberration); false = the medium's speed everywhere.
  public var speedsAlongPaths: Bool
  /// Elevation extent of the tissues' speckle (m).
  public var elevationThicknessMetres: Double
  /// The user's own geometry painted over the preset (`background`, `regions`; nil: none).
  public var custom: CustomTissues?

  /// The cross-section: the preset built with its parameters, with the user's geometry painted over it.
  public func build() -> Anatomy {
    let a = preset.build(parameters)
    return custom?.paint(over: a, parameters: parameters, replaceBackground: preset == .custom) ?? a
  }

  public init(
    preset: AnatomyPreset, parameters: AnatomyParameters = AnatomyParameters(), speedsAlongPaths: Bool = false,
    elevationThicknessMetres: Double = 4e-3
  ) {
    self.preset = preset
    self.parameters = parameters
    self.speedsAlongPaths = speedsAlongPaths
    self.elevationThicknessMetres = elevationThicknessMetres
  }
}

/// The output image: a Cartesian region with square pixels.
public struct ImagePlan: Sendable, Equatable {
  /// What of the region a convex or phased probe images (`image.field_of_view`).
  public enum FieldOfView: String, Sendable, CaseIterable {
    /// The whole rectangle (beamformed up to 20° beyond a convex array's arc, 80° for a phased one).
    case rectangle
    /// The probe's own sector, as scanners show it: angles within the convex array's arc
    /// (``Acquisition/Probe/sectorHalfAngleRadians``) or ±45° for a phased array, ranges from the apex up to the image's depth below the probe's centre (the sector's
    /// bottom arc); pixels outside it are black (envelope 0).
    case sector
  }

  public var xRangeMetres: ClosedRange<Double>
  public var zRangeMetres: ClosedRange<Double>
  public var pixelMetres: Double
  public var dynamicRangeDb: Double
  public var gainDb: Double
  public var fieldOfView = FieldOfView.rectangle

  public init(
    xRangeMetres: ClosedRange<Double>, zRangeMetres: ClosedRange<Double>, pixelMetres: Double,
    dynamicRangeDb: Double = LogCompression.defaultDynamicRangeDb, gainDb: Double = LogCompression.defaultGainDb
  ) {
    self.xRangeMetres = xRangeMetres
    self.zRangeMetres = zRangeMetres
    self.pixelMetres = pixelMetres
    self.dynamicRangeDb = dynamicRangeDb
    self.gainDb = gainDb
  }

  public var xAxis: [Double] {
    ImageGrid.axis(from: xRangeMetres.lowerBound, to: xRangeMetres.upperBound, step: pixelMetres)
  }
  public var zAxis: [Double] {
    ImageGrid.axis(from: zRangeMetres.lowerBound, to: zRangeMetres.upperBound, step: pixelMetres)
  }
}

public struct AcquisitionPlan: Sendable, Equatable {
  public var samplingFrequencyHz: Double
  /// Additive white noise, signal-to-noise ratio in dB against the frame's own RMS (nil = none).
  public var noiseSnrDb: Double?
  /// Receiver noise RMS in dB relative to ``Scenario/noiseReferenceAmplitude(threads:)`` (the echo of a perfect
  /// mirror at 10 mm), the same for every scene (nil = none; not with ``noiseSnrDb``).
  public var noiseFloorDb: Double?
  /// Time-gain compensation in dB/cm of depth (nil = off).
  public var tgcDbPerCm: Double?
  /// `tgc_db_per_cm: auto`: with an anatomy, the gain follows the attenuation of the tissues along the probe's axis
  /// (``Scenario/automaticGainCurve(maximumDepthMetres:)``); without one, it is ``tgcDbPerCm`` (the medium's).
  public var tgcFollowsTissues = false
  /// `exact: true`: every scatterer's echo on every element for every event, as the model defines it — the
  /// reference the faster default is tested against. The default (false) leaves out, when only the image is kept,
  /// the work no pixel reads (``SimulationPipeline/leavesOutUnseenWork``).
  public var exact = false

  public init(samplingFrequencyHz: Double, noiseSnrDb: Double? = nil, tgcDbPerCm: Double? = nil) {
    self.samplingFrequencyHz = samplingFrequencyHz
    self.noiseSnrDb = noiseSnrDb
    self.tgcDbPerCm = tgcDbPerCm
  }

  /// What a scenario file's `acquisition:` leaves out: sampling at 4·fc, no noise, and TGC compensating the medium's
  /// round-trip attenuation at fc (2·α0·fc dB/cm).
  public init(defaultsFor probe: Probe, medium: HomogeneousMedium) {
    self.init(
      samplingFrequencyHz: 4 * probe.centerFrequencyHz,
      tgcDbPerCm: 2 * medium.attenuationDbPerCmPerMHz * probe.centerFrequencyHz / 1e6)
  }
}

public struct OutputPlan: Sendable, Equatable {
  /// Also write `rf.npy` (events × samples × elements).
  public var rf: Bool
  /// Also write `iq.npy`: the beamformed complex image (complex64) on the beamforming grid.
  public var iq: Bool
  /// Also write the RF channel data in an interchange format (`channel_data.uff`).
  public var channelData: ChannelDataFormat?
  public init(rf: Bool = false, iq: Bool = false, channelData: ChannelDataFormat? = nil) {
    self.rf = rf
    self.iq = iq
    self.channelData = channelData
  }
}

/// Interchange formats for RF channel data.
public enum ChannelDataFormat: String, Sendable, Equatable, CaseIterable {
  /// USTB's UFF v1.2 (HDF5): `channel_data.uff`.
  case uff
}

extension Scenario {
  /// The pulse-echo axial resolution c/(2B) of the scenario's probe in its medium (m): the half-width the needle
  /// mask adds to the shaft and the half-width of the needle metrics' wall band (`docs/metrics.md`).
  public var axialResolutionMetres: Double {
    Probe.axialResolutionMetres(
      soundSpeed: medium.soundSpeedMetresPerSecond, centerFrequencyHz: probe.centerFrequencyHz,
      fractionalBandwidth: probe.fractionalBandwidth)
  }
}
