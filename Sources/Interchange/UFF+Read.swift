import Acquisition
import Foundation
import Spectral

extension UFF {
  /// Reads the channel data of a UFF file (v1.0–v1.2, as USTB and pyuff-ustb write it): RF or I/Q, float or integer
  /// samples, one or more frames, plane, diverging, focused and single-element waves.
  ///
  /// Errors name the HDF5 path at fault: a wrong version, a missing compulsory field (`sampling_frequency`,
  /// `sound_speed`, `probe`, `sequence`, `data`, a wave's `source`), an unsupported wavefront or element geometry,
  /// data whose shape disagrees with the probe or sequence.
  public static func read(_ url: URL) throws -> ChannelRecording {
    let file = try HDF5File.open(url)
    let reader = UFFReader(file: file)
    let versioned = try reader.checkVersion()
    return try reader.recording(versioned: versioned)
  }
}

/// Reads UFF objects from an HDF5 file (see ``UFF``).
struct UFFReader {
  let file: HDF5File

  /// Sound speeds a medium can have (m/s): from gases' ~300 to metals' ~6000, with margin.
  static let soundSpeeds = ChannelData.soundSpeedRange
  /// The longest plausible time offset (s): 10 ms is 7.7 m of travel at 1540 m/s.
  static let maximumTime = 0.01

  func fail(_ path: String, _ message: String) -> HDF5Error { file.error(path, message) }

  /// Checks the root's `version` attribute; false when there is none (pyuff-ustb writes none: such files are read
  /// when their channel data carry the `uff.channel_data` class).
  @discardableResult
  func checkVersion() throws -> Bool {
    guard let v = try file.stringAttribute("version", at: "/") else { return false }
    let parts = v.trimmingCharacters(in: CharacterSet(charactersIn: "vV ")).split(separator: ".").compactMap { Int($0) }
    guard parts.count >= 2, parts[0] == 1, parts[1] <= 2 else {
      throw fail("/", "UFF version '\(v)' is not supported (v1.0.x … v1.2.x are)")
    }
    return true
  }

  /// The UFF class of the object at `path` (nil when it has none).
  func uffClass(_ path: String) throws -> String? { try file.stringAttribute("class", at: path) }

  func require(_ path: String) throws {
    if file.kind(path) == nil { throw fail(path, "missing (a compulsory field)") }
  }

  /// A scalar (any numeric type, any shape holding one value).
  func scalar(_ path: String) throws -> Double {
    try require(path)
    let (values, _) = try file.readDoubles(path, maximumValues: Self.maximumFieldValues)
    guard values.count == 1 else { throw fail(path, "holds \(values.count) values where one number was expected") }
    return values[0]
  }

  func scalar(_ path: String, default value: Double) throws -> Double {
    file.kind(path) == nil ? value : try scalar(path)
  }

  /// A scalar that must lie within `range` (so a NaN, an infinity or an implausible value is refused, naming the path,
  /// the value and the range in `unit`); `value` when the file leaves the field out.
  func scalar(
    _ path: String, in range: ClosedRange<Double>, _ unit: String, default value: Double? = nil
  ) throws -> Double {
    if let value, file.kind(path) == nil { return value }
    let v = try scalar(path)
    guard range.contains(v) else {
      let allowed = String(format: "%g…%g", range.lowerBound, range.upperBound)
      throw fail(path, String(format: "%g %@: must be within %@ %@", v, unit, allowed, unit))
    }
    return v
  }

  /// The most values of a small field (probe geometry, scan axes, apodisation): a file declaring more is refused
  /// before anything is read.
  static let maximumFieldValues = 1 << 20

  /// A vector of finite values within `range` (at most ``maximumFieldValues``).
  func vector(_ path: String, in range: ClosedRange<Double> = -1e6...1e6) throws -> [Double] {
    try require(path)
    let values = try file.readDoubles(path, maximumValues: Self.maximumFieldValues).values
    if let i = values.firstIndex(where: { !range.contains($0) }) {
      throw fail(
        path,
        String(
          format: "value %d is %g: values must be finite and within ±%g", i + 1, values[i], range.upperBound))
    }
    return values
  }

