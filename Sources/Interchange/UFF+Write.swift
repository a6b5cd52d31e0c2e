import Acquisition
import FileFormats
import Foundation

extension UFF {
  /// Writes a recording as a UFF v1.2 file: `/channel_data` (`uff.channel_data` with its probe, sequence of
  /// `uff.wave`, pulse and data) and, when the recording has one, `/scan`.
  ///
  /// The file is built in memory (``HDF5File/createInMemory(_:)``) and its bytes written atomically
  /// (``AtomicFile``): an interrupted or failed write (a full disk among them) leaves no partial file and throws a
  /// ``FileWriteError`` naming the file and the reason.
  public static func write(_ recording: ChannelRecording, to url: URL) throws {
    let bytes: Data
    do {
      let file = try HDF5File.createInMemory(url)
      defer { file.close() }
      try file.setAttribute("version", string: version, at: "/")
      let writer = UFFWriter(file: file)
      try writer.channelData(recording, at: "/channel_data")
      if let scan = recording.scan { try writer.scan(scan, at: "/scan") }
      bytes = try file.image()
    } catch let e as HDF5Error {
      throw FileWriteError("cannot write \(url.path): \(e.path): \(e.message)")
    }
    try AtomicFile.write(bytes, to: url)
  }
}

/// Writes UFF objects into an HDF5 file, in the layout of USTB's `uff.write_object`: every object a group with
/// `class`, `name`, `array` and `size` attributes; numbers as datasets with `class`, `name`, `complex` and
/// `imaginary`; MATLAB column vectors (N × 1) as HDF5 (1, N).
struct UFFWriter {
  let file: HDF5File

  /// The `class` and `name` attributes every node carries (the name is the last part of its path).
  func label(_ path: String, _ nodeClass: String) throws {
    try file.setAttribute("class", string: nodeClass, at: path)
    try file.setAttribute("name", string: String(path.split(separator: "/").last ?? ""), at: path)
  }

  /// A group for an object (or, with `count`, an array of `count` objects) of UFF class `uffClass`.
  func object(_ path: String, _ uffClass: String, count: Int? = nil) throws {
    try file.createGroup(path)
    try label(path, uffClass)
    try file.setAttribute("array", int32s: [count == nil ? 0 : 1], at: path)
    try file.setAttribute("size", int32s: [1, Int32(count ?? 1)], at: path)
  }

  /// The attributes of a numeric node: a real dataset, a complex number's group (`complex` 1) or its `imag` part
  /// (`imaginary` 1).
  func numberAttributes(_ path: String, matlabClass: String, complex: Int32 = 0, imaginary: Int32 = 0) throws {
    try label(path, matlabClass)
    try file.setAttribute("complex", int32s: [complex], at: path)
    try file.setAttribute("imaginary", int32s: [imaginary], at: path)
  }

  /// A double-precision array of HDF5 shape `shape` (a scalar is (1, 1), a vector (1, N)).
  func doubles(_ path: String, _ values: [Double], shape: [Int]? = nil) throws {
    try file.write(path, doubles: values, shape: shape ?? [1, values.count])
    try numberAttributes(path, matlabClass: "double")
  }

  func scalar(_ path: String, _ value: Double) throws { try doubles(path, [value]) }

  /// An enumeration value (`uff.wavefront`, `uff.window`) as a (1, 1) integer dataset whose class is the enum's.
  func enumeration(_ path: String, _ uffClass: String, _ value: Int32) throws {
    try file.write(path, int32s: [value], shape: [1, 1])
    try label(path, uffClass)
  }

  /// A string as MATLAB stores it: uint16 character codes of shape (N, 1).
  func string(_ path: String, _ value: String) throws {
    let codes = value.unicodeScalars.map { UInt16(truncatingIfNeeded: $0.value) }
    try file.write(path, uint16s: codes, shape: [codes.count, 1])
    try label(path, "char")
  }

  /// A `uff.point` at (x, 0, z) (m); an infinitely distant point in direction `azimuth` when `distance` is infinite.
  func point(_ path: String, distance: Double, azimuth: Double) throws {
    try object(path, "uff.point")
    try scalar(path + "/distance", distance)
    try scalar(path + "/azimuth", azimuth)
    try scalar(path + "/elevation", 0)
  }

  func channelData(_ r: ChannelRecording, at path: String) throws {
    let layout = r.layout
    try object(path, "uff.channel_data")
    try scalar(path + "/sampling_frequency", layout.samplingFrequencyHz)
    try scalar(path + "/initial_time", layout.startTimeSeconds)
    try scalar(path + "/sound_speed", layout.soundSpeedMetresPerSecond)
    try scalar(path + "/modulation_frequency", r.modulationFrequencyHz)
    try probe(layout.probe, at: path + "/probe")
    try sequence(layout.sequence, probe: layout.probe, at: path + "/sequence")
    if let pulse = r.pulse {
      try object(path + "/pulse", "uff.pulse")
      try scalar(path + "/pulse/center_frequency", pulse.centerFrequencyHz)
      try scalar(path + "/pulse/fractional_bandwidth", pulse.fractionalBandwidth)
      try scalar(path + "/pulse/phase", 0)
    }
    let shape = [r.frameCount, layout.eventCount, layout.elementCount, layout.sampleCount]
    if r.isComplex {
      let data = path + "/data"
      try file.createGroup(data)
      try numberAttributes(data, matlabClass: "single", complex: 1)
      let n = r.samples.count / 2
      try file.write(data + "/real", floats: (0..<n).map { r.samples[2 * $0] }, shape: shape)
      try numberAttributes(data + "/real", matlabClass: "single")
      try file.write(data + "/imag", floats: (0..<n).map { r.samples[2 * $0 + 1] }, shape: shape)
      try numberAttributes(data + "/imag", matlabClass: "single", imaginary: 1)
    } else {
      try file.write(path + "/data", floats: r.samples, shape: shape)
      try numberAttributes(path + "/data", matlabClass: "single")
    }
  }

