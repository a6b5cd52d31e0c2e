import Acquisition
import Foundation

/// The part of a frame's `meta.json` that every frame has, whether `simulate` or `beamform` wrote it, and that the
/// studies read back (`us-sim metrics`, sweeps, datasets): the software, the probe, how the frame was beamformed and
/// the image's axes. Both writers encode it (``merged(into:)``) beside the fields only they have; the readers
/// decode it, and a missing or mistyped field is an error naming it (``read(_:)``) rather than a silent default.
public struct FrameMetadata: Codable, Equatable, Sendable {
  public struct Software: Codable, Equatable, Sendable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
      self.name = name
      self.version = version
    }
  }

  public struct Probe: Codable, Equatable, Sendable {
    public var name: String
    public var layout: String
    public var elements: Int
    public var fcMHz: Double
    public var pitchMm: Double
    /// The pulse's −6 dB fractional bandwidth (%); null when a recording does not say.
    public var bandwidthPercent: Double?
    /// Where the beams come from, (x, z) in mm: the arc centre of a convex array, the centre of a phased one; null
    /// for a linear array (beams parallel to z). The needle metrics' wall line is shifted toward it.
    public var virtualApexMm: [Double]?

    public init(
      name: String, layout: String, elements: Int, fcMHz: Double, pitchMm: Double, bandwidthPercent: Double?,
      virtualApexMm: [Double]? = nil
    ) {
      self.name = name
      self.layout = layout
      self.elements = elements
      self.fcMHz = fcMHz
      self.pitchMm = pitchMm
      self.bandwidthPercent = bandwidthPercent
      self.virtualApexMm = virtualApexMm
    }

    /// `probe`'s fields, lengths in mm as the writers round them.
    public init(_ probe: Acquisition.Probe, bandwidthPercent: Double?) {
      let apex = probe.sectorApex
      self.init(
        name: probe.name, layout: probe.layout.rawValue, elements: probe.elementCount,
        fcMHz: probe.centerFrequencyHz / 1e6, pitchMm: SimulationOutput.mm(probe.pitchMetres),
        bandwidthPercent: bandwidthPercent,
        virtualApexMm: probe.layout == .linear
          ? nil : [SimulationOutput.mm(apex.xMetres), SimulationOutput.mm(apex.zMetres)])
    }

    enum CodingKeys: String, CodingKey {
      case name, layout, elements
      case fcMHz = "fc_mhz"
      case pitchMm = "pitch_mm"
      case bandwidthPercent = "bandwidth_percent"
      case virtualApexMm = "virtual_apex_mm"
    }

    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      try c.encode(layout, forKey: .layout)
      try c.encode(elements, forKey: .elements)
      try c.encode(fcMHz, forKey: .fcMHz)
      try c.encode(pitchMm, forKey: .pitchMm)
      try c.encode(bandwidthPercent, forKey: .bandwidthPercent)  // null, not left out: the reader must see it
      try c.encode(virtualApexMm, forKey: .virtualApexMm)
    }
  }

  /// The receive beamforming: aperture and the sound speed the delays assumed (m/s).
  public struct Beamforming: Codable, Equatable, Sendable {
    public var fNumber: Double
    public var window: String
    /// Whether each plane wave's receive aperture was steered with it (absent in files of earlier versions: false).
    public var receiveSteering: Bool
    public var soundSpeedMS: Double

    public init(fNumber: Double, window: String, receiveSteering: Bool = false, soundSpeedMS: Double) {
      self.fNumber = fNumber
      self.window = window
      self.receiveSteering = receiveSteering
      self.soundSpeedMS = soundSpeedMS
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      fNumber = try c.decode(Double.self, forKey: .fNumber)
      window = try c.decode(String.self, forKey: .window)
      receiveSteering = try c.decodeIfPresent(Bool.self, forKey: .receiveSteering) ?? false
      soundSpeedMS = try c.decode(Double.self, forKey: .soundSpeedMS)
    }

    enum CodingKeys: String, CodingKey {
      case fNumber = "f_number"
      case window
      case receiveSteering = "receive_steering"
      case soundSpeedMS = "sound_speed_m_s"
    }
  }

  /// The written image: pixel centres (mm), shape (rows, columns) and display.
  public struct Image: Codable, Equatable, Sendable {
    public var xMm: [Double]
    public var zMm: [Double]
    public var shape: [Int]
    public var dynamicRangeDb: Double
    public var gainDb: Double

    public init(xMm: [Double], zMm: [Double], shape: [Int], dynamicRangeDb: Double, gainDb: Double) {
      self.xMm = xMm
      self.zMm = zMm
      self.shape = shape
      self.dynamicRangeDb = dynamicRangeDb
      self.gainDb = gainDb
    }

    enum CodingKeys: String, CodingKey {
      case xMm = "x_mm"
      case zMm = "z_mm"
      case shape
      case dynamicRangeDb = "dynamic_range_db"
      case gainDb = "gain_db"
    }
  }

  public var software: Software
  public var probe: Probe
  public var beamform: Beamforming
  public var image: Image

  public init(software: Software, probe: Probe, beamform: Beamforming, image: Image) {
    self.software = software
    self.probe = probe
    self.beamform = beamform
    self.image = image
  }

  /// `sections` (a writer's own keys) with these fields put in, section by section: what is written as
  /// `meta.json`.
  public func merged(into sections: [String: Any]) throws -> [String: Any] {
    let typed = try JSONSerialization.jsonObject(with: JSONEncoder().encode(self)) as! [String: Any]
    var out = sections
    for (key, value) in typed {
      if let fields = value as? [String: Any], let own = out[key] as? [String: Any] {
        out[key] = own.merging(fields) { _, typedValue in typedValue }
      } else {
        out[key] = value
      }
    }
    return out
  }

  /// Reads the fields from a `meta.json`'s bytes; `file` names it in errors ("meta.json: beamform.sound_speed_m_s
  /// is missing").
  public static func read(_ data: Data, file: String) throws -> FrameMetadata {
    do {
      return try JSONDecoder().decode(FrameMetadata.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      throw FrameMetadataError(file: file, message: "\(path(context.codingPath + [key])) is missing")
    } catch let DecodingError.valueNotFound(_, context) {
      throw FrameMetadataError(file: file, message: "\(path(context.codingPath)) is null")
    } catch let DecodingError.typeMismatch(type, context) {
      throw FrameMetadataError(file: file, message: "\(path(context.codingPath)) is not \(describe(type))")
    } catch let DecodingError.dataCorrupted(context) {
      let location = context.codingPath.isEmpty ? "" : "\(path(context.codingPath)): "
      throw FrameMetadataError(file: file, message: location + "not readable JSON")
    }
  }

  static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().trimmingCharacters(
      in: CharacterSet(charactersIn: "."))
  }

  static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Int.Type: return "a whole number"
    case is Double.Type: return "a number"
    case is [Any].Type: return "a list"
    default: return "an object"
    }
  }
}

/// A `meta.json` that lacks a field the studies need, naming the file and the field.
public struct FrameMetadataError: Error, CustomStringConvertible, Equatable {
  public var file: String
  public var message: String
  public var description: String { "\(file): \(message)" }
}
