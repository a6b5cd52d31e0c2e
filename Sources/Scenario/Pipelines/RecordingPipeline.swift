import Acoustics
import Acquisition
import Beamform
import ConfigReading
import Foundation
import Interchange
import KernelSupport

/// How to image recorded channel data: the output region (each part defaults from the file), the beamformer and
/// the display. Lengths in metres.
public struct RecordingImaging: Sendable, Equatable {
  public var xRangeMetres: ClosedRange<Double>?
  public var zRangeMetres: ClosedRange<Double>?
  public var pixelMetres: Double?
  public var aperture: ReceiveAperture
  /// Beamforming sound speed (m/s); nil = the file's.
  public var soundSpeedMetresPerSecond: Double?
  public var dynamicRangeDb: Double
  public var gainDb: Double

  public init(
    xRangeMetres: ClosedRange<Double>? = nil, zRangeMetres: ClosedRange<Double>? = nil, pixelMetres: Double? = nil,
    aperture: ReceiveAperture = ReceiveAperture(), soundSpeedMetresPerSecond: Double? = nil,
    dynamicRangeDb: Double = LogCompression.defaultDynamicRangeDb, gainDb: Double = LogCompression.defaultGainDb
  ) {
    self.xRangeMetres = xRangeMetres
    self.zRangeMetres = zRangeMetres
    self.pixelMetres = pixelMetres
    self.aperture = aperture
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.dynamicRangeDb = dynamicRangeDb
    self.gainDb = gainDb
  }

  /// Whether the user chose any part of the region.
  var choosesRegion: Bool { xRangeMetres != nil || zRangeMetres != nil || pixelMetres != nil }
}

/// One beamformed frame of a recording.
public struct RecordingImage: Sendable {
  /// Frame index in the recording (0-based).
  public var frame: Int
  /// Linear envelope, (nz, nx) row-major, row 0 shallowest, on the Cartesian axes below.
  public var envelope: [Float]
  public var xAxisMetres: [Double]
  public var zAxisMetres: [Double]
  public var bmode: [UInt8]
  public var grid: ImageGrid
  /// Seconds per stage: analytic (FFT or I/Q modulation), beamform, envelope.
  public var timings: [String: Double]
}

/// Recorded channel data → analytic signal → delay-and-sum → envelope → B-mode: the imaging half of
/// ``SimulationPipeline`` for data from a file.
///
/// The grid: the user's region where given; else the file's scan (`uff.linear_scan` axes are the output axes;
/// a `uff.sector_scan` is beamformed as it is and scan-converted); else the region the data covers — the array's
/// width (the sector's, for convex arrays) from 1 mm to the depth of the last sample, at λ/2 pixels.
public struct RecordingPipeline: Sendable {
  public let recording: ChannelRecording
  public let imaging: RecordingImaging
  public let threads: Int

  public init(
    recording: ChannelRecording, imaging: RecordingImaging = RecordingImaging(),
    threads: Int = Parallel.defaultThreadCount
  ) {
    self.recording = recording
    self.imaging = imaging
    self.threads = threads
  }

  public var soundSpeed: Double { imaging.soundSpeedMetresPerSecond ?? recording.layout.soundSpeedMetresPerSecond }

  /// The beamforming grid and the Cartesian axes of the output image; nil when the chosen region lies outside
  /// a convex array's sector.
  public func grids() -> (grid: ImageGrid, x: [Double], z: [Double])? {
    let probe = recording.layout.probe
    if !imaging.choosesRegion, let scan = recording.scan {
      switch scan {
      case .linear(let x, let z) where x.count > 1 && z.count > 1:
        if probe.layout == .linear { return (ImageGrid(.cartesian(x: x, z: z)), x, z) }
        let plan = ImagePlan(
          xRangeMetres: x.first!...x.last!, zRangeMetres: z.first!...z.last!,
          pixelMetres: (z.last! - z.first!) / Double(z.count - 1))
        return plan.beamformingGrid(probe: probe).map { ($0, x, z) }
      case .sector(let azimuths, let depths, let ax, let az) where azimuths.count > 1 && depths.count > 1:
        let grid = ImageGrid(.polar(angles: azimuths, ranges: depths, apexX: ax, apexZ: az))
        let step = (depths.last! - depths.first!) / Double(depths.count - 1)
        let xs = grid.x.map(Double.init)
        let zs = grid.z.map(Double.init)
        let plan = ImagePlan(
          xRangeMetres: xs.min()!...xs.max()!, zRangeMetres: max(zs.min()!, 0)...zs.max()!, pixelMetres: step)
        return (grid, plan.xAxis, plan.zAxis)
      default: break
      }
    }
    let plan = imagePlan()
    return plan.beamformingGrid(probe: probe).map { ($0, plan.xAxis, plan.zAxis) }
  }

