/// A problem with a scenario, found before any work starts: which field, what value, and what is allowed.
public struct ScenarioError: Error, CustomStringConvertible, Equatable {
  /// Dotted path of the field, e.g. `transmit.angles_deg[1]`.
  public var field: String
  public var value: String
  public var allowed: String
  /// Line in the scenario file, when known (1-based).
  public var line: Int?

  public init(field: String, value: String, allowed: String, line: Int? = nil) {
    self.field = field
    self.value = value
    self.allowed = allowed
    self.line = line
  }

  public var description: String {
    let at = line.map { " (line \($0))" } ?? ""
    return "scenario error: \(field) = \(value)\(at): expected \(allowed)"
  }
}
