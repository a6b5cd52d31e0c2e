import KernelSupport

/// Paths through a ``TissueMedium`` tabulated for one probe, so that a scatterer's paths to all elements cost a few
/// table reads instead of one ray march per element.
///
/// **Anchors.** Every `stride`-th element (and the last) is an anchor. From each anchor, rays fan out downward at
/// uniform steps of `s = sin θ = Δx/ρ` (`directions` of them over [−1, 1]); each is marched once through the
/// raster, and its running attenuation, travel time and transmission are stored every `rangeStep` metres.
///
/// **Lookup.** For a point, each anchor's values at (s, ρ) come from bilinear interpolation; they are turned into
/// per-metre quantities — mean attenuation ᾱ = A/ρ (dB at 1 MHz per m) and mean slowness t/ρ — which vary slowly
/// across the array, and interpolated linearly between the two anchors around each element, together with the
/// transmission. Each element then gets A = ᾱ·r and t = (t/ρ)·r with its own 3-D length r. Shadow edges seen by
/// elements between anchors are therefore blurred over one anchor spacing (a few mm), less than the aperture blurs
/// them in the image. The transmission depends on the angle at which the path meets each interface (Fresnel, and
/// nothing past the critical angle, when the medium's `interfacesAtIncidence` is on), which changes faster across
/// the array than the per-metre quantities: it is then read from both anchors along the element's own direction to
/// the point (the anchors' rays parallel to the element's, which cross a flat interface at the same angle) and
/// blended the same way. At normal incidence it is blended from the anchors' own rays like the rest.
///
/// **Near interfaces.** Along a ray the quantities kink where it crosses an interface, so interpolating between two
/// range samples either side of a face would give a point just above a bone some of the bone's loss (and a point
/// just below only part of it). Each sample therefore also records the tissue the ray is in there; when one of the
/// two samples around the point is in the point's own tissue (``TissueMedium`` gives it from the map's exact
/// geometry) and the other is not, the values are extended from that sample through the point's tissue alone
/// (attenuation and time at its rate, transmission unchanged), so the face's loss lands exactly where the face is.
struct TissuePathTable: Sendable {
  let elementCount: Int
  let elementX: [Float]
  let elementZ: [Float]
  /// Whether each element's transmission is read along its own direction (interfaces at incidence).
  let transmissionAlongElements: Bool
  let anchors: [Int]
  let anchorX: [Float]
  let anchorZ: [Float]
  let directions: Int
  let rangeStep: Float
  let ranges: Int
  /// [anchor][direction][range] × (attenuation dB at 1 MHz, time s, transmission, tissue index), interleaved.
  let values: [Float]
  /// Per tissue: attenuation (dB at 1 MHz per metre) and slowness (s/m), for extending a sample through it.
  let attenuationPerMetre: [Float]
  let slowness: [Float]
  /// Values per sample in `values`.
  static var stride: Int { 4 }

  init(
    medium: TissueMedium, elementsX: [Float], elementsZ: [Float], stride: Int, directions: Int = 721,
    rangeStep: Float = 0.5e-3, maximumRange: Float, threads: Int
  ) {
    elementCount = elementsX.count
    elementX = elementsX
    elementZ = elementsZ
    transmissionAlongElements = medium.interfacesAtIncidence
    var a = Array(Swift.stride(from: 0, to: elementsX.count, by: max(1, stride)))
    if a.last != elementsX.count - 1 { a.append(elementsX.count - 1) }
    anchors = a
    anchorX = a.map { elementsX[$0] }
    anchorZ = a.map { elementsZ[$0] }
    self.directions = directions
    self.rangeStep = rangeStep
    ranges = Int((maximumRange / rangeStep).rounded(.up)) + 2
    attenuationPerMetre = medium.attenuationPerMetre
    slowness = medium.slowness
    let width = Self.stride
    let perAnchor = directions * ranges * width
    var v = [Float](repeating: 0, count: a.count * perAnchor)
    let (ax, az, nd, nr, step) = (anchorX, anchorZ, directions, ranges, rangeStep)
    v.withUnsafeMutableBufferPointer { buffer in
      let out = buffer.baseAddress!
      Parallel.forEach(count: a.count * nd, threads: threads) { item in
        let k = item / nd
        let s = -1 + 2 * Float(item % nd) / Float(nd - 1)
        let c = max(0, 1 - s * s).squareRoot()
        medium.march(
          fromX: ax[k], z: az[k], directionX: s, directionZ: c, recordEvery: step, count: nr,
          into: out + (k * nd + item % nd) * nr * width)
      }
    }
    values = v
  }

