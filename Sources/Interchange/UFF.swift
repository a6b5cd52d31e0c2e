import Acquisition
import Foundation

/// USTB's Ultrasound File Format, v1.2 (HDF5): channel data, probe, transmit sequence, pulse and scan in the layout
/// of USTB's `uff.write_object` / `uff.read_object` and the Python package pyuff-ustb
/// (`docs/uff.md` summarises it).
///
/// Conventions that matter for the numbers:
/// - MATLAB arrays are column-major: `data` [samples × channels × waves × frames] is the HDF5 (C-order) dataset
///   (frames, waves, channels, samples), which is our own order (event, element, sample) per frame.
/// - Time: sample n is at `initial_time + n/fs`, and USTB's beamformer delays a pixel p by
///   `|p − p_rx|/c + D(p)` with the transmit delay `D(p) = d(p)/c − delay` of each wave, where d is `u·p` for a
///   plane wave (azimuth θ: u = (sin θ, cos θ)), `|p − V| − |V|` for a source V behind the array and `|F| ± |p − F|`
///   for one in front (USTB `midprocess.das`). Our events count time from their first firing, so each wave's
///   ``TransmitEvent/firstFiringTimeSeconds`` is `T − delay`, with T from ``ustbTimeOrigin(_:probe:)``.
public enum UFF {
  /// The version written into the root's `version` attribute; files of v1.0.x … v1.2.x are read.
  public static let version = "v1.2.0"

  /// UFF's `uff.wavefront` enumeration.
  enum WavefrontCode: Int32 {
    case plane = 0
    case spherical = 1
    case photoacoustic = 2
  }

  /// The time T (s) such that a wave written with USTB delay `T − firstFiringTime` is beamformed by USTB's delay
  /// model exactly as ours beamforms the event (at the focus, for focused waves, where the two models differ off
  /// the axis):
  /// ```
  /// plane:          T = min_k u·p_k / c                 (= referenceTime)
  /// diverging (V):  T = (min_k |p_k − V| − |V|) / c     (= referenceTime − |V|/c)
  /// focused (F):    T = (|F| − max_k |F − p_k|) / c     (= |F|/c − referenceTime)
  /// element k:      T = |p_k| / c
  /// ```
  static func ustbTimeOrigin(_ event: TransmitEvent, probe: Probe) -> Double {
    let c = event.soundSpeedMetresPerSecond
    switch event.wavefront {
    case .plane: return event.referenceTimeSeconds
    case .diverging(let x, let z): return event.referenceTimeSeconds - hypot(x, z) / c
    case .focused(let x, let z): return hypot(x, z) / c - event.referenceTimeSeconds
    case .singleElement(let k):
      let e = probe.elements[k]
      return hypot(e.xMetres, e.zMetres) / c
    }
  }

  /// A source point in UFF's spherical coordinates (distance, azimuth, elevation) for a point (x, 0, z).
  static func spherical(x: Double, z: Double) -> (distance: Double, azimuth: Double, elevation: Double) {
    (hypot(x, z), atan2(x, z), 0)
  }
}
