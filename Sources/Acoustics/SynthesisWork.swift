import Foundation

/// The multiply-adds the RF synthesis kernels have done in this process, so a benchmark can set a run's rate
/// against the machine's peak (`us-sim-bench peak`) and see how much of the time is arithmetic.
///
/// Counted in lanes (one lane of an 8-lane fused multiply-add is one). Receive: two per output sample per scatterer
/// and receiver (``ScattererKernel/receive(slots:count:into:)`` interpolates between two phases); transmit: two per
/// fine-grid sample per scatterer and transmitting element. Each kernel keeps its own count in a local variable and
/// adds it to its lane's total once per group or scatterer; ``RFSimulator/simulate(scatterers:sequence:progress:)``
/// adds each lane's total here once, so counting costs a few integer additions per scatterer and one lock per lane.
public final class SynthesisWork: @unchecked Sendable {
  public static let shared = SynthesisWork()

  private let lock = NSLock()
  private var receive = 0
  private var transmit = 0

  /// Lane multiply-adds so far: the receive loops' and the transmit loops'.
  public var multiplyAdds: (receive: Int, transmit: Int) {
    lock.lock()
    defer { lock.unlock() }
    return (receive, transmit)
  }

  func add(receive r: Int, transmit t: Int) {
    lock.lock()
    receive += r
    transmit += t
    lock.unlock()
  }

  /// Starts the count again from zero.
  public func reset() {
    lock.lock()
    receive = 0
    transmit = 0
    lock.unlock()
  }
}
