import Foundation

extension Needle {
  /// The needle's echoes as scatterers: the shaft's upper wall as a specular line with the reverberations that ring
  /// in its wall and lumen, and the surfaces its tip type gives it.
  ///
  /// - Shaft: points every λ/4 along the outer surface facing the probe (half the outer diameter above the axis in
  ///   the scan plane, at the shaft's elevation), amplitude `R·Δ/√λ` as for a mirror
  ///   (``TissueMap/interfaces(in:wavelengthMetres:seed:model:incidence:)``), R each copy of the wall's echo train, times
  ///   the geometric-optics loss of a convex cylinder of radius a against a plane at range z, `√(a/(a + 2z))` (its
  ///   reflected wave spreads from a virtual line a/2 behind the surface). The echo is strong only when the beam
  ///   meets the shaft at right angles and fades at steep insertion angles because the points add coherently, not
  ///   through any angle factor; the thicker the needle, the stronger it is.
  /// - Reverberation: the wall's echo is the echo train `wall` (``EchoTrain``): the steel wall's own echo and the
  ///   copies that rang in the wall and the lumen below it (the layered-media calculation of the physics core,
  ///   `NeedleWallEcho`), each a point at the same place with its own extra time (``ScattererSet/delaySeconds``). A
  ///   copy thus carries the attenuation of the path to the wall only, and the image shows it further along the
  ///   beam, as a scanner shows a comet tail: straight down from a linear array, along the ray from the virtual apex
  ///   of a convex or phased one. Without `wall` the wall is a plain steel interface (one copy, R). Over a dimpled
  ///   stretch (``NeedleSurface``) the wall keeps `1 − coverage` of its mirror, a rough shaft its coherent share; the
  ///   pits' own echoes, a coating's bubbles' and a rough shaft's diffuse echo are
  ///   ``surfaceEchoes(wavenumber:surrounding:insonifiedFrom:scale:seed:)``.
  /// - Tip (``tipSurface``): a Quincke bevel's face, a Tuohy's curve or a pencil point's cone, each a specular
  ///   surface at its own angle, so each tip type answers a different steering; through an open bevel, the lumen's
  ///   content and (saline) the inside of the lower wall. Each stretch reflects with what it is: R(tissue → steel)
  ///   for steel, R(tissue → lumen) over the lumen's chord of the face, `(1 − R(tissue → lumen)²)·R(lumen → steel)`
  ///   for the wall seen across the lumen. The tip returns nothing else: no point of its own, so a steep tip shows
  ///   only where its surfaces end (the surface integral's end contributions) and fades as a steep shaft does.
  ///
  /// With the physical calibration (`model: .physical`) no factor is imposed: every point is a strip of a Kirchhoff
  /// sheet of amplitude `R·Δ/λ` (``TissueMap/interfaces(in:wavelengthMetres:seed:model:incidence:)``) whose elevation
  /// extent the physics core integrates (``ScattererSet/sheetRadius``): the shaft and its ringing copies a cylinder of
  /// the needle's radius, a Tuohy's curve or a cone's line a cylinder of the local radius, a bevel's face and its
  /// opening flat faces of their elevation widths, the lower wall's inside (concave, radius Rᵢ) a cylinder of radius
  /// Rᵢ — the same magnitude to 1 + Rᵢ/z; the sign of the curvature turns the echo's phase by π/2, which the
  /// envelope does not see. Radii and widths are rounded to quarters of the outer radius (at least one
  /// quarter), so that a needle needs at most a handful of elevation tables.
  public func echoes(
    wavelengthMetres lambda: Double, surrounding: Tissue, wall: EchoTrain? = nil, model: EchoCalibration = .relative
  ) -> ScattererSet {
    let sheets = model == .physical
    let r = surrounding.reflection(into: .steel)
    let train = wall ?? .interface(r)
    let a = outerDiameterMetres / 2
    let spacing = lambda / 4
    let unit = model.specularAmplitude(spacingMetres: spacing, wavelengthMetres: lambda)
    /// A radius or half-width rounded to quarters of the outer radius.
    func rounded(_ r: Double) -> Float { Float(max(1, (4 * r / a).rounded()) * a / 4) }
    let b = backward
    let up = upward
    let surface = tipSurface()
    // The straight shaft, from where the tip's surface takes over back to the entry.
    let start = tipPoint + b * surface.setback
    let along = entryPoint - start
    let length = (along * along).sum().squareRoot()
    var set = ScattererSet()
    func cylinder(radius: Double, z: Double) -> Double { sheets ? 1 : (radius / (radius + 2 * z)).squareRoot() }
    let shaftSheet: Float = sheets ? Float(a) : 0
    let n = max(1, Int((length / spacing).rounded(.up)))
    // Over a dimpled stretch the mirror is what is left of the plane between the pits (``DimplePattern/coverage``); a
    // rough shaft keeps the coherent share of its mirror (``SurfaceRoughness/coherentShare(wavenumber:)``).
    let pattern = self.surface.dimples
    let coherent = self.surface.roughness?.coherentShare(wavenumber: 2 * Double.pi / lambda) ?? 1
    for i in 0..<n {
      let t = (Double(i) + 0.5) * length / Double(n)
      let p = start + b * t + up * a
      guard p.z > 0 else { continue }
      var loss = cylinder(radius: a, z: p.z) * coherent
      if let pattern, pattern.fromTipMetres.contains(surface.setback + t) { loss *= 1 - pattern.coverage }
      for (delay, factor) in zip(train.delaysSeconds, train.amplitudes) {
        set.append(
          xMetres: Float(p.x), yMetres: Float(p.y), zMetres: Float(p.z), amplitude: Float(factor * unit * loss),
          sheetRadius: shaftSheet, delaySeconds: Float(delay))
      }
    }
    // The tip's surface: points every λ/4 along its lines in the scan plane, each with the reflection of what it is.
    let lumen = lumenContent.tissue
    let intoLumen = surrounding.reflection(into: lumen)
    for (p, width, radius, facing) in surface.points(spacing: spacing) where p.z > 0 {
      let reflection =
        switch facing {
        case .steel: r
        case .lumenOverSteel: intoLumen - r
        case .lumenWall: (1 - intoLumen * intoLumen) * lumen.reflection(into: .steel)
        }
      if sheets {
        // A face too narrow, or a cone's radius too small, to round to a quarter of the outer radius is left out.
        guard (radius ?? width / 2) > a / 8 else { continue }
        let code = radius.map(rounded) ?? -rounded(width / 2)
        set.append(
          xMetres: Float(p.x), yMetres: Float(p.y), zMetres: Float(p.z), amplitude: Float(reflection * unit),
          sheetRadius: code)
        continue
      }
      // A flat face of elevation width w against the cylinder's coherent strip: w / √(λz) in place of √(a/(a+2z)).
      let loss = radius.map { cylinder(radius: $0, z: p.z) } ?? min(1, width / (lambda * p.z).squareRoot())
      guard loss > 0 else { continue }
      set.append(
        xMetres: Float(p.x), yMetres: Float(p.y), zMetres: Float(p.z), amplitude: Float(reflection * unit * loss))
    }
    return set
  }

  /// `s` without the scatterers inside the needle (tissue the shaft displaces carries none).
  public func displacing(_ s: ScattererSet) -> ScattererSet {
    let a = outerDiameterMetres / 2
    var out = ScattererSet()
    for i in 0..<s.count {
      let p = SIMD3(Double(s.x[i]), Double(s.y[i]), Double(s.z[i]))
      if distance(to: p) > a { out.append(i, of: s) }
    }
    return out
  }
}
