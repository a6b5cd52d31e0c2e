import Acoustics
import Acquisition
import Foundation
import Phantom
import Spectral
import TestSupport
import XCTest

/// Specular surfaces as sheets across the elevation beam (``ElevationSheet``), against brute-force sums that share
/// none of its shortcuts: exact spherical Green's functions between points of the element's face and of the
/// surface (or of the element's mirror image), at fc, with the lens as a phase over the element's height and the
/// soft-baffle obliquity the point model uses (in-plane cos θ, as MUST's; ``Directivity``).
///
/// Both sides are normalised by a point scatterer of amplitude f on the element's axis at 40 mm (where the point
/// model's Fresnel elevation beam is accurate; at 10 mm behind the L11-5v's lens the point's own echo changes by
/// 4 dB per 10 % of frequency and by ~1 dB between the Fresnel and the exact path): the simulator's ratio of the
/// surface's echo to the point's (envelope peaks of one element's own channel, single element transmit) against
/// ```
/// mirror:    R·|∫∫ cos θ cos θ' e^{ikD}/(2πD) dA dA'| / (2π·f·|G(r0)|²)      D: element point to image-element point
/// surface:   |Σ_patches (R/λ)(n̂·ô) dA · 2π G(s)²| / (2π·f·|G(r0)|²)          (Kirchhoff, −i/λ per unit area)
/// G(r) = ∫ cos θ e^{ik|r−s|}/(2π|r−s|) e^{−iπη²/(λF)} dA_s
/// ```
/// (a point of amplitude f returns f·G·2πG to the element; the mirror returns R times the field of the element's
/// image source, received by the element).
final class SpecularSheetTests: XCTestCase {
  let c = 1540.0
  let element = 64

  /// Sample points of the element's face (x across its width, η along its height), with the lens phase, and dA.
  func face(_ probe: Probe, depth: Double) -> (points: [(x: Double, eta: Double, lens: Double)], area: Double) {
    let lambda = probe.wavelength(soundSpeed: c)
    let xe = probe.elements[element].xMetres
    let nx = 3
    let invF = probe.elevationFocusMetres.isFinite ? 1 / probe.elevationFocusMetres : 0
    // At most ~0.3 rad of phase per step across the height (distance and lens).
    let h = probe.elementHeightMetres
    let slope = 2 * Double.pi / lambda * (h / 2 / depth + h / 2 * invF)
    let ny = max(32, Int((slope * h / 0.3).rounded(.up)))
    var points: [(x: Double, eta: Double, lens: Double)] = []
    for i in 0..<nx {
      for j in 0..<ny {
        let x = xe + probe.elementWidthMetres * ((Double(i) + 0.5) / Double(nx) - 0.5)
        let eta = h * ((Double(j) + 0.5) / Double(ny) - 0.5)
        points.append((x, eta, -Double.pi * eta * eta * invF / lambda))
      }
    }
    return (points, probe.elementWidthMetres / Double(nx) * h / Double(ny))
  }

  /// G(r) of the type's doc for an element face at z = 0 (a linear probe).
  func field(_ face: (points: [(x: Double, eta: Double, lens: Double)], area: Double), k: Double, at r: SIMD3<Double>)
    -> (Double, Double)
  {
    var re = 0.0
    var im = 0.0
    for p in face.points {
      let dx = r.x - p.x
      let dy = r.y - p.eta
      let inPlane = (dx * dx + r.z * r.z).squareRoot()
      let d = (inPlane * inPlane + dy * dy).squareRoot()
      let w = (r.z / inPlane) / (2 * Double.pi * d) * face.area
      re += w * cos(k * d + p.lens)
      im += w * sin(k * d + p.lens)
    }
    return (re, im)
  }

  /// Envelope peak of the element's own channel within ±1.5 µs of `arrival`.
  func echo(_ probe: Probe, _ s: ScattererSet, depth: Double, arrival: Double) -> Double {
    var imaging = Imaging(probe: probe)
    imaging.threads = 2
    let event = TransmitEvent(probe: probe, wavefront: .singleElement(index: element), soundSpeed: c)
    let rf = imaging.channelData(s, sequence: [event], maximumDepthMetres: depth + 10e-3)
    let trace = rf.trace(event: 0, element: element)
    let e = AnalyticSignal(length: trace.count).envelope(trace)
    let fs = rf.samplingFrequencyHz
    let lo = max(0, Int((arrival - 1.5e-6 - rf.startTimeSeconds) * fs))
    let hi = min(e.count - 1, Int((arrival + 1.5e-6 - rf.startTimeSeconds) * fs))
    return Double(e[lo...hi].max() ?? 0)
  }

