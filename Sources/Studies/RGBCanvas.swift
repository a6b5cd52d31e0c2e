import Foundation

/// An RGB image to draw on (clipped at its edges).
struct RGBCanvas {
  var width: Int
  var height: Int
  var pixels: [UInt8]

  init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8)) {
    self.width = width
    self.height = height
    pixels = [UInt8](repeating: 0, count: width * height * 3)
    for i in 0..<(width * height) { (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]) = fill }
  }

  mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
    guard x >= 0, x < width, y >= 0, y < height else { return }
    let i = 3 * (y * width + x)
    (pixels[i], pixels[i + 1], pixels[i + 2]) = c
  }

  /// Bresenham's line from a to b.
  mutating func line(_ a: (Int, Int), _ b: (Int, Int), _ c: (UInt8, UInt8, UInt8)) {
    var (x, y) = a
    let dx = abs(b.0 - x)
    let dy = -abs(b.1 - y)
    let sx = x < b.0 ? 1 : -1
    let sy = y < b.1 ? 1 : -1
    var err = dx + dy
    while true {
      set(x, y, c)
      if x == b.0 && y == b.1 { return }
      let e2 = 2 * err
      if e2 >= dy {
        err += dy
        x += sx
      }
      if e2 <= dx {
        err += dx
        y += sy
      }
    }
  }

  mutating func ring(_ centre: (Int, Int), radius: Int, _ c: (UInt8, UInt8, UInt8)) {
    for k in 0..<64 {
      let t = Double(k) / 64 * 2 * .pi
      set(centre.0 + Int((Double(radius) * cos(t)).rounded()), centre.1 + Int((Double(radius) * sin(t)).rounded()), c)
    }
  }
}
