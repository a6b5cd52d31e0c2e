import Acoustics
import Acquisition
import Foundation
import TestSupport
import XCTest

/// A focused line's band (``SimulationSettings/focusedLineMarginWidths``) takes or leaves each scatterer by its place
/// alone, never by its amplitude, so the banded synthesis is linear: a frame split into parts sums to the whole, as
/// the exercises' key needs (``Studies/TargetEcho`` takes the clutter as the frame's image minus the target's).
final class TransmitBeamBandTests: XCTestCase {
  /// 24 lines of the L11-5v focused at 20 mm (f/2) over 300 speckle scatterers and a point 100 times as bright, with
  /// a narrow band (K = 4) so that most lines leave most scatterers out: the channel data equal, to float rounding,
  /// the sum of those of two sets that split every amplitude unevenly (A = w·A + (1 − w)·A, w = ¼, ½, ¾ in turn and
  /// 0.1 for the bright point). Margins widened by each scatterer's amplitude over the set's median, as the band had
  /// until 2026-12-08, fail this: the bright point's margin was 100, 20 and 180 times the base in the three sets.
  func testTheBandedSynthesisIsLinear() {
    let probe = Probe.l11_5v
    let sequence = TransmitSequence.focusedLines(
      probe: probe, lineCount: 24, lateralRange: -12e-3...12e-3, focusDepthMetres: 20e-3, fNumber: 2,
      soundSpeed: 1540)
    let (whole, first, second) = unevenlySplitScatterers(seed: 7, depthMetres: 5e-3...40e-3, bright: (2e-3, 20e-3))
    let banded = simulator(probe, widths: 4)
    let all = banded.simulate(scatterers: whole, sequence: sequence).data
    let a = banded.simulate(scatterers: first, sequence: sequence).data
    let b = banded.simulate(scatterers: second, sequence: sequence).data
    let peak = all.map(abs).max()!
    let worst = zip(all, zip(a, b)).map { abs($0 - $1.0 - $1.1) }.max()!
    let leftOut = Signals.relativeRMSError(
      all, reference: simulator(probe, widths: nil).simulate(scatterers: whole, sequence: sequence).data)
    print(String(format: "band: linearity %.2g of the peak; %.1f dB left out", worst / peak, 20 * log10(leftOut)))
    XCTAssertLessThan(worst / peak, 1e-5)
    XCTAssertGreaterThan(leftOut, 0.1, "the band left nothing out")
  }

  /// The simulator of ``attenuatedSimulator(_:coarse:tail:)`` (coarse waveform, tails at the budget's level) with
  /// bands of `widths` diffraction widths (nil: every scatterer in every event).
  func simulator(_ probe: Probe, widths: Double?) -> RFSimulator<HomogeneousMedium> {
    let base = attenuatedSimulator(probe, coarse: true, tail: SimulationSettings.tailLevelForBudget)
    var settings = base.settings
    settings.focusedLineMarginWidths = widths
    return RFSimulator(probe: probe, medium: base.medium, pulse: base.pulse, settings: settings)
  }
}
