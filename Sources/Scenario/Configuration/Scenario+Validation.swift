import Acoustics
import Acquisition
import ConfigReading
import Foundation

extension Scenario {
  /// Checks that need several fields at once: the image must lie in the probe's field of view, every transmit event
  /// needs an active element, and the job must fit in memory. Throws the first problem.
  public func validate() throws {
    let c = medium.soundSpeedMetresPerSecond
    let lambda = probe.wavelength(soundSpeed: c)
    if image.pixelMetres > 2 * lambda * 10 {
      throw ScenarioError(
        field: "image.pixel_mm", value: "\(image.pixelMetres * 1e3)",
        allowed: "at most \(20 * lambda * 1e3) mm (10 wavelengths)")
    }
    let half = probe.apertureMetres / 2
    switch probe.layout {
    case .linear:
      let reach = half + image.zRangeMetres.upperBound * tan(Double.pi / 3)
      if image.xRangeMetres.upperBound < -reach || image.xRangeMetres.lowerBound > reach {
        throw ScenarioError(
          field: "image.x_mm",
          value: "[\(image.xRangeMetres.lowerBound * 1e3), \(image.xRangeMetres.upperBound * 1e3)]",
          allowed:
            "a range overlapping the probe's field of view (x within ±\(String(format: "%.1f", reach * 1e3)) mm at this depth)"
        )
      }
    case .convex, .phased:
      if image.beamformingPixelCount(probe: probe) == nil {
        throw ScenarioError(
          field: "image.x_mm",
          value: "[\(image.xRangeMetres.lowerBound * 1e3), \(image.xRangeMetres.upperBound * 1e3)]",
          allowed: "a region inside the probe's sector")
      }
    }
    if physics.calibration == .physical {
      // Backscatter is power per unit volume: a speckle layer of no thickness has none.
      if let plan = phantom, plan.elevationThicknessMetres <= 0 {
        throw ScenarioError(
          field: "phantom.elevation_thickness_mm", value: "0",
          allowed: "a thickness > 0 with physics.calibration: physical (scatterers spread over a volume)")
      }
      for (k, r) in scatterers.regions.enumerated() where r.densityPerMm2 > 0 && r.thicknessMetres <= 0 {
        throw ScenarioError(
          field: "scatterers.regions[\(k)].thickness_mm", value: "0",
          allowed: "a thickness > 0 with physics.calibration: physical (scatterers spread over a volume)")
      }
    }
    if image.zRangeMetres.upperBound <= 0 {
      throw ScenarioError(
        field: "image.z_mm", value: "\(image.zRangeMetres)", allowed: "depths in front of the probe (> 0)")
    }
    if case .point(let x, let z) = transmit.focus, transmit.scheme == .focused, z <= 0 || abs(x) > 1 {
      throw ScenarioError(
        field: "transmit.focus_mm", value: "[\(x * 1e3), \(z * 1e3)]", allowed: "a point in front of the probe")
    }
    if beamform.steered, transmit.scheme != .planeWave || !beamform.limitsAperture {
      throw ScenarioError(
        field: "beamform.receive_steering", value: "true",
        allowed: "true only with transmit.scheme: plane_wave and an f_number > 0 (the aperture steered with each "
          + "plane wave); this scenario has scheme \(transmit.scheme.rawValue), f_number \(beamform.fNumber)")
    }
    // The images alone first: a mistaken pixel size must be refused before any grid is built.
    try checkMemory(imageBytes: image.imageMemoryBytes(probe: probe))
    let events = transmit.events(probe: probe, soundSpeed: c, image: image)
    if events.isEmpty {
      throw ScenarioError(field: "transmit", value: "no events", allowed: "at least one transmit event")
    }
    for (i, e) in events.enumerated() where !e.apodization.contains(where: { $0 != 0 }) {
      throw ScenarioError(
        field: "transmit", value: "event \(i) has no active element", allowed: "a non-empty transmit aperture")
    }
    try checkMemory(memoryEstimateBytes(events: events.count))
  }

  /// The memory a job may use: 80 % of the machine's physical memory.
  public static var memoryLimitBytes: Double { Double(ProcessInfo.processInfo.physicalMemory) * 0.8 }

