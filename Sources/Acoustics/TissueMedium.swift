import Foundation
import KernelSupport
import Phantom

/// Straight-ray propagation through the tissues of a ``TissueMap``: each path accumulates the attenuation of every
/// tissue it crosses, loses amplitude at every interface, and (optionally) takes the travel time of the tissues'
/// own sound speeds — so bone shadows, and the aberration of a beamformer that assumes one speed, come from
/// propagation rather than painting.
///
/// **Model.** Rays are straight lines (refraction is neglected; say so wherever shadows are judged). The in-plane
/// segment from the element to the point is walked through a raster of the map (cells of `cellMetres`); its
/// length in each tissue, scaled by r/ρ for the elevation offset, gives
/// - attenuation `Σ α0'_k·L_k` (dB at 1 MHz), with α0' the tissue's attenuation re-expressed for the shared
///   exponent y = 1 at fc (``Tissue/attenuationDbPerCmPerMHzLinear(at:)``),
/// - travel time `Σ L_k / c_k` when `speedsAlongPaths`, else `r / c0`,
/// - transmission `Π √(1 − R(θ)²)` over the interfaces crossed: a one-way factor that makes the two-way loss of
///   each interface the energy transmission 1 − R² whichever way the path runs, as reciprocity requires (bone against
///   soft tissue at normal incidence, R ≈ 0.6: −1.9 dB per crossing, two-way). R(θ) is the acoustic Fresnel
///   coefficient of two fluids at the path's incidence angle θ on the interface (its normal from the map's region
///   outlines, ``TissueMap/interfaceNormal(x:z:between:and:)``), with Snell's law `sin θ₂ = (c₂/c₁)·sin θ₁`:
///   ```
///   R(θ₁) = (Z₂ cos θ₁ − Z₁ cos θ₂) / (Z₂ cos θ₁ + Z₁ cos θ₂),   no transmission when (c₂/c₁)·sin θ₁ ≥ 1
///   ```
///   (Kinsler et al., "Fundamentals of Acoustics", 4th ed., §6.3; bone as a fluid, its shear wave neglected). Past
///   the critical angle, arcsin(c_soft/c_bone) ≈ 29° for bone against soft tissue, nothing crosses. A straight ray
///   has one geometric angle on both sides, so θ₁ is taken on the slower tissue's side whichever way the path runs
///   (reciprocity again). Elevation is ignored in θ (interfaces are extruded across the elevation beam).
///   This is `interfacesAtIncidence`; off (the default until the scenes and exercises that depend on it are redone,
///   see the README), every crossing uses R at normal incidence.
public struct TissueMedium: Medium {
  public let map: TissueMap
  /// The speed the beamformer assumes (m/s) and the one used for travel times when `speedsAlongPaths` is off.
  public let soundSpeedMetresPerSecond: Double
  public let speedsAlongPaths: Bool
  /// Whether interfaces transmit at the path's own incidence angle (Fresnel, critical angle) rather than at normal
  /// incidence (see the type's doc).
  public let interfacesAtIncidence: Bool
  public var attenuationExponent: Double { 1 }
  public let maximumAttenuationDbPerCmPerMHz: Double
  let raster: TissueRaster
  /// Per tissue: attenuation (dB at 1 MHz per metre), slowness (s/m), sound speed (m/s) and impedance (Rayl).
  let attenuationPerMetre: [Float]
  let slowness: [Float]
  let speed: [Float]
  let impedance: [Float]
  /// The tissue index when the raster holds one tissue only (no interfaces: paths are straight, uniform and need
  /// neither a march nor a table), else nil.
  let uniformTissue: Int?
  /// Paths tabulated for one probe (``tabulated(forElementsX:z:maximumRangeMetres:threads:)``), used by the
  /// batched ``paths(fromElementsX:z:to:lengths:count:into:)``.
  private(set) var table: TissuePathTable?