  func pointScatterer(_ probe: Probe, depth: Double, amplitude f: Float) -> ScattererSet {
    var s = ScattererSet()
    s.append(xMetres: Float(probe.elements[element].xMetres), yMetres: 0, zMetres: Float(depth), amplitude: f)
    return s
  }

  /// A flat mirror of reflection R across the whole beam, 10–60 mm, for the lensed L11-5v and the same probe without
  /// its lens: within 1 dB of the element's mirror image.
  func testFlatMirrorFollowsTheImageSource() {
    var unlensed = Probe.l11_5v
    unlensed.elevationFocusMetres = .infinity
    let r = 0.5
    let f: Float = 1e-5
    let yardstick = 40e-3
    var worst = 0.0
    for probe in [Probe.l11_5v, unlensed] {
      let lambda = probe.wavelength(soundSpeed: c)
      let k = 2 * Double.pi / lambda
      let xe = probe.elements[element].xMetres
      for depth in stride(from: 10e-3, through: 60e-3, by: 10e-3) {
        // The simulator: the surface's strips every λ/4 over ±15 mm, amplitude R·Δ/λ (TissueMap.interfaces).
        var mirror = ScattererSet()
        let spacing = lambda / 4
        for i in -Int(15e-3 / spacing)...Int(15e-3 / spacing) {
          mirror.append(
            xMetres: Float(xe + Double(i) * spacing), yMetres: 0, zMetres: Float(depth), amplitude: Float(r / 4),
            sheetRadius: .infinity)
        }
        let simulated =
          echo(probe, mirror, depth: depth, arrival: 2 * depth / c)
          / echo(
            probe, pointScatterer(probe, depth: yardstick, amplitude: f), depth: yardstick, arrival: 2 * yardstick / c)
        // The reference: the element's image at 2d, received by the element.
        let ap = face(probe, depth: depth)
        var re = 0.0
        var im = 0.0
        for p in ap.points {
          for q in ap.points {
            let dx = q.x - p.x
            let dy = q.eta - p.eta
            let inPlane = (dx * dx + 4 * depth * depth).squareRoot()
            let d = (inPlane * inPlane + dy * dy).squareRoot()
            let cosT = 2 * depth / inPlane
            let w = cosT * cosT / (2 * Double.pi * d)
            re += w * cos(k * d + p.lens + q.lens)
            im += w * sin(k * d + p.lens + q.lens)
          }
        }
        let image = (re * re + im * im).squareRoot() * ap.area * ap.area
        let (gr, gi) = field(face(probe, depth: yardstick), k: k, at: SIMD3(xe, 0, yardstick))
        let reference = r * image / (2 * Double.pi * Double(f) * (gr * gr + gi * gi))
        let errorDb = 20 * log10(simulated / reference)
        print(
          "\(probe.elevationFocusMetres.isFinite ? "lensed" : "unlensed") mirror at \(depth * 1e3) mm: "
            + "\(20 * log10(simulated)) dB vs image source \(20 * log10(reference)) dB (\(errorDb) dB)")
        worst = max(worst, abs(errorDb))
        XCTAssertLessThan(abs(errorDb), 1, "mirror at \(depth * 1e3) mm")
      }
    }
    print("flat mirror: worst \(worst) dB")
  }

