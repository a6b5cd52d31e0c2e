import Foundation

/// Line plots as inline SVG: categorical x (one tick per value), one polyline per series with a marker and an
/// error bar (the interval) at each x, a legend. No scripts, no external resources.
enum SVGPlot {
  static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

  static func lines(title: String, xLabels: [String], xTitle: String, yTitle: String, series: [(String, [Interval?])])
    -> String
  {
    let (width, height) = (420.0, 280.0)
    let (left, right, top, bottom) = (58.0, 90.0, 28.0, 44.0)
    let all = series.flatMap { $0.1.compactMap { $0 } }
    var lo = all.map(\.low).min() ?? 0
    var hi = all.map(\.high).max() ?? 1
    if hi - lo < 1e-9 {
      lo -= 0.5
      hi += 0.5
    }
    let pad = (hi - lo) * 0.08
    lo -= pad
    hi += pad
    let plotW = width - left - right
    let plotH = height - top - bottom
    func px(_ i: Int) -> Double {
      left + (xLabels.count == 1 ? plotW / 2 : Double(i) / Double(xLabels.count - 1) * plotW)
    }
    func py(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotH }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    var s =
      "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    s += "<text x=\"\(f(width / 2))\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">\(escape(title))</text>\n"
    s +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#888\"/>\n"
    // y ticks: 5 round steps.
    let step = niceStep((hi - lo) / 5)
    var t = (lo / step).rounded(.up) * step
    while t <= hi {
      s +=
        "<line x1=\"\(f(left - 4))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(t)))\" y2=\"\(f(py(t)))\" stroke=\"#eee\"/>"
      let tick = (t / step).rounded() * step
      s +=
        "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(String(format: "%g", tick == 0 ? 0 : tick))</text>\n"
      t += step
    }
    for (i, l) in xLabels.enumerated() {
      s += "<text x=\"\(f(px(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(escape(l))</text>\n"
    }
    s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(escape(xTitle))</text>\n"
    s +=
      "<text transform=\"translate(14 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yTitle))</text>\n"
    for (k, (name, stats)) in series.enumerated() {
      let colour = colours[k % colours.count]
      // Offset series slightly so their error bars do not hide each other.
      let dx = (Double(k) - Double(series.count - 1) / 2) * 4
      let pts = stats.enumerated().compactMap { i, v in v.map { (px(i) + dx, $0) } }
      if !pts.isEmpty {
        let d = pts.enumerated().map { j, p in "\(j == 0 ? "M" : "L")\(f(p.0)) \(f(py(p.1.mean)))" }.joined(
          separator: " ")
        s += "<path class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"/>\n"
        for (x, v) in pts {
          s +=
            "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(py(v.low)))\" y2=\"\(f(py(v.high)))\" stroke=\"\(colour)\"/>"
          s += "<circle cx=\"\(f(x))\" cy=\"\(f(py(v.mean)))\" r=\"3\" fill=\"\(colour)\"/>\n"
        }
      }
      let ly = top + 12 + Double(k) * 16
      s +=
        "<line x1=\"\(f(left + plotW + 10))\" x2=\"\(f(left + plotW + 28))\" y1=\"\(f(ly))\" y2=\"\(f(ly))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
      s += "<text x=\"\(f(left + plotW + 32))\" y=\"\(f(ly + 4))\">\(escape(name))</text>\n"
    }
    return s + "</svg>\n"
  }

  /// 1, 2 or 5 times a power of ten, at least `raw`.
  static func niceStep(_ raw: Double) -> Double {
    let p = pow(10, (log10(max(raw, 1e-12))).rounded(.down))
    for m in [1.0, 2, 5, 10] where m * p >= raw { return m * p }
    return 10 * p
  }
}
