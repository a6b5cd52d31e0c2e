import Foundation
import Phantom

/// The echo of a needle's probe-facing wall and the reverberations that ring below it: the layered-media
/// calculation along the beam, at normal incidence, as an ``Phantom/EchoTrain`` for
/// ``Phantom/Needle/echoes(wavelengthMetres:surrounding:wall:model:)``.
///
/// **Layers.** Along the beam through the shaft's centre the sound meets tissue | steel wall | lumen | steel wall |
/// tissue, each layer a fluid of its own impedance Z = ρc (at normal incidence a solid plate carries no shear wave, so
/// the steel is a fluid of its longitudinal speed; `ElasticPlate`). With the pressure coefficients of an interface,
/// `r₁₂ = (Z₂ − Z₁)/(Z₂ + Z₁)`, `t₁₂ = 1 + r₁₂`, and the delay convention `e^{−2πifτ}`, a layer of thickness d and
/// speed c between media 1 and 3 reflects and transmits (Brekhovskikh and Godin, "Acoustics of Layered Media I",
/// Springer 1990, §2.2; Kinsler et al., "Fundamentals of Acoustics", 4th ed., 2000, §6.3):
/// ```
/// R(f) = (r₁₂ + r₂₃ E) / (1 + r₁₂ r₂₃ E),   T(f) = t₁₂ t₂₃ e^{−2πif d/c} / (1 + r₁₂ r₂₃ E),   E = e^{−2πif·2d/c}
/// ```
/// The copies, by lumen content (``Phantom/Needle/Lumen``):
/// - **saline** (tissue fluid; CSF's properties): copy 0 is the near wall's R_top; copy k ≥ 1 crossed the near wall
///   down and up and rang k times across the lumen, reflected 2k − 1 times by a wall seen from inside:
///   `H_k = T_down·T_up·R_in^(2k−1)·e^{−2πif·k·2ID/c_lumen}`. The wall is thin against the wavelength in steel, so
///   |T| is small and frequency dependent (−23 dB one way for 18G at 7.6 MHz, −16 dB at 3.6 MHz): the copies are high
///   passed and weak.
/// - **stylet**: the lumen is steel, so the needle is a steel rod of the outer diameter: copy 0 is r₁₂, copy k
///   `(1 − r₁₂²)·(−r₁₂)^(2k−1)`, every `2·OD/c_steel`.
/// - **air**: the wall rings over air (r₂₃ ≈ −1): copy 0 r₁₂, copy k `(1 − r₁₂²)·r₂₃·(−r₁₂ r₂₃)^(k−1)`, every
///   `2w/c_steel` (w the wall's thickness; 0.075 µs for 18G, a dense ring-down).
///
/// **Points.** A point scatterer returns the pulse unchanged, so each copy k becomes a few points at its nominal
/// delay τ_k plus multiples of Δ = 1/(4fc), with real amplitudes a_j fitted by weighted least squares to H_k over the
/// pulse's band, `min Σ_f |P(f)|²·|H_k(f) − Σ_j a_j e^{−2πif(τ_k + jΔ)}|²` (P the two-way pulse spectrum, f on
/// 0…2.5fc; a ridge keeps the taps' spectrum small where the pulse has none): one point where H_k is flat (stylet,
/// air), more where the wall's response shapes the copy (saline), added until the misfit's energy is below 10⁻⁶ of
/// the wall echo's or 10⁻⁴ of the copy's. The last copies are left out as long as their energies in the band add up to
/// less than 10⁻⁴ of the wall echo's (the speed budget, −40 dB per echo), and copies arriving after
/// `maximumDelaySeconds` are not made.
///
/// **Curvature.** Across the shaft the lumen is a concentric cavity that spreads each copy further
/// (``lumenSpreading(needle:lumen:surrounding:copy:)``); the copies carry that factor on top of the outer wall's
/// elevation factor, which the scatterers take as the wall's (`spreading: false` leaves it out, for the layered
/// medium alone).
///
/// **Left out.** Oblique incidence (the walls' shear waves and Lamb-wave coincidences, which `ElasticPlate` has for
/// the needle's shadow); a stylet's gap to the tube (the stylet and the wall are one steel rod).
public enum NeedleWallEcho {
  /// The echo train of `needle`'s wall in `surrounding` tissue, with its lumen's content unless `lumen` is given,
  /// fitted in the band of `pulse`.
  public static func train(
    needle: Needle, lumen: Needle.Lumen? = nil, surrounding: Tissue, pulse: PulseModel,
    maximumDelaySeconds: Double, spreading: Bool = true
  ) -> EchoTrain {
    let content = lumen ?? needle.lumenContent
    let fc = pulse.centerFrequencyHz
    let steps = 640
    let frequencies = (0...steps).map { 2.5 * fc * Double($0) / Double(steps) }
    let weights = frequencies.map { pow(pulse.spectrumMagnitude($0), 2) }
    let copies = spectra(
      needle: needle, lumen: content, surrounding: surrounding, frequencies: frequencies,
      weights: weights, maximumDelaySeconds: maximumDelaySeconds
    ).enumerated().map { k, copy in
      let spread = spreading ? lumenSpreading(needle: needle, lumen: content, surrounding: surrounding, copy: k) : 1
      return Copy(delaySeconds: copy.delaySeconds, spectrum: copy.spectrum.map { spread * $0 })
    }
    let step = 1 / (4 * fc)
    let e0 = energy(copies[0].spectrum, weights: weights)
    // Half the budget, 10⁻⁴ of the wall echo's energy, for the last copies left out, half for the fits' misfits.
    var kept = copies.count
    var omitted = 0.0
    while kept > 1 {
      let e = energy(copies[kept - 1].spectrum, weights: weights)
      if omitted + e > 0.5e-4 * e0 { break }
      omitted += e
      kept -= 1
    }
    let tolerance = 0.5e-4 * e0 / Double(kept)
    var delays: [Double] = []
    var amplitudes: [Double] = []
    for copy in copies.prefix(kept) {
      let taps = fit(
        copy.spectrum, delaySeconds: copy.delaySeconds, stepSeconds: step, frequencies: frequencies, weights: weights,
        tolerance: tolerance)
      for (t, a) in taps where a != 0 {
        delays.append(t)
        amplitudes.append(a)
      }
    }
    return EchoTrain(delaysSeconds: delays, amplitudes: amplitudes)
  }

