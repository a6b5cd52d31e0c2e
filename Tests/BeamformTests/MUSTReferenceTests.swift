import Acoustics
import Acquisition
import Beamform
import FileFormats
import Foundation
import Metrics
import TestSupport
import XCTest

/// Validation against MUST: the presets carry MUST's probe names, so their echoes must be MUST's.
///
/// PyMUST 0.1.9's SIMUS (Garcia, "SIMUS: an open-source simulator for medical ultrasound imaging. Part I",
/// Comput. Methods Programs Biomed. 218, 2022), run in the test venv by `Tests/Python/must_point_targets.py`, and
/// us-sim simulate the same points on the probe's axis: all elements firing at once with equal weights, one-cycle
/// excitation, MUST's probe response (``PulseModel/Response/must``), 1540 m/s, fs = 4·fc, 3-D propagation with the
/// elevation lens evaluated across the band
/// (``SimulationSettings/elevationDispersion``, which MUST does and the default synthesis does not yet: without it
/// the echo's centre frequency misses MUST's by up to 20 % in the near field and the level by up to 3 dB).
/// Both channel data sets go through the
/// same delay-and-sum (f-number 1.5, rectangular receive window), so what differs is the simulation alone. For every
/// point, 10–60 mm (sector probes to 100 mm), at 0 and 0.5 dB/cm/MHz:
/// - axial and lateral −6 dB widths (``Resolution``, PICMUS definition) within 5 % of MUST's;
/// - the echo's centre frequency (power-spectrum centroid of the centre element's gated echo) within 2 %;
/// - the echo level relative to the shallowest point (beamformed envelope peak) within 1 dB of MUST's.
///
/// **Known deviations.** Three points miss the tolerances, and are listed in ``knownDeviations`` so that the test
/// fails when they stop deviating (and the list must shrink) as well as when anything else does. They lie in the
/// near field of the elevation aperture (ρ ≪ H²/λ: P4-2v at 25 mm, where H²/λ is 350 mm; L11-5v at 10 mm and,
/// beyond its 18 mm lens focus, at 40 mm), where the strip's response across the band has Fresnel nulls that the
/// one-slope fit of ``ElevationBeam`` cannot follow. The exact per-pair sum (``RFSimulator/simulateReference``) gives
/// the same figures, and MUST's multi-Gaussian beam agrees with the exact Fresnel integral there (centroids within
/// 1.5 %), so the fit is what deviates: the cure is a response with more than one slope per path.
final class MUSTReferenceTests: XCTestCase {
  /// (probe, dB/cm/MHz, depth in mm, quantity) that deviate beyond the tolerance today; see the type's doc.
  static let knownDeviations: Set<String> = [
    "L11-5v 0.0 10 axial", "L11-5v 0.0 40 axial", "P4-2v 0.0 25 axial", "P4-2v 0.0 25 centroid",
    "P4-2v 0.5 25 axial", "P4-2v 0.5 25 centroid",
  ]

  struct Case {
    let probe: Probe
    let attenuationDbPerCmPerMHz: Double
    let depthsMetres: [Double]
  }

  static let linearDepths = [10e-3, 20e-3, 30e-3, 40e-3, 50e-3, 60e-3]
  static let sectorDepths = [10e-3, 25e-3, 40e-3, 55e-3, 70e-3, 85e-3, 100e-3]

  /// What one simulation shows of one point.
  struct PointEcho {
    var axialMetres: Double
    var lateralMetres: Double
    var peak: Double
    var centroidHz: Double
  }

  func testL11_5vMatchesMUST() throws {
    try compare(Case(probe: .l11_5v, attenuationDbPerCmPerMHz: 0, depthsMetres: Self.linearDepths))
    try compare(Case(probe: .l11_5v, attenuationDbPerCmPerMHz: 0.5, depthsMetres: Self.linearDepths))
  }

