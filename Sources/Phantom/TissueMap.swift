/// One region of a ``TissueMap``: a shape in the scan plane filled with one tissue.
public struct TissueRegion: Sendable, Equatable {
  public var shape: RegionShape
  /// Index into ``TissueMap/tissues``.
  public var tissue: Int
}

/// A cross-section of tissues in the scan plane (x lateral, z depth; metres), extruded in elevation: a background
/// tissue and regions painted over it in order, a later region covering earlier ones.
///
/// The map is what both the scatterers (diffuse speckle per tissue, specular interfaces) and the propagation
/// medium (attenuation, sound speed and transmission along each path) are built from.
public struct TissueMap: Sendable, Equatable {
  /// The tissues in use; index 0 is the background.
  public private(set) var tissues: [Tissue]
  public private(set) var regions: [TissueRegion]

  public init(background: Tissue) {
    tissues = [background]
    regions = []
  }

  /// Paints `shape` with `tissue` over everything added before. A tissue already present (same value) keeps
  /// its index.
  public mutating func add(_ shape: RegionShape, _ tissue: Tissue) {
    regions.append(TissueRegion(shape: shape, tissue: index(of: tissue)))
  }

  /// The index of `tissue` in ``tissues``, appending it when new.
  public mutating func index(of tissue: Tissue) -> Int {
    if let i = tissues.firstIndex(of: tissue) { return i }
    tissues.append(tissue)
    return tissues.count - 1
  }

  /// Index of the tissue at `(x, z)` (metres): the last region containing it, else the background.
  public func tissueIndex(x: Double, z: Double) -> Int {
    for r in regions.reversed() where r.shape.contains(x: x, z: z) { return r.tissue }
    return 0
  }

  /// Indices of the tissues at the points `(xs[c], z)` of a row, as ``tissueIndex(x:z:)`` gives them point by point
  /// (regions painted in order, so the last region containing a point wins), through
  /// ``RegionShape/contains(row:z:)``.
  public func tissueIndices(row xs: [Double], z: Double) -> [Int] {
    var indices = [Int](repeating: 0, count: xs.count)
    for r in regions {
      for (c, inside) in r.shape.contains(row: xs, z: z).enumerated() where inside { indices[c] = r.tissue }
    }
    return indices
  }

  /// The tissue at `(x, z)` (metres).
  /// The unit normal (sign arbitrary) of the outline nearest to (x, z) (metres) among the regions of tissue `a` or
  /// `b` (the two sides of an interface there), for the incidence angle of a path crossing it; straight down (0, 1)
  /// when no region is of either tissue.
  public func interfaceNormal(x: Double, z: Double, between a: Int, and b: Int) -> SIMD2<Double> {
    var best = (distance: Double.infinity, normal: SIMD2<Double>(0, 1))
    for r in regions where r.tissue == a || r.tissue == b {
      let o = r.shape.nearestOutline(to: SIMD2(x, z))
      if o.distance < best.distance { best = o }
    }
    return best.normal
  }

  public func tissue(x: Double, z: Double) -> Tissue { tissues[tissueIndex(x: x, z: z)] }
}