  /// `uff.linear_array` for flat arrays, `uff.curvilinear_array` for convex ones, with the element geometry
  /// `[x y z θ φ width height]` per element (HDF5 (7, N)). USTB spaces convex elements by the chord
  /// `2R·sin(Δθ/2)`; ours by the arc `R·Δθ`, so `pitch` is written as the chord that gives our angles.
  func probe(_ p: Probe, at path: String) throws {
    let elements = p.elements
    let n = elements.count
    var geometry = [Double](repeating: 0, count: 7 * n)
    for (e, el) in elements.enumerated() {
      geometry[e] = el.xMetres
      geometry[2 * n + e] = el.zMetres
      geometry[3 * n + e] = el.normalAngleRadians
      geometry[5 * n + e] = p.elementWidthMetres
      geometry[6 * n + e] = p.elementHeightMetres
    }
    let convex = p.layout == .convex
    try object(path, convex ? "uff.curvilinear_array" : "uff.linear_array")
    try string(path + "/name", p.name)
    try doubles(path + "/geometry", geometry, shape: [7, n])
    try point(path + "/origin", distance: 0, azimuth: 0)
    try scalar(path + "/N", Double(n))
    try scalar(path + "/pitch", convex ? 2 * p.radiusMetres * sin(p.pitchMetres / p.radiusMetres / 2) : p.pitchMetres)
    try scalar(path + "/element_width", p.elementWidthMetres)
    try scalar(path + "/element_height", p.elementHeightMetres)
    if convex { try scalar(path + "/radius", p.radiusMetres) }
  }

  /// The transmit sequence as an array of `uff.wave`, or for a single event the wave itself (MATLAB holds a 1 × 1
  /// object array as the object; pyuff-ustb 3.0 reads a group of `size` 1 as the object and would find no source in
  /// a one-member array).
  func sequence(_ events: [TransmitEvent], probe: Probe, at path: String) throws {
    guard events.count > 1 else {
      if let event = events.first { try wave(event, probe: probe, at: path) }
      return
    }
    try object(path, "uff.wave", count: events.count)
    for (i, event) in events.enumerated() {
      try wave(event, probe: probe, at: path + String(format: "/sequence_%04d", i + 1))
    }
  }

  /// One `uff.wave`: the wavefront and its source, the firing apodization (`uff.apodization` with
  /// `apodization_vector`), the USTB delay that keeps our time origin and the sound speed.
  func wave(_ event: TransmitEvent, probe: Probe, at wave: String) throws {
    try object(wave, "uff.wave")
    let source: (distance: Double, azimuth: Double, elevation: Double)
    var code = UFF.WavefrontCode.spherical
    switch event.wavefront {
    case .plane(let theta):
      code = .plane
      source = (.infinity, theta, 0)
    case .diverging(let x, let z), .focused(let x, let z):
      source = UFF.spherical(x: x, z: z)
    case .singleElement(let k):
      let e = probe.elements[k]
      source = UFF.spherical(x: e.xMetres, z: e.zMetres)
    }
    try enumeration(wave + "/wavefront", "uff.wavefront", code.rawValue)
    try point(wave + "/source", distance: source.distance, azimuth: source.azimuth)
    try point(wave + "/origin", distance: 0, azimuth: 0)
    try object(wave + "/apodization", "uff.apodization")
    try enumeration(wave + "/apodization/window", "uff.window", 0)
    try doubles(wave + "/apodization/apodization_vector", event.apodization.map(Double.init))
    try scalar(wave + "/delay", UFF.ustbTimeOrigin(event, probe: probe) - event.firstFiringTimeSeconds)
    try scalar(wave + "/sound_speed", event.soundSpeedMetresPerSecond)
  }

  func scan(_ scan: RecordedScan, at path: String) throws {
    switch scan {
    case .linear(let x, let z):
      try object(path, "uff.linear_scan")
      try doubles(path + "/x_axis", x)
      try doubles(path + "/z_axis", z)
    case .sector(let azimuths, let depths, let ax, let az):
      try object(path, "uff.sector_scan")
      try doubles(path + "/azimuth_axis", azimuths)
      try doubles(path + "/depth_axis", depths)
      let apex = UFF.spherical(x: ax, z: az)
      try point(path + "/origin", distance: apex.distance, azimuth: apex.azimuth)
    }
  }
}