  /// The output region: the user's parts, the rest from the data (see the type's notes).
  public func imagePlan() -> ImagePlan {
    let layout = recording.layout
    let probe = layout.probe
    let c = soundSpeed
    let wavelength = c / probe.centerFrequencyHz
    let lastSample = layout.startTimeSeconds + Double(layout.sampleCount - 1) / layout.samplingFrequencyHz
    let firstFiring = layout.sequence.map(\.firstFiringTimeSeconds).min() ?? 0
    let deepest = max(c * (lastSample - firstFiring) / 2, 2e-3)
    let z = imaging.zRangeMetres ?? 1e-3...deepest
    let x: ClosedRange<Double>
    if let chosen = imaging.xRangeMetres {
      x = chosen
    } else if probe.layout == .convex {
      let halfAngle = probe.apertureMetres / 2 / probe.radiusMetres
      let half = (probe.radiusMetres + z.upperBound) * sin(halfAngle)
      x = -half...half
    } else {
      let xs = probe.elements.map(\.xMetres)
      x = xs.min()!...max(xs.max()!, xs.min()! + 1e-3)
    }
    let widest = max(x.upperBound - x.lowerBound, z.upperBound - z.lowerBound)
    let pixel = imaging.pixelMetres ?? max(wavelength / 2, widest / 1024)
    return ImagePlan(
      xRangeMetres: x, zRangeMetres: z, pixelMetres: pixel, dynamicRangeDb: imaging.dynamicRangeDb,
      gainDb: imaging.gainDb)
  }

  /// A generous estimate of peak memory (bytes), computed without building any grid: the recording's samples (held
  /// whole, float32), one frame's analytic signal with FFTW's work arrays (three complex copies) and the images
  /// (``ImagePlan/imageMemoryBytes(probe:)``, or the file's scan grid at the same per-pixel cost).
  public func memoryEstimateBytes() -> Double {
    let l = recording.layout
    let frame = Double(l.eventCount) * Double(l.elementCount) * Double(l.sampleCount)
    var bytes = Double(recording.samples.count) * 4 + frame * 8 * 3 + 64e6
    switch imaging.choosesRegion ? nil : recording.scan {
    case .linear(let x, let z)?: bytes += Double(x.count) * Double(z.count) * 64
    case .sector(let azimuths, let depths, _, _)?: bytes += Double(azimuths.count) * Double(depths.count) * 64
    case nil: bytes += imagePlan().imageMemoryBytes(probe: l.probe)
    }
    return bytes
  }

  /// Refuses a job whose ``memoryEstimateBytes()`` exceeds ``Scenario/memoryLimitBytes``, before any work.
  public func checkMemory() throws {
    let needed = memoryEstimateBytes()
    guard needed > Scenario.memoryLimitBytes else { return }
    throw ScenarioError(
      field: imaging.pixelMetres != nil ? "--grid" : "(whole job)",
      value: String(format: "needs about %.3g GiB", needed / 1_073_741_824),
      allowed: String(
        format: "at most %.1f GiB on this machine: a coarser or smaller --grid, or fewer samples in the file",
        Scenario.memoryLimitBytes / 1_073_741_824))
  }

  /// Beamforms one frame (0-based) on `grids` (from ``grids()``).
  public func image(frame: Int, grids: (grid: ImageGrid, x: [Double], z: [Double])) -> RecordingImage {
    var timings: [String: Double] = [:]
    var clock = Date()
    func lap(_ name: String) {
      timings[name] = Date().timeIntervalSince(clock)
      clock = Date()
    }
    let analytic = recording.analytic(frame: frame, threads: threads)
    lap("analytic")
    let chain = ImagingChain(
      beamforming: BeamformSettings(
        aperture: imaging.aperture, soundSpeedMetresPerSecond: soundSpeed, threads: threads),
      dynamicRangeDb: imaging.dynamicRangeDb, gainDb: imaging.gainDb)
    let beamformed = chain.beamform(analytic, grid: grids.grid)
    lap("beamform")
    let (envelope, bmode) = chain.display(beamformed, grid: grids.grid, x: grids.x, z: grids.z)
    lap("envelope")
    return RecordingImage(
      frame: frame, envelope: envelope, xAxisMetres: grids.x, zAxisMetres: grids.z, bmode: bmode, grid: grids.grid,
      timings: timings)
  }
}
