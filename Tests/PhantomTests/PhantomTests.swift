import Phantom
import XCTest

final class PhantomTests: XCTestCase {
  func testRandomSourceIsSeededAndStreamsAreIndependent() {
    var a = RandomSource(seed: 42)
    var b = RandomSource(seed: 42)
    XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
    var c = RandomSource.derived(seed: 42, purpose: 1)
    var d = RandomSource.derived(seed: 42, purpose: 2)
    XCTAssertNotEqual(c.next(), d.next())
    var g = RandomSource(seed: 1)
    let xs = (0..<20000).map { _ in g.gaussian() }
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
    XCTAssertEqual(mean, 0, accuracy: 0.03)
    XCTAssertEqual(variance, 1, accuracy: 0.05)
  }

  /// Density × area scatterers (Poisson: within 4σ), none inside a later anechoic region, amplitudes scaled by
  /// the echogenicity, and the same seed gives the same scatterers.
  func testRegionsAreLayeredAndDense() {
    let background = SpeckleRegion(
      shape: .rectangle(xMin: -0.01, xMax: 0.01, zMin: 0.01, zMax: 0.03), densityPerMm2: 10)
    let cyst = SpeckleRegion.anechoic(.disk(x: 0, z: 0.02, radius: 0.004))
    let bright = SpeckleRegion(
      shape: .ellipse(x: 0.006, z: 0.015, a: 0.002, b: 0.001, angle: 0.3), densityPerMm2: 10, echogenicityDb: 20)
    let ph = PhantomDescription(
      regions: [background, cyst, bright], points: [PointTarget(xMetres: 0, zMetres: 0.02, amplitude: 3)])
    let s = ph.scatterers(seed: 9)
    XCTAssertEqual(s, ph.scatterers(seed: 9))
    XCTAssertNotEqual(s, ph.scatterers(seed: 10))
    let expected = 10 * (400 - Double.pi * 16)
    let inBackground = (0..<s.count).filter { !bright.shape.contains(x: Double(s.x[$0]), z: Double(s.z[$0])) }.count - 1
    XCTAssertEqual(Double(inBackground), expected, accuracy: 4 * expected.squareRoot())
    for i in 0..<(s.count - 1) {
      XCTAssertFalse(cyst.shape.contains(x: Double(s.x[i]), z: Double(s.z[i])), "scatterer \(i) inside the cyst")
    }
    XCTAssertEqual(s.amplitude.last, 3)
    let brightAmps = (0..<(s.count - 1)).filter { bright.shape.contains(x: Double(s.x[$0]), z: Double(s.z[$0])) }.map {
      Double(s.amplitude[$0])
    }
    let rms = (brightAmps.reduce(0) { $0 + $1 * $1 } / Double(brightAmps.count)).squareRoot()
    XCTAssertEqual(rms, 10, accuracy: 3)
  }

  func testShapesContainAndMeasure() {
    XCTAssertEqual(RegionShape.disk(x: 0, z: 0, radius: 1).area, Double.pi, accuracy: 1e-12)
    let e = RegionShape.ellipse(x: 0, z: 0, a: 2, b: 1, angle: Double.pi / 2)
    XCTAssertTrue(e.contains(x: 0, z: 1.9))
    XCTAssertFalse(e.contains(x: 1.9, z: 0))
    XCTAssertEqual(e.bounds.zMax, 2, accuracy: 1e-12)
  }

