import FileFormats
import Foundation
import XCTest

/// `.npy` headers that NumPy itself would refuse, and output folders replaced as a whole.
final class HostileFileTests: XCTestCase {
  /// A version 1.0 `.npy` with `header` verbatim and `data` after it.
  func npy(_ header: String, data: Data = Data(count: 64)) -> Data {
    var h = Array(header.utf8)
    h += Array(repeating: 0x20, count: (64 - (10 + h.count + 1) % 64) % 64) + [0x0A]
    var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)])
    d.append(contentsOf: h)
    d.append(data)
    return d
  }

  func assertRefused(_ header: String, _ words: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try NumpyArray.decode(npy(header)), file: file, line: line) { e in
      XCTAssertTrue("\(e)".contains(words), "\(e)", file: file, line: line)
    }
  }

  func testHeadersNumpyWouldRefuseAreRefused() throws {
    assertRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (-5, 4), }", "dimension -5")
    assertRefused(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "shorter than the shape")
    assertRefused(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 4), }", "beyond 64-bit integers")
    assertRefused("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 4), }", "fortran_order True")
    assertRefused("{'descr': '<f8', 'fortran_order': 1, 'shape': (2, 4), }", "fortran_order")
    assertRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), 'order': 'F', }", "header key 'order'")
    assertRefused("{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", "twice")
    assertRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4) ", "expected '}'")
    assertRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2.0, 4), }", "not an integer")
    // What NumPy writes is read: spaces, a trailing comma, a one-dimensional and a zero-dimensional shape.
    XCTAssertEqual(try NumpyArray.decode(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }")).shape, [8])
    XCTAssertEqual(try NumpyArray.decode(npy("{'descr':'<f8','fortran_order':False,'shape':()}")).values.count, 1)
  }

  func folder(_ name: String) -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("staged-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d.appendingPathComponent(name)
  }

  func contents(_ url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
  }

  func testARerunReplacesTheFolderAsAWholeAndAFailureLeavesItIntact() throws {
    let out = folder("out")
    let parent = out.deletingLastPathComponent()
    let first = try StagedFolder.begin(out.path, overwrite: false) { _ in false }
    try first.write { try Data("1".utf8).write(to: $0.appendingPathComponent("labels.json")) }
    XCTAssertEqual(contents(out), ["labels.json"])
    // Not an earlier output: refused unless --overwrite.
    XCTAssertThrowsError(try StagedFolder.begin(out.path, overwrite: false) { _ in false }) { e in
      XCTAssertTrue("\(e)".contains("labels.json"), "\(e)")
    }
    // A failing run leaves the earlier one as it was, and no staging folder.
    let failing = try StagedFolder.begin(out.path, overwrite: true) { _ in false }
    XCTAssertThrowsError(
      try failing.write { dir in
        try Data("half".utf8).write(to: dir.appendingPathComponent("bmode.png"))
        throw FileWriteError("cannot write \(dir.path)/envelope.npy: No space left on device")
      }
    ) { e in XCTAssertEqual("\(e)", "cannot write \(out.path)/envelope.npy: No space left on device") }
    XCTAssertEqual(contents(out), ["labels.json"])
    XCTAssertEqual(contents(parent), ["out"])
    // A finished rerun replaces it: the earlier run's files are gone.
    let second = try StagedFolder.begin(out.path, overwrite: false) { _ in true }
    try second.write { try Data("2".utf8).write(to: $0.appendingPathComponent("bmode.png")) }
    XCTAssertEqual(contents(out), ["bmode.png"])
    XCTAssertEqual(contents(parent), ["out"])
  }

  func testLeftoversOfADeadProcessAreTidiedAndTheCurrentDirectoryIsRefused() throws {
    let out = folder("out")
    let parent = out.deletingLastPathComponent()
    // A process (PID 2^22 + 1 is above Linux's default pid_max) died between the two renames of a commit.
    let old = parent.appendingPathComponent(".out.old.4194305")
    try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
    try Data("earlier".utf8).write(to: old.appendingPathComponent("meta.json"))
    try FileManager.default.createDirectory(
      at: parent.appendingPathComponent(".out.staging.4194305"), withIntermediateDirectories: true)
    let staged = try StagedFolder.begin(out.path, overwrite: false) { _ in true }
    XCTAssertEqual(contents(out), ["meta.json"], "the lost earlier output is put back")
    staged.discard()
    XCTAssertEqual(contents(parent), ["out"])
    XCTAssertThrowsError(try StagedFolder.begin("", overwrite: true) { _ in true })
    let cwd = FileManager.default.currentDirectoryPath
    XCTAssertThrowsError(try StagedFolder.begin(cwd, overwrite: true) { _ in true }) { e in
      XCTAssertTrue("\(e)".contains("current directory"), "\(e)")
    }
  }
}
