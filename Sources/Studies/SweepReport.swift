import FileFormats
import Foundation

/// The tables and the page of a finished sweep, rebuilt from the run folders on disk:
/// - `results.csv`: one row per run — every axis's value, the seed and every metric (first needle's);
/// - `summary.csv`: one row per point — mean and 95 % interval over seeds (Student's t) of every metric;
/// - `report.html`: self-contained (plots as inline SVG, thumbnails as data URIs): each metric against each axis,
///   one line per gauge, error bars the 95 % interval over seeds (and over the other axes' values, averaged over);
///   then a grid of B-mode thumbnails, one per point.
struct SweepReport {
  var plan: SweepPlan
  var output: URL
  var runs: [SweepRunner.Run]

  /// The metrics of the tables and plots: CSV column, plot title, and where `metrics.json` holds it (a key of the
  /// first needle's entry, or of the frame).
  static let metrics: [(column: String, title: String, needleKey: String?, frameKey: String?)] = [
    ("needle_contrast_db", "needle contrast, wall band (dB)", "contrast_db", nil),
    ("needle_cnr", "needle CNR, wall band", "cnr", nil), ("needle_gcnr", "needle gCNR, wall band", "gcnr", nil),
    ("visible_length_fraction", "visible length fraction", "visible_length_fraction", nil),
    ("tip_contrast_db", "tip contrast (dB)", "tip_contrast_db", nil),
    ("shaft_peak_db", "shaft peak, wall band (dB)", "shaft_peak_db", nil),
    ("speckle_snr", "speckle SNR", nil, "speckle_snr"),
    ("shadow_depth_db", "shadow depth (dB)", nil, "shadow_depth_db"),
  ]

  /// The metrics of one run, by column (nil where the frame has no value).
  static func values(_ metrics: [String: Any]) -> [String: Double] {
    let needle = (metrics["needles"] as? [Any])?.first as? [String: Any]
    var out: [String: Double] = [:]
    for m in Self.metrics {
      if let k = m.needleKey { out[m.column] = number(needle?[k]) }
      if let k = m.frameKey { out[m.column] = number(metrics[k]) }
    }
    return out
  }

  func write() throws {
    let points = plan.points
    var rows: [(run: SweepRunner.Run, values: [String: Double])] = []
    for r in runs {
      let url = output.appendingPathComponent("runs").appendingPathComponent(r.name).appendingPathComponent(
        "metrics.json")
      guard let data = try? Data(contentsOf: url),
        let m = try JSONSerialization.jsonObject(with: data) as? [String: Any]
      else {
        continue
      }
      rows.append((r, Self.values(m)))
    }
    let columns = Self.metrics.map(\.column).filter { c in rows.contains { $0.values[c] != nil } }
    func fmt(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "" }
    func axisCells(_ point: Int) -> [String] {
      zip(plan.axes, points[point].valueIndices).map { csvCell($0.labels[$1]) }
    }
    var results =
      (["run", "point"] + plan.axes.map { csvCell($0.name) } + ["seed"] + columns).joined(separator: ",") + "\n"
    for (r, v) in rows {
      results +=
        ([r.name, points[r.point].id] + axisCells(r.point) + [String(r.seed)] + columns.map { fmt(v[$0]) })
        .joined(separator: ",") + "\n"
    }
    var summary =
      (["point"] + plan.axes.map { csvCell($0.name) } + ["runs"]
      + columns.flatMap { [$0 + "_mean", $0 + "_ci95_low", $0 + "_ci95_high"] }).joined(separator: ",") + "\n"
    for p in points {
      let mine = rows.filter { $0.run.point == p.index }
      var cells = [p.id] + axisCells(p.index) + [String(mine.count)]
      for c in columns {
        let s = Interval(mine.compactMap { $0.values[c] })
        cells += [fmt(s?.mean), fmt(s?.low), fmt(s?.high)]
      }
      summary += cells.joined(separator: ",") + "\n"
    }
    try AtomicFile.write(Data(results.utf8), to: output.appendingPathComponent("results.csv"))
    try AtomicFile.write(Data(summary.utf8), to: output.appendingPathComponent("summary.csv"))
    try AtomicFile.write(
      Data(html(rows: rows, columns: columns).utf8), to: output.appendingPathComponent("report.html"))
  }

  func csvCell(_ s: String) -> String {
    s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }

