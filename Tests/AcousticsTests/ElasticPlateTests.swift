import Acoustics
import Foundation
import Phantom
import XCTest

/// The elastic plate's coefficients against results that do not share its code: the closed-form fluid layer at
/// normal incidence (Kinsler et al.) and, for a plate without shear stiffness, at oblique incidence; energy
/// conservation at every angle; a vanishing plate passes everything.
final class ElasticPlateTests: XCTestCase {
  let tissue = Tissue.softTissue

  func transmission(_ p: ElasticPlate, degrees: Double, megahertz: Double) -> (r: ComplexNumber, t: ComplexNumber) {
    let c = p.coefficients(
      fluidDensity: tissue.densityKgPerCubicMetre, fluidSpeed: tissue.soundSpeedMetresPerSecond,
      incidenceRadians: degrees * .pi / 180, frequencyHz: megahertz * 1e6)
    return (c.reflection, c.transmission)
  }

  /// |T|² of a fluid layer of impedance ratio m and phase thickness φ = k·d·cos θ_layer:
  /// 4 / (4 cos² φ + (m + 1/m)² sin² φ).
  func fluidLayerPower(m: Double, phase: Double) -> Double {
    4 / (4 * cos(phase) * cos(phase) + (m + 1 / m) * (m + 1 / m) * sin(phase) * sin(phase))
  }

  func testNormalIncidenceIsTheFluidLayer() {
    for thickness in [0.1e-3, 0.2e-3, 0.3e-3] {
      let plate = ElasticPlate.steel(thicknessMetres: thickness)
      for f in stride(from: 1.0, through: 15, by: 0.5) {
        let m = plate.densityKgPerCubicMetre * plate.longitudinalSpeedMetresPerSecond / tissue.impedanceRayl
        let phase = 2 * .pi * f * 1e6 * thickness / plate.longitudinalSpeedMetresPerSecond
        let expected = fluidLayerPower(m: m, phase: phase)
        let t = transmission(plate, degrees: 0, megahertz: f).t
        XCTAssertEqual(t.squaredMagnitude, expected, accuracy: expected * 1e-9, "d \(thickness) m, \(f) MHz")
      }
    }
    // A needle wall, 0.2 mm of steel in soft tissue (1.54 MRayl) at 7.6 MHz, passes −23.5 dB one way.
    let wall = transmission(.steel(thicknessMetres: 0.2e-3), degrees: 0, megahertz: 7.6).t
    XCTAssertEqual(20 * log10(wall.magnitude), -23.5, accuracy: 0.1)
  }

  func testEnergyIsConservedAtEveryAngle() {
    let plate = ElasticPlate.steel(thicknessMetres: 0.2e-3)
    for degrees in stride(from: 0.0, through: 85, by: 2.5) {
      for f in [2.0, 3.57, 5, 7.6, 12] {
        let (r, t) = transmission(plate, degrees: degrees, megahertz: f)
        XCTAssertEqual(r.squaredMagnitude + t.squaredMagnitude, 1, accuracy: 1e-9, "\(degrees)°, \(f) MHz")
      }
    }
  }

  /// Without shear stiffness the plate is a fluid layer at every angle below the longitudinal critical angle, with
  /// impedances Z/cos θ on each side and Snell's law inside (sin θ_L = (c_L/c_f) sin θ).
  func testAPlateWithoutShearIsAFluidLayerAtObliqueIncidence() {
    var plate = ElasticPlate.steel(thicknessMetres: 0.25e-3)
    plate.shearSpeedMetresPerSecond = 1
    let critical = asin(tissue.soundSpeedMetresPerSecond / plate.longitudinalSpeedMetresPerSecond) * 180 / .pi
    for degrees in stride(from: 0.0, to: critical - 0.5, by: 1) {
      for f in [3.0, 7.6, 10] {
        let theta = degrees * .pi / 180
        let sinL = plate.longitudinalSpeedMetresPerSecond / tissue.soundSpeedMetresPerSecond * sin(theta)
        let cosL = (1 - sinL * sinL).squareRoot()
        let m =
          (plate.densityKgPerCubicMetre * plate.longitudinalSpeedMetresPerSecond / cosL)
          / (tissue.impedanceRayl / cos(theta))
        let phase = 2 * .pi * f * 1e6 / plate.longitudinalSpeedMetresPerSecond * plate.thicknessMetres * cosL
        let expected = fluidLayerPower(m: m, phase: phase)
        let t = transmission(plate, degrees: degrees, megahertz: f).t
        XCTAssertEqual(t.squaredMagnitude, expected, accuracy: expected * 1e-4, "\(degrees)°, \(f) MHz")
      }
    }
  }

  func testAVanishingPlatePassesEverything() {
    let plate = ElasticPlate.steel(thicknessMetres: 1e-9)
    for degrees in stride(from: 0.0, through: 80, by: 5) {
      XCTAssertEqual(
        transmission(plate, degrees: degrees, megahertz: 7.6).t.magnitude, 1, accuracy: 1e-4, "\(degrees)°")
    }
  }
}
