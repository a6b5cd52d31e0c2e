/// A surface's echo as delayed copies of the incident pulse: `h(t) = Σ_j a_j δ(t − τ_j)`, the surface's reflection
/// impulse response as a point scatterer on it would return it, in the pulse's band. A plain interface is one copy
/// (a = R, τ = 0); a layered structure — a needle's steel wall over its lumen — rings, and each way the sound can
/// bounce inside it returns later as its own copy (``Phantom/Needle/echoes(wavelengthMetres:surrounding:wall:model:)``).
///
/// τ_j is the extra two-way time (s) after the echo of the surface itself; a_j is dimensionless (a pressure
/// reflection), so the copies sum to the surface's reflection coefficient spectrum `H(f) = Σ_j a_j e^{−2πifτ_j}`
/// within the band they were fitted in.
public struct EchoTrain: Sendable, Equatable {
  public var delaysSeconds: [Double]
  public var amplitudes: [Double]

  public init(delaysSeconds: [Double], amplitudes: [Double]) {
    precondition(delaysSeconds.count == amplitudes.count, "ragged echo train")
    self.delaysSeconds = delaysSeconds
    self.amplitudes = amplitudes
  }

  /// A plain interface of reflection coefficient `r`: one copy, no delay.
  public static func interface(_ r: Double) -> EchoTrain { EchoTrain(delaysSeconds: [0], amplitudes: [r]) }

  /// Number of copies.
  public var count: Int { amplitudes.count }
}
