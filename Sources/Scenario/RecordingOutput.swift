import Acoustics
import Acquisition
import Beamform
import FileFormats
import Foundation
import Interchange

/// Loading recorded channel data and writing what `us-sim beamform` makes of it: the outputs of `simulate`
/// (`bmode.png`, `envelope.npy`, `meta.json`, each written atomically, `meta.json` last).
public enum RecordingOutput {
  /// A UFF file (`.uff`, `.h5`, `.hdf5`), or a `.npy` with its sidecar.
  public static func load(_ url: URL, sidecar: URL? = nil) throws -> ChannelRecording {
    if url.pathExtension.lowercased() == "npy" { return try ChannelDataSidecar.read(npy: url, sidecar: sidecar) }
    return try UFF.read(url)
  }

  /// Frame selection: "all", or 1-based frame numbers and ranges ("1,3,5-8"); 0-based indices, in order.
  public static func frames(_ text: String, frameCount: Int) throws -> [Int] {
    let spec = text.trimmingCharacters(in: .whitespaces)
    if spec.lowercased() == "all" { return Array(0..<frameCount) }
    var out: [Int] = []
    for part in spec.split(separator: ",") {
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard (1...2).contains(bounds.count), let lo = bounds.first!, let hi = bounds.last!, 1 <= lo, lo <= hi,
        hi <= frameCount
      else {
        throw ScenarioError(
          field: "--frames", value: "'\(text)'",
          allowed: "all, or frame numbers and ranges within 1…\(frameCount) such as 1,3-4")
      }
      out += (lo - 1)...(hi - 1)
    }
    return out
  }

  /// A region "x=A:B,z=C:D,pixel=P" in mm, any part omitted taken from the file.
  public static func region(_ text: String, into imaging: inout RecordingImaging) throws {
    func fail(_ why: String) -> ScenarioError {
      ScenarioError(
        field: "--grid", value: "'\(text)'", allowed: "x=MIN:MAX,z=MIN:MAX,pixel=SIZE in mm, any part omitted (\(why))")
    }
    for part in text.split(separator: ",") {
      let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard kv.count == 2 else { throw fail("'\(part)' is not key=value") }
      let numbers = kv[1].split(separator: ":").map { Double($0) }
      guard numbers.allSatisfy({ $0?.isFinite == true }) else { throw fail("'\(kv[1])' is not a number or MIN:MAX") }
      let v = numbers.map { $0! * 1e-3 }
      switch kv[0] {
      case "x", "z":
        guard v.count == 2, v[0] < v[1] else { throw fail("\(kv[0]) needs MIN:MAX with MIN < MAX") }
        if kv[0] == "x" {
          imaging.xRangeMetres = v[0]...v[1]
        } else {
          guard v[0] >= 0 else { throw fail("z starts at 0 or deeper") }
          imaging.zRangeMetres = v[0]...v[1]
        }
      case "pixel":
        guard v.count == 1, v[0] > 0 else { throw fail("pixel needs one size > 0") }
        imaging.pixelMetres = v[0]
      default: throw fail("unknown key '\(kv[0])'")
      }
    }
  }

  /// Writes one frame's image into `dir`.
  /// Refuses, before writing anything, an envelope holding a NaN or an infinity (the readers' range checks should
  /// have stopped its cause).
  public static func write(_ image: RecordingImage, pipeline: RecordingPipeline, source: URL, to dir: URL) throws {
    guard image.envelope.allSatisfy(\.isFinite) else {
      throw ScenarioError(
        field: "(data)", value: "frame \(image.frame + 1) beamforms to NaN or infinite values",
        allowed: "channel data whose sums stay within float32's range")
    }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let nz = image.zAxisMetres.count
    let nx = image.xAxisMetres.count
    let pixel = nx > 1 ? (image.xAxisMetres[nx - 1] - image.xAxisMetres[0]) / Double(nx - 1) : nil
    try PNGImage.writeGrayscale(
      image.bmode, width: nx, height: nz, pixelSizeMetres: pixel, to: dir.appendingPathComponent("bmode.png"))
    try NumpyArray.write(image.envelope, shape: [nz, nx], to: dir.appendingPathComponent("envelope.npy"))
    let meta = try frameMetadata(image, pipeline: pipeline).merged(
      into: metadata(image, pipeline: pipeline, source: source))
    let json = try JSONSerialization.data(withJSONObject: meta, options: [.prettyPrinted, .sortedKeys])
    try AtomicFile.write(json, to: dir.appendingPathComponent("meta.json"))
  }