  func testC5_2vMatchesMUST() throws {
    try compare(Case(probe: .c5_2v, attenuationDbPerCmPerMHz: 0, depthsMetres: Self.sectorDepths))
    try compare(Case(probe: .c5_2v, attenuationDbPerCmPerMHz: 0.5, depthsMetres: Self.sectorDepths))
  }

  func testP4_2vMatchesMUST() throws {
    try compare(Case(probe: .p4_2v, attenuationDbPerCmPerMHz: 0, depthsMetres: Self.sectorDepths))
    try compare(Case(probe: .p4_2v, attenuationDbPerCmPerMHz: 0.5, depthsMetres: Self.sectorDepths))
  }

  /// All elements at once: a 0° plane wave from a flat array, a wave diverging from the arc's centre from a convex
  /// one (zero firing delays either way, as the script fires MUST's array).
  static func event(_ probe: Probe) -> TransmitEvent {
    let wavefront: Wavefront =
      probe.layout == .convex ? .diverging(xMetres: 0, zMetres: -probe.radiusMetres) : .plane(angleRadians: 0)
    return TransmitEvent(probe: probe, wavefront: wavefront, soundSpeed: 1540)
  }

  func compare(_ c: Case) throws {
    var imaging = Imaging(
      probe: c.probe, medium: HomogeneousMedium(attenuationDbPerCmPerMHz: c.attenuationDbPerCmPerMHz), cycles: 1,
      fNumber: 1.5, window: .rectangular)
    imaging.pulseResponse = .must
    imaging.elevationDispersion = true
    let event = Self.event(c.probe)
    XCTAssertEqual(event.maximumFiringDelaySeconds, 0, accuracy: 1e-12)
    let ours = imaging.channelData(
      Imaging.points(c.depthsMetres.map { (0, $0) }), sequence: [event], maximumDepthMetres: c.depthsMetres.last!)
    let must = try mustChannelData(c, event: event)
    XCTAssertEqual(must.samplingFrequencyHz, ours.samplingFrequencyHz, accuracy: 1e-3)

    let label = "\(c.probe.name), \(c.attenuationDbPerCmPerMHz) dB/cm/MHz"
    var firstOurs: PointEcho?
    var firstMUST: PointEcho?
    for z in c.depthsMetres {
      let o = measure(ours, depth: z, imaging: imaging)
      let m = measure(must, depth: z, imaging: imaging)
      firstOurs = firstOurs ?? o
      firstMUST = firstMUST ?? m
      let lossOurs = 20 * log10(o.peak / firstOurs!.peak)
      let lossMUST = 20 * log10(m.peak / firstMUST!.peak)
      print(
        String(
          format: "MUST %@ z %5.1f mm: axial %.3f / %.3f mm, lateral %.3f / %.3f mm, centroid %.3f / %.3f MHz, "
            + "level %6.2f / %6.2f dB (us-sim / MUST)", label, z * 1e3, o.axialMetres * 1e3, m.axialMetres * 1e3,
          o.lateralMetres * 1e3, m.lateralMetres * 1e3, o.centroidHz / 1e6, m.centroidHz / 1e6, lossOurs, lossMUST))
      let at = "\(label) at \(z * 1e3) mm"
      let key = "\(c.probe.name) \(c.attenuationDbPerCmPerMHz) \(Int((z * 1e3).rounded()))"
      func check(_ quantity: String, _ ours: Double, _ reference: Double, within tolerance: Double) {
        let inside = abs(ours - reference) <= tolerance
        if Self.knownDeviations.contains("\(key) \(quantity)") {
          XCTAssertFalse(inside, "\(quantity), \(at): now within tolerance; remove it from knownDeviations")
        } else {
          XCTAssertTrue(inside, "\(quantity), \(at): \(ours) against MUST's \(reference) ± \(tolerance)")
        }
      }
      check("axial", o.axialMetres, m.axialMetres, within: 0.05 * m.axialMetres)
      check("lateral", o.lateralMetres, m.lateralMetres, within: 0.05 * m.lateralMetres)
      check("centroid", o.centroidHz, m.centroidHz, within: 0.02 * m.centroidHz)
      check("level", lossOurs, lossMUST, within: 1)
    }
  }

