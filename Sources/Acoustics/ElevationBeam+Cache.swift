import Foundation

extension ElevationBeam {
  /// Table extents are rounded up to these steps, so that simulations of similar scenes (a dataset's samples, a
  /// sweep's runs) ask for the same table and share it. A table's values at a given (|y|, ρ) do not depend on its
  /// extents, and every simulation uses the rounded ones, so a shared table gives the same results as a fresh one.
  static var rangeExtentStepMetres: Double { 10e-3 }
  static var elevationExtentStepMetres: Double { 1e-3 }

  /// The beam for these parameters with its extents rounded up (see above), computed once per process and reused
  /// while it is among the most recently used few.
  public static func shared(
    elementHeightMetres h: Double, elevationFocusMetres f: Double, wavelengthMetres lambda: Double,
    maximumRangeMetres: Double, maximumElevationMetres: Double, pulse: PulseModel? = nil,
    attenuationExponent: Double = 1, threads: Int
  ) -> ElevationBeam {
    func roundUp(_ v: Double, _ step: Double) -> Double { (v / step).rounded(.up) * step }
    let key = ElevationBeamKey(
      height: h, focus: f, wavelength: lambda, range: roundUp(maximumRangeMetres, rangeExtentStepMetres),
      elevation: maximumElevationMetres > 0 ? roundUp(maximumElevationMetres, elevationExtentStepMetres) : 0,
      centerFrequency: pulse?.centerFrequencyHz ?? 0, bandwidth: pulse?.fractionalBandwidth ?? 0,
      cycles: pulse?.cycles ?? 0, response: pulse?.response.rawValue ?? "", exponent: attenuationExponent)
    return ElevationBeamCache.shared.value(for: key) {
      ElevationBeam(
        elementHeightMetres: h, elevationFocusMetres: f, wavelengthMetres: lambda, maximumRangeMetres: key.range,
        maximumElevationMetres: key.elevation, pulse: pulse, attenuationExponent: attenuationExponent,
        threads: threads)
    }
  }
}

struct ElevationBeamKey: Hashable {
  let height: Double
  let focus: Double
  let wavelength: Double
  let range: Double
  let elevation: Double
  /// The pulse the dispersion is fitted over (zeros for the beam at fc alone) and the tilt's power law.
  let centerFrequency: Double
  let bandwidth: Double
  let cycles: Double
  let response: String
  let exponent: Double
}

/// The few most recently used elevation beams (a table is up to a few MB; a process rarely needs more than a
/// handful of probe and depth combinations at a time).
final class ElevationBeamCache: @unchecked Sendable {
  static let shared = ElevationBeamCache()
  static var capacity: Int { 8 }
  private let lock = NSLock()
  /// Most recently used last.
  private var entries: [(key: ElevationBeamKey, beam: ElevationBeam)] = []

  /// The cached beam for `key`, or `make()`'s (computed outside the lock; two threads asking at once for a new key
  /// may both compute it, with identical results).
  func value(for key: ElevationBeamKey, make: () -> ElevationBeam) -> ElevationBeam {
    lock.lock()
    if let i = entries.firstIndex(where: { $0.key == key }) {
      let entry = entries.remove(at: i)
      entries.append(entry)
      lock.unlock()
      return entry.beam
    }
    lock.unlock()
    let beam = make()
    lock.lock()
    defer { lock.unlock() }
    if !entries.contains(where: { $0.key == key }) {
      entries.append((key, beam))
      if entries.count > Self.capacity { entries.removeFirst() }
    }
    return beam
  }
}
