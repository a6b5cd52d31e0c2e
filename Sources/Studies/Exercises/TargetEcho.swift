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
/// with d the distance to the target's outline: the soft edge keeps the cut-out from ringing like the end of a
/// line of reflectors (an abrupt cut would add edge echoes that the full frame does not have). Levels are
/// 10·log10 of the mean squared envelope over the target's pixels (`mask_target`), as ``ExerciseKey`` reports them.
///
/// A target bounded by specular layers (the epidural space, between ligamentum flavum and dura) echoes strongly only
/// when the beam meets its layers near normal incidence; out of the shadow but insonated obliquely it can sit at the
/// level of the clutter (``TargetEchoTests``). The key's `visible` still follows the shadow fraction alone; this
/// measure is reported beside it.
public struct TargetEcho: Sendable, Equatable {
  /// The target's own echo, dB (envelope units of the frame).
  public var echoDb: Double
  /// The rest of the image at the target, dB.
  public var clutterDb: Double
  /// The frame's image at the target, dB.
  public var imageDb: Double
  public var signalToClutterDb: Double { echoDb - clutterDb }

  /// Width of the taper around the target (m).
  public static let taperMetres = 2e-3

  /// Weight of a scatterer at `p` (metres) for the target outline `v` (polygon vertices).
  public static func weight(_ p: SIMD2<Double>, polygon v: [SIMD2<Double>], shape: RegionShape) -> Double {
    if shape.contains(x: p.x, z: p.y) { return 1 }
    let d = RegionShape.distance(from: p, toOutline: v)
    guard d < taperMetres else { return 0 }
    let c = cos(Double.pi * d / (2 * taperMetres))
    return c * c
  }

  /// The target's echo in the frame `result` simulated from `scenario` (whose anatomy's first target is judged);
  /// nil when the scene has no anatomy, no polygon target or the target has no pixel.
  public static func measure(scenario s: Scenario, result r: SimulationResult, threads: Int = 1) -> TargetEcho? {
    guard let anatomy = r.anatomy, let medium = r.medium, let plan = s.phantom, let truth = r.groundTruth,
      let shape = anatomy.targets.first?.shape, case .polygon(let v) = shape
    else { return nil }
    let pixels = truth.target.indices.filter { truth.target[$0] != 0 }
    guard !pixels.isEmpty else { return nil }
    let lambda = s.probe.wavelength(soundSpeed: s.medium.soundSpeedMetresPerSecond)
    let all = anatomy.scatterers(
      in: s.scatterField, thicknessMetres: plan.elevationThicknessMetres, wavelengthMetres: lambda, needles: s.needles,
      seed: s.seed, needleEchoes: false, calibration: s.physics.calibration, frequencyHz: s.probe.centerFrequencyHz,
      incidence: s.specularIncidence)
    var own = ScattererSet()
    for i in 0..<all.count {
      let w = weight(SIMD2(Double(all.x[i]), Double(all.z[i])), polygon: v, shape: shape)
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
    return TargetEcho(echoDb: level(image.beamformed), clutterDb: level(rest), imageDb: level(r.beamformed))
  }
}
