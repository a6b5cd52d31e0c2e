import Acoustics
import ConfigReading
import Phantom
import Scenario
import XCTest

/// The receiver noise floor (`acquisition.noise_floor_db`) and the automatic time-gain curve (`tgc_db_per_cm: auto`).
final class ReceiverNoiseTests: XCTestCase {
  let image = "image: {x_mm: [-5, 5], z_mm: [5, 30], pixel_mm: 0.2}\n"

  /// The noise added is the same whatever the scene holds (one point, or a bright block of speckle), and its RMS is
  /// the mirror reference times 10^(floor/20); the relative SNR of the same scenes scales with their content.
  func testNoiseFloorDoesNotDependOnTheScene() throws {
    let base = "probe: L11-5v\nmedium: {attenuation_db_cm_mhz: 0}\n" + image + "physics: {calibration: physical}\n"
    let one = "scatterers: {points: [{x_mm: 0, z_mm: 20, amplitude: 1e-5}]}\n"
    let many =
      "scatterers: {regions: [{shape: rectangle, x_mm: [-5, 5], z_mm: [10, 25], density_per_mm2: 5, "
      + "echogenicity_db: 20, thickness_mm: 4}]}\n"
    func noise(_ yaml: String) throws -> (noise: [Float], reference: Double) {
      let s = try Scenario.parse(yaml: yaml)
      let pipeline = SimulationPipeline(scenario: s, threads: 2)
      let noisy = pipeline.beamformed(scatterers: s.allScatterers(), medium: nil, noise: true).channelData.data
      let clean = pipeline.beamformed(scatterers: s.allScatterers(), medium: nil, noise: false).channelData.data
      return (zip(noisy, clean).map { $0 - $1 }, s.noiseReferenceAmplitude(threads: 2))
    }
    let floor = "acquisition: {noise_floor_db: -50, tgc_db_per_cm: off}\n"
    let a = try noise(base + one + floor)
    let b = try noise(base + many + floor)
    XCTAssertEqual(a.reference, b.reference)
    XCTAssertGreaterThan(a.reference, 0)
    let rms = (a.noise.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(a.noise.count)).squareRoot()
    XCTAssertEqual(rms / (a.reference * pow(10, -50.0 / 20)), 1, accuracy: 0.02)
    // Subtracting the clean record leaves the noise up to the rounding of the sum: the same in both scenes.
    let difference = zip(a.noise, b.noise).map { abs(Double($0) - Double($1)) }.max() ?? 0
    XCTAssertLessThan(difference, 1e-3 * rms)
    let relative = "acquisition: {noise_snr_db: 20, tgc_db_per_cm: off}\n"
    let ra = try noise(base + one + relative)
    let rb = try noise(base + many + relative)
    func rmsOf(_ x: [Float]) -> Double {
      (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
    }
    XCTAssertGreaterThan(rmsOf(rb.noise), 3 * rmsOf(ra.noise), "the relative SNR follows the frame's RMS")
  }

  func testNoiseSettingsAreCheckedByName() {
    for yaml in [
      "acquisition: {noise_snr_db: 30, noise_floor_db: -80}\n", "acquisition: {noise_floor_db: 10}\n",
      "acquisition: {noise_floor_db: loud}\n",
    ] {
      XCTAssertThrowsError(try Scenario.parse(yaml: yaml)) { e in
        XCTAssertEqual((e as? ScenarioError)?.field, "acquisition.noise_floor_db", "\(e)")
      }
    }
  }

  /// `tgc_db_per_cm: auto` over an anatomy: the gain's slope is 2·fc·α of the tissue at each depth on the probe's
  /// axis, and under bone it keeps the slope of the tissue above the bone.
  func testAutomaticGainFollowsTheTissuesOnTheAxis() throws {
    let s = try Scenario.parse(
      yaml: "probe: C5-2v\nphantom: {preset: lumbar-transverse-facet}\n"
        + "image: {x_mm: [-20, 20], z_mm: [5, 70], pixel_mm: 0.5}\nacquisition: {tgc_db_per_cm: auto}\n")
    XCTAssertTrue(s.acquisition.tgcFollowsTissues)
    let map = try XCTUnwrap(s.builtAnatomy()).map
    let gain = s.automaticGainCurve(maximumDepthMetres: 80e-3)
    let fc = s.probe.centerFrequencyHz
    var soft = 0
    var underBone = 0
    var above: Tissue?
    for k in 1..<150 {
      let z = Double(k) * 0.5e-3
      let t = map.tissue(x: 0, z: z)
      let slope = (gain(z + 0.05e-3) - gain(z - 0.05e-3)) / 0.1e-3
      let uniform = map.tissue(x: 0, z: z - 0.1e-3) == t && map.tissue(x: 0, z: z + 0.1e-3) == t
      if !uniform { continue }
      if t.soundSpeedMetresPerSecond < 2500 {
        XCTAssertEqual(
          slope, 2 * fc / 1e6 * t.attenuationDbPerCmPerMHzLinear(at: fc) * 100, accuracy: 1e-6 * slope + 1e-9, "z \(z)")
        above = t
        soft += 1
      } else if let above {
        XCTAssertEqual(
          slope, 2 * fc / 1e6 * above.attenuationDbPerCmPerMHzLinear(at: fc) * 100, accuracy: 1e-3 * slope,
          "bone at z \(z)")
        underBone += 1
      }
    }
    XCTAssertGreaterThan(soft, 20)
    XCTAssertGreaterThan(underBone, 0, "the axis should cross bone in this view")
  }
}
