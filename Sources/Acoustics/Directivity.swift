import Foundation

/// In-plane directivity of a strip element of width w, with the soft-baffle obliquity factor, at fc:
///
/// ```
/// D(θ) = cos θ · sinc(π w sin θ / λ),   sinc(u) = sin(u)/u
/// ```
/// θ is the angle between the element normal and the direction to the point. This is the narrowband (fc) form of
/// the directivity MUST's pfield/SIMUS use (Garcia, "SIMUS: an open-source simulator for medical ultrasound
/// imaging. Part I", Comput. Methods Programs Biomed. 218, 2022, eq. 4); points behind the element (cos θ ≤ 0)
/// receive nothing.
public struct Directivity: Sendable {
  /// π w / λ.
  let piWidthOverLambda: Float

  public init(elementWidthMetres: Double, wavelengthMetres: Double) {
    piWidthOverLambda = Float(Double.pi * elementWidthMetres / wavelengthMetres)
  }

  /// D for the given sine and cosine of θ.
  @inline(__always)
  public func value(sinTheta: Float, cosTheta: Float) -> Float {
    if cosTheta <= 0 { return 0 }
    let u = piWidthOverLambda * sinTheta
    let s: Float = abs(u) < 1e-6 ? 1 : sin(u) / u
    return cosTheta * s
  }
}