  /// The page: one plot per (axis, metric), then the thumbnails.
  func html(rows: [(run: SweepRunner.Run, values: [String: Double])], columns: [String]) -> String {
    let points = plan.points
    let gauge = plan.axes.firstIndex { $0.key.hasSuffix("gauge") }
    var plots = ""
    var count = 0
    for (ai, axis) in plan.axes.enumerated() {
      for (column, title, _, _) in Self.metrics where columns.contains(column) {
        // One series per gauge (or one series), one point per value of this axis.
        let groups: [(name: String, filter: (Int) -> Bool)] =
          gauge.map { g in
            g == ai
              ? [("all", { _ in true })]
              : plan.axes[g].labels.enumerated().map { (gi, l) in ("\(l)G", { points[$0].valueIndices[g] == gi }) }
          } ?? [("all", { _ in true })]
        let series = groups.map { group -> (String, [Interval?]) in
          let stats = axis.labels.indices.map { vi in
            Interval(
              rows.filter { points[$0.run.point].valueIndices[ai] == vi && group.filter($0.run.point) }.compactMap {
                $0.values[column]
              })
          }
          return (group.name, stats)
        }
        plots += SVGPlot.lines(
          title: "\(title) vs \(axis.name)", xLabels: axis.labels, xTitle: axis.name, yTitle: title, series: series)
        count += 1
      }
    }
    var thumbs = ""
    for p in points {
      let name = "\(p.id)-s\(plan.seeds[0])"
      let url = output.appendingPathComponent("runs").appendingPathComponent(name).appendingPathComponent("thumb.png")
      let caption = zip(plan.axes, p.valueIndices).map { escape("\($0.name) \($0.labels[$1])") }.joined(
        separator: "<br>")
      let image =
        (try? Data(contentsOf: url)).map {
          "<img alt=\"\(p.id)\" src=\"data:image/png;base64,\($0.base64EncodedString())\">"
        } ?? "<p>(missing)</p>"
      thumbs += "<figure>\(image)<figcaption>\(p.id)<br>\(caption)</figcaption></figure>\n"
    }
    let axesText = plan.axes.map {
      "<li><b>\(escape($0.name))</b> (<code>\(escape($0.key))</code>): \(escape($0.labels.joined(separator: ", ")))</li>"
    }.joined()
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>us-sim sweep report</title>
      <style>
      body { font-family: sans-serif; margin: 2em; color: #222; }
      .plots { display: flex; flex-wrap: wrap; gap: 1em; }
      svg.plot { border: 1px solid #ddd; background: #fff; }
      .thumbs { display: flex; flex-wrap: wrap; gap: 0.8em; }
      figure { margin: 0; font-size: 11px; text-align: center; }
      figure img { display: block; image-rendering: pixelated; }
      </style></head>
      <body data-expected-plots="\(count)">
      <h1>us-sim sweep</h1>
      <p>\(points.count) points × \(plan.seeds.count) seed(s) = \(runs.count) runs, \(rows.count) finished. Metrics as
      defined in <code>docs/metrics.md</code> (first needle). Lines: one per gauge; points: mean over seeds and the
      other axes' values; bars: 95 % interval (Student's t).</p>
      <ul>\(axesText)</ul>
      <h2>Metrics against each axis</h2>
      <div class="plots">
      \(plots)</div>
      <h2>B-mode, one per point (seed \(plan.seeds[0]))</h2>
      <div class="thumbs">
      \(thumbs)</div>
      <script>
      window.addEventListener("error", function (e) { document.body.setAttribute("data-errors", String(e.message)); });
      window.addEventListener("load", function () {
        var plots = document.querySelectorAll("svg.plot");
        var drawn = 0;
        plots.forEach(function (p) { if (p.getBBox().width > 0 && p.querySelectorAll("path.series").length > 0) drawn += 1; });
        document.body.setAttribute("data-plots-shown", String(drawn));
      });
      </script>
      </body></html>

      """
  }
}

func escape(_ s: String) -> String {
  s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
    of: ">", with: "&gt;"
  )
  .replacingOccurrences(of: "\"", with: "&quot;")
}

/// Mean and 95 % confidence interval of the mean (Student's t with n − 1 degrees of freedom; a single value has a
/// zero-width interval).
struct Interval {
  var mean: Double
  var low: Double
  var high: Double

  init?(_ v: [Double]) {
    let finite = v.filter(\.isFinite)
    guard !finite.isEmpty else { return nil }
    let n = Double(finite.count)
    let m = finite.reduce(0, +) / n
    mean = m
    guard finite.count > 1 else {
      low = m
      high = m
      return
    }
    let sd = (finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
    let half = Interval.t975(finite.count - 1) * sd / n.squareRoot()
    low = m - half
    high = m + half
  }

  /// Two-sided 95 % quantile of Student's t (tabulated to 30 degrees of freedom, then the normal 1.96).
  static func t975(_ df: Int) -> Double {
    let table: [Double] = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
      2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    return df >= 1 && df <= table.count ? table[df - 1] : 1.96
  }
}
