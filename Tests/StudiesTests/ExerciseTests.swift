import FileFormats
import Foundation
import Phantom
import Scenario
import Studies
import TestSupport
import XCTest

/// Exercises: plans that follow the difficulty, an answer key that agrees with each frame's masks, identical bytes
/// whatever the worker count or an interruption, the trainee's page scored in headless Chromium, clear errors.
final class ExerciseTests: XCTestCase {
  static func temporaryDirectory() -> URL { Programs.temporaryDirectory("us-sim-exercise") }

  /// One easy paramedian exercise with a needle, made once for the tests that read it (2 workers).
  static let made: Result<URL, Error> = Result {
    let out = temporaryDirectory()
    try ExerciseGenerator(
      preset: .lumbarParamedianSagittal, difficulty: .easy, count: 1, seed: 4, needle: true, output: out, workers: 2
    ).run()
    return out
  }

  func key(_ dir: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("answer_key.json")))
      as! [String: Any]
  }

  func mask(_ url: URL) throws -> (values: [Double], shape: [Int]) { try NumpyArray.decode(Data(contentsOf: url)) }

  /// Harder levels draw deeper anatomy, narrower windows, more frames in shadow, thinner needles and more noise.
  func testPlansFollowTheDifficulty() throws {
    func plans(_ d: ExerciseDifficulty) throws -> [ExercisePlan] {
      try (0..<2).map {
        try ExercisePlan.make(preset: .lumbarParamedianSagittal, difficulty: d, index: $0, seed: 9, needle: true)
      }
    }
    let easy = try plans(.easy)
    let hard = try plans(.hard)
    XCTAssertGreaterThan(
      hard.map(\.targetCentre.y).min()!, easy.map(\.targetCentre.y).max()!, "hard targets lie deeper")
    XCTAssertLessThan(hard[0].parameters.windowScale, easy[0].parameters.windowScale)
    XCTAssertGreaterThan(hard[0].parameters.fatThicknessMetres, easy[0].parameters.fatThicknessMetres)
    func hiddenShare(_ p: [ExercisePlan]) -> Double {
      let f = p.flatMap(\.plannedShadowFractions)
      return Double(f.filter { $0 >= ExerciseKey.hiddenFraction }.count) / Double(f.count)
    }
    XCTAssertGreaterThan(
      hiddenShare(hard), hiddenShare(easy) + 0.15, "hard sweeps spend more of their frames in shadow")
    XCTAssertGreaterThan(hard[0].needle!.gauge, easy[0].needle!.gauge)
    XCTAssertGreaterThan(hard[0].difficulty.noiseFloorDb, easy[0].difficulty.noiseFloorDb)
    for p in easy + hard {
      let hidden = p.plannedShadowFractions.filter { $0 >= 0.5 }.count
      XCTAssertTrue(
        hidden > 0 && hidden < p.poses.count, "every sweep both hides and shows the target: \(p.plannedShadowFractions)"
      )
    }
    // Every frame, the needle seen from that frame's pose included, is a valid scenario (seed 1's medium sweeps tilt
    // far enough to put a careless path's tip above the probe face), and its file reads back as the very scenario the
    // frame is simulated from.
    let medium = try (0..<2).map {
      try ExercisePlan.make(preset: .lumbarParamedianSagittal, difficulty: .medium, index: $0, seed: 1, needle: true)
    }
    for p in easy + hard + medium {
      for k in p.poses.indices {
        let yaml = try p.scenarioYAML(frame: k)
        XCTAssertEqual(try Scenario.parse(yaml: yaml), try p.scenario(frame: k), yaml)
      }
    }
    // Exercise i depends on (seed, i) only.
    let again = try ExercisePlan.make(
      preset: .lumbarParamedianSagittal, difficulty: .hard, index: 1, seed: 9, needle: true)
    XCTAssertEqual(again.poses, hard[1].poses)
    XCTAssertEqual(try again.scenarioYAML(frame: 3), try hard[1].scenarioYAML(frame: 3))
    // Every preset with a target gives a sweep that hides and shows it.
    for preset in ExercisePlan.presets {
      let p = try ExercisePlan.make(preset: preset, difficulty: .medium, index: 0, seed: 5, needle: false)
      XCTAssertTrue(
        p.plannedShadowFractions.contains { $0 >= 0.85 } && p.plannedShadowFractions.contains { $0 <= 0.15 },
        "\(preset): \(p.plannedShadowFractions)")
    }
  }

  /// The key's target, shadow fractions, calls and best view agree with each frame's own masks and image: the call is
  /// the one ``TargetEcho``'s margins give, the best view the visible frame whose target stands highest over its
  /// clutter, and the sweep shows the target in two frames or more and hides it in as many.
  func testKeyAgreesWithTheFramesMasks() throws {
    let dir = try Self.made.get()
    let exercises = try key(dir)["exercises"] as! [[String: Any]]
    XCTAssertEqual(exercises.count, 1)
    let e = exercises[0]
    let frames = e["frames"] as! [[String: Any]]
    XCTAssertEqual(frames.count, ExerciseDifficulty.easy.frameCount)
    var fractions: [Double] = []
    var states: [String] = []
    var contrasts: [Double] = []
    for f in frames {
      let folder = dir.appendingPathComponent((f["image"] as! String)).deletingLastPathComponent()
      let target = try mask(folder.appendingPathComponent("mask_target.npy"))
      let shadow = try mask(folder.appendingPathComponent("mask_shadow.npy"))
      let inside = target.values.indices.filter { target.values[$0] != 0 }
      XCTAssertFalse(inside.isEmpty)
      let fraction = Double(inside.filter { shadow.values[$0] != 0 }.count) / Double(inside.count)
      XCTAssertEqual(f["shadow_fraction"] as! Double, fraction, accuracy: 1e-4)
      XCTAssertEqual(f["in_shadow"] as! Bool, fraction >= ExerciseKey.hiddenFraction)
      fractions.append(fraction)
      // The key's image level at the target is the written envelope's, and its echo a and clutter b add up to it
      // as amplitudes can: (√a − √b)² ≤ image ≤ (√a + √b)² (Minkowski, over the target's pixels).
      let envelope = try mask(folder.appendingPathComponent("envelope.npy"))
      let power = inside.reduce(0.0) { $0 + envelope.values[$1] * envelope.values[$1] } / Double(inside.count)
      let echo = try XCTUnwrap(f["target_echo"] as? [String: Double])
      XCTAssertEqual(echo["image_db"]!, 10 * log10(power), accuracy: 0.01)
      XCTAssertEqual(echo["signal_to_clutter_db"]!, echo["echo_db"]! - echo["clutter_db"]!, accuracy: 0.02)
      XCTAssertEqual(echo["over_noise_db"]!, echo["image_db"]! - echo["noise_db"]!, accuracy: 0.02)
      let margin = min(echo["signal_to_clutter_db"]!, echo["over_noise_db"]!)
      let state = margin >= 6 ? "visible" : margin <= 0 ? "hidden" : "partly hidden"
      XCTAssertEqual(f["state"] as? String, state, "\(echo)")
      XCTAssertEqual(f["visible"] as? Bool, state == "visible")
      states.append(state)
      contrasts.append(echo["signal_to_clutter_db"]!)
      let (a, b) = (pow(10, echo["echo_db"]! / 10), pow(10, echo["clutter_db"]! / 10))
      XCTAssertLessThanOrEqual(power, (a.squareRoot() + b.squareRoot()) * (a.squareRoot() + b.squareRoot()) * 1.001)
      XCTAssertGreaterThanOrEqual(power, (a.squareRoot() - b.squareRoot()) * (a.squareRoot() - b.squareRoot()) * 0.999)
      // The key's centre (pixels) is the target mask's centre to within a pixel.
      let width = target.shape[1]
      let mean =
        inside.reduce(SIMD2<Double>()) { $0 + SIMD2(Double($1 % width), Double($1 / width)) } / Double(inside.count)
      let centre = (f["target"] as! [String: Any])["centre_px"] as! [Double]
      XCTAssertEqual(centre[0], mean.x, accuracy: 1)
      XCTAssertEqual(centre[1], mean.y, accuracy: 1)
      let needle = try XCTUnwrap(f["needle"] as? [String: Any])
      XCTAssertEqual(
        needle["path_crosses_bone"] as? Bool, (e["needle"] as! [String: Any])["path_crosses_bone"] as? Bool)
      // Whether the tip shows is what the written frame's own metrics measure, not geometry.
      let seen = try XCTUnwrap(FrameMetrics.compute(try FrameData.load(from: folder)).needles.first).visibility
      XCTAssertEqual(needle["tip_visible"] as? Bool, seen.tipVisible)
      XCTAssertEqual(needle["entry_visible"] as? Bool, seen.entryVisible)
    }
    func numbers(_ state: String) -> [Int] { states.indices.filter { states[$0] == state }.map { $0 + 1 } }
    XCTAssertEqual(e["visible_frames"] as! [Int], numbers("visible"))
    XCTAssertEqual(e["hidden_frames"] as! [Int], numbers("hidden"))
    XCTAssertEqual(e["partly_hidden_frames"] as! [Int], numbers("partly hidden"))
    XCTAssertGreaterThanOrEqual(numbers("visible").count, 2, "\(states)")
    XCTAssertGreaterThanOrEqual(numbers("hidden").count, 2, "\(states)")
    let best = try XCTUnwrap(e["best_frame"] as? Int)
    XCTAssertEqual(contrasts[best - 1], numbers("visible").map { contrasts[$0 - 1] }.max()!)
    // The planner's quick look and the simulated frame's mask tell the same story.
    for f in frames {
      XCTAssertEqual(f["planned_shadow_fraction"] as! Double, f["shadow_fraction"] as! Double, accuracy: 0.15)
    }
  }

  /// One worker, or a run interrupted (a half-written exercise left behind, a finished one without its key): the
  /// same bytes in every file.
  func testSameBytesWithOneWorkerAndAfterAnInterruption() throws {
    let reference = try Self.made.get()
    let out = Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    let generator = ExerciseGenerator(
      preset: .lumbarParamedianSagittal, difficulty: .easy, count: 1, seed: 4, needle: true, output: out, workers: 1)
    try generator.run()
    let fm = FileManager.default
    try fm.removeItem(at: out.appendingPathComponent("exercise-001/key.json"))
    try fm.createDirectory(
      at: out.appendingPathComponent(".exercise-001.partial/frame-01"), withIntermediateDirectories: true)
    try Data("half".utf8).write(to: out.appendingPathComponent(".exercise-001.partial/frame-01/bmode.png"))
    try generator.run()
    func files(_ root: URL) -> [String] {
      (fm.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { !$0.hasSuffix("/") }.sorted()
    }
    XCTAssertEqual(files(out), files(reference).filter { $0 != "scripted.html" })
    XCTAssertFalse(files(out).contains { $0.hasPrefix(".") })
    for f in files(reference) where !f.hasSuffix("exercises.json") {
      var isDirectory: ObjCBool = false
      if !fm.fileExists(atPath: reference.appendingPathComponent(f).path, isDirectory: &isDirectory)
        || isDirectory.boolValue
      {
        continue
      }
      XCTAssertEqual(
        try Data(contentsOf: out.appendingPathComponent(f)), try Data(contentsOf: reference.appendingPathComponent(f)),
        f)
    }
    // Another request into the same folder is refused.
    let other = ExerciseGenerator(
      preset: .lumbarParamedianSagittal, difficulty: .hard, count: 1, seed: 4, needle: true, output: out, workers: 1)
    XCTAssertThrowsError(try other.run()) { XCTAssertTrue("\($0)".contains("another set of exercises"), "\($0)") }
  }

  /// The page in headless Chromium, driven from the keyboard as a trainee would: → steps through the frames, a
  /// click lands 10 pixels right of the target in every visible frame, H calls every other frame hidden but the first
  /// hidden one (which it clicks instead: wrong; a partly hidden frame takes either answer), Y / N answer the tip
  /// question (all right but the last frame's), B marks the key's best view, S scores. The page must load both its
  /// images per frame without errors and score exactly that: all calls right but one, a mean error of 10 pixels in
  /// mm, the best view right; draw the frame (a quarter of the canvas or more lit: the sector's B-mode, its outline,
  /// the depth marks); list every frame on the answer sheet; and refuse the network (its Content-Security-Policy
  /// blocks a scripted fetch and image from another host, and nothing of its own is refused). A screenshot of the
  /// scored page is taken (to `US_SIM_PAGE_SCREENSHOT` when set: `docs/images/exercise-page.png` is made so).
  func testPageScoresKeyboardAnswersInChromium() throws {
    let dir = try Self.made.get()
    let e = (try key(dir)["exercises"] as! [[String: Any]])[0]
    let frames = e["frames"] as! [[String: Any]]
    let page = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertFalse(page.contains("http://") || page.contains("https://"), "the page names nothing on the network")
    let script = """
      <script>
      window.addEventListener("load", () => {
        const e = KEY.exercises[0];
        const press = key => document.dispatchEvent(new KeyboardEvent("keydown", { key: key, bubbles: true }));
        let firstHidden = true;
        e.frames.forEach((f, k) => {
          const c = document.getElementById("image"), r = c.getBoundingClientRect();
          const click = (x, y) => c.dispatchEvent(new MouseEvent("click", { bubbles: true,
            clientX: r.left + (x + 0.5) * r.width / f.width, clientY: r.top + (y + 0.5) * r.height / f.height }));
          if (f.state === "visible") click(f.target.centre_px[0] + 10, f.target.centre_px[1]);
          else if (f.state === "hidden" && firstHidden) { firstHidden = false; click(f.target.centre_px[0], f.target.centre_px[1]); }
          else press("h");
          press(f.needle.tip_visible !== (k === e.frames.length - 1) ? "y" : "n");
          press("ArrowRight");
        });
        while (frame > e.best_frame - 1) press("ArrowLeft");
        press("b");
        press("s");
        document.getElementById("sheetbutton").click();
        window.scrollTo(0, 0);
        fetch("http://network.invalid/probe").then(() => document.body.dataset.network = "reached",
          () => document.body.dataset.network = "refused");
        const probe = new Image();
        probe.onload = () => document.body.dataset.networkImage = "reached";
        probe.onerror = () => document.body.dataset.networkImage = "refused";
        probe.src = "http://network.invalid/probe.png";
        setTimeout(() => {
          const c = document.getElementById("image"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let lit = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
          document.body.dataset.lit = lit / (d.length / 4);
        }, 500);
      });
      </script>
      </body>
      """
    let test = dir.appendingPathComponent("scripted.html")
    defer { try? FileManager.default.removeItem(at: test) }
    try page.replacingOccurrences(of: "</body>", with: script).write(to: test, atomically: true, encoding: .utf8)
    let (dom, log) = try headlessChromium(test)
    let body = try XCTUnwrap(dom.range(of: "<body[^>]*>", options: .regularExpression).map { String(dom[$0]) }, dom)
    func attribute(_ name: String) -> String? {
      body.range(of: "\(name)=\"([^\"]*)\"", options: .regularExpression).map {
        String(body[$0].dropFirst(name.count + 2).dropLast())
      }
    }
    XCTAssertNil(attribute("data-errors"), body)
    let consoleErrors = log.split(separator: "\n").filter { $0.contains("CONSOLE") && $0.contains("ERROR") }
    XCTAssertTrue(consoleErrors.isEmpty, consoleErrors.joined(separator: "\n"))
    XCTAssertEqual(attribute("data-images-loaded"), "\(frames.count + 1)", "every frame's B-mode and the anatomy")
    XCTAssertEqual(attribute("data-calls-total"), "\(frames.count)")
    XCTAssertEqual(attribute("data-calls-correct"), "\(frames.count - 1)", body)
    XCTAssertEqual(attribute("data-best-correct"), "true", body)
    XCTAssertEqual(attribute("data-tips-total"), "\(frames.count)")
    XCTAssertEqual(attribute("data-tips-correct"), "\(frames.count - 1)", body)
    XCTAssertEqual(attribute("data-sheet-rows"), "\(frames.count)")
    XCTAssertGreaterThan(try XCTUnwrap(attribute("data-lit").flatMap(Double.init), body), 0.25, "the frame is drawn")
    let error = try XCTUnwrap(attribute("data-mean-error-mm").flatMap(Double.init), body)
    // Chromium places synthetic clicks on whole CSS pixels (under one image pixel at the page's scale of 1–2).
    XCTAssertEqual(error, 10 * (e["pixel_mm"] as! Double), accuracy: 0.5 * (e["pixel_mm"] as! Double))
    XCTAssertEqual(attribute("data-network"), "refused", body)
    XCTAssertEqual(attribute("data-network-image"), "refused", body)
    let refusals = log.split(separator: "\n").filter { $0.contains("Content Security Policy") }
    XCTAssertTrue(refusals.allSatisfy { $0.contains("network.invalid") }, refusals.joined(separator: "\n"))
    XCTAssertFalse(refusals.isEmpty, "the probes were refused by the page's policy")

    let shot =
      ProcessInfo.processInfo.environment["US_SIM_PAGE_SCREENSHOT"].map { URL(fileURLWithPath: $0) }
      ?? Self.temporaryDirectory().appendingPathComponent("screenshot.png")
    try? FileManager.default.removeItem(at: shot)
    _ = try headlessChromium(test, screenshot: shot)
    let png = try Data(contentsOf: shot)
    XCTAssertEqual(png.prefix(8), Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
    let size = [16, 20].map { o in png[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
    XCTAssertEqual(size, [1450, 1000], "the window's size")
  }

  /// Wrong requests name the option, the value and what is allowed, exit non-zero and write nothing.
  func testBadRequestsAreRefusedClearly() throws {
    let out = Self.temporaryDirectory().appendingPathComponent("never")
    for (arguments, expected) in [
      (["--preset", "gel-block"], "lumbar-paramedian-sagittal, lumbar-transverse-facet, sacral-hiatus"),
      (["--preset", "sacral-hiatus", "--difficulty", "extreme"], "easy, medium, hard"),
      (["--preset", "sacral-hiatus", "--count", "0"], "--count must be 1…999"),
    ] {
      let (status, text) = try Programs.run(Programs.usSim, ["exercise"] + arguments + ["--out", out.path])
      XCTAssertNotEqual(status, 0)
      XCTAssertTrue(text.contains(expected), text)
      XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
  }
}