  /// The needle's echo points lie on the needle: none ahead of the tip (a needle parallel to the probe, whose comet
  /// copies sit straight below the shaft), none above its upper wall, the tip surface where each type puts it (a
  /// Quincke bevel's heel OD/tan 15° back, where the straight upper wall ends).
  func testNeedleEchoesLieOnTheNeedle() {
    for tip in Needle.TipType.allCases {
      let needle = Needle(gauge: 18, tipX: 5e-3, tipZ: 30e-3, insertionAngleRadians: 0, tip: tip)
      let echoes = needle.echoes(wavelengthMetres: 0.2e-3, surrounding: .softTissue)
      let forward = needle.side == .left ? 1.0 : -1.0
      var ahead = -Double.infinity
      var shallowest = Double.infinity
      for i in 0..<echoes.count {
        ahead = max(ahead, (Double(echoes.x[i]) - needle.tipX) * forward)
        shallowest = min(shallowest, Double(echoes.z[i]))
      }
      XCTAssertLessThanOrEqual(ahead, 0.05e-3, "\(tip)")
      XCTAssertEqual(shallowest, needle.tipZ - needle.outerDiameterMetres / 2, accuracy: 0.05e-3, "\(tip)")
      let surface = needle.tipSurface()
      switch tip {
      case .quincke:
        XCTAssertEqual(surface.setback, 1.27e-3 / tan(15 * Double.pi / 180), accuracy: 1e-9)
      case .tuohy:
        XCTAssertEqual(surface.setback, 2 * 1.27e-3 * sin(0.349) / 0.349, accuracy: 0.05e-3)
      case .pencil:
        XCTAssertEqual(surface.setback, 0.635e-3 / tan(15 * Double.pi / 180), accuracy: 1e-9)
      }
    }
  }
  /// An open Quincke bevel (bevel up): the plane through the heel (upper wall, OD/tan 15° back) and the point (lower
  /// wall, at the tip) uncovers the lumen where it passes between ±Rᵢ, so the lower wall's inside shows over
  /// ID/tan 15°, Rᵢ below the axis, ending (a − Rᵢ)/tan 15° short of the tip. A stylet closes the face; air fills the
  /// opening but leaves no wall to see; a bevel turned down shows nothing of its own.
  func testOpenBevelShowsTheLowerWall() {
    let tanBeta = tan(15 * Double.pi / 180)
    for lumen in Needle.Lumen.allCases {
      var needle = Needle(gauge: 18, tipX: 5e-3, tipZ: 30e-3, insertionAngleRadians: 0.3)
      needle.lumen = lumen
      let (a, ri) = (needle.outerDiameterMetres / 2, needle.innerDiameterMetres / 2)
      let parts = needle.tipSurface().parts
      XCTAssertEqual(parts.contains { $0.facing == .lumenOverSteel }, lumen != .stylet, "\(lumen)")
      let walls = parts.filter { $0.facing == .lumenWall }
      XCTAssertEqual(walls.count, lumen == .saline ? 1 : 0, "\(lumen)")
      guard let wall = walls.first, let first = wall.vertices.first, let last = wall.vertices.last else { continue }
      for v in wall.vertices {
        let d = v.point - needle.tipPoint
        // Below the axis by Rᵢ, on the side away from the probe; a cylinder of radius Rᵢ.
        XCTAssertEqual((d * needle.upward).sum(), -ri, accuracy: 1e-9)
        XCTAssertEqual(v.radius ?? 0, ri, accuracy: 1e-12)
      }
      let back = { (v: SIMD3<Double>) in ((v - needle.tipPoint) * needle.backward).sum() }
      XCTAssertEqual(back(first.point) - back(last.point), 2 * ri / tanBeta, accuracy: 1e-9)
      XCTAssertEqual(back(last.point), (a - ri) / tanBeta, accuracy: 1e-9)
    }
    var down = Needle(gauge: 18, tipX: 5e-3, tipZ: 30e-3, insertionAngleRadians: 0.3, bevel: .down)
    down.lumen = .saline
    XCTAssertTrue(down.tipSurface().parts.isEmpty)
  }
}

