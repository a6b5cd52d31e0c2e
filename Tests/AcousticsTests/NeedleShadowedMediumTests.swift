import Acoustics
import Acquisition
import Foundation
import Phantom
import XCTest

/// The batched paths of a medium with needles skip the needles whose shaft is out of reach of a point's ray fan; they
/// must give what each element's own path gives, point by point, the shadowed ones included.
final class NeedleShadowedMediumTests: XCTestCase {
  func testBatchedPathsAreEachElementsOwnPath() {
    let probe = Probe.c5_2v
    let needles = [
      Needle(gauge: 18, tipX: -2e-3, tipZ: 40e-3, insertionAngleRadians: 25 * .pi / 180, tip: .tuohy),
      Needle(
        gauge: 25, tipX: 10e-3, tipZ: 25e-3, insertionAngleRadians: 0.2, side: .right, elevationOffsetMetres: 0.2e-3),
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
    for _ in 0..<400 {
      let point = SIMD3<Float>(
        Float(rng.uniform() * 80e-3 - 40e-3), Float(rng.uniform() * 2e-3 - 1e-3), Float(rng.uniform() * 70e-3 + 1e-3))
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
        XCTAssertEqual(tr[e], own.transmission, "element \(e), point \(point)")
        XCTAssertEqual(t[e], own.travelTimeSeconds)
        if own.transmission < 0.5 { shadowed += 1 }
      }
    }
    XCTAssertGreaterThan(shadowed, 100, "the points should include shadowed ones")
  }
}