  /// The paths from every element to (x, y, z) into `out`; `lengths` are the 3-D element-to-point lengths, and
  /// `tissue` the index of the tissue at the point.
  func paths(
    to p: SIMD3<Float>, lengths: UnsafePointer<Float>, tissue: Int, speedsAlongPaths: Bool, soundSpeed c0: Float,
    into out: PathBuffers
  ) {
    let count = anchors.count
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * count) { perMetre in
      for k in 0..<count {
        let dx = p.x - anchorX[k]
        let dz = p.z - anchorZ[k]
        let rho = max((dx * dx + dz * dz).squareRoot(), 1e-6)
        let s = sample(anchor: k, sine: dx / rho, range: rho, tissue: tissue)
        perMetre[3 * k] = s.attenuation / rho
        perMetre[3 * k + 1] = s.time / rho
        perMetre[3 * k + 2] = s.transmission
      }
      for j in 0..<count - 1 {
        let e0 = anchors[j]
        let e1 = anchors[j + 1]
        let last = j == count - 2 ? e1 : e1 - 1
        for e in e0...last {
          let w = e1 == e0 ? 0 : Float(e - e0) / Float(e1 - e0)
          func mix(_ q: Int) -> Float { perMetre[3 * j + q] + w * (perMetre[3 * (j + 1) + q] - perMetre[3 * j + q]) }
          out.attenuations[e] = mix(0) * lengths[e]
          out.times[e] = speedsAlongPaths ? mix(1) * lengths[e] : lengths[e] / c0
          if !transmissionAlongElements || e == e0 || e == e1 {
            out.transmissions[e] = mix(2)
          } else {
            // Both anchors along this element's direction to the point, at its range.
            let dx = p.x - elementX[e]
            let dz = p.z - elementZ[e]
            let rho = max((dx * dx + dz * dz).squareRoot(), 1e-6)
            let t0 = sample(anchor: j, sine: dx / rho, range: rho, tissue: tissue).transmission
            let t1 = sample(anchor: j + 1, sine: dx / rho, range: rho, tissue: tissue).transmission
            out.transmissions[e] = t0 + w * (t1 - t0)
          }
        }
      }
      if count == 1 {
        out.attenuations[0] = perMetre[0] * lengths[0]
        out.times[0] = speedsAlongPaths ? perMetre[1] * lengths[0] : lengths[0] / c0
        out.transmissions[0] = perMetre[2]
      }
    }
  }

  /// Anchor k's attenuation (dB at 1 MHz), time (s) and transmission along the ray of sin θ = `sine` at `range`
  /// (m), for a point in tissue `tissue`: bilinear in direction and range, except across a face (see the type's
  /// doc), where they are extended from the range sample on the point's side.
  @inline(__always)
  func sample(
    anchor k: Int, sine: Float, range: Float, tissue: Int
  ) -> (attenuation: Float, time: Float, transmission: Float) {
    let u = min(max((sine + 1) * Float(directions - 1) / 2, 0), Float(directions - 1) - 1e-3)
    let v = min(range / rangeStep, Float(ranges - 1) - 1e-3)
    let iu = Int(u)
    let iv = Int(v)
    let fu = u - Float(iu)
    let fv = v - Float(iv)
    let w = Self.stride
    return values.withUnsafeBufferPointer { table in
      func at(_ d: Int, _ r: Int, _ q: Int) -> Float { table[((k * directions + d) * ranges + r) * w + q] }
      // Each quantity at the two range samples, interpolated in direction.
      func lower(_ q: Int) -> Float { at(iu, iv, q) + fu * (at(iu + 1, iv, q) - at(iu, iv, q)) }
      func upper(_ q: Int) -> Float { at(iu, iv + 1, q) + fu * (at(iu + 1, iv + 1, q) - at(iu, iv + 1, q)) }
      // A range sample is on the point's side when both rays around the point's direction are in its tissue there.
      let below = Int(at(iu, iv, 3)) == tissue && Int(at(iu + 1, iv, 3)) == tissue
      let above = Int(at(iu, iv + 1, 3)) == tissue && Int(at(iu + 1, iv + 1, 3)) == tissue
      if below && !above {
        let d = range - Float(iv) * rangeStep
        return (lower(0) + attenuationPerMetre[tissue] * d, lower(1) + slowness[tissue] * d, lower(2))
      }
      if above && !below {
        let d = Float(iv + 1) * rangeStep - range
        return (upper(0) - attenuationPerMetre[tissue] * d, upper(1) - slowness[tissue] * d, upper(2))
      }
      return (
        lower(0) + fv * (upper(0) - lower(0)), lower(1) + fv * (upper(1) - lower(1)),
        lower(2) + fv * (upper(2) - lower(2))
      )
    }
  }
}