/// Rows of points classified at once (``TissueMap/tissueIndices(row:z:)``, ``RegionShape/contains(row:z:)``) give
/// what the point-by-point tests give.
final class RowClassificationTests: XCTestCase {
  func testRowsMatchPointByPoint() {
    var random = RandomSource(seed: 11)
    for preset in AnatomyPreset.allCases {
      let anatomy = preset.build(AnatomyParameters())
      let xs = (0..<400).map { -40e-3 + Double($0) * 0.2e-3 } + (0..<100).map { _ in random.uniform(-45e-3, 45e-3) }
      var seen = Set<Int>()
      for row in 0..<120 {
        let z = Double(row) * 0.7e-3 + random.uniform(0, 0.1e-3)
        let expected = xs.map { anatomy.map.tissueIndex(x: $0, z: z) }
        let rowIndices = anatomy.map.tissueIndices(row: xs, z: z)
        let first = xs.indices.first { rowIndices[$0] != expected[$0] }
        XCTAssertNil(first, "\(preset) z \(z): x \(first.map { xs[$0] } ?? 0)")
        seen.formUnion(expected)
      }
      // The spine presets' rows cross several tissues (bone polygons among them).
      if preset != .gelBlock { XCTAssertGreaterThan(seen.count, 3, "\(preset)") }
    }
    // A polygon's vertices and edges themselves: points on the boundary and on a vertex's row.
    let shape = RegionShape.polygon([SIMD2(0, 0), SIMD2(2e-3, 1e-3), SIMD2(1e-3, 3e-3), SIMD2(-1e-3, 1e-3)])
    let xs = stride(from: -2e-3, through: 3e-3, by: 0.25e-3).map { $0 }
    for z in [0, 1e-3, 2e-3, 3e-3, 0.5e-3, -1e-3] {
      XCTAssertEqual(shape.contains(row: xs, z: z), xs.map { shape.contains(x: $0, z: z) }, "z \(z)")
    }
  }

  /// With the physical calibration every specular echo is a Kirchhoff strip `R·Δ/λ` with its elevation extent: an
  /// interface a flat sheet, a needle's shaft a cylinder of its outer radius, a bevel's face a flat face of at most
  /// its outer radius either side; the relative calibration keeps points in the scan plane.
  func testPhysicalCalibrationMakesSheets() {
    let lambda = 0.2e-3
    var map = TissueMap(background: .softTissue)
    map.add(.rectangle(xMin: -5e-3, xMax: 5e-3, zMin: 20e-3, zMax: 30e-3), .corticalBone)
    let field = Field(xMin: -10e-3, xMax: 10e-3, zMin: 0, zMax: 40e-3)
    let sheets = map.interfaces(in: field, wavelengthMetres: lambda, seed: 1, model: .physical)
    let lines = map.interfaces(in: field, wavelengthMetres: lambda, seed: 1)
    XCTAssertEqual(sheets.count, lines.count)
    XCTAssertTrue(sheets.sheetRadius.allSatisfy { $0 == .infinity })
    XCTAssertTrue(lines.sheetRadius.allSatisfy { $0 == 0 })
    let r = Tissue.softTissue.reflection(into: .corticalBone)
    let top = (0..<sheets.count).first { abs(sheets.z[$0] - 20e-3) < 0.05e-3 && abs(sheets.x[$0]) < 4e-3 }!
    XCTAssertEqual(Double(sheets.amplitude[top]), r / 4, accuracy: 1e-6)
    for tip in Needle.TipType.allCases {
      let needle = Needle(gauge: 18, tipX: 5e-3, tipZ: 30e-3, insertionAngleRadians: 0.3, tip: tip)
      let echoes = needle.echoes(wavelengthMetres: lambda, surrounding: .softTissue, model: .physical)
      let a = Float(needle.outerDiameterMetres / 2)
      XCTAssertTrue(echoes.sheetRadius.allSatisfy { $0 != 0 && abs($0) <= a * 1.0001 }, "\(tip)")
      XCTAssertTrue(echoes.sheetRadius.contains(a), "\(tip)")
      if tip == .quincke { XCTAssertTrue(echoes.sheetRadius.contains { $0 < 0 }, "a bevel's face is flat") }
    }
  }

