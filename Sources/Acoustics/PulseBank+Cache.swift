import Foundation

/// A pulse bank with the polyphase layout the RF kernels read (``RFSimulator/Context``).
struct PulseTables {
  let bank: PulseBank
  /// The tables one fine-grid step apart (8 table steps), `polyphase(stride: 8, rowLength: fine.span + 8)`, of a
  /// bank with at least `bank`'s entries: entries beyond `bank.entryCount` may be present and are never read
  /// (``PulseBank/entry(attenuationDb:)`` stops at the last).
  let fine: Rows
  /// What the coarse transmit waveform (``ScattererKernel/transmit``) reads; nil when the pulse's band leaves no filter
  /// of 32 taps or fewer that reaches its target half an RF sample apart (``PhaseInterpolator``).
  let halfSample: HalfSample?

  /// The tables half an RF sample apart (4 fine-grid steps), `polyphase(stride: 32, rowLength: rows.span + 8)`, and
  /// the filters that give the fine grid's other phases from samples that far apart (4 phases at twice the RF rate).
  struct HalfSample {
    let rows: Rows
    let interpolator: PhaseInterpolator
  }

  /// A polyphase layout of the tables: the rows; the samples each element's pulse adds (whole vectors), for the
  /// longest entry; and per entry, where its pulse starts in a row (`leads`) and how many samples from there hold it
  /// (`spans`, whole vectors, `leads[e] + spans[e] ≤ span`): an entry's table is zero beyond its own support
  /// (``PulseBank/entryHalfSupportSamples``).
  struct Rows {
    let poly: [Float]
    let span: Int
    let leads: [Int]
    let spans: [Int]

    func prefix(_ entryCount: Int) -> Rows {
      Rows(poly: poly, span: span, leads: Array(leads.prefix(entryCount)), spans: Array(spans.prefix(entryCount)))
    }
  }
}

extension PulseTables.Rows {
  /// `bank`'s tables `q` table steps apart. Row k of phase r holds table[k·q + r], and an element also reads
  /// table[k·q + r + 1]: entry e's nonzero samples, |i − centre| ≤ h, lie in rows ⌊(centre − h)/q⌋ − 1 …
  /// ⌊(centre + h)/q⌋, kept with a row to spare.
  init(bank: PulseBank, stride q: Int, threads: Int) {
    let span = (bank.phaseLength(stride: q) + 7) / 8 * 8
    let c = bank.centerIndex
    let rows = bank.entryHalfSupportSamples.map { h -> (lead: Int, span: Int) in
      let lead = max(0, (c - h) / q - 2)
      let end = min(span, (c + h) / q + 2)
      return (lead, min(span - lead, (end - lead + 7) / 8 * 8))
    }
    poly = bank.polyphase(stride: q, rowLength: span + 8, threads: threads)
    self.span = span
    leads = rows.map(\.lead)
    spans = rows.map(\.span)
  }
}

extension PulseTables {
  /// The tables of a bank just made, laid out on `threads` threads: on the fine grid (8 table steps apart) and half
  /// an RF sample apart (4K).
  init(bank: PulseBank, threads: Int = 1) {
    let k = SimulationSettings.oversampling
    let filters = PhaseInterpolator.design(
      model: bank.model, samplingFrequencyHz: 1 / (bank.tableStepSeconds * Double(4 * k)), phases: k / 2)
    self.init(
      bank: bank, fine: Rows(bank: bank, stride: 8, threads: threads),
      halfSample: filters.map { HalfSample(rows: Rows(bank: bank, stride: 4 * k, threads: threads), interpolator: $0) })
  }
}

/// Pulse banks shared by the simulations of one process (a dataset's frames, a sweep's runs, repeated calls), so
/// that each pulse is computed once.
///
/// A bank is kept per pulse model, table step, attenuation exponent and support level, with as many entries as any
/// simulation has asked for; a simulation that needs fewer gets the first entries
/// (``PulseBank/init(prefixOf:entryCount:)``), which equal a fresh bank's, so results do not depend on what ran
/// before. When a simulation needs more, the bank is remade up to the larger of what it needs and one and a half
/// times the kept bank's range, so that scenes drawn from a range of attenuations settle on one bank after a few
/// frames. The first request for a key makes exactly
/// what it needs, so a single simulation pays for nothing it does not use.
final class PulseBankCache: @unchecked Sendable {
  static let shared = PulseBankCache()
  /// Banks kept (the least recently used goes first); one is a few to a few tens of MB with its layout.
  static var capacity: Int { 4 }