  /// The amplitude of copy k against the wall's echo from the lumen's curvature across the shaft (k ≥ 1; 1 for k = 0
  /// and for air, whose ringing stays in the thin wall): paraxial ray optics in the cross-section, far field.
  ///
  /// With ray matrices in reduced form (height y, n·angle; n = c_tissue/c), the wall's echo is a convex mirror of
  /// radius R_o in tissue, `C₀ = 2/R_o`. Copy k enters the core (the lumen of radius R = R_i, or for a stylet the steel
  /// rod of radius R = R_o) through a curved surface, crosses it 2k − 1 times with a concave reflection between
  /// crossings, and leaves:
  /// ```
  /// M_k = S(n→1, −R) · [P(2R, n)·Q(n, R)]^(2k−1) · P(2R, n) · S(1→n, R)
  /// P(d, n) = [[1, d/n], [0, 1]],  Q(n, R) = [[1, 0], [−2n/R, 1]],  S(n₁→n₂, R) = [[1, 0], [−(n₂ − n₁)/R, 1]]
  /// ```
  /// Far from the needle (z ≫ R) a line source's amplitude goes as 1/√|C z|, so copy k stands `√|C₀/C_k|` against the
  /// wall's echo. For a saline lumen (n ≈ 1) this is `√(R_i / ((2k − 1)·R_o))`: the concentric cavity does not hold a
  /// plane wave, each round trip spreads it further (−1.7, −6.5, −8.7 dB for copies 1–3 of an 18G needle).
  public static func lumenSpreading(needle: Needle, lumen: Needle.Lumen, surrounding: Tissue, copy k: Int) -> Double {
    guard k > 0, lumen != .air else { return 1 }
    typealias Matrix = (a: Double, b: Double, c: Double, d: Double)
    func times(_ x: Matrix, _ y: Matrix) -> Matrix {
      (x.a * y.a + x.b * y.c, x.a * y.b + x.b * y.d, x.c * y.a + x.d * y.c, x.c * y.b + x.d * y.d)
    }
    let core = lumen.tissue
    let r = lumen == .stylet ? needle.outerDiameterMetres / 2 : needle.innerDiameterMetres / 2
    let n = surrounding.soundSpeedMetresPerSecond / core.soundSpeedMetresPerSecond
    let cross: Matrix = (1, 2 * r / n, 0, 1)
    let round = times(cross, (1, 0, -2 * n / r, 1))
    var m = times(cross, (1, 0, -(n - 1) / r, 1))
    for _ in 0..<(2 * k - 1) { m = times(round, m) }
    m = times((1, 0, -(1 - n) / -r, 1), m)
    let c0 = 2 / (needle.outerDiameterMetres / 2)
    return (c0 / abs(m.c)).squareRoot()
  }

