import Foundation

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
/// nothing past the critical angle), which changes faster across the array than the per-metre quantities: it is
/// read from both anchors along the element's own direction to the point (the anchors' rays parallel to the
/// element's, which cross a flat interface at the same angle) and blended the same way.
struct TissuePathTable: Sendable {
  let elementCount: Int
  let elementX: [Float]
  let elementZ: [Float]
  let anchors: [Int]
  let anchorX: [Float]
  let anchorZ: [Float]
  let directions: Int
  let rangeStep: Float
  let ranges: Int
  /// [anchor][direction][range] × (attenuation dB at 1 MHz, time s, transmission), interleaved.
  let values: [Float]

  init(medium: TissueMedium, elementsX: [Float], elementsZ: [Float], stride: Int, directions: Int = 721,
       rangeStep: Float = 0.5e-3, maximumRange: Float, threads: Int) {
    elementCount = elementsX.count
    elementX = elementsX
    elementZ = elementsZ
    var a = Array(Swift.stride(from: 0, to: elementsX.count, by: max(1, stride)))
    if a.last != elementsX.count - 1 { a.append(elementsX.count - 1) }
    anchors = a
    anchorX = a.map { elementsX[$0] }
    anchorZ = a.map { elementsZ[$0] }
    self.directions = directions
    self.rangeStep = rangeStep
    ranges = Int((maximumRange / rangeStep).rounded(.up)) + 2
    let perAnchor = directions * ranges * 3
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
          into: out + (k * nd + item % nd) * nr * 3)
      }
    }
    values = v
  }

  /// The paths from every element to (x, y, z) into `out`; `lengths` are the 3-D element-to-point lengths.
  func paths(
    to p: SIMD3<Float>, lengths: UnsafePointer<Float>, speedsAlongPaths: Bool, soundSpeed c0: Float,
    into out: PathBuffers
  ) {
    let count = anchors.count
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * count) { perMetre in
      values.withUnsafeBufferPointer { table in
        for k in 0..<count {
          let dx = p.x - anchorX[k]
          let dz = p.z - anchorZ[k]
          let rho = max((dx * dx + dz * dz).squareRoot(), 1e-6)
          let u = min(max((dx / rho + 1) * Float(directions - 1) / 2, 0), Float(directions - 1) - 1e-3)
          let v = min(rho / rangeStep, Float(ranges - 1) - 1e-3)
          let iu = Int(u)
          let iv = Int(v)
          let fu = u - Float(iu)
          let fv = v - Float(iv)
          for q in 0..<3 {
            func at(_ d: Int, _ r: Int) -> Float { table[((k * directions + d) * ranges + r) * 3 + q] }
            let lo = at(iu, iv) + fv * (at(iu, iv + 1) - at(iu, iv))
            let hi = at(iu + 1, iv) + fv * (at(iu + 1, iv + 1) - at(iu + 1, iv))
            let value = lo + fu * (hi - lo)
            perMetre[3 * k + q] = q == 2 ? value : value / rho
          }
        }
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
          if e == e0 || e == e1 {
            out.transmissions[e] = perMetre[3 * (e == e0 ? j : j + 1) + 2]
          } else {
            // Both anchors along this element's direction to the point, at its range.
            let dx = p.x - elementX[e]
            let dz = p.z - elementZ[e]
            let rho = max((dx * dx + dz * dz).squareRoot(), 1e-6)
            let t0 = transmission(anchor: j, sine: dx / rho, range: rho)
            let t1 = transmission(anchor: j + 1, sine: dx / rho, range: rho)
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

  /// Anchor k's transmission along the ray of sin θ = `sine` at `range` (m), by bilinear interpolation.
  @inline(__always)
  func transmission(anchor k: Int, sine: Float, range: Float) -> Float {
    let u = min(max((sine + 1) * Float(directions - 1) / 2, 0), Float(directions - 1) - 1e-3)
    let v = min(range / rangeStep, Float(ranges - 1) - 1e-3)
    let iu = Int(u)
    let iv = Int(v)
    let fu = u - Float(iu)
    let fv = v - Float(iv)
    return values.withUnsafeBufferPointer { table in
      func at(_ d: Int, _ r: Int) -> Float { table[((k * directions + d) * ranges + r) * 3 + 2] }
      let lo = at(iu, iv) + fv * (at(iu, iv + 1) - at(iu, iv))
      let hi = at(iu + 1, iv) + fv * (at(iu + 1, iv + 1) - at(iu + 1, iv))
      return lo + fu * (hi - lo)
    }
  }
}