  /// A steel needle's wall (a convex cylinder, R of steel in soft tissue) of every gauge 17–27 at 20, 40 and 60 mm,
  /// at 0° and 15° insertion: the simulator's strips (radius a, ``ElevationSheet``) within 1 dB of the Kirchhoff sum
  /// over its probe-facing half (patches λ/8 along and λ/16 around, exact distances), both over the same tapered
  /// length of shaft.
  func testNeedleWallFollowsItsCurvature() {
    let probe = Probe.l11_5v
    let lambda = probe.wavelength(soundSpeed: c)
    let k = 2 * Double.pi / lambda
    let xe = probe.elements[element].xMetres
    let r = Tissue.softTissue.reflection(into: .steel)
    let f: Float = 1e-5
    let yardstick = 40e-3
    let pointEcho = echo(
      probe, pointScatterer(probe, depth: yardstick, amplitude: f), depth: yardstick, arrival: 2 * yardstick / c)
    let (gr, gi) = field(face(probe, depth: yardstick), k: k, at: SIMD3(xe, 0, yardstick))
    let pointReference = 2 * Double.pi * Double(f) * (gr * gr + gi * gi)
    var worst = 0.0
    for gauge in Needle.diameters.keys.sorted() {
      let a = Needle.diameters[gauge]!.outer / 2
      for depth in [20e-3, 40e-3, 60e-3] {
        for degrees in [0.0, 15.0] {
          let alpha = degrees * Double.pi / 180
          let along = SIMD3(cos(alpha), 0, sin(alpha))
          let up = SIMD3(sin(alpha), 0, -cos(alpha))
          let top = SIMD3(xe, 0, depth)
          // The stationary point: the foot of the element's perpendicular on the top line.
          let foot = -depth * sin(alpha)
          // ±8 mm of shaft, tapered (cosine) over its outer 4 mm on both sides so that no end echoes: a continuous-
          // wave reference would add an end's echo coherently, a pulse only where it overlaps the wall's.
          let half = 8e-3
          func taper(_ t: Double) -> Double {
            let u = max(0, abs(t) - (half - 4e-3)) / 4e-3
            return u >= 1 ? 0 : 0.5 * (1 + cos(Double.pi * u))
          }
          var wall = ScattererSet()
          let spacing = lambda / 4
          for i in 0..<Int(2 * half / spacing) {
            let t = -half + (Double(i) + 0.5) * spacing
            let p = top + along * (foot + t)
            wall.append(
              xMetres: Float(p.x), yMetres: 0, zMetres: Float(p.z), amplitude: Float(r * spacing / lambda * taper(t)),
              sheetRadius: Float(a))
          }
          let arrival = 2 * depth * cos(alpha) / c
          let simulated = echo(probe, wall, depth: depth, arrival: arrival) / pointEcho
          // The Kirchhoff sum: patches on the half facing the probe, weight (R/λ)(n̂·ô) dA, received as 2π G².
          let ap = face(probe, depth: depth)
          let dt = lambda / 8
          let dphi = lambda / 16 / a
          let axis = top - up * a
          var re = 0.0
          var im = 0.0
          for it in 0..<Int(2 * half / dt) {
            let t = -half + (Double(it) + 0.5) * dt
            let centre = axis + along * (foot + t)
            let weight = taper(t)
            if weight == 0 { continue }
            for ip in 0..<Int((Double.pi / dphi).rounded()) {
              let phi = -Double.pi / 2 + (Double(ip) + 0.5) * dphi
              let n = up * cos(phi) + SIMD3(0, sin(phi), 0)
              let s = centre + n * a
              let toElement = SIMD3(xe, 0, 0) - s
              let obliquity = (n * toElement).sum() / (toElement * toElement).sum().squareRoot()
              if obliquity <= 0 { continue }
              let (ur, ui) = field(ap, k: k, at: s)
              let w = r / lambda * obliquity * a * dphi * dt * 2 * Double.pi * weight
              re += w * (ur * ur - ui * ui)
              im += w * 2 * ur * ui
            }
          }
          let reference = (re * re + im * im).squareRoot() / pointReference
          let errorDb = 20 * log10(simulated / reference)
          print(
            "\(gauge)G at \(depth * 1e3) mm, \(degrees)°: \(20 * log10(simulated)) dB vs Kirchhoff "
              + "\(20 * log10(reference)) dB (\(errorDb) dB)"
          )
          worst = max(worst, abs(errorDb))
          XCTAssertLessThan(abs(errorDb), 1, "\(gauge)G at \(depth * 1e3) mm, \(degrees)°")
        }
      }
    }
    print("needle wall: worst \(worst) dB")
  }
}
