import Foundation
import TestSupport
import XCTest

/// Hostile input never crashes `us-sim`, never leaves partial or stale output and never yields a silent NaN image.
///
/// `Tests/Python/hostile_inputs.py` (in the test venv, for h5py) runs every defect of the hostile-input issue as a
/// named regression case (scatterer `.npy` files with huge coordinates or shapes, amplitudes that overflow float32,
/// 256 regions, a 7.6·10⁹-pixel sector image, UFF files with NaN, huge or sparse fields, output folders that are
/// empty, the current directory, foreign or reused, a full disk when a 1 MiB tmpfs can be mounted) and then a seeded
/// fuzz run of mutated scenario files, `.npy` files and UFF files. Each case must succeed with finite arrays or be
/// refused with an error naming its field, file or HDF5 path, leaving nothing of the run and an earlier output intact.
/// A failure prints the seed and case number, which reproduce it:
/// `hostile_inputs.py .build/release/us-sim /tmp/h --seed 20261204 --fuzz 300 --keep`.
final class HostileInputTests: XCTestCase {
  func testRegressionsAndSeededFuzz() throws {
    try XCTSkipUnless(
      FileManager.default.isExecutableFile(atPath: Programs.usSim.path), "us-sim not built next to the tests")
    let work = Programs.temporaryDirectory("us-sim-hostile")
    defer { try? FileManager.default.removeItem(at: work) }
    let r = try Programs.runTestScript(
      "hostile_inputs.py", [Programs.usSim.path, work.path, "--seed", "20261204", "--fuzz", "300"])
    print(r.output)
    XCTAssertEqual(
      r.status, 0,
      "hostile inputs failed:\n"
        + r.output.split(separator: "\n").filter { $0.hasPrefix("FAILED") }.joined(separator: "\n"))
    XCTAssertTrue(r.output.contains("seed 20261204: "), r.output)
  }
}