  struct Key: Equatable {
    let model: PulseModel
    let tableStepSeconds: Double
    let attenuationExponent: Double
    let minimumAttenuationDb: Double
    let supportLevelDb: Double
  }

  private let lock = NSLock()
  /// Most recently used last.
  private var entries: [(key: Key, tables: PulseTables)] = []

  /// The tables for a bank of `model` up to `maximumAttenuationDb` (dB at 1 MHz), as ``PulseBank`` makes it. A
  /// missing bank is made outside the lock, on `threads` threads; two simulations asking at once may both make it,
  /// with identical results.
  func tables(
    model: PulseModel, tableStepSeconds: Double, maximumAttenuationDb: Double, minimumAttenuationDb: Double = 0,
    attenuationExponent: Double, supportLevelDb: Double = PulseBank.defaultSupportLevelDb, threads: Int
  ) -> PulseTables {
    let key = Key(
      model: model, tableStepSeconds: tableStepSeconds, attenuationExponent: attenuationExponent,
      minimumAttenuationDb: minimumAttenuationDb, supportLevelDb: supportLevelDb)
    let step = PulseBank.attenuationStepDb(model: model, attenuationExponent: attenuationExponent)
    let needed = PulseBank.entryCount(
      maximumAttenuationDb: maximumAttenuationDb, minimumAttenuationDb: minimumAttenuationDb, stepDb: step)
    var make = maximumAttenuationDb
    lock.lock()
    if let i = entries.firstIndex(where: { $0.key == key }) {
      let entry = entries.remove(at: i)
      entries.append(entry)
      let cached = entry.tables
      if cached.bank.entryCount >= needed {
        lock.unlock()
        return Self.prefix(cached, entryCount: needed)
      }
      make = max(maximumAttenuationDb, 1.5 * cached.bank.maximumAttenuationDb)
    }
    lock.unlock()
    let made = PulseTables(
      bank: PulseBank(
        model: model, tableStepSeconds: tableStepSeconds, maximumAttenuationDb: make,
        minimumAttenuationDb: minimumAttenuationDb, attenuationExponent: attenuationExponent,
        supportLevelDb: supportLevelDb, threads: threads), threads: threads)
    lock.lock()
    defer { lock.unlock() }
    if let i = entries.firstIndex(where: { $0.key == key }) {
      if entries[i].tables.bank.entryCount < made.bank.entryCount { entries[i].tables = made }
    } else {
      entries.append((key, made))
      if entries.count > Self.capacity { entries.removeFirst() }
    }
    return Self.prefix(made, entryCount: needed)
  }

  private static func prefix(_ t: PulseTables, entryCount: Int) -> PulseTables {
    if t.bank.entryCount == entryCount { return t }
    return PulseTables(
      bank: PulseBank(prefixOf: t.bank, entryCount: entryCount), fine: t.fine.prefix(entryCount),
      halfSample: t.halfSample.map {
        PulseTables.HalfSample(rows: $0.rows.prefix(entryCount), interpolator: $0.interpolator)
      })
  }

  /// Forgets every bank.
  func removeAll() {
    lock.lock()
    entries.removeAll()
    lock.unlock()
  }
}

extension PulseBank {
  /// The process's shared bank for these parameters (``PulseBankCache``): equal to
  /// `PulseBank(model:tableStepSeconds:maximumAttenuationDb:attenuationExponent:)`, made at most once per process
  /// while it stays among the few most recently used.
  public static func shared(
    model: PulseModel, tableStepSeconds: Double, maximumAttenuationDb: Double, attenuationExponent: Double,
    threads: Int = 1
  ) -> PulseBank {
    PulseBankCache.shared.tables(
      model: model, tableStepSeconds: tableStepSeconds, maximumAttenuationDb: maximumAttenuationDb,
      attenuationExponent: attenuationExponent, threads: threads
    ).bank
  }

  /// Forgets the shared banks, so that the next simulation makes its own (for tests and benchmarks of a first run).
  public static func removeAllShared() { PulseBankCache.shared.removeAll() }
}
