import Acoustics
import Acquisition
import Foundation
import Phantom
import XCTest

/// The batched paths of a medium with needles skip the needles whose shaft is out of reach of a point's ray fan, and
/// within it the elements outside the wedge of directions that can meet the shaft; they must give what each
/// element's own path gives (every needle's crossing computed), point by point, the shadowed ones included: points
/// anywhere, and points within 2 mm of a shaft (inside the wedge's rectangle, and at its edges), for a convex and a
/// linear array, with a shaft in the scan plane, one beside it and one tilted out of it.
final class NeedleShadowedMediumTests: XCTestCase {
  func testBatchedPathsAreEachElementsOwnPath() {
    for probe in [Probe.c5_2v, Probe.l11_5v] {
      checkBatchedPaths(probe: probe)
    }
  }

  func checkBatchedPaths(probe: Probe, file: StaticString = #filePath, line: UInt = #line) {
    let needles = [
      Needle(gauge: 18, tipX: -2e-3, tipZ: 40e-3, insertionAngleRadians: 25 * .pi / 180, tip: .tuohy),
      Needle(
        gauge: 25, tipX: 10e-3, tipZ: 25e-3, insertionAngleRadians: 0.2, side: .right, elevationOffsetMetres: 0.2e-3),
      Needle(gauge: 22, tipX: 5e-3, tipZ: 30e-3, insertionAngleRadians: 0.6, tiltRadians: 0.3),
    ]
    let medium = NeedleShadowedMedium(
      base: HomogeneousMedium(),
      crossings: needles.map { NeedleCrossing(needle: $0, surrounding: .softTissue, frequencyHz: 3.57e6) })
    let elements = probe.elements
    let n = elements.count
    let x = elements.map { Float($0.xMetres) }
    let z = elements.map { Float($0.zMetres) }
    var rng = RandomSource(seed: 5)
    var shadowed = 0
    for k in 0..<900 {
      let point: SIMD3<Float>
      if k % 3 == 0 {
        point = SIMD3<Float>(
          Float(rng.uniform() * 80e-3 - 40e-3), Float(rng.uniform() * 2e-3 - 1e-3),
          Float(rng.uniform() * 70e-3 + 1e-3))
      } else {
        // Near a shaft: a point on its axis, moved up to 2 mm.
        let needle = needles[k % needles.count]
        let along = needle.tipPoint + needle.backward * (rng.uniform() * 30e-3)
        let offset = SIMD3(rng.uniform() - 0.5, rng.uniform() - 0.5, rng.uniform() - 0.5) * 4e-3
        point = SIMD3<Float>(along + offset)
      }
      let lengths = (0..<n).map { e in
        let d = point - SIMD3(x[e], 0, z[e])
        return (d * d).sum().squareRoot()
      }
      var (t, a, tr) = (
        [Float](repeating: 0, count: n), [Float](repeating: 0, count: n), [Float](repeating: 0, count: n)
      )
      t.withUnsafeMutableBufferPointer { tp in
        a.withUnsafeMutableBufferPointer { ap in
          tr.withUnsafeMutableBufferPointer { rp in
            medium.paths(
              fromElementsX: x, z: z, to: point, lengths: lengths, count: n,
              into: PathBuffers(times: tp.baseAddress!, attenuations: ap.baseAddress!, transmissions: rp.baseAddress!))
          }
        }
      }
      for e in 0..<n {
        let own = medium.path(from: SIMD3(x[e], 0, z[e]), to: point, length: lengths[e])
        XCTAssertEqual(tr[e], own.transmission, "element \(e), point \(point)", file: file, line: line)
        XCTAssertEqual(t[e], own.travelTimeSeconds, file: file, line: line)
        if own.transmission < 0.5 { shadowed += 1 }
      }
    }
    XCTAssertGreaterThan(shadowed, 1000, "the points should include shadowed ones", file: file, line: line)
  }
}
