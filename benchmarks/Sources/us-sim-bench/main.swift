import Acoustics
import Acquisition
import Beamform
import FileFormats
import Foundation
import Interchange
import KernelSupport
import Metrics
import Phantom
import Scenario
import Spectral
import Studies

// us-sim-bench CASE [--threads N] [--scatterers N] [--write-scatterers FILE]
// Runs one benchmark case and prints one JSON object (throughput, seconds, peak memory). Run each case in its own
// process (benchmarks/run does) so that the peak resident memory belongs to that case alone.

var args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
  return args[i + 1]
}
let benchCase = args.first ?? "help"
let threads = Int(option("--threads") ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
let repeats = Int(option("--repeats") ?? "") ?? 3

/// Peak resident set size of this process (MiB), from getrusage (Linux reports kilobytes).
func peakMemoryMiB() -> Double {
  var u = rusage()
  getrusage(RUSAGE_SELF.rawValue, &u)
  return Double(u.ru_maxrss) / 1024
}

/// Lane multiply-adds of the RF kernels in the last run timed by ``best`` (``SynthesisWork``).
var runMultiplyAdds = (receive: 0, transmit: 0)

/// Wall time of the first run timed by ``best`` (s): the one that makes the tables a process keeps (pulse banks,
/// elevation beams, FFT plans), as a single `us-sim simulate` does.
var firstRunSeconds = 0.0

/// Best wall time of `repeats` runs (s); later runs reuse the process's tables, as a dataset's frames do.
func best(_ n: Int = repeats, _ body: () -> Void) -> Double {
  var t = Double.infinity
  for run in 0..<n {
    SynthesisWork.shared.reset()
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    if run == 0 { firstRunSeconds = seconds }
    t = min(t, seconds)
    runMultiplyAdds = SynthesisWork.shared.multiplyAdds
  }
  return t
}

func emit(_ fields: [String: Any]) {
  var f = fields
  f["case"] = benchCase
  f["threads"] = threads
  f["cores"] = ProcessInfo.processInfo.activeProcessorCount
  f["peak_memory_mib"] = peakMemoryMiB()
  if runMultiplyAdds.receive + runMultiplyAdds.transmit > 0 {
    f["rf_multiply_adds"] = ["receive": runMultiplyAdds.receive, "transmit": runMultiplyAdds.transmit]
  }
  let data = try! JSONSerialization.data(withJSONObject: f, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}

/// Uniform speckle over the imaging region of a probe (same generator and seed everywhere).
func scatterers(_ n: Int, probe: Probe) -> ScattererSet {
  var rng = RandomSource(seed: 2024)
  var s = ScattererSet()
  let half = probe.layout == .linear ? probe.apertureMetres / 2 : 20e-3
  for _ in 0..<n {
    s.append(
      xMetres: Float(rng.uniform(-half, half)), yMetres: 0, zMetres: Float(rng.uniform(5e-3, 55e-3)),
      amplitude: Float(rng.gaussian()))
  }
  return s
}

/// The RF simulator of the benchmarks: a uniform medium, the probe's pulse with MUST's response (scenarios' default,
/// and the one PyMUST's `simus` uses in the same run), and the scenarios' default transmit waveform (built half an RF
/// sample apart, ``SimulationSettings/coarseTransmitWaveform``, a point's tails holding −60 dB of its energy not received,
/// ``SimulationSettings/transmitTailLevel``) unless `exact`.
func simulator(_ probe: Probe, samples: Int, exact: Bool = false) -> RFSimulator<HomogeneousMedium> {
  var settings = SimulationSettings(
    samplingFrequencyHz: 4 * probe.centerFrequencyHz, sampleCount: samples, threads: threads)
  settings.approximateWithinBudget(!exact)
  return RFSimulator(
    probe: probe, medium: HomogeneousMedium(),
    pulse: PulseModel(
      centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth, response: .must),
    settings: settings)
}

/// Samples covering 60 mm of depth plus the aperture's slant.
func samples(_ probe: Probe) -> Int {
  Int((2 * hypot(60e-3, probe.apertureMetres) / 1540 + 2e-6) * 4 * probe.centerFrequencyHz)
}

/// Ten independent chains of 8-lane multiply-adds in registers (more chains than the multiply-add latency times
/// its issue rate needs), `n` steps each; returns a sum so the work cannot be dropped.
@inline(never)
func multiplyAddChains(_ n: Int, seed: Float) -> Float {
  let b = SIMD8<Float>(repeating: 0.999_9)
  let c = SIMD8<Float>(repeating: seed)
  @inline(__always) func step(_ a: SIMD8<Float>) -> SIMD8<Float> {
    #if FUSED_MULTIPLY_ADD
      return c.addingProduct(a, b)
    #else
      return c + a * b
    #endif
  }
  var (a0, a1, a2, a3, a4) = (c, c + 1, c + 2, c + 3, c + 4)
  var (a5, a6, a7, a8, a9) = (c + 5, c + 6, c + 7, c + 8, c + 9)
  for _ in 0..<n {
    (a0, a1, a2, a3, a4) = (step(a0), step(a1), step(a2), step(a3), step(a4))
    (a5, a6, a7, a8, a9) = (step(a5), step(a6), step(a7), step(a8), step(a9))
  }
  return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).sum()
}

switch benchCase {
case "peak":
  // The machine's peak rate of lane multiply-adds (8-lane fused multiply-adds, as the RF kernels use), on one
  // thread and on `threads` at once: the ceiling the rf, scene and dataset rows' `rf_multiply_adds` are set against.
  let steps = 20_000_000
  let seed = Float(args.count) * 1e-3
  var sink: Float = 0
  func rate(_ workers: Int) -> Double {
    let t = best {
      let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers)
      defer { sums.deallocate() }
      DispatchQueue.concurrentPerform(iterations: workers) { w in sums[w] = multiplyAddChains(steps, seed: seed) }
      sink += sums.reduce(0, +)
    }
    return Double(workers * steps * 10 * 8) / t
  }
  let one = rate(1)
  let all = rate(threads)
  emit([
    "lane_multiply_adds_per_second_one_thread": one, "lane_multiply_adds_per_second": all,
    "checksum": Double(sink),
  ])

case "rf":
  // RF synthesis, one 0° plane wave, as scenarios make channel data by default (`--exact`: the exact sum); the
  // default's error against the exact sum is reported (relative RMS of the event's channel data).
  let probe = Probe.preset(named: option("--probe") ?? "L11-5v")!
  let n = Int(option("--scatterers") ?? "") ?? 50_000
  let s = scatterers(n, probe: probe)
  if let path = option("--write-scatterers") {
    var rows: [Float] = []
    for i in 0..<s.count { rows += [s.x[i] * 1e3, s.y[i] * 1e3, s.z[i] * 1e3, s.amplitude[i]] }
    try! NumpyArray.write(rows, shape: [s.count, 4], to: URL(fileURLWithPath: path))
  }
  let sim = simulator(probe, samples: samples(probe), exact: args.contains("--exact"))
  // --diverging: one diverging wave at 0° from the scenario's default virtual source (the arc's centre for a
  // convex array, half the aperture behind a flat one) instead of the plane wave.
  let diverging = args.contains("--diverging")
  let seq =
    diverging
    ? TransmitSequence.divergingWaves(
      probe: probe, anglesRadians: [0], sourceDistanceMetres: TransmitPlan().resolvedSourceDistance(probe: probe),
      soundSpeed: 1540)
    : TransmitSequence.planeWaves(probe: probe, anglesRadians: [0], soundSpeed: 1540)
  var data: [Float] = []
  let t = best { data = sim.simulate(scatterers: s, sequence: seq).data }
  var fields: [String: Any] = [:]
  if !args.contains("--exact") {
    let exact = simulator(probe, samples: samples(probe), exact: true).simulate(scatterers: s, sequence: seq).data
    var difference = 0.0
    var reference = 0.0
    for (a, b) in zip(data, exact) {
      difference += Double(a - b) * Double(a - b)
      reference += Double(b) * Double(b)
    }
    fields["budget_event_db"] = 10 * log10(difference / reference)
  }
  emit(
    fields.merging([
      "probe": probe.name, "scatterers": n, "elements": probe.elementCount, "samples": samples(probe), "seconds": t,
      "transmit": diverging ? "one 0° diverging wave" : "one 0° plane wave",
      "first_run_seconds": firstRunSeconds,
      "scatterers_per_second": Double(n) / t, "pairs_per_second": Double(n * probe.elementCount) / t,
    ]) { $1 })

case "das":
  // Delay-and-sum of 128 channels onto 256 × 512 pixels: plane waves (1 or 7 angles) or a convex sector.
  let probe = Probe.preset(named: option("--probe") ?? "L11-5v")!
  let angles = Int(option("--angles") ?? "") ?? 1
  let list = angles == 1 ? [0.0] : (0..<angles).map { (Double($0) - Double(angles - 1) / 2) * 2 * Double.pi / 180 }
  let seq =
    probe.layout == .linear
    ? TransmitSequence.planeWaves(probe: probe, anglesRadians: list, soundSpeed: 1540)
    : TransmitSequence.divergingWaves(
      probe: probe, anglesRadians: list, sourceDistanceMetres: probe.radiusMetres, soundSpeed: 1540)
  let rf = simulator(probe, samples: samples(probe)).simulate(scatterers: scatterers(200, probe: probe), sequence: seq)
  let analytic = AnalyticChannelData(rf)
  // Columns × rows (default 256 × 512) over the same region: the pixel-count scaling points.
  let columns = Int(option("--columns") ?? "") ?? 256
  let rows = Int(option("--rows") ?? "") ?? 512
  let grid: ImageGrid
  if probe.layout == .linear {
    grid = ImageGrid(
      .cartesian(
        x: ImageGrid.axis(from: -19e-3, to: 19e-3, step: 38e-3 / Double(columns - 1)),
        z: ImageGrid.axis(from: 5e-3, to: 55e-3, step: 50e-3 / Double(rows - 1))))
  } else {
    let apex = probe.sectorApex
    let half = probe.apertureMetres / 2 / probe.radiusMetres
    grid = ImageGrid(
      .polar(
        angles: ImageGrid.axis(from: -half, to: half, step: 2 * half / Double(columns - 1)),
        ranges: ImageGrid.axis(
          from: probe.radiusMetres + 5e-3, to: probe.radiusMetres + 80e-3, step: 75e-3 / Double(rows - 1)),
        apexX: apex.xMetres, apexZ: apex.zMetres))
  }
  let das = DelayAndSum(
    settings: BeamformSettings(
      aperture: ReceiveAperture(fNumber: 1.5, window: .hann), soundSpeedMetresPerSecond: 1540, threads: threads))
  var image: [Float] = []
  let t = best(option("--repeats") == nil ? 5 : repeats) { image = das.beamform(analytic, grid: grid) }
  let work = Double(grid.rows * grid.columns * probe.elementCount * seq.count)
  // For the peers' run (benchmarks/peers_compare.py): the channel data as a UFF file, and this image (rows ×
  // columns × (re, im)), so a peer beamforms the same data and its image can be set against ours.
  if let path = option("--write-uff") {
    let pulse = PulseModel(centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth)
    try! UFF.write(ChannelRecording(rf, pulse: pulse), to: URL(fileURLWithPath: path))
  }
  if let path = option("--write-image") {
    try! NumpyArray.write(image, shape: [grid.rows, grid.columns, 2], to: URL(fileURLWithPath: path))
  }
  emit([
    "probe": probe.name, "pixels": grid.rows * grid.columns, "grid": "\(grid.columns) × \(grid.rows)",
    "channels": probe.elementCount, "events": seq.count,
    "seconds": t, "pixel_channel_samples_per_second": work / t, "seconds_per_event": t / Double(seq.count),
  ])

case "envelope":
  // Analytic signal (batched FFTW) of 128 traces, then magnitude and log compression of a 256 × 512 image.
  let probe = Probe.l11_5v
  let n = samples(probe)
  var rng = RandomSource(seed: 1)
  let traces = (0..<(128 * n)).map { _ in Float(rng.gaussian()) }
  let a = AnalyticSignal(length: n)
  var out = [Float](repeating: 0, count: 2 * traces.count)
  let tHilbert = best(5) {
    traces.withUnsafeBufferPointer { i in
      out.withUnsafeMutableBufferPointer { o in a.transform(i.baseAddress!, o.baseAddress!, batch: 128) }
    }
  }
  let image = (0..<(2 * 256 * 512)).map { _ in Float(rng.gaussian()) }
  let tLog = best(5) { _ = LogCompression.grayscale(Envelope.magnitude(image)) }
  emit([
    "samples": traces.count, "analytic_seconds": tHilbert,
    "analytic_samples_per_second": Double(traces.count) / tHilbert,
    "log_compression_seconds": tLog, "log_compression_pixels_per_second": Double(256 * 512) / tLog,
  ])

case "scene":
  // A scene end to end (simulate → beamform → envelope → B-mode), without writing files: the built-in default
  // scene, or the scenario file given with --scenario.
  let file = option("--scenario")
  let s = try file.map { try Scenario.load(contentsOf: URL(fileURLWithPath: $0)) } ?? Scenario.defaultScene
  var last: SimulationResult?
  let t = best { last = SimulationPipeline(scenario: s, threads: threads).run() }
  let r = last!
  var row: [String: Any] = [
    "scene": file.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "default",
    "probe": s.probe.name, "events": r.channelData.eventCount, "scheme": s.transmit.scheme.rawValue,
    "pixels": "\(r.xAxisMetres.count) × \(r.zAxisMetres.count)",
    "scatterers": r.scattererCount, "seconds": t, "first_run_seconds": firstRunSeconds, "frames_per_second": 1 / t,
    "stages_s": r.timings,
  ]
  // --exact: also the exact sum (acquisition: {exact: true}) once, and the default's error against it as the speed
  // budget measures it (``ImageBudget``).
  if args.contains("--exact") {
    var exactScene = s
    exactScene.acquisition.exact = true
    var exact: SimulationResult?
    let timed = (runMultiplyAdds, firstRunSeconds)  // the row's own run, not the reference's
    let te = best(1) { exact = SimulationPipeline(scenario: exactScene, threads: threads).run() }
    (runMultiplyAdds, firstRunSeconds) = timed
    let e = ImageBudget.errors(exact: exact!.beamformed, other: r.beamformed, x: r.grid.x, z: r.grid.z)
    row["exact_seconds"] = te
    row["budget_frame_db"] = 20 * log10(max(e.frame, 1e-12))
    row["budget_worst_tile"] = e.worstTile
  }
  emit(row)

case "dataset":
  // Dataset frames as `us-sim dataset` makes them (simulate, beamform, write image, masks, labels, COCO entries),
  // one single-threaded frame per worker, workers = --threads; frames per second over the whole run.
  let file = option("--config") ?? "benchmarks/dataset-gel-block.yaml"
  let count = Int(option("--count") ?? "") ?? 40
  let config = try DatasetConfig.load(contentsOf: URL(fileURLWithPath: file))
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-bench-dataset-\(getpid())")
  defer { try? FileManager.default.removeItem(at: dir) }
  let t = best(1) {
    _ = try? DatasetGenerator(config: config, output: dir, count: count, seed: 1, workers: threads).run()
  }
  let first = try config.sample(index: 0, datasetSeed: 1).scenario
  let image = first.image
  let columns = Int(((image.xRangeMetres.upperBound - image.xRangeMetres.lowerBound) / image.pixelMetres).rounded()) + 1
  let rows = Int(((image.zRangeMetres.upperBound - image.zRangeMetres.lowerBound) / image.pixelMetres).rounded()) + 1
  emit([
    "config": URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent, "probe": first.probe.name,
    "events": first.transmit.anglesRadians.count, "pixels": "\(columns) × \(rows)", "frames": count, "seconds": t,
    "frames_per_second": Double(count) / t,
  ])

case "sweep":
  // A sweep as `us-sim sweep` runs it (every run simulated, beamformed, measured and written, then the tables and the
  // report), one single-threaded run per worker, workers = --threads, into a fresh folder.
  let file = option("--config") ?? "examples/sweeps/gauge-depth.yaml"
  let plan = try SweepPlan.load(contentsOf: URL(fileURLWithPath: file))
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-bench-sweep-\(getpid())")
  defer { try? FileManager.default.removeItem(at: dir) }
  let runner = SweepRunner(plan: plan, output: dir, workers: threads)
  let t = best(1) { try? runner.run() }
  emit([
    "config": URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent, "runs": runner.runs.count,
    "points": plan.points.count, "seeds": plan.seeds.count, "seconds": t,
    "runs_per_second": Double(runner.runs.count) / t,
  ])

case "uff":
  // A PICMUS-size UFF file (L11-5v, 128 channels, 75 plane waves −16°…16°, 3328 samples, one frame): write, read
  // and beamform onto 256 × 512 pixels, each timed, so the report shows whether reading or delay-and-sum limits.
  let probe = Probe.l11_5v
  let angles = (0..<75).map { (Double($0) - 37) * 16.0 / 37 * Double.pi / 180 }
  let seq = TransmitSequence.planeWaves(probe: probe, anglesRadians: angles, soundSpeed: 1540)
  let rf = simulator(probe, samples: 3328).simulate(scatterers: scatterers(100, probe: probe), sequence: seq)
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("us-sim-bench-\(getpid()).uff")
  defer { try? FileManager.default.removeItem(at: url) }
  let pulse = PulseModel(centerFrequencyHz: probe.centerFrequencyHz, fractionalBandwidth: probe.fractionalBandwidth)
  let write = best(1) { try! UFF.write(ChannelRecording(rf, pulse: pulse), to: url) }
  var recording: ChannelRecording?
  let read = best { recording = try! UFF.read(url) }
  let pipeline = RecordingPipeline(
    recording: recording!,
    imaging: RecordingImaging(xRangeMetres: -19e-3...19e-3, zRangeMetres: 5e-3...55e-3, pixelMetres: 38e-3 / 255),
    threads: threads)
  let grids = pipeline.grids()!
  var image: RecordingImage?
  let total = best { image = pipeline.image(frame: 0, grids: grids) }
  let beamform = image!.timings["beamform"]!
  let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
  emit([
    "probe": probe.name, "events": seq.count, "samples": 3328, "channels": probe.elementCount,
    "pixels": grids.grid.rows * grids.grid.columns, "file_mib": Double(bytes) / 1_048_576,
    "write_seconds": write, "read_seconds": read, "beamform_seconds": beamform,
    "analytic_seconds": image!.timings["analytic"]!, "image_seconds": total,
    "pixel_channel_samples_per_second": Double(grids.grid.rows * grids.grid.columns * probe.elementCount * seq.count)
      / beamform,
  ])

default:
  print(
    "usage: us-sim-bench peak|rf|das|envelope|scene|dataset|sweep|uff [--threads N] [--probe NAME] [--scatterers N] [--write-scatterers FILE] [--angles N] [--columns N --rows N] [--write-uff FILE] [--write-image FILE] [--scenario FILE] [--exact] [--config FILE --count N]"
  )
  exit(2)
}
