import Acoustics
import Foundation
import Phantom

extension Scenario {
  /// The built-in scene: a speckle phantom with point targets and an anechoic cyst, imaged with an L11-5v
  /// (128 elements, 7.6 MHz) by three plane waves (−6°, 0°, 6°) in soft tissue (0.5 dB/cm/MHz).
  ///
  /// Background speckle 40 mm wide and 5–40 mm deep at 12 scatterers/mm² (about 17 000 scatterers), an anechoic
  /// cyst of radius 4 mm at (−8, 25) mm, a +6 dB inclusion of radius 3 mm at (8, 25) mm, and wire targets at
  /// x = 0 every 5 mm from 10 to 35 mm plus a lateral row at 15 mm depth.
  public static var defaultScene: Scenario {
    let probe = Probe.l11_5v
    let medium = HomogeneousMedium()
    var phantom = PhantomDescription()
    phantom.regions = [
      SpeckleRegion(shape: .rectangle(xMin: -20e-3, xMax: 20e-3, zMin: 5e-3, zMax: 40e-3), densityPerMm2: 12),
      SpeckleRegion.anechoic(.disk(x: -8e-3, z: 25e-3, radius: 4e-3)),
      SpeckleRegion(shape: .disk(x: 8e-3, z: 25e-3, radius: 3e-3), densityPerMm2: 12, echogenicityDb: 6),
    ]
    for z in stride(from: 10.0, through: 35.0, by: 5.0) { phantom.points.append(PointTarget(xMetres: 0, zMetres: z * 1e-3, amplitude: 8)) }
    for x in [-12.0, -6.0, 6.0, 12.0] { phantom.points.append(PointTarget(xMetres: x * 1e-3, zMetres: 15e-3, amplitude: 8)) }
    let image = ImagePlan(xRangeMetres: -19e-3...19e-3, zRangeMetres: 3e-3...42e-3, pixelMetres: 0.1e-3)
    return Scenario(
      probe: probe, medium: medium,
      transmit: TransmitPlan(scheme: .planeWave, anglesRadians: [-6, 0, 6].map { $0 * Double.pi / 180 }),
      phantom: phantom, beamform: BeamformPlan(fNumber: 1.5, window: .hann), image: image,
      acquisition: AcquisitionPlan(
        samplingFrequencyHz: 4 * probe.centerFrequencyHz, noiseSnrDb: 40,
        tgcDbPerCm: 2 * medium.attenuationDbPerCmPerMHz * probe.centerFrequencyHz / 1e6),
      seed: 7)
  }
}