  /// One copy: its nominal delay (s) and its spectrum H_k on the frequency grid.
  struct Copy {
    var delaySeconds: Double
    var spectrum: [ComplexNumber]
  }

  /// Σ_f w·|H|², the copy's energy in the band.
  static func energy(_ h: [ComplexNumber], weights: [Double]) -> Double {
    zip(h, weights).reduce(0) { $0 + $1.1 * $1.0.squaredMagnitude }
  }

  /// `e^{−2πifτ}`.
  static func delay(_ f: Double, _ tau: Double) -> ComplexNumber {
    let phase = -2 * Double.pi * f * tau
    return ComplexNumber(cos(phase), sin(phase))
  }

  /// The copies' spectra, from the wall's echo on, while they stay above −60 dB of it and within the delay.
  static func spectra(
    needle: Needle, lumen: Needle.Lumen, surrounding: Tissue, frequencies: [Double], weights: [Double],
    maximumDelaySeconds: Double
  ) -> [Copy] {
    let z1 = surrounding.impedanceRayl
    let steel = Tissue.steel
    let zs = steel.impedanceRayl
    let cs = steel.soundSpeedMetresPerSecond
    let wall = (needle.outerDiameterMetres - needle.innerDiameterMetres) / 2
    func r(_ a: Double, _ b: Double) -> Double { (b - a) / (b + a) }
    /// Flat copies: amplitude a₀ at 0, then `first·ratio^(k−1)` every `period`.
    func flat(first: Double, ratio: Double, period: Double) -> [Copy] {
      let r12 = r(z1, zs)
      var out = [Copy(delaySeconds: 0, spectrum: frequencies.map { _ in ComplexNumber(r12) })]
      var amplitude = first
      var k = 1
      while amplitude * amplitude >= 1e-6 * r12 * r12, Double(k) * period <= maximumDelaySeconds {
        out.append(Copy(delaySeconds: Double(k) * period, spectrum: frequencies.map { _ in ComplexNumber(amplitude) }))
        amplitude *= ratio
        k += 1
      }
      return out
    }
    switch lumen {
    case .stylet:
      let r12 = r(z1, zs)
      return flat(first: -(1 - r12 * r12) * r12, ratio: r12 * r12, period: 2 * needle.outerDiameterMetres / cs)
    case .air:
      let (r12, r23) = (r(z1, zs), r(zs, lumen.tissue.impedanceRayl))
      return flat(first: (1 - r12 * r12) * r23, ratio: -r12 * r23, period: 2 * wall / cs)
    case .saline:
      let fluid = lumen.tissue
      let zl = fluid.impedanceRayl
      let lumenTrip = 2 * needle.innerDiameterMetres / fluid.soundSpeedMetresPerSecond
      /// Reflection and transmission of the wall between impedances a (incident side) and b.
      func plate(_ f: Double, from a: Double, to b: Double) -> (r: ComplexNumber, t: ComplexNumber) {
        let (rab, rbc) = (r(a, zs), r(zs, b))
        let e = delay(f, 2 * wall / cs)
        let denominator = ComplexNumber(1) + (rab * rbc) * e
        return (
          (ComplexNumber(rab) + rbc * e) / denominator, ((1 + rab) * (1 + rbc)) * delay(f, wall / cs) / denominator
        )
      }
      let top = frequencies.map { plate($0, from: z1, to: zl) }
      let up = frequencies.map { plate($0, from: zl, to: z1) }
      var out = [Copy(delaySeconds: 0, spectrum: top.map(\.r))]
      let e0 = energy(out[0].spectrum, weights: weights)
      // Copy k relative to its nominal delay k·lumenTrip + 2w/c_steel: the walls' own delays stay in the spectra.
      var current = frequencies.indices.map { i in
        top[i].t * up[i].t * up[i].r * delay(frequencies[i], -2 * wall / cs)
      }
      var k = 1
      while Double(k) * lumenTrip <= maximumDelaySeconds, k <= 4096 {
        if energy(current, weights: weights) < 1e-6 * e0 { break }
        out.append(Copy(delaySeconds: Double(k) * lumenTrip + 2 * wall / cs, spectrum: current))
        current = frequencies.indices.map { i in current[i] * up[i].r * up[i].r }
        k += 1
      }
      return out
    }
  }

