import CHDF5
import Foundation

/// A failure reading or writing an HDF5 file, naming the file and the path inside it at fault.
public struct HDF5Error: Error, CustomStringConvertible, Equatable {
  public var file: String
  /// Path inside the file ("/channel_data/probe/geometry"), or "/" for the file itself.
  public var path: String
  public var message: String

  public init(file: String, path: String, message: String) {
    self.file = file
    self.path = path
    self.message = message
  }

  public var description: String { "\(file): \(path): \(message)" }
}

/// An open HDF5 file, through HDF5's C library (serial build): the groups, numeric datasets and attributes that UFF
/// files are made of. Paths are absolute ("/channel_data/probe"). Datasets are C-ordered: `shape[0]` varies slowest.
///
/// Not thread-safe (the serial library is not): use one file from one thread at a time.
public final class HDF5File {
  let id: hid_t
  public let url: URL
  var name: String { url.lastPathComponent }

  private init(id: hid_t, url: URL) {
    self.id = id
    self.url = url
  }

  private var isOpen = true

  deinit { close() }

  /// Flushes and closes the file (also done when the object goes away).
  public func close() {
    if isOpen { H5Fclose(id) }
    isOpen = false
  }

  /// Creates (or truncates) a file for writing.
  public static func create(_ url: URL) throws -> HDF5File {
    ush5_silence_errors()
    let fcpl = try untimedPlist(.file, url)
    defer { H5Pclose(fcpl) }
    let id = H5Fcreate(url.path, ush5_acc_trunc(), fcpl, hid_t(H5P_DEFAULT))
    guard id >= 0 else { throw HDF5Error(file: url.path, path: "/", message: "cannot create the file") }
    return HDF5File(id: id, url: url)
  }

  /// Creates a file held in memory only, named `url` for messages; ``image()`` returns its bytes. Writers use it so
  /// that the library never writes to disk itself: a full disk then fails the caller's plain write of the bytes,
  /// rather than the library's, whose failed flush leaves it unable to shut down (a crash at exit).
  public static func createInMemory(_ url: URL) throws -> HDF5File {
    ush5_silence_errors()
    let fapl = ush5_memory_fapl()
    guard fapl >= 0 else { throw HDF5Error(file: url.path, path: "/", message: "cannot set up an in-memory file") }
    defer { H5Pclose(fapl) }
    let fcpl = try untimedPlist(.file, url)
    defer { H5Pclose(fcpl) }
    let id = H5Fcreate(url.lastPathComponent, ush5_acc_trunc(), fcpl, fapl)
    guard id >= 0 else { throw HDF5Error(file: url.path, path: "/", message: "cannot create the file") }
    return HDF5File(id: id, url: url)
  }

  /// The bytes of the file as it stands (flushed first).
  public func image() throws -> Data {
    guard isOpen, H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else { throw error("/", "cannot flush the file") }
    let size = H5Fget_file_image(id, nil, 0)
    guard size > 0 else { throw error("/", "cannot read back the file's image") }
    var data = Data(count: size)
    let read = data.withUnsafeMutableBytes { H5Fget_file_image(id, $0.baseAddress, size) }
    guard read == size else { throw error("/", "cannot read back the file's image") }
    return data
  }

