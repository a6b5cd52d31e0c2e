import Foundation

extension Needle {
  /// The echoes of a shaft's finish (``NeedleSurface``) besides its mirror: points drawn uniformly over the whole
  /// circumference between the finish's distances from the tip (a rough shaft: its whole length), their number Poisson
  /// with mean `n·2πa·L`; along a Quincke bevel only where its cut leaves steel (for a bevel up, the lower side near
  /// the point), behind a Tuohy's curve or a pencil point's cone. Each is insonified from the direction `source` gives
  /// at its place (straight up for a linear array, toward the sector's apex for a convex or phased one); θ is the
  /// angle between that direction and the outward normal, and points facing away (θ ≥ 90°) return nothing — the steel
  /// lies between them and the probe. A point's echo is taken at that one angle for every element and at the probe's
  /// centre frequency (wavenumber `k`, rad/m, in `surrounding`), times `scale` (the calibration's unit for a
  /// scattering amplitude in metres, ``EchoCalibration/pointScatteringScale(frequencyHz:thicknessMetres:)``).
  /// Deterministic for `seed` (stream 3001). Nothing for a plain shaft.
  ///
  /// - A dimple sits at the centre of its opening on the outer surface (0.01 mm outside it, in the tissue the sound
  ///   arrives through), of scattering amplitude `|f_cap − f_disc|` (``SurfacePit``) at θ.
  /// - A bubble of the coating sits on the steel (the coating being much thinner than a wavelength), of amplitude
  ///   `|f_b|·(1 + R)²` (``CoatingBubble``, R the tissue-to-steel reflection): the wall doubles, nearly, both the
  ///   pressure that drives the bubble (incident plus reflected wave) and what it sends back (the bubble and its
  ///   image in the wall), the same at every θ — the echo of a coating does not depend on the needle's angle.
  /// - A rough shaft is sampled at `n = 16/λ²` points per unit area (about λ/4 apart), each of Gaussian amplitude
  ///   (stream 3002) with variance `S(θ)/n`, S the diffuse backscatter per unit area
  ///   (``SurfaceRoughness/backscatter(wavenumber:incidenceRadians:reflection:)``): their echoes add with random
  ///   phases to the surface's mean diffuse power.
  public func surfaceEchoes(
    wavenumber k: Double, surrounding: Tissue, insonifiedFrom source: SpecularIncidence, scale: Double, seed: UInt64
  ) -> ScattererSet {
    let r = surrounding.reflection(into: .steel)
    switch surface {
    case .plain: return ScattererSet()
    case .dimpled(let pattern):
      // |f(θ)| every half degree, 0…90°.
      let table = (0...180).map { i -> Double in
        let f = pattern.pit.echo(wavenumber: k, incidenceRadians: Double(i) * Double.pi / 360, reflection: r)
        return (f * f).sum().squareRoot()
      }
      return points(of: pattern, insonifiedFrom: source, scale: scale, seed: seed) { theta in
        let u = theta * 360 / Double.pi
        let i = min(Int(u), 179)
        return table[i] + (table[i + 1] - table[i]) * (u - Double(i))
      }
    case .coated(let coating):
      let frequency = k * surrounding.soundSpeedMetresPerSecond / (2 * Double.pi)
      let f = coating.bubble.echo(frequencyHz: frequency, in: surrounding)
      let amplitude = (f * f).sum().squareRoot() * (1 + r) * (1 + r)
      return points(of: coating, insonifiedFrom: source, scale: scale, seed: seed) { _ in amplitude }
    case .rough(let roughness):
      let perSquareMetre = 16 * k * k / (4 * Double.pi * Double.pi)
      let sampled = ShaftPattern(
        roughness, perSquareMillimetre: perSquareMetre * 1e-6, fromTipMetres: 0...lengthMetres)
      var amplitudes = RandomSource.derived(seed: seed, purpose: 3002)
      return points(of: sampled, insonifiedFrom: source, scale: scale, seed: seed) { theta in
        let s = roughness.backscatter(wavenumber: k, incidenceRadians: theta, reflection: r)
        return amplitudes.gaussian() * (s / perSquareMetre).squareRoot()
      }
    }
  }

  /// The points of `pattern` on the shaft, each of amplitude `echo(θ)·scale`.
  private func points<Feature>(
    of pattern: ShaftPattern<Feature>, insonifiedFrom source: SpecularIncidence, scale: Double, seed: UInt64,
    echo: (Double) -> Double
  ) -> ScattererSet {
    let a = outerDiameterMetres / 2
    // A Quincke's cut leaves its steel on one side of the bevel's plane, which runs from the point (height −a,
    // bevel up) to the heel (+a) over L = OD/tan β: pits and bubbles lie on what is left. Tuohy and pencil tips
    // keep theirs behind the curve or the cone.
    let bevelLength = tip == .quincke ? outerDiameterMetres / tan(Self.bevelAngle) : 0
    let start = max(pattern.fromTipMetres.lowerBound, tip == .quincke ? 0 : tipSurface().setback)
    let length = min(pattern.fromTipMetres.upperBound, lengthMetres) - start
    guard length > 0 else { return ScattererSet() }
    let b = backward
    let up = upward
    let across = SIMD3(b.y * up.z - b.z * up.y, b.z * up.x - b.x * up.z, b.x * up.y - b.y * up.x)
    var rng = RandomSource.derived(seed: seed, purpose: 3001)
    let count = rng.poisson(mean: pattern.perSquareMillimetre * 1e6 * 2 * Double.pi * a * length)
    var set = ScattererSet()
    for _ in 0..<count {
      let s = rng.uniform(start, start + length)
      let phi = rng.uniform(0, 2 * Double.pi)
      if s < bevelLength {
        // At s from the point the plane stands at height a(2s/L − 1) above the axis (bevel up; mirrored down).
        let cut = 2 * s / bevelLength - 1
        guard bevel == .up ? cos(phi) <= cut : cos(phi) >= -cut else { continue }
      }
      let normal = up * cos(phi) + across * sin(phi)
      let p = tipPoint + b * s + normal * (a + 1e-5)
      guard p.z > 0 else { continue }
      let toward = source.towardSource(at: p)
      let cosTheta = (normal * toward).sum()
      guard cosTheta > 0 else { continue }
      let f = echo(acos(min(1, cosTheta)))
      set.append(xMetres: Float(p.x), yMetres: Float(p.y), zMetres: Float(p.z), amplitude: Float(f * scale))
    }
    return set
  }
}

extension SpecularIncidence {
  /// The unit vector (x, y, z) from `p` toward where the sound comes from: against `.along`'s direction, toward
  /// `.from`'s point (in the scan plane, y = 0), straight up for `.normal`.
  func towardSource(at p: SIMD3<Double>) -> SIMD3<Double> {
    let v: SIMD3<Double>
    switch self {
    case .normal: v = SIMD3(0, 0, -1)
    case .along(let d): v = SIMD3(-d.x, 0, -d.y)
    case .from(let o): v = SIMD3(o.x - p.x, -p.y, o.y - p.z)
    }
    return v / (v * v).sum().squareRoot()
  }
}
