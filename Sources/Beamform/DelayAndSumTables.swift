import Acquisition
import Foundation
import KernelSupport

/// Everything the delay-and-sum kernels share for one beamforming call: element geometry, the interpolation table,
/// the window, and which events each pixel column uses. Read-only once built, so rows may share it.
final class DelayAndSumTables: @unchecked Sendable {
  let grid: ImageGrid
  let sequence: [TransmitEvent]
  let elementCount: Int
  let sampleCount: Int
  let samplingFrequency: Float
  let startTime: Float
  let inverseSoundSpeed: Float
  /// The receive aperture rule, and its 2F and whether an f-number applies (F > 0) for the row kernels.
  let aperture: ReceiveAperture
  let twoF: Float
  let useF: Bool
  /// Flat array: every element at z = 0 with its normal along +z.
  let flat: Bool
  /// Per element: x, z, normal x, normal z, full-aperture weight.
  let elementTable: UnsafeMutablePointer<Float>
  /// Per δ step (1/``interpolationSteps``): the two 4-lane coefficient vectors of the base-band interpolation.
  let interpolation: UnsafeMutablePointer<SIMD4<Float>>
  static let interpolationSteps = 256  // a power of two: ``sample(_:at:)`` splits positions with shifts
  /// The receive apodization (``ApodizationWindow/weights(_:)``).
  var window: ApodizationWindow { aperture.window }
  /// For each event, the columns it images (all of them, except in line-by-line focused imaging).
  let columnRange: [ClosedRange<Int>]
  /// Event-major (event × elements): each element's receive-steering tangent for each event
  /// (``ReceiveAperture/steeringTangent(of:normalAngleRadians:)``; +∞ for an element that does not face the returning
  /// wave, which keeps it out of every aperture); empty when no event is steered.
  let steeringTangents: [Float]

  convenience init(data: AnalyticChannelData, grid: ImageGrid, settings: BeamformSettings) {
    let rf = data.source
    self.init(
      record: RecordShape(
        probe: rf.probe, sequence: rf.sequence, samplingFrequencyHz: rf.samplingFrequencyHz,
        startTimeSeconds: rf.startTimeSeconds, sampleCount: rf.sampleCount),
      demodulationFrequencyHz: data.demodulationFrequencyHz, grid: grid, settings: settings)
  }

  /// The tables for channel data of shape `record`, demodulated at `demodulationFrequencyHz`.
  init(record: RecordShape, demodulationFrequencyHz: Double, grid: ImageGrid, settings: BeamformSettings) {
    let probe = record.probe
    let elements = probe.elements
    let ne = elements.count
    let fs = record.samplingFrequencyHz
    self.grid = grid
    sequence = record.sequence
    elementCount = ne
    sampleCount = record.sampleCount
    samplingFrequency = Float(fs)
    startTime = Float(record.startTimeSeconds)
    inverseSoundSpeed = Float(1 / settings.soundSpeedMetresPerSecond)
    aperture = settings.aperture
    twoF = settings.aperture.twiceFNumber
    useF = settings.aperture.limitsAperture
    flat = probe.layout != .convex

    elementTable = .allocate(capacity: 5 * ne)
    for (j, e) in elements.enumerated() {
      elementTable[5 * j] = Float(e.xMetres)
      elementTable[5 * j + 1] = Float(e.zMetres)
      elementTable[5 * j + 2] = Float(sin(e.normalAngleRadians))
      elementTable[5 * j + 3] = Float(cos(e.normalAngleRadians))
      elementTable[5 * j + 4] = settings.aperture.wholeArrayWeight(element: j, of: ne)
    }
    // (s[n], s[n+1]) = (re0, im0, re1, im1) times w0 = (1−δ)e^{iω₀δ/fs}, w1 = δe^{−iω₀(1−δ)/fs}:
    //   (w0r, w0r, w1r, w1r)·(re0, im0, re1, im1) + (−w0i, w0i, −w1i, w1i)·(im0, re0, im1, re1)
    let steps = Self.interpolationSteps
    let omega = 2 * Double.pi * demodulationFrequencyHz
    interpolation = .allocate(capacity: 2 * (steps + 1))
    for i in 0...steps {
      let d = Double(i) / Double(steps)
      let w0r = Float((1 - d) * cos(omega * d / fs))
      let w0i = Float((1 - d) * sin(omega * d / fs))
      let w1r = Float(d * cos(-omega * (1 - d) / fs))
      let w1i = Float(d * sin(-omega * (1 - d) / fs))
      interpolation[2 * i] = SIMD4(w0r, w0r, w1r, w1r)
      interpolation[2 * i + 1] = SIMD4(-w0i, w0i, -w1i, w1i)
    }

    steeringTangents = Array(
      settings.aperture.steeringTangents(
        of: record.sequence, normalAnglesRadians: elements.map(\.normalAngleRadians)
      ).joined())

    // Line-by-line focused sequences: each column belongs to the event whose scan line is nearest (a contiguous
    // run of columns, lines being ordered); otherwise every event images every column.
    let lines = record.sequence.map(\.scanLine)
    let columns = grid.columnCoordinates
    if !lines.isEmpty, lines.allSatisfy({ $0 != nil }) {
      var lo = [Int](repeating: Int.max, count: lines.count)
      var hi = [Int](repeating: -1, count: lines.count)
      for (c, coordinate) in columns.enumerated() {
        // Nearest line; a column midway between two (within 1e-9 m or rad, below the rounding of line positions
        // read back from files) goes to the first, so that the choice does not hang on the last bit.
        var best = 0
        for i in lines.indices where abs(lines[i]! - coordinate) < abs(lines[best]! - coordinate) - 1e-9 { best = i }
        lo[best] = min(lo[best], c)
        hi[best] = max(hi[best], c)
      }
      // An event that owns no column gets an empty range (lo > hi is represented by 1...0 and skipped).
      columnRange = zip(lo, hi).map { $0.0 <= $0.1 ? $0.0...$0.1 : 1...0 }
    } else {
      columnRange = Array(repeating: 0...(max(grid.columns, 1) - 1), count: record.sequence.count)
    }
  }

