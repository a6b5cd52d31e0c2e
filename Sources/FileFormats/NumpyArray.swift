import Foundation

/// NumPy `.npy` files (format version 1.0), so Python users can `numpy.load` what we write and we can read
/// their arrays.
///
/// Layout: the magic `\x93NUMPY`, version bytes 1 0, a little-endian UInt16 header length, and an ASCII dict
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (…), }` padded with spaces and a newline so that the data start
/// at a multiple of 64 bytes; then the data in C order (NumPy's "format.py", NEP 1).
public enum NumpyArray {
  public enum ReadError: Error, CustomStringConvertible, Equatable {
    case notNumpy(String)
    case unsupported(String)
    public var description: String {
      switch self {
      case .notNumpy(let s): return "not a NumPy .npy file: \(s)"
      case .unsupported(let s): return "unsupported .npy content: \(s)"
      }
    }
  }

  /// Encodes float32 values of the given shape (C order).
  public static func encode(_ values: [Float], shape: [Int]) -> Data {
    precondition(shape.reduce(1, *) == values.count, "shape does not match the number of values")
    return encode(floats: values, descr: "<f4", shape: shape)
  }

  /// Encodes interleaved (re, im) float32 pairs as a complex64 ('<c8') array of the given shape.
  public static func encodeComplex64(_ interleaved: [Float], shape: [Int]) -> Data {
    precondition(shape.reduce(1, *) * 2 == interleaved.count, "shape does not match the number of complex values")
    return encode(floats: interleaved, descr: "<c8", shape: shape)
  }

  /// Encodes bytes as a uint8 ('|u1') array of the given shape (masks and class labels).
  public static func encode(uint8 values: [UInt8], shape: [Int]) -> Data {
    precondition(shape.reduce(1, *) == values.count, "shape does not match the number of values")
    return encode(bytes: values, descr: "|u1", shape: shape)
  }

  /// Header for `descr` and `shape`, then the float32 bytes (little-endian hosts: x86-64, arm64).
  static func encode(floats: [Float], descr: String, shape: [Int]) -> Data {
    floats.withUnsafeBytes { encode(bytes: Array($0), descr: descr, shape: shape) }
  }

  static func encode(bytes: [UInt8], descr: String, shape: [Int]) -> Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93])
    data.append(contentsOf: Array("NUMPY".utf8))
    data.append(contentsOf: [1, 0])
    let n = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8)])
    data.append(contentsOf: Array(header.utf8))
    data.append(contentsOf: bytes)
    return data
  }

  /// Writes float32 values atomically.
  public static func write(_ values: [Float], shape: [Int], to url: URL) throws {
    try AtomicFile.write(encode(values, shape: shape), to: url)
  }

  /// Decodes a little-endian float32, float64, int16, int32, uint8, complex64 or complex128 C-order array; returns its
  /// values as Double and its shape. Complex arrays come back interleaved (re, im) with a trailing axis of 2 added to
  /// the shape.
  public static func decode(_ data: Data) throws -> (values: [Double], shape: [Int]) {
    let bytes = [UInt8](data)
    guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
      throw ReadError.notNumpy("missing the \\x93NUMPY magic")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    if major == 1 {
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    } else if major == 2 || major == 3 {
      guard bytes.count >= 12 else { throw ReadError.notNumpy("truncated header") }
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
      headerStart = 12
    } else {
      throw ReadError.unsupported("format version \(major)")
    }
    guard bytes.count >= headerStart + headerLength,
      let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .ascii)
    else { throw ReadError.notNumpy("header truncated or not ASCII") }
    let parsed = try NumpyHeader(parsing: header)
    if parsed.fortranOrder { throw ReadError.unsupported("fortran_order True (save a C-order array)") }
    let descr = parsed.descr
    let complex = descr == "<c8" || descr == "<c16"
    let widths = ["<f4": 4, "|f4": 4, "<c8": 4, "<f8": 8, "|f8": 8, "<c16": 8, "<i2": 2, "<i4": 4, "|u1": 1, "<u1": 1]
    guard let width = widths[descr] else {
      throw ReadError.unsupported(
        "dtype \(descr) (expected '<f4' float32, '<f8' float64, '<i2' int16, '<i4' int32, '|u1' uint8, '<c8' complex64 or '<c16' complex128)"
      )
    }
    let shape = parsed.shape
    let available = (bytes.count - headerStart - headerLength) / width
    guard let elements = parsed.elementCount, elements <= available / (complex ? 2 : 1) else {
      throw ReadError.notNumpy("data shorter than the shape \(shape) says")
    }
    let count = elements * (complex ? 2 : 1)
    let start = headerStart + headerLength
    /// The little-endian unsigned integer of `width` bytes at value i.
    func bits(_ i: Int) -> UInt64 {
      var v: UInt64 = 0
      for b in 0..<width { v |= UInt64(bytes[start + width * i + b]) << (8 * UInt64(b)) }
      return v
    }
    let convert: (UInt64) -> Double
    switch descr {
    case "<f4", "|f4", "<c8": convert = { Double(Float(bitPattern: UInt32($0))) }
    case "<f8", "|f8", "<c16": convert = { Double(bitPattern: $0) }
    case "<i2": convert = { Double(Int16(bitPattern: UInt16($0))) }
    case "<i4": convert = { Double(Int32(bitPattern: UInt32($0))) }
    default: convert = { Double($0) }
    }
    let values = (0..<count).map { convert(bits($0)) }
    return (values, complex ? shape + [2] : shape)
  }
}
