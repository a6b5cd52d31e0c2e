import Acquisition
import Foundation

/// Where a focused scan line's transmit beam reaches, in the scan plane: the scatterers outside this band add to
/// that event's channel data only through the beam's sidelobes, and to its image line only through the transmit
/// sidelobe times the receive sidelobe.
///
/// Along the beam axis, from the active aperture's centre A to the focus F (u = 0 at A, u_F at F, v across), the
/// band is the geometric beam — the lines from the aperture's two outermost active elements (v_−, v_+) through F,
/// `v(u) = v_± (u_F − u)/u_F` — widened on each side by
/// ```
/// m(u) = K·λ·max(|u|, u_F)/D + s(u)
/// ```
/// K diffraction widths λu/D (D = v_+ − v_−, the active aperture; never narrower than at the focus, since nearer
/// the aperture the field spreads past the geometric beam by edge diffraction rather than by λu/D) and s(u) half the
/// distance to the neighbouring scan lines at that range (their image columns are the ones nearest this line's, so this line's pixels lie within s(u) of its axis).
/// Beyond F the geometric beam widens again as the same two lines cross. A scatterer within the band counts
/// fully; past it its weight falls as a raised cosine to 0 at twice the margin, so that a specular surface running
/// out of the band fades out instead of ending in an edge that would diffract.
///
/// K is a measurement, not a guess: ``RFSimulator`` uses bands only when the image is all that is kept, with the K
/// that keeps the focused scenes of `FocusedBudgetTests` within the speed budget's −40 dB of the exact image. It is
/// large (40), because the field off a broadband array's beam does not fall like a diffraction sidelobe: the
/// elements' pulses arrive there apart, and pitches wider than λ/2 add grating lobes (energy −12 to −37 dB of the
/// line's, 10–24 mm from it, by brute force: `validation/focused_offbeam_field.py`).
struct TransmitBeamBand: Sendable {
  let ax: Float
  let az: Float
  /// Unit axis (A → F) and its normal.
  let dx: Float
  let dz: Float
  let focusRangeMetres: Float
  let vLow: Float
  let vHigh: Float
  /// K·λ/D: the margin's growth per metre of range.
  let diffractionSlope: Float
  /// Half the spacing to the neighbouring lines at A and its growth per metre of range.
  let spacingAtAperture: Float
  let spacingSlope: Float

  /// The weight of the point (x, z) in this event: 1 within the band, 0 beyond twice its margin, a raised cosine of the distance past the band's edge between the two.
  @inline(__always)
  func weight(x: Float, z: Float) -> Float {
    let px = x - ax
    let pz = z - az
    let u = px * dx + pz * dz
    let v = px * dz - pz * dx
    let t = (focusRangeMetres - u) / focusRangeMetres
    let a = vLow * t
    let b = vHigh * t
    let spacing = max(0, spacingAtAperture + spacingSlope * u)
    let margin = diffractionSlope * max(abs(u), focusRangeMetres) + spacing
    let beyond = max(min(a, b) - v, v - max(a, b)) - margin
    if beyond <= 0 { return 1 }
    if beyond >= margin { return 0 }
    return 0.5 + 0.5 * cos(Float.pi * beyond / margin)
  }

  /// The band of every event of `sequence` (nil for events that are not focused scan lines, which image every
  /// column: plane, diverging and synthetic-aperture waves and a single focus), K = `widths`.
  static func bands(
    for sequence: [TransmitEvent], probe: Probe, wavelengthMetres lambda: Double, widths: Double
  ) -> [TransmitBeamBand?] {
    let elements = probe.elements
    // Each line's aperture centre and focus.
    let axes: [(a: SIMD2<Double>, f: SIMD2<Double>)?] = sequence.map { event in
      guard event.scanLine != nil, case .focused(let fx, let fz) = event.wavefront else { return nil }
      let active = elements.indices.filter { event.apodization[$0] != 0 }
      guard !active.isEmpty else { return nil }
      let centre =
        active.reduce(SIMD2<Double>(0, 0)) { $0 + SIMD2(elements[$1].xMetres, elements[$1].zMetres) }
        / Double(active.count)
      return (centre, SIMD2(fx, fz))
    }
    return sequence.indices.map { i -> TransmitBeamBand? in
      guard let (a, f) = axes[i] else { return nil }
      let range = ((f - a) * (f - a)).sum().squareRoot()
      guard range > 0 else { return nil }
      let d = (f - a) / range
      func across(_ p: SIMD2<Double>) -> Double { (p.x - a.x) * d.y - (p.y - a.y) * d.x }
      let vs = elements.indices.filter { sequence[i].apodization[$0] != 0 }
        .map { across(SIMD2(elements[$0].xMetres, elements[$0].zMetres)) }
      let (lo, hi) = (vs.min()!, vs.max()!)
      // Half the distance to each neighbouring line at A and at F; the wider of the two neighbours.
      var atA = 0.0
      var atF = 0.0
      for j in [i - 1, i + 1] where sequence.indices.contains(j) {
        guard let (na, nf) = axes[j] else { continue }
        atA = max(atA, abs(across(na)) / 2)
        atF = max(atF, abs(across(nf)) / 2)
      }
      let width = max(hi - lo, lambda)
      return TransmitBeamBand(
        ax: Float(a.x), az: Float(a.y), dx: Float(d.x), dz: Float(d.y), focusRangeMetres: Float(range),
        vLow: Float(lo), vHigh: Float(hi), diffractionSlope: Float(widths * lambda / width),
        spacingAtAperture: Float(atA), spacingSlope: Float((atF - atA) / range))
    }
  }
}