  /// Opens an existing file for reading.
  public static func open(_ url: URL) throws -> HDF5File {
    ush5_silence_errors()
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw HDF5Error(file: url.path, path: "/", message: "no such file")
    }
    guard H5Fis_hdf5(url.path) > 0 else { throw HDF5Error(file: url.path, path: "/", message: "not an HDF5 file") }
    let id = H5Fopen(url.path, ush5_acc_rdonly(), hid_t(H5P_DEFAULT))
    guard id >= 0 else { throw HDF5Error(file: url.path, path: "/", message: "cannot open the file") }
    return HDF5File(id: id, url: url)
  }

  /// What an untimed creation property list is for (the shim's `kind`).
  private enum CreatedObject: Int32 {
    case group = 0
    case dataset = 1
    case file = 2
  }

  /// A creation property list that leaves modification times out of object headers: written files are then the same
  /// bytes for the same data (reproducible outputs). The caller closes it.
  private static func untimedPlist(_ kind: CreatedObject, _ url: URL, path: String = "/") throws -> hid_t {
    let plist = ush5_untimed_plist(kind.rawValue)
    guard plist >= 0 else { throw HDF5Error(file: url.path, path: path, message: "cannot set up creation properties") }
    return plist
  }

  func error(_ path: String, _ message: String) -> HDF5Error { HDF5Error(file: url.path, path: path, message: message) }

  // MARK: Writing

  /// Creates a group (its parent must exist).
  public func createGroup(_ path: String) throws {
    let gcpl = try Self.untimedPlist(.group, url, path: path)
    defer { H5Pclose(gcpl) }
    let g = H5Gcreate2(id, path, hid_t(H5P_DEFAULT), gcpl, hid_t(H5P_DEFAULT))
    guard g >= 0 else { throw error(path, "cannot create the group") }
    H5Gclose(g)
  }

  /// Writes a float32 dataset of the given shape.
  public func write(_ path: String, floats values: [Float], shape: [Int]) throws {
    try values.withUnsafeBytes {
      try writeDataset(
        path, file: ush5_ieee_f32le(), memory: ush5_native_float(), $0.baseAddress, shape: shape, count: values.count)
    }
  }

  /// Writes a float64 dataset of the given shape.
  public func write(_ path: String, doubles values: [Double], shape: [Int]) throws {
    try values.withUnsafeBytes {
      try writeDataset(
        path, file: ush5_ieee_f64le(), memory: ush5_native_double(), $0.baseAddress, shape: shape, count: values.count)
    }
  }

  /// Writes an int32 dataset of the given shape.
  public func write(_ path: String, int32s values: [Int32], shape: [Int]) throws {
    try values.withUnsafeBytes {
      try writeDataset(
        path, file: ush5_std_i32le(), memory: ush5_native_int32(), $0.baseAddress, shape: shape, count: values.count)
    }
  }

  /// Writes a uint16 dataset of the given shape.
  public func write(_ path: String, uint16s values: [UInt16], shape: [Int]) throws {
    try values.withUnsafeBytes {
      try writeDataset(
        path, file: ush5_std_u16le(), memory: ush5_native_uint16(), $0.baseAddress, shape: shape, count: values.count)
    }
  }

  private func writeDataset(
    _ path: String, file fileType: hid_t, memory: hid_t, _ data: UnsafeRawPointer?, shape: [Int], count: Int
  ) throws {
    precondition(shape.reduce(1, *) == count, "HDF5 dataset \(path): shape \(shape) does not hold \(count) values")
    var dims = shape.map { hsize_t($0) }
    let space = H5Screate_simple(Int32(dims.count), &dims, nil)
    defer { H5Sclose(space) }
    let dcpl = try Self.untimedPlist(.dataset, url, path: path)
    defer { H5Pclose(dcpl) }
    let set = H5Dcreate2(id, path, fileType, space, hid_t(H5P_DEFAULT), dcpl, hid_t(H5P_DEFAULT))
    guard set >= 0 else { throw error(path, "cannot create the dataset") }
    defer { H5Dclose(set) }
    guard H5Dwrite(set, memory, hid_t(H5S_ALL), hid_t(H5S_ALL), hid_t(H5P_DEFAULT), data) >= 0 else {
      throw error(path, "cannot write the dataset")
    }
  }

  /// Sets a fixed-length ASCII string attribute on the object at `path`.
  public func setAttribute(_ name: String, string: String, at path: String) throws {
    let bytes = Array(string.utf8)
    let type = H5Tcopy(ush5_c_s1())
    defer { H5Tclose(type) }
    H5Tset_size(type, max(bytes.count, 1))
    try writeAttribute(name, at: path, type: type, memory: type, shape: []) { attribute in
      var padded = bytes.isEmpty ? [UInt8(0)] : bytes
      return H5Awrite(attribute, type, &padded)
    }
  }

  /// Sets an int32 array attribute (shape `[count]`) on the object at `path`.
  public func setAttribute(_ name: String, int32s values: [Int32], at path: String) throws {
    try writeAttribute(name, at: path, type: ush5_std_i32le(), memory: ush5_native_int32(), shape: [values.count]) {
      attribute in
      var v = values
      return H5Awrite(attribute, ush5_native_int32(), &v)
    }
  }

  private func writeAttribute(
    _ name: String, at path: String, type: hid_t, memory: hid_t, shape: [Int], write: (hid_t) -> herr_t
  ) throws {
    var dims = shape.map { hsize_t($0) }
    let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), &dims, nil)
    defer { H5Sclose(space) }
    let attribute = H5Acreate_by_name(
      id, path, name, type, space, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
    guard attribute >= 0 else { throw error(path, "cannot create attribute '\(name)'") }
    defer { H5Aclose(attribute) }
    guard write(attribute) >= 0 else { throw error(path, "cannot write attribute '\(name)'") }
  }

  // MARK: Reading

  /// What a path names.
  public enum Kind: Sendable, Equatable { case group, dataset }

  /// The kind of object at `path`, or nil when there is none.
  public func kind(_ path: String) -> Kind? {
    // H5Lexists needs every parent to exist: walk the path down from the root.
    var prefix = ""
    for part in path.split(separator: "/") {
      prefix += "/" + part
      guard H5Lexists(id, prefix, hid_t(H5P_DEFAULT)) > 0 else { return nil }
    }
    if prefix.isEmpty { return .group }
    let object = H5Oopen(id, path, hid_t(H5P_DEFAULT))
    guard object >= 0 else { return nil }
    defer { H5Oclose(object) }
    switch H5Iget_type(object) {
    case H5I_GROUP: return .group
    case H5I_DATASET: return .dataset
    default: return nil
    }
  }

  /// The names of a group's members, in the file's (alphabetical) order.
  public func children(_ path: String) throws -> [String] {
    let group = H5Gopen2(id, path, hid_t(H5P_DEFAULT))
    guard group >= 0 else { throw error(path, "not a group") }
    defer { H5Gclose(group) }
    var info = H5G_info_t()
    guard H5Gget_info(group, &info) >= 0 else { throw error(path, "cannot list the group") }
    return (0..<info.nlinks).compactMap { i in
      let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, hid_t(H5P_DEFAULT))
      guard length >= 0 else { return nil }
      var buffer = [CChar](repeating: 0, count: Int(length) + 1)
      H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, hid_t(H5P_DEFAULT))
      return String(cString: buffer)
    }
  }

  /// Opens attribute `name` of the object at `path` and hands it, its type and its element count to `body`; nil
  /// when the object has no such attribute.
  private func withAttribute<T>(_ name: String, at path: String, _ body: (hid_t, hid_t, Int) throws -> T) throws -> T? {
    guard H5Aexists_by_name(id, path, name, hid_t(H5P_DEFAULT)) > 0 else { return nil }
    let attribute = H5Aopen_by_name(id, path, name, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
    guard attribute >= 0 else { throw error(path, "cannot open attribute '\(name)'") }
    defer { H5Aclose(attribute) }
    let type = H5Aget_type(attribute)
    defer { H5Tclose(type) }
    let space = H5Aget_space(attribute)
    defer { H5Sclose(space) }
    return try body(attribute, type, max(Int(H5Sget_simple_extent_npoints(space)), 1))
  }

  /// A string attribute (fixed or variable length; an integer array is read as character codes), or nil when the
  /// object has no such attribute.
  public func stringAttribute(_ name: String, at path: String) throws -> String? {
    try withAttribute(name, at: path) { attribute, type, count in
      switch H5Tget_class(type) {
      case H5T_STRING where H5Tis_variable_str(type) > 0:
        let memory = H5Tcopy(ush5_c_s1())
        defer { H5Tclose(memory) }
        H5Tset_size(memory, ush5_variable())
        H5Tset_cset(memory, H5Tget_cset(type))  // h5py writes UTF-8; ASCII ↔ UTF-8 is not converted
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        guard H5Aread(attribute, memory, &pointers) >= 0 else { throw error(path, "cannot read attribute '\(name)'") }
        defer { for p in pointers { H5free_memory(p) } }
        return pointers.first.flatMap { $0 }.map { String(cString: $0) } ?? ""
      case H5T_STRING:
        let size = H5Tget_size(type)
        var buffer = [UInt8](repeating: 0, count: size * count + 1)
        guard H5Aread(attribute, type, &buffer) >= 0 else { throw error(path, "cannot read attribute '\(name)'") }
        let bytes = buffer.prefix(size).prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      case H5T_INTEGER:
        return Self.characters(try numericAttribute(name, at: path) ?? [])
      default:
        throw error(path, "attribute '\(name)' is neither a string nor character codes")
      }
    }
  }

  /// A numeric attribute as doubles (any integer or float type), or nil when the object has no such attribute.
  public func numericAttribute(_ name: String, at path: String) throws -> [Double]? {
    try withAttribute(name, at: path) { attribute, type, count in
      let typeClass = H5Tget_class(type)
      guard typeClass == H5T_INTEGER || typeClass == H5T_FLOAT else {
        throw error(path, "attribute '\(name)' is not numeric")
      }
      var values = [Double](repeating: 0, count: count)
      guard H5Aread(attribute, ush5_native_double(), &values) >= 0 else {
        throw error(path, "cannot read attribute '\(name)'")
      }
      return values
    }
  }

  /// Text stored as character codes (MATLAB strings: uint16 per character).
  public static func characters(_ codes: [Double]) -> String {
    String(String.UnicodeScalarView(codes.compactMap { Unicode.Scalar(UInt32(max($0, 0))) }))
  }

  /// The element type of a dataset: its HDF5 class and size in bytes.
  public func elementType(_ path: String) throws -> (isInteger: Bool, isFloat: Bool, bytes: Int) {
    let set = try openDataset(path)
    defer { H5Dclose(set) }
    let type = H5Dget_type(set)
    defer { H5Tclose(type) }
    let c = H5Tget_class(type)
    return (c == H5T_INTEGER, c == H5T_FLOAT, H5Tget_size(type))
  }

  /// The most bytes one dataset may take in memory: half the machine's physical memory, so that a file declaring a
  /// larger (or sparse, never written) dataset is refused before anything is allocated.
  public static var readLimitBytes: Int { Int(min(ProcessInfo.processInfo.physicalMemory / 2, UInt64(Int.max))) }

  /// A numeric dataset (any integer or float type, converted by the library) as float32, with its shape; at most
  /// `maximumValues` values (by default what fits in ``readLimitBytes``).
  public func readFloats(_ path: String, maximumValues: Int? = nil) throws -> (values: [Float], shape: [Int]) {
    try readNumeric(path, memory: ush5_native_float(), zero: Float(0), maximumValues: maximumValues)
  }

  /// A numeric dataset as float64, with its shape (see ``readFloats(_:maximumValues:)``).
  public func readDoubles(_ path: String, maximumValues: Int? = nil) throws -> (values: [Double], shape: [Int]) {
    try readNumeric(path, memory: ush5_native_double(), zero: Double(0), maximumValues: maximumValues)
  }

  /// The shape of a dataset, without reading it.
  public func shape(_ path: String) throws -> [Int] {
    let set = try openDataset(path)
    defer { H5Dclose(set) }
    return try shape(of: set, path)
  }

  private func shape(of set: hid_t, _ path: String) throws -> [Int] {
    let space = H5Dget_space(set)
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    guard rank >= 0 else { throw error(path, "cannot read the dataset's shape") }
    var dims = [hsize_t](repeating: 0, count: max(rank, 1))
    H5Sget_simple_extent_dims(space, &dims, nil)
    guard dims.prefix(rank).allSatisfy({ $0 <= hsize_t(Int.max) }) else {
      throw error(path, "declares a dimension beyond 2^63")
    }
    return rank == 0 ? [] : dims.prefix(rank).map { Int($0) }
  }

  private func openDataset(_ path: String) throws -> hid_t {
    guard kind(path) == .dataset else {
      throw error(path, kind(path) == .group ? "is a group where a dataset was expected" : "missing")
    }
    let set = H5Dopen2(id, path, hid_t(H5P_DEFAULT))
    guard set >= 0 else { throw error(path, "cannot open the dataset") }
    return set
  }

  private func readNumeric<T: BitwiseCopyable>(
    _ path: String, memory: hid_t, zero: T, maximumValues: Int?
  ) throws -> (values: [T], shape: [Int]) {
    let set = try openDataset(path)
    defer { H5Dclose(set) }
    let type = H5Dget_type(set)
    let typeClass = H5Tget_class(type)
    H5Tclose(type)
    guard typeClass == H5T_INTEGER || typeClass == H5T_FLOAT else {
      throw error(path, "is not a numeric dataset (integer or floating point)")
    }
    let shape = try shape(of: set, path)
    let limit = maximumValues ?? Self.readLimitBytes / MemoryLayout<T>.stride
    var count = 1
    for d in shape {
      let (p, overflow) = count.multipliedReportingOverflow(by: d)
      guard !overflow, p <= limit else {
        let bytes = shape.reduce(Double(MemoryLayout<T>.stride)) { $0 * Double($1) }
        throw error(
          path,
          String(
            format: "shape %@ would take %.3g GB in memory, more than the %.3g GB allowed", "\(shape)", bytes / 1e9,
            Double(limit * MemoryLayout<T>.stride) / 1e9))
      }
      count = p
    }
    var values = [T](repeating: zero, count: count)
    if values.isEmpty { return (values, shape) }
    let status = values.withUnsafeMutableBytes {
      H5Dread(set, memory, hid_t(H5S_ALL), hid_t(H5S_ALL), hid_t(H5P_DEFAULT), $0.baseAddress)
    }
    guard status >= 0 else {
      throw error(path, "cannot read the dataset")
    }
    return (values, shape)
  }
}
