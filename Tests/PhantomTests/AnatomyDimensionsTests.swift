import Phantom
import XCTest

/// The presets' dimensions, measured on their tissue maps (the tissue boundaries met walking down a vertical line,
/// default parameters: L3-L4, 12 mm of fat), against published adult measurements (sources in the README's anatomy
/// table):
/// - skin to the posterior complex (ligamentum flavum) at L3–L4: 39.6 ± 4.4 mm (BMI < 30; transverse median view;
///   the paramedian view a few mm more), `../shared/reference/physics.md`;
/// - ligamentum flavum 3.2–3.7 mm thick (MRI, n = 350), physics.md;
/// - posterior dura to anterior complex, the lumbar canal's oblique diameter from the ligamentum flavum to the
///   posterior longitudinal ligament on ultrasound: 13.4 ± 0.7 mm at L3, 12.9 ± 0.7 mm at L4 (Shim, Chung & Park,
///   J Korean Orthop Assoc 17(5); men 13.40 ± 0.69 / 12.88 ± 0.69, women 13.71 ± 0.75 / 12.93 ± 0.68);
/// - sacral hiatus height (apex to base) 19.05 ± 8.65 mm and the canal's antero-posterior depth at the apex
///   5.39 ± 1.84 mm (155 dry sacra; Nastoulis et al., Folia Morphol 82(3):603–614, 2023);
/// - lumbar facet joint space width 1.93 ± 0.51 mm in the joint's central zone (3-D CT in vivo; Simon et al.,
///   Spine 37(12):1058–1064, 2012).
/// Each within one standard deviation of the mean (or within the range).
final class AnatomyDimensionsTests: XCTestCase {
  /// The runs of tissue met walking down x = `x` (m) from the skin to `depth` (m) in steps of 0.01 mm: (name, top,
  /// bottom) in millimetres.
  func column(_ a: Anatomy, x: Double, depth: Double = 80e-3) -> [(name: String, top: Double, bottom: Double)] {
    let step = 1e-5
    var runs: [(name: String, top: Double, bottom: Double)] = []
    var z = step / 2
    while z < depth {
      let name = a.map.tissues[a.map.tissueIndex(x: x, z: z)].name
      if let last = runs.last, last.name == name {
        runs[runs.count - 1].bottom = (z + step / 2) * 1e3
      } else {
        runs.append((name, (z - step / 2) * 1e3, (z + step / 2) * 1e3))
      }
      z += step
    }
    return runs
  }

  func testParamedianViewThroughTheWindow() throws {
    let a = AnatomyPreset.lumbarParamedianSagittal.build(AnatomyParameters())
    let runs = column(a, x: 0)
    let names = runs.map(\.name)
    // Skin, fat, muscle, then the posterior complex (ligament, epidural fat, dura), CSF, the anterior complex.
    let flavum = try XCTUnwrap(runs.firstIndex { $0.name == Tissue.ligament.name }, "\(names)")
    XCTAssertEqual(
      Array(names[flavum...].prefix(5)),
      [Tissue.ligament.name, Tissue.fat.name, Tissue.connective.name, Tissue.csf.name, Tissue.connective.name])
    let skinToFlavum = runs[flavum].top
    let flavumThickness = runs[flavum].bottom - runs[flavum].top
    let duraToAnterior = runs[flavum + 4].top - runs[flavum + 2].top
    print(
      String(
        format: "paramedian L3-L4: skin to ligamentum flavum %.1f mm, flavum %.1f mm, posterior dura to anterior "
          + "complex %.1f mm", skinToFlavum, flavumThickness, duraToAnterior))
    XCTAssertEqual(skinToFlavum, 39.6, accuracy: 4.4)
    XCTAssertGreaterThanOrEqual(flavumThickness, 3.2)
    XCTAssertLessThanOrEqual(flavumThickness, 3.7)
    XCTAssertEqual(duraToAnterior, 13.4, accuracy: 0.7)
  }

  /// The transverse view's facet joint: the width of the fluid gap between the articular processes, walking across
  /// the joint 4 mm below its posterior lips.
  func testFacetJointSpace() throws {
    let a = AnatomyPreset.lumbarTransverseFacet.build(AnatomyParameters())
    let joint = try XCTUnwrap(a.landmarks.first { $0.name == "facet joint right" })
    let z = joint.z + 4e-3
    var names: [String] = []
    var gap: [Double] = []
    for i in -500...500 {
      let x = joint.x + Double(i) * 1e-5
      let name = a.map.tissues[a.map.tissueIndex(x: x, z: z)].name
      if name != names.last { names.append(name) }
      if name == Tissue.csf.name { gap.append(x) }
    }
    XCTAssertEqual(names, [Tissue.corticalBone.name, Tissue.csf.name, Tissue.corticalBone.name], "\(names)")
    let width = ((gap.max() ?? 0) - (gap.min() ?? 0)) * 1e3 + 0.01
    print(String(format: "transverse facet: joint space %.2f mm", width))
    XCTAssertEqual(width, 1.93, accuracy: 0.51)
  }

  func testSacralHiatus() throws {
    let a = AnatomyPreset.sacralHiatus.build(AnatomyParameters())
    // Under the hiatus (midway along the sacrococcygeal ligament): ligament, the canal (epidural fat), then its bony
    // floor (the ventral wall, under a thin connective layer where it slopes away).
    let ligament = try XCTUnwrap(a.landmarks.first { $0.name == "sacrococcygeal ligament" })
    let runs = column(a, x: ligament.x)
    let l = try XCTUnwrap(runs.firstIndex { $0.name == Tissue.ligament.name }, "\(runs.map(\.name))")
    XCTAssertEqual(runs[l + 1].name, Tissue.fat.name)
    XCTAssertTrue(
      runs[(l + 2)...].prefix(2).contains { $0.name == Tissue.corticalBone.name }, "no floor under the canal")
    // The canal's antero-posterior depth at the apex (0.1 mm caudal to the cornu's edge): from the roof (the
    // ligament's deep surface) to the bony floor.
    let apex = column(a, x: -2.9e-3)
    let roof = try XCTUnwrap(apex.firstIndex { $0.name == Tissue.ligament.name })
    let floor = try XCTUnwrap(apex[roof...].first { $0.name == Tissue.corticalBone.name })
    let depthAtApex = floor.top - apex[roof].bottom
    // The hiatus's height: the ligament's extent along the spine, 1 mm under its surface.
    let z = (runs[l].top + 1) * 1e-3
    var xs: [Double] = []
    for i in -400...400 {
      let x = Double(i) * 1e-4
      if a.map.tissues[a.map.tissueIndex(x: x, z: z)].name == Tissue.ligament.name { xs.append(x) }
    }
    let height = ((xs.max() ?? 0) - (xs.min() ?? 0)) * 1e3
    print(String(format: "sacral hiatus: height %.1f mm, canal depth at the apex %.1f mm", height, depthAtApex))
    XCTAssertEqual(height, 19.05, accuracy: 8.65)
    XCTAssertEqual(depthAtApex, 5.39, accuracy: 1.84)
  }
}
