import Foundation

/// The trainee's page: one offline `index.html` (inline script and style, the answer key inside it, the frames'
/// images beside it) that steps through each exercise's frames, takes a click where the target is or a "hidden"
/// call per frame and a choice of the best view, and scores them against the key:
///
/// - calls: a frame is answered right when the trainee clicked it and the key says visible, or marked it hidden and
///   the key says hidden (``ExerciseKey``: measured on the frame's image, ``TargetEcho``); a frame keyed partly hidden
///   takes either answer;
/// - distance: for the visible frames clicked, |click − target centre| in mm (pixels × pixel size), and their mean;
/// - best view: right when the chosen frame is one of the key's `best_frames`;
/// - needle exercises: per frame "is the needle's tip visible?", right when it matches the key's `tip_visible`
///   (measured on that frame's image, docs/metrics.md "Needle visibility", never from where the tip is).
/// Points: one per right call, one per visible frame clicked within 3 mm, two for the best view, one per right tip
/// answer. After scoring, the target's outline and centre are drawn on every frame with the key's call, the target's
/// echo over its clutter and its shadow fraction; needle frames also show the tip's true position and whether the
/// path crosses bone.
///
/// As a scanner shows it: each frame is the probe's sector (``ExercisePlan/scenario(frame:)``) with its outline and
/// depth marks every 5 mm (labelled in cm); beside it, where the probe sits (``ProbeSchematic``): the anatomy in the
/// scan plane with this frame's probe face and sector, the other frames' faces faint, the target after scoring.
/// Keyboard: ← → frames, H hidden, B best view, C clear, Y / N needle tip, S score. The answer sheet (every
/// exercise's key frame by frame, with the trainee's calls) is what the page prints (`@media print`), and shows under
/// the page on "Answer sheet".
///
/// The page loads nothing from the network: its Content-Security-Policy allows inline script and style and images
/// from its own folder only.
///
/// For tests the page reports on its `<body>`: `data-calls-correct`, `data-calls-total`, `data-mean-error-mm`,
/// `data-best-correct`, `data-tips-correct`, `data-tips-total`, `data-points`, `data-sheet-rows` (the answer sheet's
/// frame rows), `data-images-loaded`, and `data-errors` when a script error or a missing image occurred.
enum ExercisePage {
  static func html(keyJSON: Data) -> String {
    let json = String(decoding: keyJSON, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    return template.replacingOccurrences(of: "@KEY@", with: json)
  }

  static let template = #"""
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self'">
    <title>us-sim exercises: targets in bone shadow</title>
    <style>
    body { font-family: sans-serif; margin: 1em; background: #fafafa; color: #222; }
    #view { display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }
    #image { image-rendering: pixelated; border: 1px solid #888; cursor: crosshair; background: #000; }
    #body { border: 1px solid #888; background: #fff; }
    #side { width: 460px; }
    button { margin: 0.15em; padding: 0.3em 0.7em; }
    button.on { background: #246; color: #fff; }
    #frames button.answered { border: 2px solid #2a7; }
    #frames button.current { outline: 2px solid #e80; }
    table { border-collapse: collapse; margin-top: 0.5em; }
    td, th { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: right; }
    .wrong { color: #b00; } .right { color: #070; }
    kbd { border: 1px solid #999; border-radius: 3px; padding: 0 0.3em; background: #fff; }
    #sheet { display: none; }
    #sheet h2 { font-size: 1.1em; margin-top: 1.2em; }
    @media print {
      body > *:not(#sheet) { display: none !important; }
      #sheet { display: block !important; }
      #sheet h2 { break-before: page; } #sheet h2:first-of-type { break-before: auto; }
    }
    </style></head>
    <body>
    <h1>Find the target — or say it is hidden</h1>
    <p>Step through the sweep. In each frame click where the target is, or press <b>Hidden</b> when you cannot see
    it (in the shadow of bone, or lost among other echoes). Mark the frame that gives the best view, then press
    <b>Score</b>. Keys: <kbd>←</kbd> <kbd>→</kbd> frames, <kbd>H</kbd> hidden, <kbd>B</kbd> best view,
    <kbd>C</kbd> clear, <kbd>Y</kbd> / <kbd>N</kbd> needle tip visible, <kbd>S</kbd> score. Printing the page prints
    the answer sheet.</p>
    <p>Exercise <select id="exercise"></select> <span id="about"></span></p>
    <div id="frames"></div>
    <div id="view">
      <canvas id="image"></canvas>
      <div id="side">
        <canvas id="body"></canvas>
        <p id="where"></p>
        <button id="prev">◀ Previous</button><button id="next">Next ▶</button><br>
        <button id="hidden">Hidden</button><button id="best">Best view</button><button id="clear">Clear answer</button><br>
        <span id="tipq">Needle tip visible? <button id="tipyes">Yes</button><button id="tipno">No</button><br></span>
        <button id="score">Score</button> <button id="sheetbutton">Answer sheet</button>
        <div id="result"></div>
      </div>
    </div>
    <div id="sheet"></div>
    <script>
    "use strict";
    const KEY = @KEY@;
    let current = 0, frame = 0, scored = false;
    const answers = KEY.exercises.map(e => ({ frames: e.frames.map(() => null), tips: e.frames.map(() => null), best: null }));
    const images = {};
    const note = (name, text) => { document.body.dataset[name] = (document.body.dataset[name] || "") + text + ";"; };
    window.addEventListener("error", ev => note("errors", ev.message));
    const $ = id => document.getElementById(id);
    function ex() { return KEY.exercises[current]; }
    function image(src) {
      if (!images[src]) {
        const im = new Image();
        im.onload = () => { document.body.dataset.imagesLoaded = +(document.body.dataset.imagesLoaded || 0) + 1; draw(); };
        im.onerror = () => note("errors", "image " + src);
        im.src = src;
        images[src] = im;
      }
      return images[src];
    }
    // The frame is drawn at up to 2 screen pixels per image pixel, at most 820 pixels wide.
    function scale(f) { return Math.min(2, 820 / f.width); }
    function setup() {
      KEY.exercises.forEach((e, i) => {
        const o = document.createElement("option");
        o.value = i; o.textContent = e.exercise + " (" + e.preset + ", " + e.difficulty + ")";
        $("exercise").appendChild(o);
      });
      $("exercise").onchange = () => { current = +$("exercise").value; frame = 0; scored = false; render(); };
      $("prev").onclick = () => show(Math.max(0, frame - 1));
      $("next").onclick = () => show(Math.min(ex().frames.length - 1, frame + 1));
      $("hidden").onclick = () => { answers[current].frames[frame] = { hidden: true }; render(); };
      $("clear").onclick = () => { answers[current].frames[frame] = null; render(); };
      $("best").onclick = () => { answers[current].best = frame; render(); };
      $("tipyes").onclick = () => { answers[current].tips[frame] = true; render(); };
      $("tipno").onclick = () => { answers[current].tips[frame] = false; render(); };
      $("score").onclick = score;
      $("sheetbutton").onclick = () => { sheet(); $("sheet").style.display = "block"; $("sheet").scrollIntoView(); };
      $("image").addEventListener("click", ev => {
        const c = $("image"), r = c.getBoundingClientRect(), f = ex().frames[frame];
        const x = (ev.clientX - r.left) * f.width / r.width - 0.5, y = (ev.clientY - r.top) * f.height / r.height - 0.5;
        answers[current].frames[frame] = { click: [x, y] };
        render();
      });
      const keys = { ArrowLeft: "prev", ArrowRight: "next", h: "hidden", b: "best", c: "clear", y: "tipyes", n: "tipno", s: "score" };
      document.addEventListener("keydown", ev => {
        if (ev.target.tagName === "SELECT" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
        const id = keys[ev.key.length === 1 ? ev.key.toLowerCase() : ev.key];
        if (!id || (id.startsWith("tip") && !ex().frames[frame].needle)) return;
        ev.preventDefault();
        $(id).click();
      });
      sheet();
      render();
    }
    function show(n) { frame = n; render(); }
    function over(f) { return f.target_echo ? f.target_echo.signal_to_clutter_db.toFixed(1) : "—"; }
    function render() {
      const e = ex(), f = e.frames[frame], a = answers[current];
      $("about").textContent = e.target + " — " + e.frames.length + " frames, " + e.anatomy.level + ", fat " + e.anatomy.fat_thickness_mm.toFixed(1) + " mm";
      const strip = $("frames");
      strip.innerHTML = "";
      e.frames.forEach((g, k) => {
        const b = document.createElement("button");
        b.textContent = (k + 1) + (a.best === k ? "★" : "");
        b.className = (a.frames[k] ? "answered " : "") + (k === frame ? "current" : "");
        b.onclick = () => show(k);
        strip.appendChild(b);
      });
      const ans = a.frames[frame];
      $("where").textContent = "Frame " + (frame + 1) + " of " + e.frames.length + ": probe at " + f.probe.offset_mm.toFixed(1) +
        " mm, tilted " + f.probe.tilt_deg.toFixed(1) + "°. Your answer: " +
        (ans ? (ans.hidden ? "hidden" : "target at (" + ans.click[0].toFixed(0) + ", " + ans.click[1].toFixed(0) + ")") : "none") +
        (a.best === frame ? " · best view" : "");
      $("hidden").className = ans && ans.hidden ? "on" : "";
      $("tipq").style.display = f.needle ? "" : "none";
      $("tipyes").className = a.tips[frame] === true ? "on" : "";
      $("tipno").className = a.tips[frame] === false ? "on" : "";
      $("best").className = a.best === frame ? "on" : "";
      draw();
    }
    function polyline(g, points, map, close) {
      g.beginPath();
      points.forEach((q, i) => { const [x, y] = map(q); if (i) g.lineTo(x, y); else g.moveTo(x, y); });
      if (close) g.closePath();
    }
    function draw() { drawFrame(); drawBody(); }
    // The frame as the scanner shows it: the sector, its outline, depth marks every centimetre on the right.
    function drawFrame() {
      const e = ex(), f = e.frames[frame], c = $("image"), g = c.getContext("2d"), k = scale(f);
      c.width = Math.round(f.width * k); c.height = Math.round(f.height * k);
      c.style.width = c.width + "px"; c.style.height = c.height + "px";
      const im = image(f.image);
      if (im.complete && im.naturalWidth > 0) { g.imageSmoothingEnabled = false; g.drawImage(im, 0, 0, c.width, c.height); }
      const p = q => [(q[0] + 0.5) * k, (q[1] + 0.5) * k];
      g.strokeStyle = "#888"; g.lineWidth = 1;
      polyline(g, f.sector_px, p, true); g.stroke();
      g.fillStyle = "#ccc"; g.strokeStyle = "#ccc"; g.font = "12px sans-serif"; g.textAlign = "right";
      for (let z = Math.ceil(f.z_mm[0] / 10) * 10; z <= f.z_mm[1]; z += 5) {
        const y = (z - f.z_mm[0]) / e.pixel_mm * k, whole = z % 10 === 0;
        g.beginPath(); g.moveTo(c.width - (whole ? 12 : 6), y); g.lineTo(c.width, y); g.stroke();
        if (whole && z > 0) g.fillText(z / 10, c.width - 15, y + 4);
      }
      g.fillText("cm", c.width - 4, 14); g.textAlign = "left";
      const ans = answers[current].frames[frame];
      if (ans && ans.click) {
        const [x, y] = p(ans.click);
        g.strokeStyle = "#ff0"; g.lineWidth = 2;
        g.beginPath(); g.moveTo(x - 8, y); g.lineTo(x + 8, y); g.moveTo(x, y - 8); g.lineTo(x, y + 8); g.stroke();
      }
      if (scored) {
        const t = f.target;
        g.strokeStyle = f.state === "visible" ? "#0f0" : f.state === "hidden" ? "#f44" : "#fb0"; g.lineWidth = 2;
        if (t.polygon_px) { polyline(g, t.polygon_px, p, true); g.stroke(); }
        const [cx, cy] = p(t.centre_px);
        g.beginPath(); g.arc(cx, cy, 4, 0, 2 * Math.PI); g.stroke();
        g.fillStyle = "#fff"; g.font = "15px sans-serif";
        g.fillText(f.state + ", " + over(f) + " dB over clutter, " + Math.round(100 * f.shadow_fraction) + " % in shadow", 8, 20);
        if (f.needle) {
          const [tx, ty] = p(f.needle.tip_px);
          g.strokeStyle = "#0ff"; g.beginPath(); g.rect(tx - 5, ty - 5, 10, 10); g.stroke();
          g.fillText("needle tip " + (f.needle.tip_visible ? "visible" : "not visible") + "; path " +
            (f.needle.path_crosses_bone ? "crosses bone" : "clears the bone"), 8, 40);
        }
      }
    }
    // Where the probe sits: the anatomy in the scan plane, the probe's face and its sector in this frame; the other
    // frames' probe faces faint; the target after scoring.
    function drawBody() {
      const e = ex(), f = e.frames[frame], pic = e.anatomy_picture, c = $("body"), g = c.getContext("2d");
      const im = image(pic.image);
      const w = 440, k = w / (pic.x_mm[1] - pic.x_mm[0]), h = Math.round((pic.z_mm[1] - pic.z_mm[0]) * k);
      c.width = w; c.height = h;
      if (im.complete && im.naturalWidth > 0) g.drawImage(im, 0, 0, w, h);
      const p = q => [(q[0] - pic.x_mm[0]) * k, (q[1] - pic.z_mm[0]) * k];
      g.fillStyle = "rgba(255, 200, 0, 0.3)"; g.strokeStyle = "#b80"; g.lineWidth = 1;
      polyline(g, f.probe.sector_mm, p, true); g.fill(); g.stroke();
      g.strokeStyle = "rgba(0, 0, 0, 0.25)"; g.lineWidth = 3;
      e.frames.forEach(o => { if (o !== f) { polyline(g, o.probe.face_mm, p, false); g.stroke(); } });
      g.strokeStyle = "#000"; g.lineWidth = 6;
      polyline(g, f.probe.face_mm, p, false); g.stroke();
      if (scored && pic.target_mm) {
        const [x, y] = p(pic.target_mm);
        g.strokeStyle = "#0a0"; g.lineWidth = 2; g.beginPath(); g.arc(x, y, 5, 0, 2 * Math.PI); g.stroke();
      }
      g.fillStyle = "#222"; g.font = "12px sans-serif";
      g.fillText("scan plane: " + e.preset + ", probe " + e.probe + " (frame " + (frame + 1) + ")", 6, 14);
    }
    function score() {
      const e = ex(), a = answers[current];
      let right = 0, located = 0, errors = [];
      const rows = e.frames.map((f, k) => {
        const ans = a.frames[k];
        const call = ans ? (ans.hidden ? "hidden" : "visible") : "none";
        const truth = f.state;
        const ok = truth === "partly hidden" ? call !== "none" : call === truth;
        if (ok) right++;
        let err = "";
        if (f.visible && ans && ans.click) {
          const d = Math.hypot(ans.click[0] - f.target.centre_px[0], ans.click[1] - f.target.centre_px[1]) * e.pixel_mm;
          errors.push(d);
          if (d <= 3) located++;
          err = d.toFixed(1);
        }
        return "<tr><td>" + (k + 1) + "</td><td>" + call + "</td><td class=" + (ok ? "right" : "wrong") + ">" + truth +
          "</td><td>" + over(f) + "</td><td>" + Math.round(100 * f.shadow_fraction) + " %</td><td>" + err + "</td></tr>";
      });
      const mean = errors.length ? errors.reduce((s, d) => s + d, 0) / errors.length : null;
      const needled = e.frames.map((f, k) => k).filter(k => e.frames[k].needle);
      const tipsRight = needled.filter(k => a.tips[k] === e.frames[k].needle.tip_visible).length;
      const bestOK = a.best !== null && e.best_frames.includes(a.best + 1);
      const points = right + located + (bestOK ? 2 : 0) + tipsRight;
      const b = document.body.dataset;
      b.callsCorrect = right; b.callsTotal = e.frames.length; b.meanErrorMm = mean === null ? "" : mean.toFixed(3);
      b.bestCorrect = bestOK; b.points = points; b.tipsCorrect = tipsRight; b.tipsTotal = needled.length;
      scored = true;
      $("result").innerHTML = "<p><b>" + points + " points</b> of " + (e.frames.length + e.visible_frames.length + 2 + needled.length) +
        ": calls right " + right + " of " + e.frames.length + "; mean distance to the target " +
        (mean === null ? "—" : mean.toFixed(1) + " mm") + "; best view " + (bestOK ? "right" : "wrong") + " (the key: frame " +
        e.best_frames.join(", ") + ")" + (needled.length ? "; needle tip answers right " + tipsRight + " of " + needled.length +
        "; the needle's path " + (e.needle.path_crosses_bone ? "crosses bone" : "clears the bone") : "") + "</p><table><tr><th>frame</th><th>you</th><th>key</th><th>target over clutter (dB)</th><th>in shadow</th><th>error (mm)</th></tr>" +
        rows.join("") + "</table>";
      sheet();
      render();
    }
    // The printable answer sheet: every exercise's key frame by frame, with the trainee's calls where given.
    function sheet() {
      let html = "<h1>Answer sheet</h1>", rows = 0;
      KEY.exercises.forEach((e, i) => {
        const a = answers[i];
        html += "<h2>Exercise " + e.exercise + ": " + e.target + " (" + e.preset + ", " + e.difficulty + ", " + e.anatomy.level +
          ")</h2><p>Best view: frame " + e.best_frames.join(", ") + (e.needle ? "; the needle's path " +
          (e.needle.path_crosses_bone ? "crosses bone" : "clears the bone") : "") + "</p><table><tr><th>frame</th><th>probe (mm, °)</th>" +
          "<th>key</th><th>target over clutter (dB)</th><th>in shadow</th>" + (e.needle ? "<th>tip visible</th>" : "") + "<th>your call</th></tr>";
        e.frames.forEach((f, k) => {
          const ans = a.frames[k];
          rows++;
          html += "<tr class=sheetrow><td>" + (k + 1) + "</td><td>" + f.probe.offset_mm.toFixed(1) + ", " + f.probe.tilt_deg.toFixed(1) +
            "</td><td>" + f.state + "</td><td>" + over(f) + "</td><td>" + Math.round(100 * f.shadow_fraction) + " %</td>" +
            (e.needle ? "<td>" + (f.needle.tip_visible ? "yes" : "no") + "</td>" : "") +
            "<td>" + (ans ? (ans.hidden ? "hidden" : "visible") : "") + "</td></tr>";
        });
        html += "</table>";
      });
      $("sheet").innerHTML = html;
      document.body.dataset.sheetRows = rows;
    }
    setup();
    </script>
    </body></html>

    """#
}
