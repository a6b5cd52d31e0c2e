import Acoustics
import Beamform
import Foundation
import Phantom
import TestSupport
import XCTest

/// The specular needle in a gel block (L11-5v, 0.5 dB/cm/MHz), its tip at 40 mm, coming in from the left:
/// visibility from coherent reflection, as measured on real scanners (`shared/reference/physics.md`).
final class NeedleVisibilityTests: XCTestCase {
  /// Needle contrast (dB, `shared/reference/metrics.md`) over the last 12 mm of shaft before the tip (the first
  /// 1 mm left out): inside within OD/2 + half the axial resolution of the centreline, outside a band 1–3 mm
  /// beyond it on both sides.
  func contrast(gauge: Int, angleDegrees: Double, steeringDegrees: Double = 0) -> Double {
    let (inside, outside) = measure(gauge: gauge, angleDegrees: angleDegrees, steeringDegrees: steeringDegrees)
    return 20 * log10(inside / outside)
  }

  /// Mean envelope inside the shaft mask and in the band around it; `speckle: false` images the needle alone.
  /// Receive f-number 1 with a rectangular window: at 40 mm the whole array listens, so what the shaft reflects
  /// onto the array is imaged.
  func measure(
    gauge: Int, angleDegrees: Double, steeringDegrees: Double = 0, elevationOffset: Double = 0, speckle: Bool = true
  ) -> (inside: Double, outside: Double) {
    let imaging = Imaging(
      medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0.5), fNumber: 1, window: .rectangular)
    let needle = Needle(
      gauge: gauge, tipX: 4e-3, tipZ: 40e-3, insertionAngleRadians: angleDegrees * .pi / 180,
      elevationOffsetMetres: elevationOffset)
    let field = Field(xMin: -16e-3, xMax: 16e-3, zMin: 26e-3, zMax: 46e-3)
    let gel = TissueMap(background: .gel)
    var s =
      speckle
      ? needle.displacing(
        gel.speckle(in: field, thicknessMetres: 2e-3, amplitudeUnit: Tissue.speckleAmplitudeUnit, seed: 11))
      : ScattererSet()
    let echoes = needle.echoes(wavelengthMetres: imaging.wavelength, surrounding: .gel)
    s.append(contentsOf: echoes, in: field)
    let seq = TransmitSequence.planeWaves(
      probe: imaging.probe, anglesRadians: [steeringDegrees * .pi / 180], soundSpeed: imaging.soundSpeed)
    let rf = imaging.channelData(s, sequence: seq, maximumDepthMetres: 48e-3)
    let x = stride(from: -14e-3, through: 14e-3, by: 0.1e-3).map { $0 }
    let z = stride(from: 28e-3, through: 44e-3, by: 0.05e-3).map { $0 }
    let e = imaging.envelope(rf, x: x, z: z)
    let a = needle.outerDiameterMetres / 2
    let axial = Diffraction.axialWidth(bandwidthHz: imaging.probe.centerFrequencyHz * imaging.probe.fractionalBandwidth, soundSpeed: 1540)
    let tip = SIMD2(needle.tipX, needle.tipZ)
    let back = SIMD2(needle.backward.x, needle.backward.z) / (needle.backward.x * needle.backward.x + needle.backward.z * needle.backward.z).squareRoot()
    var inside = (0.0, 0)
    var outside = (0.0, 0)
    for (r, zr) in z.enumerated() {
      for (c, xc) in x.enumerated() {
        let d = SIMD2(xc, zr) - tip
        let along = (d * back).sum()
        guard along >= 1e-3 && along <= 12e-3 else { continue }
        let across = abs(d.x * back.y - d.y * back.x)
        let v = Double(e[r * x.count + c])
        if across <= a + axial / 2 {
          inside = (inside.0 + v, inside.1 + 1)
        } else if across >= a + 1e-3 && across <= a + 3e-3 {
          outside = (outside.0 + v, outside.1 + 1)
        }
      }
    }
    return (inside.0 / Double(inside.1), outside.0 / Double(outside.1))
  }

  /// Test 2: contrast falls by at least 10 dB from 10° to 50° under an unsteered plane wave; steering the
  /// transmit toward the perpendicular of a 20° shaft recovers most of what it lost against 10°.
  func testSpecularFadeWithAngleAndSteeringRecovery() {
    let shallow = contrast(gauge: 22, angleDegrees: 10)
    let steep = contrast(gauge: 22, angleDegrees: 50)
    let twenty = contrast(gauge: 22, angleDegrees: 20)
    let steered = contrast(gauge: 22, angleDegrees: 20, steeringDegrees: -20)
    print("needle contrast dB: 10°", shallow, "50°", steep, "20°", twenty, "20° steered −20°", steered)
    XCTAssertGreaterThan(shallow - steep, 10)
    XCTAssertGreaterThan(steered - twenty, (shallow - twenty) / 2)
  }

  /// Test 5: moved out of the scan plane well beyond the elevation beam — twice its full two-way −6 dB width at the
  /// needle's depth (L11-5v: 5 mm element, lens focus 18 mm) — the needle's echo (imaged alone, mean envelope in
  /// its mask) loses at least 10 dB. (Its contrast against speckle cannot fall by more than its in-plane contrast.)
  func testOutOfPlaneNeedleFades() {
    let probe = Probe.l11_5v
    let lambda = probe.wavelength(soundSpeed: 1540)
    let beam = ElevationBeam(
      elementHeightMetres: probe.elementHeightMetres, elevationFocusMetres: probe.elevationFocusMetres,
      wavelengthMetres: lambda, maximumRangeMetres: 50e-3, maximumElevationMetres: 10e-3)
    let onAxis = beam.value(elevationMetres: 0, rangeMetres: 39e-3)
    var half = 0.0
    while half < 10e-3, beam.value(elevationMetres: Float(half), rangeMetres: 39e-3) > onAxis * Float(0.5).squareRoot() {
      half += 0.05e-3
    }
    let inPlane = measure(gauge: 22, angleDegrees: 10, speckle: false).inside
    let outOfPlane = measure(gauge: 22, angleDegrees: 10, elevationOffset: 4 * half, speckle: false).inside
    let loss = 20 * log10(inPlane / outOfPlane)
    print("elevation beam −6 dB two-way width at 39 mm", 2 * half, "needle echo loss 2 widths out (dB)", loss)
    XCTAssertGreaterThan(loss, 10)
  }

  /// Test 6: the comet tail. An 18G needle parallel to the probe, imaged alone: the shaft echo at the upper wall,
  /// then copies below it one lumen round trip apart, ID·c0/c_fluid = 0.838 mm × 1540/1523 = 0.847 mm (within 5 %;
  /// the first also crosses the wall, 0.216 mm × 1540/5790).
  func testReverberationSpacing() {
    let imaging = Imaging(medium: HomogeneousMedium(attenuationDbPerCmPerMHz: 0.5), fNumber: 1, window: .rectangular)
    let needle = Needle(gauge: 18, tipX: 10e-3, tipZ: 30e-3, insertionAngleRadians: 0)
    let echoes = needle.echoes(wavelengthMetres: imaging.wavelength, surrounding: .gel)
    var s = ScattererSet()
    s.append(contentsOf: echoes, in: Field(xMin: -12e-3, xMax: 12e-3, zMin: 0, zMax: 1))
    let seq = TransmitSequence.planeWaves(probe: imaging.probe, anglesRadians: [0], soundSpeed: imaging.soundSpeed)
    let rf = imaging.channelData(s, sequence: seq, maximumDepthMetres: 40e-3)
    let z = stride(from: 28e-3, through: 36e-3, by: 0.01e-3).map { $0 }
    let profile = imaging.envelope(rf, x: [0], z: z)
    // Maxima within ±0.3 mm and above 3 % of the shaft echo (the copies start near −18 dB), in depth order.
    let top = profile.max()!
    var peaks: [Double] = []
    for i in 30..<(profile.count - 30) where profile[i] > 0.03 * top {
      if profile[(i - 30)...(i + 30)].max()! == profile[i] { peaks.append(z[i]) }
    }
    print("comet peaks (mm, dB)", peaks.map { ($0 * 1e3, 20 * log10(profile[z.firstIndex(of: $0)!] / top)) })
    // From the shaft echo (the brightest) down: the first copy one wall and one lumen crossing later, then one
    // lumen round trip apart.
    let main = z[profile.firstIndex(of: top)!]
    XCTAssertEqual(main, needle.tipZ - needle.outerDiameterMetres / 2, accuracy: 0.05e-3)
    let below = peaks.filter { $0 > main + 0.1e-3 }
    let lumen = needle.innerDiameterMetres * 1540 / Tissue.csf.soundSpeedMetresPerSecond
    let wall = (needle.outerDiameterMetres - needle.innerDiameterMetres) / 2 * 1540 / Tissue.steel.soundSpeedMetresPerSecond
    XCTAssertGreaterThanOrEqual(below.count, 4)
    XCTAssertEqual(below[0] - main, wall + lumen, accuracy: 0.05 * lumen)
    for (deeper, shallower) in zip(below.dropFirst(), below).prefix(4) {
      XCTAssertEqual(deeper - shallower, lumen, accuracy: 0.05 * lumen)
    }
  }
}
