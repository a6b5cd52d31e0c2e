import Acquisition
import Foundation
import Interchange

/// Recorded channel data to beamform: a UFF file, or a `.npy` with its YAML/JSON sidecar.
public enum RecordingInput {
  /// A UFF file (`.uff`, `.h5`, `.hdf5`), or a `.npy` with its sidecar.
  public static func load(_ url: URL, sidecar: URL? = nil) throws -> ChannelRecording {
    if url.pathExtension.lowercased() == "npy" { return try ChannelDataSidecar.read(npy: url, sidecar: sidecar) }
    return try UFF.read(url)
  }
}
