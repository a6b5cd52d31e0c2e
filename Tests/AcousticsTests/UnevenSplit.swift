import Phantom

/// The scatterers of the linearity tests (``TransmitTailTests``, ``TransmitBeamBandTests``): 300 speckle scatterers of
/// random sign (x within ±15 mm, y within ±1 mm, z in `depthMetres`, drawn from `seed`) and a point 100 times as
/// bright at `bright` (x, z in metres), and two sets that split every amplitude unevenly, A = w·A + (1 − w)·A with
/// w = ¼, ½, ¾ in turn and 0.1 for the bright point, as a target's taper splits a frame (``Studies/TargetEcho``).
func unevenlySplitScatterers(
  seed: UInt64, depthMetres: ClosedRange<Double>, bright: (x: Float, z: Float)
) -> (whole: ScattererSet, first: ScattererSet, second: ScattererSet) {
  var rng = RandomSource(seed: seed)
  var whole = ScattererSet()
  for _ in 0..<300 {
    whole.append(
      xMetres: Float(rng.uniform(-15e-3, 15e-3)), yMetres: Float(rng.uniform(-1e-3, 1e-3)),
      zMetres: Float(rng.uniform(depthMetres.lowerBound, depthMetres.upperBound)),
      amplitude: rng.uniform(0, 1) < 0.5 ? -1 : 1)
  }
  whole.append(xMetres: bright.x, yMetres: 0, zMetres: bright.z, amplitude: 100)
  let w = (0..<whole.count).map { $0 == whole.count - 1 ? Float(0.1) : 0.25 * Float(1 + $0 % 3) }
  var first = whole
  var second = whole
  first.amplitude = zip(whole.amplitude, w).map { $0 * $1 }
  second.amplitude = zip(whole.amplitude, w).map { $0 * (1 - $1) }
  return (whole, first, second)
}