  /// A `uff.point` as (x, y, z) (m), with the angles it was given in (rad); x and z are infinite for a point at
  /// infinite distance.
  func point(_ path: String) throws -> (x: Double, y: Double, z: Double, azimuth: Double, elevation: Double) {
    try require(path)
    // Distance may be ±infinite (a plane wave's source); angles are finite, within a half turn.
    let d = try scalar(path + "/distance", default: 0)
    guard !d.isNaN, d.isInfinite || abs(d) <= 10 else {
      throw fail(path + "/distance", "\(d) m: must be within ±10 m or infinite")
    }
    let az = try scalar(path + "/azimuth", in: -Double.pi...Double.pi, "rad", default: 0)
    let el = try scalar(path + "/elevation", in: -Double.pi...Double.pi, "rad", default: 0)
    if d.isInfinite { return (.infinity, 0, .infinity, az, el) }
    return (d * sin(az) * cos(el), d * sin(el), d * cos(az) * cos(el), az, el)
  }

  /// A MATLAB string (uint16 character codes).
  func string(_ path: String) throws -> String? {
    guard file.kind(path) == .dataset else { return nil }
    return HDF5File.characters(try file.readDoubles(path, maximumValues: 4096).values)
  }

  /// The channel-data object: `/channel_data`, or the root's first member of class `uff.channel_data`.
  func channelDataPath() throws -> String {
    if file.kind("/channel_data") == .group { return "/channel_data" }
    for name in try file.children("/") where try uffClass("/" + name) == "uff.channel_data" { return "/" + name }
    throw fail("/channel_data", "missing (no uff.channel_data object at the root of the file)")
  }

  func recording(versioned: Bool = true) throws -> ChannelRecording {
    let path = try channelDataPath()
    if !versioned, try uffClass(path) != "uff.channel_data" {
      throw fail("/", "no 'version' attribute and no uff.channel_data class at \(path): not a UFF file")
    }
    let fs = try scalar(path + "/sampling_frequency", in: 1e3...1e10, "Hz")
    let c = try scalar(path + "/sound_speed", in: Self.soundSpeeds, "m/s")
    let t0 = try scalar(path + "/initial_time", in: -Self.maximumTime...Self.maximumTime, "s", default: 0)
    let fMod = try scalar(path + "/modulation_frequency", in: 0...1e9, "Hz", default: 0)
    var pulse: (centerFrequencyHz: Double, fractionalBandwidth: Double)?
    if file.kind(path + "/pulse/center_frequency") != nil {
      // 0 means unknown (USTB's default), as does a bandwidth of 0: then the data's centroid and a typical 60 %.
      let fc = try scalar(path + "/pulse/center_frequency", in: 0...1e9, "Hz")
      let bw = try scalar(path + "/pulse/fractional_bandwidth", in: 0...10, "(fraction of fc)", default: 0)
      if fc != 0 {
        guard fc >= 1e3 else {
          throw fail(path + "/pulse/center_frequency", "\(fc) Hz: must be 0 (unknown) or 1 kHz…1 GHz")
        }
        pulse = (fc, bw > 0.05 && bw <= 2 ? bw : 0.6)
      }
    }
    let (samples, shape, isComplex) = try data(path + "/data")
    if !isComplex && fMod != 0 {
      throw fail(path + "/modulation_frequency", "\(fMod) Hz with real data: I/Q data must be complex (real and imag)")
    }
    let (frames, waves, channels, sampleCount) = (shape[0], shape[1], shape[2], shape[3])
    let centre =
      pulse?.centerFrequencyHz
      ?? (fMod > 0 ? fMod : estimatedCentreFrequency(samples, traceLength: sampleCount, isComplex: isComplex, fs: fs))
    let probe = try UFFProbe(reader: self).probe(
      at: path + "/probe", centerFrequencyHz: centre, fractionalBandwidth: pulse?.fractionalBandwidth ?? 0.6)
    guard channels == probe.elementCount else {
      throw fail(path + "/data", "has \(channels) channels but the probe has \(probe.elementCount) elements")
    }
    let sequence = try self.sequence(path + "/sequence", probe: probe, soundSpeed: c)
    guard waves == sequence.count else {
      throw fail(path + "/data", "has \(waves) waves but the sequence has \(sequence.count)")
    }
    let layout = ChannelData(
      probe: probe, sequence: sequence, samplingFrequencyHz: fs, startTimeSeconds: t0, sampleCount: sampleCount,
      soundSpeedMetresPerSecond: c, data: [])
    return ChannelRecording(
      layout: layout, frameCount: frames, modulationFrequencyHz: fMod, isComplex: isComplex, samples: samples,
      pulse: pulse, scan: try scan())
  }