  /// MUST's RF for the case's points, as channel data of one event on the same clock as ours (zero at the firing).
  func mustChannelData(_ c: Case, event: TransmitEvent) throws -> ChannelData {
    let dir = Programs.temporaryDirectory("us-sim-must")
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("rf.npy")
    let r = try Programs.runTestScript(
      "must_point_targets.py",
      [c.probe.name, "\(c.attenuationDbPerCmPerMHz)", file.path] + c.depthsMetres.map { "\($0 * 1e3)" })
    XCTAssertEqual(r.status, 0, r.output)
    let summary = Data(r.output.split(separator: "\n").last!.utf8)
    let info = try JSONSerialization.jsonObject(with: summary) as! [String: Any]
    let (values, shape) = try NumpyArray.decode(try Data(contentsOf: file))
    XCTAssertEqual(shape.first, c.probe.elementCount)
    return ChannelData(
      probe: c.probe, sequence: [event], samplingFrequencyHz: info["fs_hz"] as! Double, startTimeSeconds: 0,
      sampleCount: shape[1], soundSpeedMetresPerSecond: 1540, data: values.map { Float($0) })
  }

  /// Widths and peak of the beamformed point at (0, z), and the centroid of the centre element's echo.
  func measure(_ rf: ChannelData, depth z: Double, imaging: Imaging) -> PointEcho {
    let probe = rf.probe
    // The lateral patch covers the widest main lobe: λz over the smaller of the receive aperture z/F and the array.
    let span = min(z / imaging.fNumber, Double(probe.elementCount) * probe.pitchMetres)
    let half = max(1.8e-3, 2 * imaging.wavelength * z / span)
    let xs = ImageGrid.axis(from: -half, to: half, step: half / 90)
    let zs = ImageGrid.axis(from: z - 1.8e-3, to: z + 1.8e-3, step: 0.02e-3)
    let patch = ImagePatch(values: imaging.envelope(rf, x: xs, z: zs), x: xs, z: zs)
    let axial = Resolution.fullWidthHalfMaximum(patch.axialProfile, spacing: 0.02e-3) ?? .nan
    let lateral = Resolution.fullWidthHalfMaximum(patch.lateralProfile, spacing: half / 90) ?? .nan
    let p = patch.peak
    return PointEcho(
      axialMetres: axial, lateralMetres: lateral, peak: Double(patch.values[p.row * xs.count + p.column]),
      centroidHz: centroid(rf, depth: z))
  }

  /// Power-spectrum centroid of the centre element's trace in a gate around the echo of the point at (0, z), which
  /// arrives at 2z/c (both the plane and the diverging wave reach the axis at z/c, and the centre element sits at
  /// the origin). The gate is ±(3 periods + 3/(B·fc)), long enough for the whole pulse and short of the next point.
  func centroid(_ rf: ChannelData, depth z: Double) -> Double {
    let p = rf.probe
    let trace = rf.trace(event: 0, element: p.elementCount / 2)
    let fs = rf.samplingFrequencyHz
    let centre = 2 * z / 1540 * fs
    let halfGate = (3 / p.centerFrequencyHz + 3 / (p.fractionalBandwidth * p.centerFrequencyHz)) * fs
    let lo = max(0, Int(centre - halfGate))
    let hi = min(trace.count - 1, Int(centre + halfGate))
    let gate = trace[lo...hi].map(Double.init)
    let n = 4096
    var num = 0.0
    var den = 0.0
    for k in 1..<(n / 2) {
      let w = 2 * Double.pi * Double(k) / Double(n)
      var re = 0.0
      var im = 0.0
      for (i, v) in gate.enumerated() {
        re += v * cos(w * Double(i))
        im -= v * sin(w * Double(i))
      }
      let power = re * re + im * im
      num += Double(k) / Double(n) * fs * power
      den += power
    }
    return num / den
  }
}
