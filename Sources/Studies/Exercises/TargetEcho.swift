import Beamform
import Foundation
import Phantom
import Scenario

/// What a frame shows at its target: the target's own echo, and everything else the image holds there.
///
/// The imaging chain is linear in the scatterers, so a frame's complex image I splits exactly into the image I_t of
/// the target's scatterers and the rest, I − I_t (clutter: side lobes of brighter echoes, the surrounding tissue,
/// noise). I_t is simulated through the same medium — bone still shadows it — from the frame's tissue scatterers
/// (speckle and interface points, the same draws, the needles' tissue left empty; not the needles' echoes) weighted by
/// ```
/// w(d) = 1 inside the target,  cos²(π·d / 2τ) for 0 < d < τ outside,  0 beyond   (τ = taperMetres)
/// ```
/// with d the distance to the target's outline (the largest such weight over the target and the structures it is
/// seen through, `Anatomy.targets[0].seenThrough`): the soft edge keeps the cut-out from ringing like the end of a
/// line of reflectors (an abrupt cut would add edge echoes that the full frame does not have). Levels are
/// 10·log10 of the mean squared envelope over the target's pixels (`mask_target`), as ``ExerciseKey`` reports them.
///
/// **Which echoes are the target's.** Two of the three targets are anechoic or nearly so, and a trainee sees them
/// through what bounds them; the taper's band counts those boundaries as the target's own, and nothing further out:
/// - epidural space (epidural fat, 2 mm): the ligamentum flavum's deep surface on its outline and the posterior
///   dura (0.8 mm) just below it — the posterior complex's bright lines the space lies between;
/// - facet joint (the fluid-filled gap between the articular processes, 1.4–2.2 mm wide): the joint's lips — the
///   last 2 mm of each process's posterior surface at the gap, 1 mm deep (`seenThrough`) — whose bright edges with
///   the dark gap between are what a trainee sees of a joint about as narrow as the lateral resolution at its depth;
/// - sacral hiatus (the canal's epidural fat at the hiatus apex): the sacrococcygeal ligament's deep surface above it
///   and the canal's bony floor below it.
///
/// **What the frame shows** (``state``, the answer key's call): the target is `visible` when its own echo stands
/// ≥ 6 dB over the clutter at its pixels and the image there is ≥ 6 dB over the receiver noise's own image (the noise
/// floor, ``SimulationPipeline/noiseImage(standardDeviations:like:)``); `hidden` when either margin is ≤ 0 dB;
/// `partly hidden` in between. A target bounded by specular layers (the epidural space) echoes strongly only when the
/// beam meets its layers near normal incidence; out of the shadow but insonated obliquely it can sit at the level of
/// the clutter (``TargetEchoTests``) — the shadow fraction alone cannot say it shows.
public struct TargetEcho: Sendable, Equatable {
  /// The target's own echo, dB (envelope units of the frame).
  public var echoDb: Double
  /// The rest of the image at the target, dB.
  public var clutterDb: Double
  /// The frame's image at the target, dB.
  public var imageDb: Double
  /// The receiver noise's own image at the target, dB; nil for a noise-free frame.
  public var noiseDb: Double?
  public var signalToClutterDb: Double { echoDb - clutterDb }
  /// The image at the target over the noise floor, dB (+∞ without noise).
  public var overNoiseDb: Double { noiseDb.map { imageDb - $0 } ?? .infinity }
  /// The smaller of the two margins the call is made on, dB.
  public var marginDb: Double { min(signalToClutterDb, overNoiseDb) }

  /// What a frame shows of its target.
  public enum State: String, Sendable, CaseIterable {
    case visible
    case partlyHidden = "partly hidden"
    case hidden
  }

  /// Margin (dB) at or above which the target is visible, and at or below which it is hidden.
  public static let visibleMarginDb = 6.0
  public static let hiddenMarginDb = 0.0

  public var state: State {
    marginDb >= Self.visibleMarginDb ? .visible : marginDb <= Self.hiddenMarginDb ? .hidden : .partlyHidden
  }

  /// Width of the taper around the target (m).
  public static let taperMetres = 0.5e-3

  /// Weight of a scatterer at `p` (metres) for the regions `shapes` (polygons; the target and what it is seen
  /// through): the largest of the regions' tapers.
  public static func weight(_ p: SIMD2<Double>, shapes: [RegionShape]) -> Double {
    var w = 0.0
    for shape in shapes {
      guard case .polygon(let v) = shape else { continue }
      if shape.contains(x: p.x, z: p.y) { return 1 }
      let d = RegionShape.distance(from: p, toOutline: v)
      guard d < taperMetres else { continue }
      let c = cos(Double.pi * d / (2 * taperMetres))
      w = max(w, c * c)
    }
    return w
  }

  /// The target's echo in the frame `result` simulated from `scenario` (whose anatomy's first target is judged);
  /// nil when the scene has no anatomy, no polygon target or the target has no pixel.
  public static func measure(scenario s: Scenario, result r: SimulationResult, threads: Int = 1) -> TargetEcho? {
    guard let anatomy = r.anatomy, let medium = r.medium, s.phantom != nil, let truth = r.groundTruth,
      let target = anatomy.targets.first, case .polygon = target.shape
    else { return nil }
    let shapes = [target.shape] + target.seenThrough
    let pixels = truth.target.indices.filter { truth.target[$0] != 0 }
    guard !pixels.isEmpty else { return nil }
    let all = s.tissueScatterers(of: anatomy)
    var own = ScattererSet()
    for i in 0..<all.count {
      let w = weight(SIMD2(Double(all.x[i]), Double(all.z[i])), shapes: shapes)
      guard w > 0 else { continue }
      own.append(i, of: all)
      own.amplitude[own.count - 1] *= Float(w)
    }
    let pipeline = SimulationPipeline(scenario: s, threads: threads)
    let image = pipeline.beamformed(scatterers: own, medium: medium, noise: false)
    let rest = zip(r.beamformed, image.beamformed).map { $0 - $1 }
    func level(_ complex: [Float]) -> Double {
      let e = Envelope.cartesian(complex, grid: image.grid, x: r.xAxisMetres, z: r.zAxisMetres)
      let power = pixels.reduce(0.0) { $0 + Double(e[$1]) * Double(e[$1]) } / Double(pixels.count)
      return 10 * log10(max(power, 1e-30))
    }
    let noise =
      r.noiseStandardDeviations.isEmpty
      ? nil : level(pipeline.noiseImage(standardDeviations: r.noiseStandardDeviations, like: r.channelData))
    return TargetEcho(
      echoDb: level(image.beamformed), clutterDb: level(rest), imageDb: level(r.beamformed), noiseDb: noise)
  }
}
