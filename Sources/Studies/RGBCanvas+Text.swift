import Foundation

extension RGBCanvas {
  /// The characters a figure's depth scale needs (digits, "c", "m"), each 3 pixels wide and 5 high, rows top to
  /// bottom with bit 2 the left column.
  static let glyphs: [Character: [UInt8]] = [
    "0": [0b111, 0b101, 0b101, 0b101, 0b111],
    "1": [0b010, 0b110, 0b010, 0b010, 0b111],
    "2": [0b111, 0b001, 0b111, 0b100, 0b111],
    "3": [0b111, 0b001, 0b011, 0b001, 0b111],
    "4": [0b101, 0b101, 0b111, 0b001, 0b001],
    "5": [0b111, 0b100, 0b111, 0b001, 0b111],
    "6": [0b111, 0b100, 0b111, 0b101, 0b111],
    "7": [0b111, 0b001, 0b010, 0b010, 0b010],
    "8": [0b111, 0b101, 0b111, 0b101, 0b111],
    "9": [0b111, 0b101, 0b111, 0b001, 0b111],
    "c": [0b000, 0b000, 0b111, 0b100, 0b111],
    "m": [0b000, 0b000, 0b111, 0b111, 0b101],
  ]

  /// Width in pixels of `text` drawn at `scale` (glyphs 3 wide, one column between them).
  static func textWidth(_ text: String, scale: Int) -> Int { max(0, 4 * text.count - 1) * scale }

  /// Draws `text` with its top-left corner at (x, y), each glyph pixel a `scale` × `scale` square; characters
  /// without a glyph are left blank.
  mutating func text(_ text: String, x: Int, y: Int, scale: Int, _ c: (UInt8, UInt8, UInt8)) {
    for (k, ch) in text.enumerated() {
      guard let rows = Self.glyphs[ch] else { continue }
      for (r, bits) in rows.enumerated() {
        for column in 0..<3 where bits & (0b100 >> UInt8(column)) != 0 {
          for dy in 0..<scale {
            for dx in 0..<scale { set(x + (4 * k + column) * scale + dx, y + r * scale + dy, c) }
          }
        }
      }
    }
  }
}
