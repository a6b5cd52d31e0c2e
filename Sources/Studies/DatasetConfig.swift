import ConfigReading
import Foundation
import Phantom
import Scenario
import Yams

/// A dataset configuration: a scene template whose values may be distributions (``ParameterTemplate``), and which
/// optional arrays each sample carries.
///
/// ```yaml
/// scene:                                   # a scenario file's keys; any value may be a distribution
///   probe: {choice: [L11-5v, C5-2v]}
///   phantom: {preset: gel-block}
///   needles: {repeat: {gauge: {choice: [18, 22, 25]}, tip_mm: [{uniform: [-5, 5]}, {uniform: [15, 40]}]},
///             count: {choice: [0, 1], weights: [1, 4]}}
/// outputs: {envelope: true, rf: false}     # envelope.npy / rf.npy per sample (default: neither)
/// ```
/// Sample i is drawn from a generator seeded by (dataset seed, i) alone (``sampleRandomSource(datasetSeed:index:)``),
/// so it is the same however the dataset is split into shards, workers or resumed runs.
public struct DatasetConfig {
  /// The configuration file's text (kept in `dataset.json`, so a rerun can tell it is the same dataset).
  public var text: String
  public var template: ParameterTemplate
  public var baseDirectory: URL
  public var writeEnvelope = false
  public var writeRF = false

  public struct DatasetError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
  }

  public static func load(contentsOf url: URL) throws -> DatasetConfig {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw DatasetError("\(url.path): cannot read the dataset configuration")
    }
    return try parse(yaml: text, baseDirectory: url.deletingLastPathComponent())
  }

  /// Parses and checks a configuration: every distribution's form, and the first draws made into scenarios, so that
  /// a wrong key or value is reported (with its field) before any sample runs.
  public static func parse(yaml text: String, baseDirectory: URL) throws -> DatasetConfig {
    let object: Any?
    do { object = try Yams.load(yaml: text) } catch { throw DatasetError("not valid YAML: \(error)") }
    guard let top = object as? [String: Any] else {
      throw DatasetError("a dataset configuration is a mapping with scene and outputs")
    }
    let allowed = ["scene", "outputs", "description"]
    for k in top.keys.sorted() where !allowed.contains(k) {
      throw DatasetError("unknown key '\(k)' (allowed: \(allowed.joined(separator: ", ")))")
    }
    guard let scene = top["scene"] as? [String: Any] else {
      throw DatasetError("scene: give the scene template (a scenario's keys, values may be distributions)")
    }
    let template: ParameterTemplate
    do { template = try ParameterTemplate(scene) } catch let e as ParameterTemplate.TemplateError {
      throw DatasetError("scene.\(e.description)")
    }
    var config = DatasetConfig(text: text, template: template, baseDirectory: baseDirectory)
    if let o = top["outputs"] {
      guard let m = o as? [String: Any] else {
        throw DatasetError("outputs: a mapping {envelope: true|false, rf: true|false}")
      }
      for (k, v) in m.sorted(by: { $0.key < $1.key }) {
        guard let b = v as? Bool else { throw DatasetError("outputs.\(k) = \(v): expected true or false") }
        switch k {
        case "envelope": config.writeEnvelope = b
        case "rf": config.writeRF = b
        default: throw DatasetError("outputs: unknown key '\(k)' (allowed: envelope, rf)")
        }
      }
    }
    for i in 0..<32 { _ = try config.sample(index: i, datasetSeed: 0) }
    return config
  }

  /// The generator of sample `index` of a dataset made with `datasetSeed`: a function of those two numbers only.
  public static func sampleRandomSource(datasetSeed: UInt64, index: Int) -> RandomSource {
    RandomSource.derived(seed: datasetSeed, purpose: UInt64(index))
  }

  public struct Sample {
    public var index: Int
    /// The scenario's seed (speckle, noise), drawn first from the sample's generator; 48 bits, exact in JSON.
    public var seed: UInt64
    public var scenario: Scenario
    /// The drawn scene as a scenario tree (written as the sample's `scenario.yaml`), with `perpendicular` steering
    /// replaced by its angle.
    public var tree: [String: Any]
    /// Every distribution's value, by key path.
    public var drawn: [String: Any]
  }

  /// Sample `index`: its seed, its drawn parameters and its scenario.
  public func sample(index: Int, datasetSeed: UInt64) throws -> Sample {
    var rng = Self.sampleRandomSource(datasetSeed: datasetSeed, index: index)
    let seed = rng.next() >> 16
    let (drawnTree, drawn) = template.draw(&rng)
    var tree = drawnTree as? [String: Any] ?? [:]
    tree["seed"] = Int(seed)
    var outputs = tree["outputs"] as? [String: Any] ?? [:]
    outputs["rf"] = writeRF
    tree["outputs"] = outputs
    do {
      let (resolved, s) = try ScenarioTree.resolved(tree, baseDirectory: baseDirectory)
      return Sample(index: index, seed: seed, scenario: s, tree: resolved, drawn: drawn)
    } catch let e as ScenarioError {
      let values = drawn.keys.sorted().map { "\($0) = \(drawn[$0]!)" }.joined(separator: ", ")
      throw DatasetError("sample \(index) (drawn: \(values)): \(e.description)")
    }
  }
}
