import CFFTW
import Foundation

/// FFTW plans, made once per shape and reused from any thread.
///
/// FFTW's planner is not thread-safe, but executing an existing plan on new arrays is (FFTW manual §4.6
/// "New-array Execute Functions" and §5 "Multi-threaded FFTW"). Plans here are made under a lock with
/// `FFTW_ESTIMATE | FFTW_UNALIGNED`: ESTIMATE makes the plan — and therefore the rounding of every result — the same
/// on every run (MEASURE may pick a different algorithm each time, breaking byte-identical outputs), and UNALIGNED
/// lets a plan run on any array the caller passes.
final class FFTPlanCache: @unchecked Sendable {
  static let shared = FFTPlanCache()

  enum Kind: Hashable {
    /// Batched real → half-complex forward transforms of length `n`, rows `n` floats apart.
    case realForward
    /// Batched half-complex → real inverse transforms (unnormalised).
    case realInverse
    /// Batched complex → complex backward transforms (unnormalised).
    case complexBackward
  }

  struct Key: Hashable {
    var kind: Kind
    var length: Int
    var batch: Int
  }

  private let lock = NSLock()
  private var plans: [Key: fftwf_plan] = [:]

  /// Returns the plan for `key`, making it on first use.
  func plan(_ key: Key) -> fftwf_plan {
    lock.lock()
    defer { lock.unlock() }
    if let p = plans[key] { return p }
    let p = makePlan(key)
    plans[key] = p
    return p
  }

  private func makePlan(_ key: Key) -> fftwf_plan {
    let n = key.length
    let half = n / 2 + 1
    let flags = UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED)
    var dims = [Int32(n)]
    // Scratch arrays only give the planner shapes; ESTIMATE does not touch their contents.
    let real = fftwf_alloc_real(n * key.batch)!
    let cplx = fftwf_alloc_complex(n * key.batch)!
    defer {
      fftwf_free(real)
      fftwf_free(cplx)
    }
    let plan: fftwf_plan?
    switch key.kind {
    case .realForward:
      plan = fftwf_plan_many_dft_r2c(
        1, &dims, Int32(key.batch), real, nil, 1, Int32(n), cplx, nil, 1, Int32(half), flags)
    case .realInverse:
      plan = fftwf_plan_many_dft_c2r(
        1, &dims, Int32(key.batch), cplx, nil, 1, Int32(half), real, nil, 1, Int32(n), flags)
    case .complexBackward:
      let out = fftwf_alloc_complex(n * key.batch)!
      defer { fftwf_free(out) }
      plan = fftwf_plan_many_dft(
        1, &dims, Int32(key.batch), cplx, nil, 1, Int32(n), out, nil, 1, Int32(n), FFTW_BACKWARD, flags)
    }
    guard let plan else { fatalError("FFTW could not plan \(key)") }
    return plan
  }
}
