import ConfigReading
import Foundation

/// The units scenario files give values in, with the parser's conversion of each to SI units (``read(_:)``, the
/// very arithmetic of `Scenario.parse`) and the number a writer gives for an SI value (``written(_:)``).
public enum FileUnit: Sendable {
  case plain, millimetres, micrometres, degrees, megahertz, percent

  /// A file's value in SI units, as the parser converts it.
  public func read(_ v: Double) -> Double {
    switch self {
    case .plain: return v
    case .millimetres: return v * 1e-3
    case .micrometres: return v * 1e-6
    case .degrees: return v * .pi / 180
    case .megahertz: return v * 1e6
    case .percent: return v / 100
    }
  }

  /// An SI value in the file's unit, before choosing its digits.
  public func inFile(_ x: Double) -> Double {
    switch self {
    case .plain: return x
    case .millimetres: return x * 1e3
    case .micrometres: return x * 1e6
    case .degrees: return x * 180 / .pi
    case .megahertz: return x * 1e-6
    case .percent: return x * 100
    }
  }

  /// The number to write for the SI value `x`: the first of its value in the file's unit to 15 significant digits
  /// (what a person wrote: 12.345 mm), that value to full precision, and its two neighbouring doubles that
  /// ``read(_:)`` turns back into `x` exactly; the full-precision value when none does (then `x` reads back within
  /// an ulp or two, and writing that again gives the same text).
  public func written(_ x: Double) -> YAMLWriter.Number {
    let v = inFile(x)
    let candidates = [YAMLWriter.fifteenDigits(v), v, v.nextUp, v.nextDown]
    return YAMLWriter.Number(candidates.first { read($0) == x } ?? v)
  }
}