  /// - Parameters:
  ///   - field: the part of the scan plane the rays cross (probe face included); outside it, the map is read
  ///     at the nearest cell.
  ///   - centreFrequencyHz: where each tissue's power law is matched by the shared y = 1 law.
  public init(
    map: TissueMap, field: Field, centreFrequencyHz: Double, soundSpeedMetresPerSecond: Double = 1540,
    speedsAlongPaths: Bool = false, cellMetres: Double = 0.1e-3, interfacesAtIncidence: Bool = false
  ) {
    self.interfacesAtIncidence = interfacesAtIncidence
    self.map = map
    self.soundSpeedMetresPerSecond = soundSpeedMetresPerSecond
    self.speedsAlongPaths = speedsAlongPaths
    raster = TissueRaster(map: map, field: field, cellMetres: cellMetres, threads: Parallel.defaultThreadCount)
    let first = raster.labels.first ?? 0
    uniformTissue = raster.labels.allSatisfy { $0 == first } ? Int(first) : nil
    let alphas = map.tissues.map { $0.attenuationDbPerCmPerMHzLinear(at: centreFrequencyHz) }
    maximumAttenuationDbPerCmPerMHz = alphas.max() ?? 0
    attenuationPerMetre = alphas.map { Float($0 * 100) }
    slowness = map.tissues.map { Float(1 / $0.soundSpeedMetresPerSecond) }
    speed = map.tissues.map { Float($0.soundSpeedMetresPerSecond) }
    impedance = map.tissues.map { Float($0.impedanceRayl) }
  }

  /// The one-way factor √(1 − R(θ)²) of crossing from tissue `a` into tissue `b` at (x, z) along the in-plane unit
  /// direction (dx, dz) (see the type's doc).
  func crossing(from a: Int, to b: Int, x: Float, z: Float, directionX dx: Float, directionZ dz: Float) -> Float {
    var cosine: Float = 1
    if interfacesAtIncidence {
      let n = map.interfaceNormal(x: Double(x), z: Double(z), between: a, and: b)
      cosine = min(1, abs(Float(n.x) * dx + Float(n.y) * dz))
    }
    return Self.transmissionFactor(
      cosIncidence: cosine, speeds: (speed[a], speed[b]), impedances: (impedance[a], impedance[b]))
  }

  /// √(1 − R²) for the Fresnel R of two fluids, the geometric angle taken on the slower side (see the type's doc);
  /// symmetric in the two tissues.
  static func transmissionFactor(
    cosIncidence: Float, speeds: (Float, Float), impedances: (Float, Float)
  ) -> Float {
    let slowFirst = speeds.0 <= speeds.1
    let (c1, c2) = slowFirst ? speeds : (speeds.1, speeds.0)
    let (z1, z2) = slowFirst ? impedances : (impedances.1, impedances.0)
    let cos1 = cosIncidence
    let sin2 = c2 / c1 * (max(0, 1 - cos1 * cos1)).squareRoot()
    if sin2 >= 1 { return 0 }
    let cos2 = (1 - sin2 * sin2).squareRoot()
    let r = (z2 * cos1 - z1 * cos2) / (z2 * cos1 + z1 * cos2)
    return max(0, 1 - r * r).squareRoot()
  }

  /// This medium with its paths tabulated for the probe whose elements are at (x, z) (``TissuePathTable``): anchors
  /// about 3 mm apart, rays to `maximumRangeMetres`. Tables are exact on each anchor's rays up to the bilinear
  /// reading; ``path(from:to:length:)`` stays the exact march. A one-tissue medium needs no table.
  public func tabulated(forElementsX x: [Double], z: [Double], maximumRangeMetres: Double, threads: Int) -> TissueMedium
  {
    if uniformTissue != nil { return self }
    var copy = self
    let pitch = x.count > 1 ? hypot(x[1] - x[0], z[1] - z[0]) : 1
    copy.table = TissuePathTable(
      medium: self, elementsX: x.map(Float.init), elementsZ: z.map(Float.init), stride: max(1, Int(3e-3 / pitch)),
      maximumRange: Float(maximumRangeMetres), threads: threads)
    return copy
  }

