import ConfigReading
import Scenario

/// The `us-sim beamform` options written as strings: the frame selection and the image region.
enum BeamformArguments {
  /// Frame selection: "all", or 1-based frame numbers and ranges ("1,3,5-8"); 0-based indices, in order.
  static func frames(_ text: String, frameCount: Int) throws -> [Int] {
    let spec = text.trimmingCharacters(in: .whitespaces)
    if spec.lowercased() == "all" { return Array(0..<frameCount) }
    var out: [Int] = []
    for part in spec.split(separator: ",") {
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard (1...2).contains(bounds.count), let lo = bounds.first!, let hi = bounds.last!, 1 <= lo, lo <= hi,
        hi <= frameCount
      else {
        throw ScenarioError(
          field: "--frames", value: "'\(text)'",
          allowed: "all, or frame numbers and ranges within 1…\(frameCount) such as 1,3-4")
      }
      out += (lo - 1)...(hi - 1)
    }
    return out
  }

  /// A region "x=A:B,z=C:D,pixel=P" in mm, any part omitted taken from the file.
  static func region(_ text: String, into imaging: inout RecordingImaging) throws {
    func fail(_ why: String) -> ScenarioError {
      ScenarioError(
        field: "--grid", value: "'\(text)'", allowed: "x=MIN:MAX,z=MIN:MAX,pixel=SIZE in mm, any part omitted (\(why))")
    }
    for part in text.split(separator: ",") {
      let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard kv.count == 2 else { throw fail("'\(part)' is not key=value") }
      let numbers = kv[1].split(separator: ":").map { Double($0) }
      guard numbers.allSatisfy({ $0?.isFinite == true }) else { throw fail("'\(kv[1])' is not a number or MIN:MAX") }
      let v = numbers.map { $0! * 1e-3 }
      switch kv[0] {
      case "x", "z":
        guard v.count == 2, v[0] < v[1] else { throw fail("\(kv[0]) needs MIN:MAX with MIN < MAX") }
        if kv[0] == "x" {
          imaging.xRangeMetres = v[0]...v[1]
        } else {
          guard v[0] >= 0 else { throw fail("z starts at 0 or deeper") }
          imaging.zRangeMetres = v[0]...v[1]
        }
      case "pixel":
        guard v.count == 1, v[0] > 0 else { throw fail("pixel needs one size > 0") }
        imaging.pixelMetres = v[0]
      default: throw fail("unknown key '\(kv[0])'")
      }
    }
  }
}