  /// Refuses a job whose estimate exceeds ``memoryLimitBytes``, with both figures.
  func checkMemory(_ needed: Double = 0, imageBytes: Double = 0) throws {
    let total = needed + imageBytes
    guard total > Self.memoryLimitBytes else { return }
    throw ScenarioError(
      field: imageBytes > 0 ? "image.pixel_mm" : "(whole scenario)",
      value: String(format: "needs about %.3g GiB", total / 1_073_741_824),
      allowed: String(
        format: "at most %.1f GiB on this machine: %@", Self.memoryLimitBytes / 1_073_741_824,
        imageBytes > 0
          ? "larger pixels or a smaller image" : "fewer transmit events, a smaller image or fewer scatterers"))
  }

  /// Samples per RF trace: long enough for echoes from the farthest image corner to reach the farthest element.
  public func sampleCount(events: [TransmitEvent], pulseHalfLengthSeconds: Double) -> Int {
    let elements = probe.elements
    var far = 0.0
    for x in [image.xRangeMetres.lowerBound, image.xRangeMetres.upperBound] {
      for z in [image.zRangeMetres.lowerBound, image.zRangeMetres.upperBound] {
        for e in [elements.first!, elements.last!] { far = max(far, hypot(x - e.xMetres, z - e.zMetres)) }
      }
    }
    let tau = events.map(\.maximumFiringDelaySeconds).max() ?? 0
    return SimulationSettings.sampleCount(
      samplingFrequencyHz: acquisition.samplingFrequencyHz, startTimeSeconds: 0, maximumDistanceMetres: far,
      soundSpeed: medium.soundSpeedMetresPerSecond, maximumFiringDelaySeconds: tau,
      pulseHalfLengthSeconds: pulseHalfLengthSeconds)
  }

  /// A generous estimate of the samples per RF trace: the round trip to the image's far corner and back across it,
  /// plus 20 µs for the pulse and firing delays.
  var traceSamplesEstimate: Double {
    let width = image.xRangeMetres.upperBound - image.xRangeMetres.lowerBound
    let depth = image.zRangeMetres.upperBound + hypot(width, image.zRangeMetres.upperBound)
    return (2 * depth / medium.soundSpeedMetresPerSecond + 20e-6) * acquisition.samplingFrequencyHz
  }

  /// A generous estimate of the bytes a run writes: the B-mode PNG (uncompressed bound), envelope, labels and up to
  /// six masks per output pixel, and the channel data when written (rf.npy, the UFF file).
  public func outputBytesEstimate(events: Int, envelope: Bool = true) -> Double {
    let perPixel = 1.0 + (envelope ? 4 : 0) + 6 + (outputs.iq ? 8 : 0)
    let rf = Double(events) * traceSamplesEstimate * Double(probe.elementCount) * 4
    let channelCopies = (outputs.rf ? 1.0 : 0) + (outputs.channelData != nil ? 1 : 0)
    return image.outputPixelCount * perPixel + rf * channelCopies + 64e3
  }

  /// A generous estimate of peak memory (bytes): RF, analytic RF, synthesis lanes, scatterers and images.
  ///
  /// Scatterers count 60 bytes each: the set (five floats), the synthesis's copy sorted for locality, and the sort's
  /// keys (measured: 29–36 MiB per million in the benchmarks with four floats). The anatomy's are bounded by its
  /// densest tissue (per mm² of scan plane, ``AnatomyParameters/speckleDensityScale`` included) over the whole
  /// ``scatterField``.
  public func memoryEstimateBytes(events: Int) -> Double {
    let trace = traceSamplesEstimate * Double(probe.elementCount)
    let rf = Double(events) * trace * 4 * 3 + 8 * trace * 4
    var count = Double(scatterers.expectedScattererCount)
    if let a = builtAnatomy() {
      let f = scatterField
      let densest = a.map.tissues.map(\.scatterersPerSquareMillimetre).max() ?? 0
      count += densest * (f.xMax - f.xMin) * (f.zMax - f.zMin) * 1e6
    }
    let scatterers = count * 60
    return rf + scatterers + image.imageMemoryBytes(probe: probe) + 64e6
  }
}