  deinit {
    elementTable.deallocate()
    interpolation.deallocate()
  }

  /// Transmit arrival of `event` at (x, z), in samples from the first recorded sample.
  @inline(__always)
  func transmitSamples(_ event: TransmitEvent, x: Float, z: Float) -> Float {
    (Float(event.arrivalTime(xMetres: Double(x), zMetres: Double(z))) - startTime) * samplingFrequency
  }

  /// Receive travel time over a distance r (m), in samples.
  @inline(__always)
  func receiveSamples(_ r: Float) -> Float { r * inverseSoundSpeed * samplingFrequency }

  /// Element j's receive-steering tangent for event k (0 when nothing is steered).
  @inline(__always)
  func steeringTangent(element j: Int, event k: Int) -> Float {
    steeringTangents.isEmpty ? 0 : steeringTangents[k * elementCount + j]
  }

  /// Receive weight of element j in event k's image for a pixel at offset (dx, dz) from it, in the element's own
  /// frame (v along its normal, u across): ``ReceiveAperture/weight(lateral:normal:wholeArrayWeight:steeringTangent:)``,
  /// nil outside its aperture. The row kernels compute the same products lane by lane.
  @inline(__always)
  func apertureWeight(element j: Int, event k: Int, dx: Float, dz: Float) -> Float? {
    let e = elementTable + 5 * j
    let v = dx * e[2] + dz * e[3]
    let u = dx * e[3] - dz * e[2]
    return aperture.weight(
      lateral: u, normal: v, wholeArrayWeight: e[4], steeringTangent: steeringTangent(element: j, event: k))
  }

  /// Positions must stay below this for ``sample(_:at:)``, which reads up to sample ⌊pos⌋ + 2.
  var lastPosition: Float { Float(sampleCount - 2) }

  /// The base-band-interpolated analytic sample of a trace at fractional sample position `pos` (0 ≤ pos < ns − 2),
  /// as 4 lanes whose (0 + 2, 1 + 3) sums are (re, im).
  ///
  /// One conversion gives both the sample and the 1/256 step of δ: u = round(256·pos), n = u >> 8, step = u & 255
  /// (δ rounding up to 1 becomes sample n + 1 with δ = 0, the same value).
  @inline(__always)
  func sample(_ trace: UnsafePointer<Float>, at pos: Float) -> SIMD4<Float> {
    sample(trace, step: Int(pos * Float(Self.interpolationSteps) + 0.5))
  }

  /// The sample at position u/256: sample n = u >> 8 with δ step u & 255.
  @inline(__always)
  func sample(_ trace: UnsafePointer<Float>, step u: Int) -> SIMD4<Float> {
    let q = interpolation + 2 * (u & 255)
    let pair = UnsafeRawPointer(trace + 2 * (u >> 8)).loadUnaligned(as: SIMD4<Float>.self)
    let swapped = SIMD4(pair[1], pair[0], pair[3], pair[2])
    return (q[1] * swapped).adding(pair, times: q[0])
  }
}
