import Acoustics
import Acquisition
import Beamform
import ConfigReading
import FileFormats
import Foundation
import Interchange

/// What `us-sim beamform` makes of recorded channel data, written as `simulate` writes its outputs (`bmode.png`,
/// `envelope.npy`, `meta.json`, each written atomically, `meta.json` last).
public enum RecordingOutput {
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
    let mm = SimulationOutput.mm
    return FrameMetadata(
      software: .init(name: "us-sim", version: SimulationOutput.version),
      probe: .init(r.layout.probe, bandwidthPercent: r.pulse.map { $0.fractionalBandwidth * 100 }),
      beamform: .init(
        fNumber: pipeline.imaging.aperture.fNumber, window: pipeline.imaging.aperture.window.rawValue,
        receiveSteering: pipeline.imaging.aperture.steered, soundSpeedMS: pipeline.soundSpeed),
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
      "source": [
        "file": source.path, "format": source.pathExtension.lowercased() == "npy" ? "npy+sidecar" : "uff",
        "frames": r.frameCount, "frame": image.frame + 1,
      ],
      "probe": ["radius_mm": p.radiusMetres.isFinite ? mm(p.radiusMetres) as Any : NSNull()],
      "transmit": ["events": layout.eventCount, "waves": waves],
      "acquisition": [
        "sampling_mhz": layout.samplingFrequencyHz / 1e6, "start_time_s": layout.startTimeSeconds,
        "samples": layout.sampleCount,
        "data": r.isComplex ? "iq" : "rf", "modulation_mhz": r.modulationFrequencyHz / 1e6,
      ],
      "beamform": ["grid": SimulationOutput.gridDescription(image.grid)],
      "timings_s": image.timings,
    ]
  }
}
