import CZlib
import Foundation

/// 8-bit greyscale PNG, written with zlib (deflate and CRC-32).
///
/// Chunks: IHDR (colour type 0, bit depth 8), pHYs (pixels per metre, so viewers know the physical pixel size), one
/// IDAT (each row prefixed by filter type 0), IEND (PNG specification, ISO/IEC 15948, §11).
public enum PNGImage {
  public static func encodeGrayscale(_ pixels: [UInt8], width: Int, height: Int, pixelSizeMetres: Double? = nil) -> Data {
    precondition(pixels.count == width * height, "pixel count does not match width × height")
    var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var ihdr = Data()
    ihdr.append(bigEndian: UInt32(width))
    ihdr.append(bigEndian: UInt32(height))
    ihdr.append(contentsOf: [8, 0, 0, 0, 0])
    png.appendChunk("IHDR", ihdr)
    if let p = pixelSizeMetres, p > 0 {
      var phys = Data()
      let ppm = UInt32((1 / p).rounded())
      phys.append(bigEndian: ppm)
      phys.append(bigEndian: ppm)
      phys.append(1)  // unit: metre
      png.appendChunk("pHYs", phys)
    }
    var raw = [UInt8](repeating: 0, count: (width + 1) * height)
    for r in 0..<height {
      raw[r * (width + 1)] = 0
      for c in 0..<width { raw[r * (width + 1) + 1 + c] = pixels[r * width + c] }
    }
    var destLen = compressBound(uLong(raw.count))
    var dest = [UInt8](repeating: 0, count: Int(destLen))
    let status = compress2(&dest, &destLen, raw, uLong(raw.count), 6)
    precondition(status == Z_OK, "zlib compress2 failed (\(status))")
    png.appendChunk("IDAT", Data(dest[0..<Int(destLen)]))
    png.appendChunk("IEND", Data())
    return png
  }

  public static func writeGrayscale(_ pixels: [UInt8], width: Int, height: Int, pixelSizeMetres: Double? = nil, to url: URL) throws {
    try AtomicFile.write(encodeGrayscale(pixels, width: width, height: height, pixelSizeMetres: pixelSizeMetres), to: url)
  }
}

extension Data {
  mutating func append(bigEndian v: UInt32) {
    append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
  }

  mutating func appendChunk(_ type: String, _ body: Data) {
    append(bigEndian: UInt32(body.count))
    var typed = Data(type.utf8)
    typed.append(body)
    append(typed)
    let crc = typed.withUnsafeBytes { b in
      crc32(0, b.bindMemory(to: UInt8.self).baseAddress, uInt(b.count))
    }
    append(bigEndian: UInt32(crc))
  }
}
