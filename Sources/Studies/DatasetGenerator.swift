import Acoustics
import ConfigReading
import FileFormats
import Foundation
import Scenario

/// Makes the samples of a dataset (or of one shard of it) into `DIR/samples/NNNNNN/`.
///
/// Shard I of K makes the samples i with i mod K = I. Each sample is drawn from (dataset seed, i) alone and
/// simulated single-threaded, one per worker, so its files do not depend on the shard layout, the worker count or
/// interruptions. A sample is written into a hidden folder and renamed into place when complete; a rerun removes
/// its shard's leftovers and makes only the missing samples. `dataset.json` records the configuration, seed and
/// count, so that a folder is never filled from two different datasets. When every sample is on disk (the whole
/// dataset, or the last shard to finish into a shared folder), `manifest.jsonl` and `annotations.json` are written.
public struct DatasetGenerator {
  public var config: DatasetConfig
  public var output: URL
  public var count: Int
  public var seed: UInt64
  public var shard: (index: Int, count: Int)
  public var workers: Int

  public init(
    config: DatasetConfig, output: URL, count: Int, seed: UInt64, shard: (index: Int, count: Int) = (0, 1), workers: Int
  ) {
    self.config = config
    self.output = output
    self.count = count
    self.seed = seed
    self.shard = shard
    self.workers = max(1, workers)
  }

  /// The indices this shard makes.
  public var indices: [Int] { Array(stride(from: shard.index, to: count, by: shard.count)) }

  /// What `dataset.json` holds: the configuration's text, the seed and the count.
  var description: [String: Any] {
    ["format": "us-sim dataset 1", "config": config.text, "seed": Int(seed), "count": count]
  }

  /// Checks (or writes) `dataset.json`: an existing one must describe the same dataset.
  func claimFolder() throws {
    try ResumableWork.claim(output, record: "dataset.json", description: description) { existing in
      let old = (try? JSONSerialization.jsonObject(with: existing)) as? [String: Any]
      return DatasetConfig.DatasetError(
        "\(output.path) holds another dataset (seed \(old?["seed"] ?? "?"), count \(old?["count"] ?? "?"), or another configuration); choose another --out"
      )
    }
    try FileManager.default.createDirectory(at: DatasetIndex.samplesFolder(output), withIntermediateDirectories: true)
  }

  /// Makes the missing samples of this shard. `progress(done, total)` counts this shard's samples, those already on
  /// disk included. Returns true when the whole dataset is on disk and its manifest and annotations were written.
  @discardableResult
  public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Bool {
    let workers = try budget()
    try claimFolder()
    let fm = FileManager.default
    let samples = DatasetIndex.samplesFolder(output)
    let digits = DatasetIndex.digits(count)
    for name in (try? fm.contentsOfDirectory(atPath: samples.path)) ?? [] where name.hasPrefix(".") {
      // Only this shard's leftovers: other shards may be writing into the same folder.
      if let i = Int(name.dropFirst().prefix { $0.isNumber }), i % shard.count == shard.index {
        try? fm.removeItem(at: samples.appendingPathComponent(name))
      }
    }
    let done = DatasetIndex.finished(output)
    let config = self.config
    let seed = self.seed
    try ResumableWork.run(
      indices.filter { !done.contains($0) }, total: indices.count, workers: workers, progress: progress
    ) { i in
      try Self.make(
        sample: try config.sample(index: i, datasetSeed: seed), envelope: config.writeEnvelope, digits: digits,
        in: samples)
    }
    guard DatasetIndex.finished(output).count == count else { return false }
    try DatasetIndex.write(output, count: count)
    return true
  }

  /// Before any work, from this shard's first sample: the workers that fit in memory (each one simulation, with half
  /// again for the variation between drawn samples), and a refusal when the missing samples' files would not fit on
  /// the disk.
  func budget() throws -> Int {
    let finished = DatasetIndex.finished(output)
    let missing = indices.filter { !finished.contains($0) }
    guard let first = missing.first else { return workers }
    let s: Scenario
    do { s = try config.sample(index: first, datasetSeed: seed).scenario } catch { return workers }
    let events = s.transmit.events(probe: s.probe, soundSpeed: s.medium.soundSpeedMetresPerSecond, image: s.image).count
    let perSample = s.outputBytesEstimate(events: events, envelope: config.writeEnvelope) * 1.5
    try JobBudget.checkDisk(
      perSample * Double(missing.count), at: output, job: "this dataset (\(missing.count) samples)")
    return JobBudget.workers(workers, perWorkerBytes: s.memoryEstimateBytes(events: events) * 1.5)
  }