  /// Specular R at the surface's own angle: a bone plate tilted by θ in soft tissue, sound straight down, has top-face
  /// amplitudes R(θ)·Δ/√λ with the fluid–fluid Fresnel R written out here (Snell, then Z₂cosθ₁ vs Z₁cosθ₂); past
  /// the critical angle (≈ 29°) the reflection is total; from a sector apex the angle varies along a flat face.
  func testSpecularReflectionAtIncidence() {
    let lambda = 0.2e-3
    let unit = lambda / 4 / lambda.squareRoot()
    let (soft, bone) = (Tissue.softTissue, Tissue.corticalBone)
    func fresnel(_ theta: Double) -> Double {
      let s2 = bone.soundSpeedMetresPerSecond / soft.soundSpeedMetresPerSecond * sin(theta)
      if s2 >= 1 { return 1 }
      let z1 = soft.densityKgPerCubicMetre * soft.soundSpeedMetresPerSecond
      let z2 = bone.densityKgPerCubicMetre * bone.soundSpeedMetresPerSecond
      let c2 = (1 - s2 * s2).squareRoot()
      return (z2 * cos(theta) - z1 * c2) / (z2 * cos(theta) + z1 * c2)
    }
    let field = Field(xMin: -20e-3, xMax: 20e-3, zMin: 0, zMax: 60e-3)
    for degrees in [0.0, 15, 25, 35] {
      let t = degrees * Double.pi / 180
      // A 20 mm × 5 mm plate centred at (0, 30) mm, its long side tilted by t.
      let (c, s) = (cos(t), sin(t))
      let corners = [(-10e-3, -2.5e-3), (10e-3, -2.5e-3), (10e-3, 2.5e-3), (-10e-3, 2.5e-3)].map { p in
        SIMD2(p.0 * c - p.1 * s, 30e-3 + p.0 * s + p.1 * c)
      }
      var map = TissueMap(background: soft)
      map.add(.polygon(corners), bone)
      let set = map.interfaces(in: field, wavelengthMetres: lambda, seed: 1, incidence: .along(SIMD2(0, 1)))
      // Points on the top face near its middle: within 0.05 mm of the line through the top corners, |x| < 5 mm.
      let a = corners[0]
      let b = corners[1]
      let top = (0..<set.count).filter { i in
        let p = SIMD2(Double(set.x[i]), Double(set.z[i]))
        return abs(p.x) < 5e-3 && RegionShape.distance(from: p, toSegmentFrom: a, to: b) < 0.05e-3
      }
      XCTAssertGreaterThan(top.count, 50, "\(degrees)°")
      for i in top {
        XCTAssertEqual(Double(set.amplitude[i]), fresnel(t) * unit, accuracy: 1e-6 * unit, "\(degrees)°")
      }
      let normal = map.interfaces(in: field, wavelengthMetres: lambda, seed: 1)
      XCTAssertEqual(Double(normal.amplitude[top[0]]), soft.reflection(into: bone) * unit, accuracy: 1e-6 * unit)
    }
    // A flat face at 30 mm seen from an apex at (0, −50) mm: at x = 80·tan 20° mm the ray meets it at 20°.
    var map = TissueMap(background: soft)
    map.add(.rectangle(xMin: -40e-3, xMax: 40e-3, zMin: 30e-3, zMax: 35e-3), bone)
    let set = map.interfaces(in: field, wavelengthMetres: lambda, seed: 1, incidence: .from(SIMD2(0, -50e-3)))
    let x20 = 80e-3 * tan(20 * Double.pi / 180)
    func away(_ i: Int) -> Double { abs(Double(set.x[i]) - x20) + abs(Double(set.z[i]) - 30e-3) }
    let i = (0..<set.count).min { away($0) < away($1) }!
    let angle = atan(Double(set.x[i]) / (Double(set.z[i]) + 50e-3))
    XCTAssertEqual(Double(set.amplitude[i]), fresnel(angle) * unit, accuracy: 1e-5 * unit)
  }
}
