import Acoustics
import Acquisition
import Foundation
import Phantom
import TestSupport
import XCTest

/// The physical calibration measured as a laboratory measures backscatter: the planar-reflector substitution method
/// (Sigelmann & Reid, JASA 53:1351, 1973; Madsen, Insana & Zagzebski, JASA 76:913, 1984). One unfocused square
/// element (1.5 × 1.5 mm, 5 MHz) records speckle from a slab of generic soft tissue (η of liver, ``Tissue``) in a
/// time gate at 50 mm, and, in a second acquisition, a flat reflector of known R at the same depth. In the far
/// field of a w × H rectangle (|G| = wH/(2πz)·sinc(wx/λz)·sinc(Hy/λz), ∫sinc⁴ = 2/3), with a gate Δz deep:
/// ```
/// ⟨E_speckle⟩ / E_reflector = η·Δz·∫|2πG²|² dA / (R²·|I|²) = η · 16 λ² Δz / (9 R² w H)
/// ⇒ η = (⟨E_speckle⟩ / E_reflector) · 9 R² w H / (16 λ² Δz)
/// ```
/// (|I| = (wH)²/(4πz): the element's image at 2z; energies are sums of RF² over the gate and over the whole
/// reflector echo). The estimate must match the tissue's η within 1 dB.
final class BackscatterCalibrationTests: XCTestCase {
  func testSubstitutionMethodRecoversTheBackscatterCoefficient() {
    let fc = 5e6
    let c = 1540.0
    let probe = Probe(
      name: "square", layout: .linear, elementCount: 1, centerFrequencyHz: fc, pitchMetres: 1.5e-3,
      elementWidthMetres: 1.5e-3, fractionalBandwidth: 0.6, elementHeightMetres: 1.5e-3)
    let lambda = c / fc
    let imaging = Imaging(probe: probe, cycles: 1, threads: 2)
    let event = TransmitEvent(probe: probe, wavefront: .singleElement(index: 0), soundSpeed: c)
    let z0 = 50e-3
    let gate = 5e-3
    let r = 0.5
    func energy(_ s: ScattererSet, from t0: Double, to t1: Double) -> Double {
      let rf = imaging.channelData(s, sequence: [event], maximumDepthMetres: 62e-3)
      let trace = rf.trace(event: 0, element: 0)
      let lo = Int(((t0 - rf.startTimeSeconds) * rf.samplingFrequencyHz).rounded())
      let hi = Int(((t1 - rf.startTimeSeconds) * rf.samplingFrequencyHz).rounded())
      return trace[lo..<hi].reduce(0) { $0 + Double($1) * Double($1) }
    }
    // Speckle: ±20 mm laterally and in elevation (the beam's first nulls are at ±λz/w ≈ ±10 mm), deep enough for
    // the gate's spherical shell, in a uniform soft-tissue map; 1 scatterer per mm³.
    var tissue = Tissue.softTissue
    tissue.scatterersPerSquareMillimetre = 40
    let map = TissueMap(background: tissue)
    let thickness = 40e-3
    let field = Field(xMin: -20e-3, xMax: 20e-3, zMin: 42e-3, zMax: 60e-3)
    let gateStart = 2 * (z0 - gate / 2) / c
    let gateEnd = 2 * (z0 + gate / 2) / c
    let realisations = 160
    var speckle = 0.0
    for seed in 0..<realisations {
      let s = map.speckle(in: field, thicknessMetres: thickness, frequencyHz: fc, seed: UInt64(seed))
      speckle += energy(s, from: gateStart, to: gateEnd) / Double(realisations)
    }
    // The reflector: Kirchhoff strips every λ/4 over ±20 mm at z0 (TissueMap.interfaces' amplitude R·Δ/λ).
    var mirror = ScattererSet()
    let spacing = lambda / 4
    for i in -Int(20e-3 / spacing)...Int(20e-3 / spacing) {
      mirror.append(
        xMetres: Float(Double(i) * spacing), yMetres: 0, zMetres: Float(z0), amplitude: Float(r * spacing / lambda),
        sheetRadius: .infinity)
    }
    let reflector = energy(mirror, from: 2 * z0 / c - 1.5e-6, to: 2 * z0 / c + 1.5e-6)
    let w = probe.elementWidthMetres
    let h = probe.elementHeightMetres
    let estimatePerMetre = speckle / reflector * 9 * r * r * w * h / (16 * lambda * lambda * gate)
    let truePerMetre = tissue.backscatterPerCmPerSr(at: fc) * 100
    let errorDb = 10 * log10(estimatePerMetre / truePerMetre)
    print(
      "substitution method: η = \(estimatePerMetre / 100) 1/(cm·sr) against \(truePerMetre / 100) (\(errorDb) dB)")
    XCTAssertLessThan(abs(errorDb), 1)
  }
}