  /// Real taps at `delaySeconds + j·step` fitted to `h` (the copy's spectrum relative to its nominal delay) by
  /// weighted least squares, with 1, 3, 5, 9, 17, … taps until the misfit's energy is at most `tolerance`.
  static func fit(
    _ h: [ComplexNumber], delaySeconds: Double, stepSeconds step: Double, frequencies: [Double], weights: [Double],
    tolerance: Double
  ) -> [(Double, Double)] {
    let total = energy(h, weights: weights)
    let ridge = 1e-4 * (weights.max() ?? 0) * Double(frequencies.count)
    var count = 1
    var best: [(Double, Double)] = []
    while true {
      // Taps from −min((L−1)/2, 4) on: centred while short, reaching forward (a ring-down) when long.
      let first = -min((count - 1) / 2, 4)
      let offsets = (0..<count).map { Double(first + $0) * step }
      // The taps are equally spaced, so the Gram matrix Σ_f w·cos(2πf(t_j − t_l)) depends on j − l alone (Toeplitz):
      // one sum per lag instead of one per pair.
      var lag = [Double](repeating: 0, count: count)
      var rhs = [Double](repeating: 0, count: count)
      for (i, f) in frequencies.enumerated() where weights[i] > 0 {
        let w = weights[i]
        for j in 0..<count {
          rhs[j] += w * (h[i] * delay(f, -offsets[j])).re
          lag[j] += w * cos(2 * Double.pi * f * Double(j) * step)
        }
      }
      let gram = (0..<count).map { j in (0..<count).map { l in lag[abs(j - l)] } }
      // Where the pulse has no energy the weights vanish and taps could put anything there; the ridge λ·Σa² weighs
      // the taps' spectrum at 10⁻⁴ of the band's peak weight everywhere (Σ_f |Σ_j a_j e^{−2πift_j}|² ≈ N_f·Σa²).
      var ridged = gram
      for j in 0..<count { ridged[j][j] += ridge }
      guard let a = solveSymmetric(ridged, rhs) else { return best }
      var fitted = 0.0
      for j in 0..<count { for l in 0..<count { fitted += a[j] * gram[j][l] * a[l] } }
      let misfit = total - 2 * zip(a, rhs).reduce(0) { $0 + $1.0 * $1.1 } + fitted
      best = zip(offsets, a).map { (delaySeconds + $0, $1) }
      if misfit <= tolerance || count >= 257 { return best }
      count = count < 17 ? count + 2 : 2 * count - 1
    }
  }

  /// x with A·x = b, A symmetric positive definite (Cholesky); nil when it is not.
  static func solveSymmetric(_ a: [[Double]], _ b: [Double]) -> [Double]? {
    let n = b.count
    var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in 0...i {
        var s = a[i][j]
        for k in 0..<j { s -= l[i][k] * l[j][k] }
        if i == j {
          guard s > 0 else { return nil }
          l[i][i] = s.squareRoot()
        } else {
          l[i][j] = s / l[j][j]
        }
      }
    }
    var y = b
    for i in 0..<n {
      for k in 0..<i { y[i] -= l[i][k] * y[k] }
      y[i] /= l[i][i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      for k in (i + 1)..<n { y[i] -= l[k][i] * y[k] }
      y[i] /= l[i][i]
    }
    return y
  }
}