  /// The fields every frame's `meta.json` has (``FrameMetadata``): the bandwidth is the file's pulse's, null when
  /// the file does not give it.
  static func frameMetadata(_ image: RecordingImage, pipeline: RecordingPipeline) -> FrameMetadata {
    let r = pipeline.recording
    let p = r.layout.probe
    let mm = SimulationOutput.mm
    return FrameMetadata(
      software: .init(name: "us-sim", version: SimulationOutput.version),
      probe: .init(
        name: p.name, layout: p.layout.rawValue, elements: p.elementCount, fcMHz: p.centerFrequencyHz / 1e6,
        pitchMm: mm(p.pitchMetres), bandwidthPercent: r.pulse.map { $0.fractionalBandwidth * 100 }),
      beamform: .init(
        fNumber: pipeline.imaging.aperture.fNumber, window: pipeline.imaging.aperture.window.rawValue,
        soundSpeedMS: pipeline.soundSpeed),
      image: .init(
        xMm: image.xAxisMetres.map(mm), zMm: image.zAxisMetres.map(mm),
        shape: [image.zAxisMetres.count, image.xAxisMetres.count], dynamicRangeDb: pipeline.imaging.dynamicRangeDb,
        gainDb: pipeline.imaging.gainDb))
  }

  /// What was read and how it was imaged (with ``frameMetadata(_:pipeline:)`` merged in by the writer).
  static func metadata(_ image: RecordingImage, pipeline: RecordingPipeline, source: URL) -> [String: Any] {
    let r = pipeline.recording
    let layout = r.layout
    let p = layout.probe
    let mm = SimulationOutput.mm
    let waves: [[String: Any]] = layout.sequence.map { e in
      var w: [String: Any] = ["first_firing_us": e.firstFiringTimeSeconds * 1e6]
      switch e.wavefront {
      case .plane(let a): w["plane_deg"] = a * 180 / .pi
      case .focused(let x, let z): w["focus_mm"] = [mm(x), mm(z)]
      case .diverging(let x, let z): w["source_mm"] = [mm(x), mm(z)]
      case .singleElement(let k): w["element"] = k
      }
      return w
    }
    return [
      "software": ["name": "us-sim", "version": SimulationOutput.version],
      "source": [
        "file": source.path, "format": source.pathExtension.lowercased() == "npy" ? "npy+sidecar" : "uff",
        "frames": r.frameCount, "frame": image.frame + 1,
      ],
      "probe": [
        "name": p.name, "layout": p.layout.rawValue, "elements": p.elementCount, "fc_mhz": p.centerFrequencyHz / 1e6,
        "pitch_mm": mm(p.pitchMetres), "radius_mm": p.radiusMetres.isFinite ? mm(p.radiusMetres) : NSNull(),
      ],
      "transmit": ["events": layout.eventCount, "waves": waves],
      "acquisition": [
        "sampling_mhz": layout.samplingFrequencyHz / 1e6, "start_time_s": layout.startTimeSeconds,
        "samples": layout.sampleCount,
        "data": r.isComplex ? "iq" : "rf", "modulation_mhz": r.modulationFrequencyHz / 1e6,
      ],
      "beamform": [
        "f_number": pipeline.imaging.aperture.fNumber, "window": pipeline.imaging.aperture.window.rawValue,
        "sound_speed_m_s": pipeline.soundSpeed, "grid": SimulationOutput.gridDescription(image.grid),
      ],
      "image": [
        "x_mm": image.xAxisMetres.map(mm), "z_mm": image.zAxisMetres.map(mm),
        "shape": [image.zAxisMetres.count, image.xAxisMetres.count],
        "dynamic_range_db": pipeline.imaging.dynamicRangeDb, "gain_db": pipeline.imaging.gainDb,
      ],
      "timings_s": image.timings,
    ]
  }
}