  /// The samples as (frames, waves, channels, samples): MATLAB drops trailing singleton dimensions, so a dataset of
  /// rank < 4 is padded at the front. Complex data is a group with `real` and `imag`, returned interleaved.
  func data(_ path: String) throws -> (samples: [Float], shape: [Int], isComplex: Bool) {
    try require(path)
    var isComplex = false
    var values: [Float]
    var shape: [Int]
    if file.kind(path) == .group {
      guard file.kind(path + "/real") == .dataset, file.kind(path + "/imag") == .dataset else {
        throw fail(path, "is a group without 'real' and 'imag' datasets")
      }
      let re = try file.readFloats(path + "/real")
      let im = try file.readFloats(path + "/imag")
      guard re.shape == im.shape else {
        throw fail(path + "/imag", "shape \(im.shape) differs from real's \(re.shape)")
      }
      isComplex = true
      shape = re.shape
      values = [Float](repeating: 0, count: 2 * re.values.count)
      for i in re.values.indices {
        values[2 * i] = re.values[i]
        values[2 * i + 1] = im.values[i]
      }
    } else {
      (values, shape) = try file.readFloats(path)
    }
    guard (1...4).contains(shape.count), shape.allSatisfy({ $0 > 0 }) else {
      throw fail(path, "shape \(shape): expected (frames, waves, channels, samples) or fewer leading axes")
    }
    if let i = ChannelRecording.firstImplausibleSample(values) {
      let at = isComplex ? (i % 2 == 0 ? "/real" : "/imag") : ""
      throw fail(
        path + at,
        String(
          format: "sample %d is %g: samples must be finite and within ±%g", isComplex ? i / 2 + 1 : i + 1,
          Double(values[i]), ChannelRecording.maximumSampleMagnitude))
    }
    return (values, Array(repeating: 1, count: 4 - shape.count) + shape, isComplex)
  }

  /// The transmit sequence: an array of `uff.wave` (members in order) or a single wave.
  func sequence(_ path: String, probe: Probe, soundSpeed c: Double) throws -> [TransmitEvent] {
    try require(path)
    let isArray = (try file.numericAttribute("array", at: path)?.first ?? 0) != 0
    let waves = isArray ? try file.children(path).sorted().map { path + "/" + $0 } : [path]
    guard !waves.isEmpty else { throw fail(path, "holds no waves") }
    var events = try waves.map { try wave($0, probe: probe, soundSpeed: c) }
    // Line-by-line focused imaging: each focused wave images the column nearest its line.
    if events.count > 1, events.allSatisfy({ if case .focused = $0.wavefront { true } else { false } }) {
      let apex = probe.sectorApex
      for i in events.indices {
        guard case .focused(let fx, let fz) = events[i].wavefront else { continue }
        events[i].scanLine = probe.layout == .linear ? fx : atan2(fx - apex.xMetres, fz - apex.zMetres)
      }
    }
    return events
  }

