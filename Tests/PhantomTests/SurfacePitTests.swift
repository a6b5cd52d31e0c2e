import Foundation
import Phantom
import XCTest

/// The Kirchhoff echo of a pit in a reflecting plane (``SurfacePit``) against results that share none of its code:
/// the flat disc's Airy pattern summed by brute force, the surface's first-order perturbation (Fourier transform of
/// the pit's depth, in closed form for a shallow cap), and geometric optics for a deep one.
final class SurfacePitTests: XCTestCase {
  let reflection = 0.93
  /// 7.6 MHz in soft tissue (λ ≈ 0.203 mm).
  let k = 2 * Double.pi * 7.6e6 / 1540

  func magnitude(_ f: SIMD2<Double>) -> Double { (f * f).sum().squareRoot() }

  /// The opening's closed form, `−(ikR/2π)·cos θ·πa²·2J₁(u)/u`, and the disc that ``SurfacePit/echo`` subtracts on
  /// the cap's grid, against the disc summed on a fine Cartesian grid (0.5 µm cells): within 0.5 % at 0°, 20°, 45°
  /// and 70°. At 0° it is the plate's `πa²R/λ`.
  func testDiscClosedFormMatchesBruteForce() {
    let pit = SurfacePit(diameterMetres: 100e-6, depthMetres: 20e-6)
    let a = pit.radiusMetres
    XCTAssertEqual(
      magnitude(pit.discEcho(wavenumber: k, incidenceRadians: 0, reflection: reflection)),
      Double.pi * a * a * reflection * k / (2 * Double.pi), accuracy: 1e-12)
    for degrees in [0.0, 20, 45, 70] {
      let theta = degrees * Double.pi / 180
      let cell = 0.5e-6
      var sum = SIMD2<Double>.zero
      var x = -a + cell / 2
      while x < a {
        var y = -a + cell / 2
        while y < a {
          if x * x + y * y <= a * a {
            let phase = -2 * k * sin(theta) * x
            sum += SIMD2(cos(phase), sin(phase)) * (cos(theta) * cell * cell)
          }
          y += cell
        }
        x += cell
      }
      let scale = k * reflection / (2 * Double.pi)
      let brute = SIMD2(sum.y, -sum.x) * scale
      let closed = pit.discEcho(wavenumber: k, incidenceRadians: theta, reflection: reflection)
      XCTAssertLessThan(magnitude(closed - brute), 0.005 * magnitude(brute), "θ = \(degrees)°")
      // The disc that `echo` sums on the cap's grid: f_cap − echo.
      let grid =
        pit.capEcho(wavenumber: k, incidenceRadians: theta, reflection: reflection)
        - pit.echo(wavenumber: k, incidenceRadians: theta, reflection: reflection)
      XCTAssertLessThan(magnitude(grid - brute), 0.005 * magnitude(brute), "θ = \(degrees)°, on the cap's grid")
    }
  }

  /// A shallow pit (h = 0.2 µm, kh = 0.006) returns the first-order perturbation of the plane,
  /// `(k²R/π)·∫h·e^{−2ik sin θ·x}`; for a cap of h ≪ a, h(r) ≈ (a² − r²)/(2ρ), whose transform is
  /// `2πa²·J₂(qa)/(ρq²)` (q = 2k sin θ; `V = πa²h/2` at q = 0). Within 2 % at 0°, 30° and 60°: the echo of a pit
  /// too shallow to ring is the volume it removes, as a point scatterer's is.
  func testShallowPitIsTheFirstOrderPerturbation() {
    let pit = SurfacePit(diameterMetres: 100e-6, depthMetres: 0.2e-6)
    let a = pit.radiusMetres
    let rho = pit.curvatureRadiusMetres
    for degrees in [0.0, 30, 60] {
      let theta = degrees * Double.pi / 180
      let q = 2 * k * sin(theta)
      let transform =
        q < 1e-9
        ? Double.pi * a * a * a * a / (4 * rho) : 2 * Double.pi * a * a * SurfacePit.besselJ(2, q * a) / (rho * q * q)
      let expected = k * k * reflection / Double.pi * transform
      let f = pit.echo(wavenumber: k, incidenceRadians: theta, reflection: reflection)
      print("shallow pit at \(degrees)°: |f| \(magnitude(f)) m, first order \(expected) m")
      XCTAssertEqual(f.x, expected, accuracy: 0.02 * abs(expected), "θ = \(degrees)°")
      XCTAssertLessThan(abs(f.y), 0.02 * abs(expected), "θ = \(degrees)°")
    }
  }

  /// A hemispherical pit 4 mm across at 7.6 MHz (ka = 62): its cap returns the geometric-optics echo of a concave
  /// spherical mirror, `Rρ/2`, within 1 dB at 0°, 20° and 40° — the angle does not matter while the specular point
  /// (where the normal points at the source) stays lit, which for a hemisphere is every angle.
  func testDeepPitIsAConcaveMirrorAtEveryAngle() {
    let pit = SurfacePit(diameterMetres: 4e-3, depthMetres: 2e-3)
    let expected = reflection * pit.curvatureRadiusMetres / 2
    for degrees in [0.0, 20, 40] {
      let f = pit.capEcho(wavenumber: k, incidenceRadians: degrees * Double.pi / 180, reflection: reflection)
      let db = 20 * log10(magnitude(f) / expected)
      print("hemispherical pit, ka = \(k * pit.radiusMetres), at \(degrees)°: \(db) dB against Rρ/2")
      XCTAssertEqual(db, 0, accuracy: 1, "θ = \(degrees)°")
    }
  }

  /// Nothing is lit at grazing incidence; the pit's echo is continuous in angle up to it.
  func testGrazingIncidenceReturnsNothing() {
    let pit = SurfacePit(diameterMetres: 100e-6, depthMetres: 50e-6)
    XCTAssertEqual(pit.echo(wavenumber: k, incidenceRadians: Double.pi / 2, reflection: reflection), .zero)
    let near = magnitude(pit.echo(wavenumber: k, incidenceRadians: 89.5 * Double.pi / 180, reflection: reflection))
    let normal = magnitude(pit.echo(wavenumber: k, incidenceRadians: 0, reflection: reflection))
    XCTAssertLessThan(near, 0.1 * normal)
  }
}
