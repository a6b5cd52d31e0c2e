import Foundation
import Interchange
import XCTest

/// The HDF5 layer: what is written is read back with its shape, type conversions and attributes; failures name the
/// file and the path.
final class HDF5FileTests: XCTestCase {
  func testDatasetsAndAttributesRoundTrip() throws {
    let url = Support.temporaryDirectory().appendingPathComponent("t.h5")
    let f = try HDF5File.create(url)
    try f.createGroup("/g")
    try f.write("/g/floats", floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
    try f.write("/g/doubles", doubles: [0.1, .infinity], shape: [1, 2])
    try f.write("/g/ints", int32s: [-7, 9], shape: [2])
    try f.write("/g/text", uint16s: Array("hi".utf16), shape: [2, 1])
    try f.setAttribute("class", string: "uff.thing", at: "/g")
    try f.setAttribute("size", int32s: [1, 4], at: "/g")
    f.close()

    let r = try HDF5File.open(url)
    XCTAssertEqual(r.kind("/g"), .group)
    XCTAssertEqual(r.kind("/g/floats"), .dataset)
    XCTAssertNil(r.kind("/g/none"))
    XCTAssertNil(r.kind("/nothing/below"))
    XCTAssertEqual(try r.children("/g"), ["doubles", "floats", "ints", "text"])
    let floats = try r.readFloats("/g/floats")
    XCTAssertEqual(floats.values, [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(floats.shape, [2, 3])
    XCTAssertEqual(try r.readDoubles("/g/doubles").values, [0.1, .infinity])
    // Integers convert to floats on reading (int16/int32 channel data).
    XCTAssertEqual(try r.readFloats("/g/ints").values, [-7, 9])
    XCTAssertEqual(try r.stringAttribute("class", at: "/g"), "uff.thing")
    XCTAssertEqual(try r.numericAttribute("size", at: "/g"), [1, 4])
    XCTAssertNil(try r.stringAttribute("absent", at: "/g"))
    XCTAssertThrowsError(try r.readFloats("/g")) { error in
      XCTAssertEqual((error as? HDF5Error)?.path, "/g")
    }
  }

  func testOpeningSomethingElseNamesTheFile() throws {
    let dir = Support.temporaryDirectory()
    let text = dir.appendingPathComponent("not.uff")
    try Data("hello".utf8).write(to: text)
    XCTAssertThrowsError(try HDF5File.open(text)) { error in
      XCTAssertEqual((error as? HDF5Error)?.message, "not an HDF5 file")
    }
    XCTAssertThrowsError(try HDF5File.open(dir.appendingPathComponent("missing.uff"))) { error in
      XCTAssertEqual((error as? HDF5Error)?.message, "no such file")
    }
  }

  /// Reproducible outputs: the same content written a second apart is the same bytes (HDF5 would otherwise stamp
  /// every object header with its modification time, at one-second resolution).
  func testSameContentGivesTheSameBytesAtAnotherTime() throws {
    func image() throws -> Data {
      let f = try HDF5File.createInMemory(URL(fileURLWithPath: "same.h5"))
      try f.createGroup("/g")
      try f.write("/g/floats", floats: [1, 2, 3], shape: [3])
      try f.setAttribute("class", string: "uff.thing", at: "/g")
      return try f.image()
    }
    let first = try image()
    Thread.sleep(forTimeInterval: 1.1)
    XCTAssertEqual(first, try image())
  }
}