  /// One sample: simulate, then the image, masks, labels, meta (without timings), the drawn scenario, the manifest
  /// entry (`sample.json`) and the COCO entries (`annotations.json`), in a hidden folder renamed into place at the end.
  static func make(sample: DatasetConfig.Sample, envelope: Bool, digits: Int, in samples: URL) throws {
    let fm = FileManager.default
    let name = DatasetIndex.name(sample.index, digits: digits)
    let temporary = samples.appendingPathComponent(".\(name).partial")
    try? fm.removeItem(at: temporary)
    let s = sample.scenario
    var result = SimulationPipeline(scenario: s, threads: 1).run()
    try SimulationOutput.write(
      &result, scenario: s, to: temporary, layout: .init(imageName: "image.png", envelope: envelope, timings: false))
    try AtomicFile.write(
      Data(try YAMLWriter.text(sample.tree).utf8), to: temporary.appendingPathComponent("scenario.yaml"))

    let folder = "samples/\(name)"
    let (image, annotations, keypoints, seen) = DatasetLabels.coco(
      index: sample.index, fileName: "\(folder)/image.png", result: result, scenario: s)
    try writeJSON(
      ["image": image, "annotations": annotations], to: temporary.appendingPathComponent("annotations.json"))
    var files: [String: Any] = [
      "image": "\(folder)/image.png", "scenario": "\(folder)/scenario.yaml", "meta": "\(folder)/meta.json",
    ]
    if result.groundTruth != nil {
      files["labels"] = "\(folder)/labels.json"
      files["masks"] = Dictionary(
        uniqueKeysWithValues: ["needle", "tip", "bone", "shadow", "target"].map { ($0, "\(folder)/mask_\($0).npy") })
      files["tissue_labels"] = "\(folder)/tissue_labels.npy"
    }
    if envelope { files["envelope"] = "\(folder)/envelope.npy" }
    if s.outputs.rf { files["rf"] = "\(folder)/rf.npy" }
    let pixels = Double(max(image["width"] as! Int * (image["height"] as! Int), 1))
    func fraction(_ m: [UInt8]?) -> Any {
      m.map { Double($0.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }) / pixels } ?? NSNull()
    }
    let entry: [String: Any] = [
      "index": sample.index, "id": name, "seed": Int(sample.seed), "files": files,
      "width": image["width"]!, "height": image["height"]!, "pixel_mm": SimulationOutput.mm(s.image.pixelMetres),
      "x_mm": [SimulationOutput.mm(result.xAxisMetres.first ?? 0), SimulationOutput.mm(result.xAxisMetres.last ?? 0)],
      "z_mm": [SimulationOutput.mm(result.zAxisMetres.first ?? 0), SimulationOutput.mm(result.zAxisMetres.last ?? 0)],
      "probe": s.probe.name, "preset": s.phantom?.preset.rawValue ?? NSNull(), "transmit": s.transmit.scheme.rawValue,
      "needles": s.needles.indices.map { k -> [String: Any] in
        let kp = keypoints[k]
        return [
          "gauge": s.needles[k].gauge, "entry_xy": [kp[0].x, kp[0].y], "entry_visibility": kp[0].visibility,
          "tip_xy": [kp[1].x, kp[1].y], "tip_visibility": kp[1].visibility, "tip_in_shadow": kp[1].inShadow,
          "tip_in_plane": kp[1].inPlane,
        ].merging(seen[k].keyFields) { a, _ in a }
      },
      "shadow_fraction": fraction(result.groundTruth?.shadow), "bone_fraction": fraction(result.groundTruth?.bone),
      "params": sample.drawn,
    ]
    try writeJSON(entry, to: temporary.appendingPathComponent("sample.json"))
    let final = samples.appendingPathComponent(name)
    try? fm.removeItem(at: final)
    try fm.moveItem(at: temporary, to: final)
  }

  /// One line of JSON, keys sorted.
  static func writeJSON(_ object: Any, to url: URL) throws {
    try AtomicFile.write(
      try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), to: url)
  }
}