  /// One `uff.wave` as a transmit event on the data's clock.
  func wave(_ path: String, probe: Probe, soundSpeed: Double) throws -> TransmitEvent {
    let codeValue = try scalar(path + "/wavefront", in: 0...2, "(0 plane, 1 spherical)", default: 1)
    let code = Int32(codeValue)
    guard Double(code) == codeValue else {
      throw fail(path + "/wavefront", "\(codeValue): must be 0 (plane) or 1 (spherical)")
    }
    guard let kind = UFF.WavefrontCode(rawValue: code), kind != .photoacoustic else {
      throw fail(
        path + "/wavefront",
        "wavefront \(code)\(code == 2 ? " (photoacoustic)" : "") is not supported (0 plane, 1 spherical are)")
    }
    let c = try scalar(path + "/sound_speed", in: Self.soundSpeeds, "m/s", default: soundSpeed)
    let sourcePath = path + "/source"
    let source = try point(sourcePath)
    if source.elevation != 0 || abs(source.y) > 1e-9 {
      throw fail(
        sourcePath, "steered or placed out of the imaging plane (elevation ≠ 0): 3-D sequences are not supported")
    }
    let wavefront: Wavefront
    if kind == .plane || source.z.isInfinite {
      wavefront = .plane(angleRadians: source.azimuth)
    } else if source.z < -1e-9 {
      wavefront = .diverging(xMetres: source.x, zMetres: source.z)
    } else if source.z > 1e-9 || probe.layout == .convex {
      wavefront = .focused(xMetres: source.x, zMetres: source.z)
    } else if let k = probe.elements.firstIndex(where: { hypot($0.xMetres - source.x, $0.zMetres - source.z) < 1e-6 }) {
      wavefront = .singleElement(index: k)
    } else {
      throw fail(sourcePath, "a spherical source on the array face away from every element is not supported")
    }
    var apodization: [Float]?
    if file.kind(path + "/apodization/apodization_vector") == .dataset {
      let v = try vector(path + "/apodization/apodization_vector", in: -1e6...1e6)
      if v.count == probe.elementCount { apodization = v.map(Float.init) }
    }
    var event = TransmitEvent(probe: probe, wavefront: wavefront, apodization: apodization, soundSpeed: c)
    let delay = try scalar(path + "/delay", in: -Self.maximumTime...Self.maximumTime, "s", default: 0)
    event.firstFiringTimeSeconds = UFF.ustbTimeOrigin(event, probe: probe) - delay
    return event
  }

  /// `/scan` (or the root's first scan object), when the file has one.
  func scan() throws -> RecordedScan? {
    var candidates = ["/scan"]
    candidates += try file.children("/").map { "/" + $0 }
    for path in candidates where file.kind(path) == .group {
      switch try uffClass(path) {
      case "uff.linear_scan":
        return .linear(x: try vector(path + "/x_axis", in: -1...1), z: try vector(path + "/z_axis", in: -1...1))
      case "uff.sector_scan":
        let apex =
          file.kind(path + "/origin") == .group
          ? try point(path + "/origin") : (x: 0, y: 0, z: 0, azimuth: 0, elevation: 0)
        return .sector(
          azimuths: try vector(path + "/azimuth_axis", in: -Double.pi...Double.pi),
          depths: try vector(path + "/depth_axis", in: -1...1), apexX: apex.x,
          apexZ: apex.z)
      default: continue
      }
    }
    return nil
  }

  /// The power-weighted mean frequency of the data's real part (Hz), for files that name no pulse and no modulation
  /// frequency. Averaged over up to 16 traces of the first frame.
  func estimatedCentreFrequency(_ samples: [Float], traceLength n: Int, isComplex: Bool, fs: Double) -> Double {
    let stride = isComplex ? 2 : 1
    let traces = min(16, samples.count / stride / n)
    return SpectralCentroid.meanFrequency(
      samples, traceLength: n, traces: traces, stride: stride, samplingFrequencyHz: fs)
  }
}
