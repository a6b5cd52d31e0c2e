import Acquisition
import ArgumentParser
import Beamform
import ConfigReading
import FileFormats
import Foundation
import Interchange
import Scenario

/// `us-sim beamform DATA --out DIR`: channel data from a UFF file, or a .npy with its sidecar → bmode.png,
/// envelope.npy, meta.json per frame.
struct BeamformCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "beamform",
    abstract: "Beamform channel data from a UFF file (or .npy with a YAML/JSON sidecar) into B-mode images.",
    discussion: """
      One frame is written into DIR; several into DIR/frame-0001, DIR/frame-0002, … Each holds bmode.png, \
      envelope.npy and meta.json, as simulate writes them.
      """)

  @Argument(
    help: "Channel data: a UFF v1.2 file (.uff, .h5, .hdf5) or a .npy with a sidecar (.yaml/.yml/.json beside it).")
  var data: String

  @Option(
    name: .shortAndLong,
    help: "Output folder, replaced as a whole when every frame is written (created if needed).")
  var out: String

  @Flag(help: "Replace --out even if it holds files that are not an earlier us-sim output.")
  var overwrite = false

  @Option(help: "Image region in mm, any part omitted taken from the file: x=MIN:MAX,z=MIN:MAX,pixel=SIZE.")
  var grid: String?

  @Option(help: "Receive f-number (0 = the whole aperture).")
  var fNumber: Double = ReceiveAperture.defaultFNumber

  @Option(help: "Receive apodization window: \(ApodizationWindow.allowed).")
  var window: String = ReceiveAperture.defaultWindow.rawValue

  @Flag(
    help: ArgumentHelp(
      "Steer each plane wave's receive aperture with it (centred where an echo returning against the wave meets "
        + "the array); other waves keep the unsteered aperture."))
  var receiveSteering = false

  @Option(help: "Frames to beamform: all, or numbers and ranges from 1 (e.g. 1,3-4).")
  var frames: String = "all"

  @Option(help: "Beamforming sound speed in m/s (default: the file's).")
  var soundSpeed: Double?

  @Option(help: "Sidecar describing a .npy (default: the .npy's name with .yaml, .yml or .json).")
  var sidecar: String?

  @Option(help: "Displayed dynamic range (dB).")
  var dynamicRange: Double = LogCompression.defaultDynamicRangeDb

  @Option(help: "Gain added before log compression (dB).")
  var gain: Double = LogCompression.defaultGainDb

  @OptionGroup var job: RunOptions

  func validate() throws {
    if !ReceiveAperture.fNumberRange.contains(fNumber) {
      throw ValidationError("--f-number must be \(ReceiveAperture.fNumberAllowed) (got \(fNumber))")
    }
    if receiveSteering && fNumber == 0 {
      throw ValidationError("--receive-steering needs an --f-number > 0 (the whole aperture has no centre to steer)")
    }
    if ApodizationWindow(rawValue: window) == nil {
      throw ValidationError("--window '\(window)' is not one of \(ApodizationWindow.allowed)")
    }
    if let soundSpeed, !ChannelData.soundSpeedRange.contains(soundSpeed) {
      throw ValidationError("--sound-speed must be \(ChannelData.soundSpeedAllowed) (got \(soundSpeed))")
    }
    if !LogCompression.dynamicRangeDbRange.contains(dynamicRange) {
      throw ValidationError("--dynamic-range must be \(LogCompression.dynamicRangeAllowed) (got \(dynamicRange))")
    }
    if !LogCompression.gainDbRange.contains(gain) {
      throw ValidationError("--gain must be \(LogCompression.gainAllowed) (got \(gain))")
    }
  }

  func run() throws {
    let source = URL(fileURLWithPath: data)
    let clock = Date()
    let recording: ChannelRecording
    var imaging = RecordingImaging(
      aperture: ReceiveAperture(
        fNumber: fNumber, window: ApodizationWindow(rawValue: window)!, steered: receiveSteering),
      soundSpeedMetresPerSecond: soundSpeed,
      dynamicRangeDb: dynamicRange, gainDb: gain)
    let selected: [Int]
    do {
      recording = try RecordingInput.load(source, sidecar: sidecar.map { URL(fileURLWithPath: $0) })
      if let grid { try BeamformArguments.region(grid, into: &imaging) }
      selected = try BeamformArguments.frames(frames, frameCount: recording.frameCount)
    } catch let e as HDF5Error {
      throw ValidationError(e.description)
    } catch let e as ScenarioError {
      throw ValidationError("\(data): \(e.description.replacingOccurrences(of: "scenario error: ", with: ""))")
    }
    let readSeconds = Date().timeIntervalSince(clock)
    let pipeline = RecordingPipeline(
      recording: recording, imaging: imaging, threads: job.threadCount)
    do { try pipeline.checkMemory() } catch let e as ScenarioError {
      throw ValidationError("\(data): \(e.description.replacingOccurrences(of: "scenario error: ", with: ""))")
    }
    guard let grids = pipeline.grids() else {
      throw ValidationError("--grid: the region lies outside the convex array's sector")
    }
    let folder = try StagedFolder.begin(out, overwrite: overwrite, isEarlierOutput: SimulationOutput.isEarlierOutput)
    folder.discardOnInterrupt()
    let dir = URL(fileURLWithPath: out)
    let bar = job.quiet || selected.count < 2 ? nil : ProgressBar(label: "beamform")
    var beamformSeconds = 0.0
    try folder.write { staging in
      for (i, frame) in selected.enumerated() {
        var image = pipeline.image(frame: frame, grids: grids)
        image.timings["read"] = readSeconds
        beamformSeconds += image.timings["beamform", default: 0]
        let name = String(format: "frame-%04d", frame + 1)
        let target = selected.count == 1 ? staging : staging.appendingPathComponent(name)
        try RecordingOutput.write(image, pipeline: pipeline, source: source, to: target)
        bar?.update(stage: "beamform", Double(i + 1) / Double(selected.count))
      }
    }
    bar?.finish()
    if !job.quiet {
      let l = recording.layout
      print(
        """
        us-sim beamform: \(source.lastPathComponent): \(l.probe.name) (\(l.elementCount) elements), \(l.eventCount) event(s) × \(l.sampleCount) samples, \(recording.isComplex ? "I/Q" : "RF"), \(recording.frameCount) frame(s)
          image           \(grids.x.count) × \(grids.z.count) pixels, x \(String(format: "%.1f…%.1f", grids.x.first! * 1e3, grids.x.last! * 1e3)) mm, z \(String(format: "%.1f…%.1f", grids.z.first! * 1e3, grids.z.last! * 1e3)) mm
          time            read \(String(format: "%.2f", readSeconds)) s, beamform \(String(format: "%.2f", beamformSeconds)) s for \(selected.count) frame(s)
          wrote           \(dir.path)\(selected.count == 1 ? "" : "/frame-NNNN")/bmode.png, envelope.npy, meta.json
        """)
    }
  }
}
