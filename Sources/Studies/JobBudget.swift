import Foundation
import Scenario

/// What a job of many simulations (a dataset, exercises, a sweep) may do before it starts: how many simulations run
/// at once within the machine's memory, and whether its files fit on the disk. Each simulation's own scenario is
/// refused by ``Scenario/validate()`` when it alone does not fit.
enum JobBudget {
  /// The workers that fit in ``Scenario/memoryLimitBytes`` when each needs `perWorkerBytes`: at most `requested`,
  /// at least one.
  static func workers(_ requested: Int, perWorkerBytes: Double) -> Int {
    guard perWorkerBytes > 0 else { return requested }
    return max(1, min(requested, Int(Scenario.memoryLimitBytes / perWorkerBytes)))
  }

  /// Refuses a job whose files (`bytes`) would not fit in the free space of the volume holding `folder` (or its
  /// nearest existing ancestor), naming both figures.
  static func checkDisk(_ bytes: Double, at folder: URL, job: String) throws {
    var probe = folder.standardizedFileURL
    while !FileManager.default.fileExists(atPath: probe.path) && probe.path != "/" {
      probe = probe.deletingLastPathComponent()
    }
    guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: probe.path),
      let free = (attributes[.systemFreeSize] as? NSNumber)?.doubleValue
    else { return }
    guard bytes > free else { return }
    throw DatasetConfig.DatasetError(
      String(
        format:
          "%@ needs about %.3g GB on disk, and %@ has %.3g GB free: fewer samples, smaller images, or another --out",
        job, bytes / 1e9, probe.path, free / 1e9))
  }
}