  public func paths(
    fromElementsX x: UnsafePointer<Float>, z: UnsafePointer<Float>, to point: SIMD3<Float>,
    lengths: UnsafePointer<Float>, count: Int, into out: PathBuffers
  ) {
    if let k = uniformTissue {
      // One tissue: A = α·r, t = r/c (the tissue's c when times follow the tissues), no interface.
      let alpha = attenuationPerMetre[k]
      let slow = speedsAlongPaths ? slowness[k] : 1 / Float(soundSpeedMetresPerSecond)
      for e in 0..<count {
        out.times[e] = slow * lengths[e]
        out.attenuations[e] = alpha * lengths[e]
        out.transmissions[e] = 1
      }
      return
    }
    if let table, table.elementCount == count {
      table.paths(
        to: point, lengths: lengths, tissue: map.tissueIndex(x: Double(point.x), z: Double(point.z)),
        speedsAlongPaths: speedsAlongPaths, soundSpeed: Float(soundSpeedMetresPerSecond), into: out)
      return
    }
    for e in 0..<count {
      let p = path(from: SIMD3(x[e], 0, z[e]), to: point, length: lengths[e])
      out.times[e] = p.travelTimeSeconds
      out.attenuations[e] = p.attenuationDbAt1MHz
      out.transmissions[e] = p.transmission
    }
  }

  /// Marches the in-plane ray from (x, z) along the unit direction, half a raster cell per step as
  /// ``path(from:to:length:)`` does, writing (attenuation dB at 1 MHz, travel time at the tissues' speeds,
  /// transmission, index of the tissue the ray is in) after every `recordEvery` metres, `count` times, into `out`.
  func march(
    fromX x: Float, z: Float, directionX dx: Float, directionZ dz: Float, recordEvery step: Float, count: Int,
    into out: UnsafeMutablePointer<Float>
  ) {
    let sub = max(1, Int((step / (raster.cell * 0.5)).rounded(.up)))
    let ds = step / Float(sub)
    // Position in cells: half-step i is at (u0 + (i + ½)·du, v0 + (i + ½)·dv).
    let inverseCell = 1 / raster.cell
    let u0 = (x - raster.x0) * inverseCell
    let v0 = (z - raster.z0) * inverseCell
    let du = dx * ds * inverseCell
    let dv = dz * ds * inverseCell
    let columns = raster.columns
    let lastColumn = Float(columns - 1)
    let lastRow = Float(raster.rows - 1)
    var att: Float = 0
    var time: Float = 0
    var trans: Float = 1
    var previous = raster.label(x: x, z: z)
    out[0] = 0
    out[1] = 0
    out[2] = 1
    out[3] = Float(previous)
    raster.labels.withUnsafeBufferPointer { labels in
      attenuationPerMetre.withUnsafeBufferPointer { alpha in
        slowness.withUnsafeBufferPointer { slow in
          // Half a cell per step. A downward ray that has left the grid below, or sideways while moving away from
          // it, never comes back to where the scatterers are: from there on it stays in the last tissue it was in.
          var outside = false
          for k in 1..<count {
            for m in 0..<sub {
              if !outside {
                let i = Float((k - 1) * sub + m) + 0.5
                let u = u0 + i * du
                let v = v0 + i * dv
                outside = (u < 0 && du <= 0) || (u >= lastColumn + 1 && du >= 0) || v >= lastRow + 1
                if !outside {
                  let label = Int(labels[Int(max(v, 0)) * columns + Int(min(max(u, 0), lastColumn))])
                  if label != previous {
                    trans *= crossing(
                      from: previous, to: label, x: raster.x0 + u * raster.cell, z: raster.z0 + v * raster.cell,
                      directionX: dx, directionZ: dz)
                    previous = label
                  }
                }
              }
              att += alpha[previous] * ds
              time += slow[previous] * ds
            }
            out[4 * k] = att
            out[4 * k + 1] = time
            out[4 * k + 2] = trans
            out[4 * k + 3] = Float(previous)
          }
        }
      }
    }
  }

