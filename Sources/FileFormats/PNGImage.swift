import CZlib
import Foundation

/// 8-bit greyscale or RGB PNG, written with zlib (deflate and CRC-32).
///
/// Chunks: IHDR (colour type 0 greyscale or 2 RGB, bit depth 8), pHYs (pixels per metre, so viewers know the physical
/// pixel size), one IDAT (each row prefixed by filter type 0), IEND (PNG specification, ISO/IEC 15948, §11).
public enum PNGImage {
  public static func encodeGrayscale(_ pixels: [UInt8], width: Int, height: Int, pixelSizeMetres: Double? = nil) -> Data
  {
    encode(pixels, width: width, height: height, channels: 1, pixelSizeMetres: pixelSizeMetres)
  }

  /// RGB pixels, row by row, three bytes a pixel.
  public static func encodeRGB(_ pixels: [UInt8], width: Int, height: Int) -> Data {
    encode(pixels, width: width, height: height, channels: 3, pixelSizeMetres: nil)
  }

  public static func writeRGB(_ pixels: [UInt8], width: Int, height: Int, to url: URL) throws {
    try AtomicFile.write(encodeRGB(pixels, width: width, height: height), to: url)
  }

  public struct DecodeError: Error, CustomStringConvertible {
    public var description: String
  }

  /// Reads an 8-bit, non-interlaced greyscale PNG (what ``encodeGrayscale`` writes; any of the five row filters).
  public static func decodeGrayscale(_ png: Data) throws -> (pixels: [UInt8], width: Int, height: Int) {
    let bytes = [UInt8](png)
    func u32(_ i: Int) -> Int {
      Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
    }
    guard bytes.count > 33, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
      throw DecodeError(description: "not a PNG file")
    }
    var width = 0
    var height = 0
    var idat: [UInt8] = []
    var at = 8
    while at + 8 <= bytes.count {
      let length = u32(at)
      let type = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
      guard at + 12 + length <= bytes.count else { throw DecodeError(description: "truncated \(type) chunk") }
      let body = bytes[(at + 8)..<(at + 8 + length)]
      if type == "IHDR" {
        width = u32(at + 8)
        height = u32(at + 12)
        guard body[body.startIndex + 8] == 8, body[body.startIndex + 9] == 0, body[body.startIndex + 12] == 0 else {
          throw DecodeError(description: "only 8-bit greyscale, non-interlaced PNG is read")
        }
      } else if type == "IDAT" {
        idat += body
      }
      at += 12 + length
    }
    let stride = width + 1
    var raw = [UInt8](repeating: 0, count: stride * height)
    var rawLength = uLong(raw.count)
    let status = uncompress(&raw, &rawLength, idat, uLong(idat.count))
    guard status == Z_OK, Int(rawLength) == raw.count else {
      throw DecodeError(description: "corrupt image data (zlib \(status))")
    }
    var out = [UInt8](repeating: 0, count: width * height)
    for r in 0..<height {
      let filter = raw[r * stride]
      for c in 0..<width {
        let x = raw[r * stride + 1 + c]
        let a = c > 0 ? Int(out[r * width + c - 1]) : 0
        let b = r > 0 ? Int(out[(r - 1) * width + c]) : 0
        let d = c > 0 && r > 0 ? Int(out[(r - 1) * width + c - 1]) : 0
        let predictor: Int
        switch filter {
        case 0: predictor = 0
        case 1: predictor = a
        case 2: predictor = b
        case 3: predictor = (a + b) / 2
        case 4:
          let p = a + b - d
          let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - d))
          predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : d)
        default: throw DecodeError(description: "unknown row filter \(filter)")
        }
        out[r * width + c] = UInt8(truncatingIfNeeded: Int(x) + predictor)
      }
    }
    return (out, width, height)
  }

  static func encode(_ pixels: [UInt8], width: Int, height: Int, channels: Int, pixelSizeMetres: Double?) -> Data {
    precondition(pixels.count == width * height * channels, "pixel count does not match width × height × channels")
    var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var ihdr = Data()
    ihdr.append(bigEndian: UInt32(width))
    ihdr.append(bigEndian: UInt32(height))
    ihdr.append(contentsOf: [8, channels == 3 ? 2 : 0, 0, 0, 0])
    png.appendChunk("IHDR", ihdr)
    if let p = pixelSizeMetres, p > 0 {
      var phys = Data()
      let ppm = UInt32((1 / p).rounded())
      phys.append(bigEndian: ppm)
      phys.append(bigEndian: ppm)
      phys.append(1)  // unit: metre
      png.appendChunk("pHYs", phys)
    }
    let rowBytes = width * channels
    var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
    for r in 0..<height {
      raw[r * (rowBytes + 1)] = 0
      for c in 0..<rowBytes { raw[r * (rowBytes + 1) + 1 + c] = pixels[r * rowBytes + c] }
    }
    var destLen = compressBound(uLong(raw.count))
    var dest = [UInt8](repeating: 0, count: Int(destLen))
    let status = compress2(&dest, &destLen, raw, uLong(raw.count), 6)
    precondition(status == Z_OK, "zlib compress2 failed (\(status))")
    png.appendChunk("IDAT", Data(dest[0..<Int(destLen)]))
    png.appendChunk("IEND", Data())
    return png
  }

  public static func writeGrayscale(
    _ pixels: [UInt8], width: Int, height: Int, pixelSizeMetres: Double? = nil, to url: URL
  ) throws {
    try AtomicFile.write(
      encodeGrayscale(pixels, width: width, height: height, pixelSizeMetres: pixelSizeMetres), to: url)
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
