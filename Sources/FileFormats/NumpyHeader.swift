/// The header of a `.npy` file: NumPy writes a Python dict literal with exactly the keys `descr` (a dtype string),
/// `fortran_order` (`True`/`False`) and `shape` (a tuple of non-negative integers), and refuses any other key when
/// reading (NumPy's `format.py`, `_read_array_header`). This parser reads that literal strictly, so that a header a
/// NumPy reader would refuse is refused here too, naming what is wrong, rather than read as something it is not.
struct NumpyHeader: Equatable {
  var descr: String
  var fortranOrder: Bool
  var shape: [Int]

  /// The number of elements, nil when the product of the dimensions overflows `Int`.
  var elementCount: Int? {
    var n = 1
    for d in shape {
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      n = p
    }
    return n
  }

  /// Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` (whitespace and a trailing comma allowed).
  init(parsing text: String) throws {
    var scanner = Scanner(Array(text.utf8))
    var entries: [String: Value] = [:]
    try scanner.expect("{")
    while true {
      scanner.skipSpaces()
      if scanner.consume("}") { break }
      let key = try scanner.string()
      try scanner.expect(":")
      if entries[key] != nil { throw NumpyArray.ReadError.notNumpy("the header names '\(key)' twice") }
      do { entries[key] = try scanner.value() } catch let NumpyArray.ReadError.notNumpy(why) {
        throw NumpyArray.ReadError.notNumpy("'\(key)': \(why)")
      }
      scanner.skipSpaces()
      if scanner.consume(",") { continue }
      try scanner.expect("}")
      break
    }
    scanner.skipSpaces()
    guard scanner.atEnd else { throw NumpyArray.ReadError.notNumpy("text after the header's closing brace") }
    let known: Set = ["descr", "fortran_order", "shape"]
    if let unknown = entries.keys.sorted().first(where: { !known.contains($0) }) {
      throw NumpyArray.ReadError.unsupported(
        "header key '\(unknown)' (a .npy header holds only descr, fortran_order, shape)")
    }
    guard case .string(let descr)? = entries["descr"] else {
      throw NumpyArray.ReadError.notNumpy("no 'descr' string in the header")
    }
    guard case .bool(let fortran)? = entries["fortran_order"] else {
      throw NumpyArray.ReadError.notNumpy("no 'fortran_order' True or False in the header")
    }
    guard case .tuple(let shape)? = entries["shape"] else {
      throw NumpyArray.ReadError.notNumpy("no 'shape' tuple in the header")
    }
    if let bad = shape.first(where: { $0 < 0 }) {
      throw NumpyArray.ReadError.notNumpy("shape dimension \(bad) (dimensions are ≥ 0)")
    }
    self.descr = descr
    self.fortranOrder = fortran
    self.shape = shape
  }

  enum Value {
    case string(String)
    case bool(Bool)
    case tuple([Int])
  }

  /// A cursor over the header's bytes.
  struct Scanner {
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }

    mutating func skipSpaces() {
      while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    mutating func consume(_ s: String) -> Bool {
      let u = Array(s.utf8)
      guard i + u.count <= bytes.count, Array(bytes[i..<(i + u.count)]) == u else { return false }
      i += u.count
      return true
    }

    mutating func expect(_ s: String) throws {
      skipSpaces()
      guard consume(s) else {
        throw NumpyArray.ReadError.notNumpy("malformed header: expected '\(s)' at character \(i)")
      }
    }

    /// A quoted Python string without escapes ('…' or "…").
    mutating func string() throws -> String {
      skipSpaces()
      guard i < bytes.count, bytes[i] == 0x27 || bytes[i] == 0x22 else {
        throw NumpyArray.ReadError.notNumpy("malformed header: expected a quoted key or string at character \(i)")
      }
      let quote = bytes[i]
      i += 1
      let start = i
      while i < bytes.count, bytes[i] != quote, bytes[i] != 0x5C { i += 1 }
      guard i < bytes.count, bytes[i] == quote else {
        throw NumpyArray.ReadError.notNumpy("malformed header: unterminated string at character \(start - 1)")
      }
      defer { i += 1 }
      return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func value() throws -> Value {
      skipSpaces()
      if consume("True") { return .bool(true) }
      if consume("False") { return .bool(false) }
      if i < bytes.count, bytes[i] == 0x28 { return .tuple(try tuple()) }
      return .string(try string())
    }

    /// `()`, `(5,)` or `(3, 4)`: integers that fit in `Int`.
    mutating func tuple() throws -> [Int] {
      try expect("(")
      var dims: [Int] = []
      while true {
        skipSpaces()
        if consume(")") { return dims }
        let start = i
        while i < bytes.count, bytes[i] != 0x2C, bytes[i] != 0x29 { i += 1 }  // up to ',' or ')'
        let token = String(decoding: bytes[start..<i], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        // Python 2's long suffix (3L), as NumPy's reader accepts.
        let digits = token.hasSuffix("L") ? String(token.dropLast()) : token
        guard let d = Int(digits) else {
          let integer = !digits.isEmpty && digits.drop { $0 == "-" }.allSatisfy(\.isNumber)
          let what = integer ? "'\(digits)', beyond 64-bit integers" : "'\(token)', not an integer"
          throw NumpyArray.ReadError.notNumpy("shape holds \(what) (character \(start))")
        }
        dims.append(d)
        skipSpaces()
        if consume(",") { continue }
        try expect(")")
        return dims
      }
    }
  }
}