  public func path(from a: SIMD3<Float>, to b: SIMD3<Float>, length: Float) -> AcousticPath {
    if let k = uniformTissue {
      let time = speedsAlongPaths ? slowness[k] * length : length / Float(soundSpeedMetresPerSecond)
      return AcousticPath(travelTimeSeconds: time, attenuationDbAt1MHz: attenuationPerMetre[k] * length)
    }
    let n = map.tissues.count
    let dx = b.x - a.x
    let dz = b.z - a.z
    let rho = (dx * dx + dz * dz).squareRoot()
    let (ux, uz) = rho > 0 ? (dx / rho, dz / rho) : (0, 1)
    // Half a cell per step: every cell the segment crosses by more than half a cell is visited.
    let steps = max(1, Int((rho / (raster.cell * 0.5)).rounded(.up)))
    var lengths = [Float](repeating: 0, count: n)
    var trans: Float = 1
    var previous = raster.label(x: a.x + dx * (0.5 / Float(steps)), z: a.z + dz * (0.5 / Float(steps)))
    let stepLength = length / Float(steps)
    for k in 0..<steps {
      let f = (Float(k) + 0.5) / Float(steps)
      let label = raster.label(x: a.x + dx * f, z: a.z + dz * f)
      if label != previous {
        trans *= crossing(from: previous, to: label, x: a.x + dx * f, z: a.z + dz * f, directionX: ux, directionZ: uz)
        previous = label
      }
      lengths[label] += stepLength
    }
    var att: Float = 0
    var time: Float = 0
    for k in 0..<n {
      att += attenuationPerMetre[k] * lengths[k]
      time += slowness[k] * lengths[k]
    }
    if !speedsAlongPaths { time = length / Float(soundSpeedMetresPerSecond) }
    return AcousticPath(travelTimeSeconds: time, attenuationDbAt1MHz: att, transmission: trans)
  }
}

/// A ``TissueMap`` sampled on a regular grid of the scan plane: the tissue index of each cell's centre.
struct TissueRaster: Sendable {
  let x0: Float
  let z0: Float
  let cell: Float
  let columns: Int
  let rows: Int
  /// labels[row · columns + column]
  let labels: [UInt8]

  init(map: TissueMap, field: Field, cellMetres: Double, threads: Int) {
    precondition(map.tissues.count <= 256, "at most 256 tissues")
    x0 = Float(field.xMin)
    z0 = Float(field.zMin)
    cell = Float(cellMetres)
    columns = max(1, Int(((field.xMax - field.xMin) / cellMetres).rounded(.up)))
    rows = max(1, Int(((field.zMax - field.zMin) / cellMetres).rounded(.up)))
    var l = [UInt8](repeating: 0, count: columns * rows)
    let (nc, nr) = (columns, rows)
    // Cell centres along x, the same for every row.
    let xs = (0..<nc).map { field.xMin + (Double($0) + 0.5) * cellMetres }
    l.withUnsafeMutableBufferPointer { buffer in
      let out = buffer.baseAddress!
      Parallel.forEach(count: nr, threads: threads) { r in
        let z = field.zMin + (Double(r) + 0.5) * cellMetres
        for (c, t) in map.tissueIndices(row: xs, z: z).enumerated() { out[r * nc + c] = UInt8(t) }
      }
    }
    labels = l
  }

  /// The label of the cell holding (x, z), or of the nearest cell outside the grid.
  @inline(__always)
  func label(x: Float, z: Float) -> Int {
    let c = min(columns - 1, max(0, Int(((x - x0) / cell).rounded(.down))))
    let r = min(rows - 1, max(0, Int(((z - z0) / cell).rounded(.down))))
    return Int(labels[r * columns + c])
  }
}
