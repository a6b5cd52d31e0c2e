import Acoustics
import Acquisition
import Foundation
import Phantom
import XCTest

/// Paths through a ``TissueMedium`` against their sums done by hand.
final class TissueMediumTests: XCTestCase {
  /// Soft tissue with a bone layer 10–14 mm deep across the whole width.
  func layered(speeds: Bool, atIncidence: Bool = false) -> TissueMedium {
    var map = TissueMap(background: .softTissue)
    map.add(.rectangle(xMin: -1, xMax: 1, zMin: 10e-3, zMax: 14e-3), .corticalBone)
    return TissueMedium(
      map: map, field: Field(xMin: -20e-3, xMax: 20e-3, zMin: -1e-3, zMax: 30e-3), centreFrequencyHz: 5e6,
      speedsAlongPaths: speeds, cellMetres: 0.05e-3, interfacesAtIncidence: atIncidence)
  }

  func testVerticalPathThroughBone() {
    let r = layered(speeds: true).path(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 20e-3), length: 20e-3)
    let bone = Tissue.corticalBone
    let soft = Tissue.softTissue
    // 16 mm of soft tissue and 4 mm of bone; one interface in, one out.
    XCTAssertEqual(Double(r.attenuationDbAt1MHz), 0.5 * 1.6 + 10 * 0.4, accuracy: 0.01)
    XCTAssertEqual(Double(r.travelTimeSeconds), 16e-3 / 1540 + 4e-3 / 3200, accuracy: 2e-9)
    let rr = soft.reflection(into: bone)
    XCTAssertEqual(Double(r.transmission), 1 - rr * rr, accuracy: 1e-4)
  }

  /// Out of the scan plane, every tissue's length scales by r/ρ; without the speed switch the time is r/c0.
  func testElevationScalesLengthsAndFixedSpeed() {
    let rho = 20e-3
    let y = 5e-3
    let len = (rho * rho + y * y).squareRoot()
    let r = layered(speeds: false).path(from: SIMD3(0, 0, 0), to: SIMD3(0, Float(y), Float(rho)), length: Float(len))
    XCTAssertEqual(Double(r.attenuationDbAt1MHz), (0.5 * 1.6 + 10 * 0.4) * len / rho, accuracy: 0.01)
    XCTAssertEqual(Double(r.travelTimeSeconds), len / 1540, accuracy: 1e-10)
  }

  /// Paths are reciprocal: the same both ways (interfaces at normal incidence and at the path's own).
  func testReciprocity() {
    for m in [layered(speeds: true), layered(speeds: true, atIncidence: true)] {
      let a = SIMD3<Float>(-3e-3, 0, 0)
      let b = SIMD3<Float>(6e-3, 0, 25e-3)
      let l = Float(hypot(9e-3, 25e-3))
      let ab = m.path(from: a, to: b, length: l)
      let ba = m.path(from: b, to: a, length: l)
      XCTAssertEqual(ab.attenuationDbAt1MHz, ba.attenuationDbAt1MHz, accuracy: 1e-3)
      XCTAssertEqual(ab.transmission, ba.transmission, accuracy: 1e-6)
      XCTAssertEqual(ab.travelTimeSeconds, ba.travelTimeSeconds, accuracy: 1e-10)
    }
  }

  /// A bone plate (4 mm, 20 mm wide) tilted by φ in soft tissue, crossed by a vertical path: the one-way factor
  /// through both faces is the energy transmission 1 − R(φ)² of the acoustic Fresnel coefficient of two fluids
  /// (Kinsler et al., §6.3), computed here in double precision, within 0.5 dB at 0°, 15° and 25°; past the critical
  /// angle arcsin(1540/3200) ≈ 28.8° (at 35°) nothing is transmitted. The same both ways along the path.
  func testTiltedInterfaceTransmitsAsFresnelSays() {
    let soft = Tissue.softTissue
    let bone = Tissue.corticalBone
    func fresnelEnergy(_ phi: Double) -> Double {
      let (c1, c2) = (soft.soundSpeedMetresPerSecond, bone.soundSpeedMetresPerSecond)
      let (z1, z2) = (soft.impedanceRayl, bone.impedanceRayl)
      let sin2 = c2 / c1 * sin(phi)
      if sin2 >= 1 { return 0 }
      let cos2 = (1 - sin2 * sin2).squareRoot()
      let r = (z2 * cos(phi) - z1 * cos2) / (z2 * cos(phi) + z1 * cos2)
      return 1 - r * r
    }
    for degrees in [0.0, 15, 25, 35] {
      let phi = degrees * Double.pi / 180
      // The plate's corners, rotated by φ about (0, 15 mm).
      let corners = [(-10e-3, -2e-3), (10e-3, -2e-3), (10e-3, 2e-3), (-10e-3, 2e-3)].map { (u, v) in
        SIMD2(u * cos(phi) - v * sin(phi), 15e-3 + u * sin(phi) + v * cos(phi))
      }
      var map = TissueMap(background: soft)
      map.add(.polygon(corners), bone)
      let medium = TissueMedium(
        map: map, field: Field(xMin: -20e-3, xMax: 20e-3, zMin: -1e-3, zMax: 30e-3), centreFrequencyHz: 5e6,
        cellMetres: 0.05e-3, interfacesAtIncidence: true)
      let down = medium.path(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 30e-3), length: 30e-3)
      let up = medium.path(from: SIMD3(0, 0, 30e-3), to: SIMD3(0, 0, 0), length: 30e-3)
      let expected = fresnelEnergy(phi)
      print("tilted bone plate \(degrees)°: transmission \(down.transmission), Fresnel \(expected)")
      XCTAssertEqual(down.transmission, up.transmission, accuracy: 1e-6)
      if expected == 0 {
        XCTAssertEqual(down.transmission, 0, "\(degrees)° is past the critical angle")
      } else {
        XCTAssertEqual(20 * log10(Double(down.transmission) / expected), 0, accuracy: 0.5, "\(degrees)°")
      }
    }
  }

  /// Normal-incidence pressure reflections against docs/physics.md.
  func testReflectionCoefficients() {
    XCTAssertEqual(Tissue.muscle.reflection(into: .corticalBone), 0.585, accuracy: 0.02)  // 0.57–0.60
    XCTAssertEqual(Tissue.softTissue.reflection(into: .steel), 0.93, accuracy: 0.01)  // ≈ 0.93
    XCTAssertEqual(Tissue.fat.reflection(into: .muscle), 0.10, accuracy: 0.01)  // ≈ 0.10
  }

  /// The tabulated paths (anchors every ~3 mm, rays every 0.16° in sin θ, 0.5 mm in range) against the exact march,
  /// for L11-5v and points at least 1 mm from the bone layer's faces: attenuation within 2 %, transmission within
  /// 1 %, travel time within 10 ns; with interfaces at normal incidence and at the path's own (where the
  /// transmission changes fastest across the array: to 29° and then nothing).
  func testTabulatedPathsMatchTheMarch() {
    for atIncidence in [false, true] { checkTabulatedPaths(layered(speeds: true, atIncidence: atIncidence)) }
  }

  /// The medium tabulated for L11-5v, and a function giving its paths from every element to a point: lengths (3-D),
  /// attenuations, transmissions and times.
  func tabulatedForL11(_ exact: TissueMedium) -> (
    elementsX: [Float], elementsZ: [Float],
    paths: (SIMD3<Float>) -> (lengths: [Float], attenuations: [Float], transmissions: [Float], times: [Float])
  ) {
    let probe = Probe.l11_5v
    let xs = probe.elements.map(\.xMetres)
    let zs = probe.elements.map(\.zMetres)
    let fast = exact.tabulated(forElementsX: xs, z: zs, maximumRangeMetres: 40e-3, threads: 2)
    let n = probe.elementCount
    let ex = xs.map(Float.init)
    let ez = zs.map(Float.init)
    return (
      ex, ez,
      { point in
        let lengths = (0..<n).map { e in
          ((point.x - ex[e]) * (point.x - ex[e]) + point.y * point.y + (point.z - ez[e]) * (point.z - ez[e]))
            .squareRoot()
        }
        var t = [Float](repeating: 0, count: n)
        var a = [Float](repeating: 0, count: n)
        var tr = [Float](repeating: 0, count: n)
        t.withUnsafeMutableBufferPointer { tb in
          a.withUnsafeMutableBufferPointer { ab in
            tr.withUnsafeMutableBufferPointer { trb in
              fast.paths(
                fromElementsX: ex, z: ez, to: point, lengths: lengths, count: n,
                into: PathBuffers(
                  times: tb.baseAddress!, attenuations: ab.baseAddress!, transmissions: trb.baseAddress!))
            }
          }
        }
        return (lengths, a, tr, t)
      }
    )
  }

  func checkTabulatedPaths(_ exact: TissueMedium) {
    let (ex, ez, paths) = tabulatedForL11(exact)
    for point in [SIMD3<Float>(0, 0, 8e-3), SIMD3(5e-3, 0, 16e-3), SIMD3(-12e-3, 1e-3, 25e-3)] {
      let (lengths, a, tr, t) = paths(point)
      for e in stride(from: 0, to: ex.count, by: 7) {
        let p = exact.path(from: SIMD3(ex[e], 0, ez[e]), to: point, length: lengths[e])
        XCTAssertEqual(a[e], p.attenuationDbAt1MHz, accuracy: 0.02 * p.attenuationDbAt1MHz + 1e-3)
        XCTAssertEqual(tr[e], p.transmission, accuracy: 0.01)
        XCTAssertEqual(t[e], p.travelTimeSeconds, accuracy: 1e-8)
      }
    }
  }

  /// Near the faces of the bone layer (10 and 14 mm), 0.1 mm either side, under an anchor element and between
  /// anchors (so the anchors' 0.5 mm range samples straddle the point at every offset): the tabulated paths carry
  /// the bone's loss only beyond the face, as the exact march and the hand sums say.
  /// Just above the top face: soft tissue's attenuation alone and no crossing; just below it: one crossing and
  /// 0.1 mm of bone (its loss at 7.6 MHz would be 0.8 dB one way, 1.5 dB two way, if it leaked onto the surface);
  /// just above and below the bottom face likewise. Every element against the march within the tables' accuracy
  /// (attenuation 2 %, plus 0.025 dB at 1 MHz because both walk the ray in half cells and so place a face to within
  /// 0.025 mm, which in bone is 0.025 dB; transmission 1 %; 10 ns). A leak would be up to 0.5 dB at 1 MHz and 20 %.
  /// The element over the point against the hand sums within 0.02 dB at 1 MHz and 1 %.
  func testNoLossLeaksAcrossAFace() {
    let exact = layered(speeds: true)
    let (ex, ez, paths) = tabulatedForL11(exact)
    let bone = Tissue.corticalBone
    let soft = Tissue.softTissue
    let crossing = (1 - soft.reflection(into: bone) * soft.reflection(into: bone)).squareRoot()
    // (depth, expected attenuation and transmission straight down from an element above the point)
    let alphaSoft = 0.5 * 100.0  // dB at 1 MHz per metre
    let alphaBone = 10 * 100.0
    let cases: [(Double, Double, Double)] = [
      (10e-3 - 0.1e-3, alphaSoft * 9.9e-3, 1),
      (10e-3 + 0.1e-3, alphaSoft * 10e-3 + alphaBone * 0.1e-3, crossing),
      (14e-3 - 0.1e-3, alphaSoft * 10e-3 + alphaBone * 3.9e-3, crossing),
      (14e-3 + 0.1e-3, alphaSoft * 10.1e-3 + alphaBone * 4e-3, crossing * crossing),
    ]
    for (depth, attenuation, transmission) in cases {
      // Under an anchor element (every 10th here: its vertical ray's samples straddle the point) and between anchors.
      for x in [ex[60], Float(0), Float(0.23e-3), Float(1.7e-3)] {
        let point = SIMD3<Float>(x, 0, Float(depth))
        let (lengths, a, tr, t) = paths(point)
        for e in stride(from: 0, to: ex.count, by: 9) {
          let p = exact.path(from: SIMD3(ex[e], 0, ez[e]), to: point, length: lengths[e])
          let at = "element \(e), point (\(x * 1e3), \(depth * 1e3)) mm"
          XCTAssertEqual(a[e], p.attenuationDbAt1MHz, accuracy: 0.02 * p.attenuationDbAt1MHz + 0.025, at)
          XCTAssertEqual(tr[e], p.transmission, accuracy: 0.01, at)
          XCTAssertEqual(t[e], p.travelTimeSeconds, accuracy: 1e-8, at)
        }
        // The element straight above the point, against the hand sums (its path is vertical: lengths are depths).
        let above = ex.indices.min { abs(ex[$0] - x) < abs(ex[$1] - x) }!
        let scale = Double(lengths[above]) / depth
        XCTAssertEqual(Double(a[above]), attenuation * scale, accuracy: 0.02, "hand sum at \(depth * 1e3) mm")
        XCTAssertEqual(Double(tr[above]), transmission, accuracy: 0.01, "hand sum at \(depth * 1e3) mm")
      }
    }
  }

  /// A map of one tissue has no interfaces: its paths (single and batched, with and without the tissue's own speed)
  /// are those of a homogeneous medium with that tissue's attenuation at fc (y = 1) and transmission 1.
  func testOneTissueMapIsHomogeneous() {
    var gel = Tissue.softTissue
    gel.soundSpeedMetresPerSecond = 1480
    for speeds in [false, true] {
      let m = TissueMedium(
        map: TissueMap(background: gel), field: Field(xMin: -20e-3, xMax: 20e-3, zMin: -1e-3, zMax: 30e-3),
        centreFrequencyHz: 5e6, speedsAlongPaths: speeds
      ).tabulated(forElementsX: [-5e-3, 5e-3], z: [0, 0], maximumRangeMetres: 40e-3, threads: 1)
      let c = speeds ? 1480 : 1540.0
      let alpha = gel.attenuationDbPerCmPerMHzLinear(at: 5e6)
      let point = SIMD3<Float>(3e-3, 1e-3, 22e-3)
      var lengths: [Float] = [-5e-3, 5e-3].map { x in
        ((point.x - x) * (point.x - x) + point.y * point.y + point.z * point.z).squareRoot()
      }
      var times = [Float](repeating: 0, count: 2)
      var att = [Float](repeating: 0, count: 2)
      var trans = [Float](repeating: 0, count: 2)
      let xs: [Float] = [-5e-3, 5e-3]
      let zs: [Float] = [0, 0]
      times.withUnsafeMutableBufferPointer { t in
        att.withUnsafeMutableBufferPointer { a in
          trans.withUnsafeMutableBufferPointer { tr in
            m.paths(
              fromElementsX: xs, z: zs, to: point, lengths: &lengths, count: 2,
              into: PathBuffers(times: t.baseAddress!, attenuations: a.baseAddress!, transmissions: tr.baseAddress!))
          }
        }
      }
      for e in 0..<2 {
        let single = m.path(from: SIMD3(xs[e], 0, 0), to: point, length: lengths[e])
        let r = Double(lengths[e])
        XCTAssertEqual(Double(times[e]), r / c, accuracy: 1e-12 + 1e-6 * r / c)
        XCTAssertEqual(Double(att[e]), alpha * r * 100, accuracy: 1e-5 * alpha * r * 100)
        XCTAssertEqual(trans[e], 1)
        XCTAssertEqual(single.travelTimeSeconds, times[e])
        XCTAssertEqual(single.attenuationDbAt1MHz, att[e])
        XCTAssertEqual(single.transmission, 1)
      }
    }
  }
}
