import FileFormats
import Foundation
import XCTest

final class FileFormatsTests: XCTestCase {
  func testNumpyRoundTripAndHeaderAlignment() throws {
    let v: [Float] = [1, -2.5, 3e-7, .greatestFiniteMagnitude, 0, 6]
    let data = NumpyArray.encode(v, shape: [2, 3])
    XCTAssertEqual(Array(data.prefix(6)), [0x93] + Array("NUMPY".utf8))
    XCTAssertEqual((data.count - v.count * 4) % 64, 0, "data must start on a 64-byte boundary")
    let header = String(decoding: data[10..<(data.count - 24)], as: UTF8.self)
    XCTAssertTrue(header.contains("'shape': (2, 3)"))
    XCTAssertTrue(header.hasSuffix("\n"))
    let back = try NumpyArray.decode(data)
    XCTAssertEqual(back.shape, [2, 3])
    XCTAssertEqual(back.values, v.map(Double.init))
    let c = NumpyArray.encodeComplex64([1, 2, 3, 4], shape: [2])
    XCTAssertTrue(String(decoding: c.prefix(80), as: UTF8.self).contains("'<c8'"))
  }

  func testNumpyRejectsWhatItCannotRead() {
    XCTAssertThrowsError(try NumpyArray.decode(Data("hello".utf8)))
    var d = NumpyArray.encode([1, 2], shape: [2])
    d = Data(String(decoding: d, as: UTF8.self).replacingOccurrences(of: "<f4", with: "<i8").utf8)
    XCTAssertThrowsError(try NumpyArray.decode(d))
  }

  /// Signature, IHDR size fields, and a CRC over type + data that zlib's crc32 reproduces.
  func testPNGStructure() {
    let png = PNGImage.encodeGrayscale([0, 64, 128, 255, 10, 20], width: 3, height: 2, pixelSizeMetres: 1e-4)
    XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    XCTAssertEqual(Array(png[12..<16]), Array("IHDR".utf8))
    XCTAssertEqual(Array(png[16..<24]), [0, 0, 0, 3, 0, 0, 0, 2])
    XCTAssertEqual(png[24], 8)  // bit depth
    XCTAssertEqual(png[25], 0)  // greyscale
    XCTAssertTrue(String(decoding: png, as: UTF8.self).contains("pHYs"))
    XCTAssertEqual(Array(png.suffix(8).prefix(4)), Array("IEND".utf8))
  }

  func testAtomicWriteLeavesNoTemporaryFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
    let url = dir.appendingPathComponent("a.bin")
    try AtomicFile.write(Data([1, 2, 3]), to: url)
    try AtomicFile.write(Data([4]), to: url)
    XCTAssertEqual(try Data(contentsOf: url), Data([4]))
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.bin"])
  }
}
