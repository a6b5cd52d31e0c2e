import Acquisition
import Foundation
import KernelSupport

/// The shape of a channel-data record, all the beamformer needs to know before any sample exists.
public struct RecordShape: Sendable {
  public var probe: Probe
  public var sequence: [TransmitEvent]
  public var samplingFrequencyHz: Double
  public var startTimeSeconds: Double
  public var sampleCount: Int

  public init(
    probe: Probe, sequence: [TransmitEvent], samplingFrequencyHz: Double, startTimeSeconds: Double, sampleCount: Int
  ) {
    self.probe = probe
    self.sequence = sequence
    self.samplingFrequencyHz = samplingFrequencyHz
    self.startTimeSeconds = startTimeSeconds
    self.sampleCount = sampleCount
  }
}

/// Which channel samples delay-and-sum reads: per transmit event and element, the first and last sample position
/// (fractional, as ``DelayAndSum`` computes it: `(t_k(p) + |p − p_j|/c − t₀)·fs`) of any pixel whose receive
/// aperture takes that element in. An echo that ends before the first or starts after the last position on an
/// element adds nothing to the image from that element; a simulation that keeps the image alone need not
/// synthesise it.
///
/// In line-by-line focused imaging each event images only the columns nearest its scan line, and an element
/// enters a pixel's aperture only when the pixel is at least 2F times its lateral distance deep, so an element far
/// from the line is read late or never: with F = 1.5 an element 20 mm from the line is read from 60 mm depth on.
/// Along a column the read position grows with depth (the transmit arrival and the distance to every element both
/// grow), so the first read is at the shallowest pixel that takes the element in and the last at the deepest one
/// (for a phased array's steep columns an element can leave the aperture again deeper down; scanning from the
/// bottom finds where); ``bruteForce(record:grid:settings:)`` scans every pixel and tests hold the two together.
public struct ReadWindows: Sendable, Equatable {
  public let elementCount: Int
  /// Event-major (event × elements): first and last positions read; +∞ and −∞ when the element is never read.
  public let firstSample: [Float]
  public let lastSample: [Float]

  public init(record: RecordShape, grid: ImageGrid, settings: BeamformSettings) {
    self.init(record: record, grid: grid, settings: settings, scanWholeColumns: false)
  }

  /// The same windows from every pixel of every column, with no assumption on how positions change with depth.
  public static func bruteForce(record: RecordShape, grid: ImageGrid, settings: BeamformSettings) -> ReadWindows {
    ReadWindows(record: record, grid: grid, settings: settings, scanWholeColumns: true)
  }

  init(record: RecordShape, grid: ImageGrid, settings: BeamformSettings, scanWholeColumns: Bool) {
    let tables = DelayAndSumTables(
      record: record, demodulationFrequencyHz: record.probe.centerFrequencyHz, grid: grid, settings: settings)
    let ne = tables.elementCount
    let events = record.sequence.count
    let rows = grid.rows
    let cols = grid.columns
    var first = [Float](repeating: .infinity, count: events * ne)
    var last = [Float](repeating: -.infinity, count: events * ne)
    first.withUnsafeMutableBufferPointer { f in
      last.withUnsafeMutableBufferPointer { l in
        let fb = UnsafeMutablePointerBox(f.baseAddress!)
        let lb = UnsafeMutablePointerBox(l.baseAddress!)
        Parallel.forEach(count: events, threads: settings.threads) { k in
          let event = record.sequence[k]
          let range = tables.columnRange[k]
          guard range.lowerBound <= range.upperBound else { return }
          let lo = fb.pointer + k * ne
          let hi = lb.pointer + k * ne
          // The read position of element j at pixel `pix`, nil outside its aperture.
          func position(_ pix: Int, _ j: Int) -> Float? {
            let e = tables.elementTable + 5 * j
            let dx = grid.x[pix] - e[0]
            let dz = grid.z[pix] - e[1]
            guard tables.apertureWeight(element: j, event: k, dx: dx, dz: dz) != nil else { return nil }
            return tables.transmitSamples(event, x: grid.x[pix], z: grid.z[pix])
              + tables.receiveSamples((dx * dx + dz * dz).squareRoot())
          }
          for col in range {
            for j in 0..<ne {
              for row in 0..<rows {
                guard let p = position(row * cols + col, j) else { continue }
                lo[j] = min(lo[j], p)
                hi[j] = max(hi[j], p)
                if !scanWholeColumns { break }
              }
              if scanWholeColumns { continue }
              for row in stride(from: rows - 1, through: 0, by: -1) {
                guard let p = position(row * cols + col, j) else { continue }
                hi[j] = max(hi[j], p)
                break
              }
            }
          }
        }
      }
    }
    elementCount = ne
    firstSample = first
    lastSample = last
  }
}
