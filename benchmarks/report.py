"""Collects benchmark JSON lines into results/latest.json and prints a Markdown table (used in the README)."""
import json
import platform
import sys
import time


def arithmetic_share(ours):
    """Table lines setting each RF-bound row's multiply-adds (counted by the kernels) against the machine's peak rate."""
    peak = next((r for r in ours if r["case"] == "peak"), None)
    counted = [r for r in ours if "rf_multiply_adds" in r]
    if not peak or not counted:
        return []
    rate = peak["lane_multiply_adds_per_second"]
    lines = ["", f"The RF kernels' arithmetic against the machine's peak ({rate:.3g} lane multiply-adds/s on {peak['threads']} threads, "
             "row above): multiply-adds counted by the kernels in the timed run (`rf_multiply_adds`), the rate they ran at, and "
             "the time they would take at the peak rate, the floor for this formulation on this machine.", "",
             "| case | RF multiply-adds (receive + transmit) | per item | rate | share of peak | RF at peak rate |", "|---|---|---|---|---|---|"]
    for r in counted:
        work = r["rf_multiply_adds"]["receive"] + r["rf_multiply_adds"]["transmit"]
        if r["case"] == "rf":
            wave = ", diverging wave" if "diverging" in r.get("transmit", "") else ""
            name, items, unit = f"RF synthesis, {r['probe']}{wave}, {r['scatterers']:,} scatterers", r["scatterers"], "scatterer"
        elif r["case"] == "scene":
            name, items, unit = f"Scene `{r['scene']}`", 1, "frame"
        elif r["case"] == "sweep":
            name, items, unit = f"Sweep, {r['config']}", r["runs"], "run"
        else:
            name, items, unit = f"Dataset frames, {r['config']}", r["frames"], "frame"
        floor = work / rate
        lines.append(f"| {name} | {r['rf_multiply_adds']['receive']:.3g} + {r['rf_multiply_adds']['transmit']:.3g} | "
                     f"{work / items:.3g} per {unit} | {work / r['seconds']:.3g}/s | {work / r['seconds'] / rate:.0%} | "
                     f"{floor:.3g} s ({items / floor:.3g} {unit}s/s) |")
    return lines


def budget(r):
    """The image's error against the exact sum (``ImageBudget``) as the speed budget states it, from a scene row run
    with --exact."""
    if "budget_frame_db" not in r:
        return None
    if r["budget_worst_tile"] == 0 and r["budget_frame_db"] <= -239:
        return "none: the image is bit-identical to the exact sum's"
    return f"{r['budget_frame_db']:.1f} dB over the frame, worst bright 5 mm tile {100 * r['budget_worst_tile']:.2g} %"


def targets(ours, pm):
    """Issue 28's targets, each with its measured value from this run and the speed budget's error beside it."""
    def row(case, **match):
        return next((r for r in ours if r["case"] == case and all(r.get(k) == v for k, v in match.items())), None)
    def status(ok):
        return "met" if ok else "not met"
    gel = next((r for r in ours if r["case"] == "scene" and r["scene"] == "gel-block"), None)
    plane = (f"as the `gel-block` scene's image in this run, {budget(gel)}: the transmit waveform's interpolated phases "
             "and its tails (at most −60 dB of each point's echo), nothing else is left out for plane waves"
             ) if gel and budget(gel) else "—"
    def channel(r):
        if "budget_event_db" not in r:
            return "—"
        return (f"{r['budget_event_db']:.1f} dB per event (the transmit waveform's interpolated phases and its tails, "
                "at most −60 dB of each point's echo)")
    lines = ["", "Targets (speed budget: the image within −40 dB relative RMS of the exact sum and 3 % in every bright "
             "5 mm tile; channel data within 1 % per event), from this run:", "",
             "| target | measured | error against the exact sum | |", "|---|---|---|---|"]
    d = row("dataset")
    if d:
        lines.append(f"| gel-block dataset frames (256 × 256, one plane wave, labels and files, {d['threads']} workers) ≥ 10 frames/s | "
                     f"{d['frames_per_second']:.2f} frames/s | {plane} | {status(d['frames_per_second'] >= 10)} |")
    f = next((r for r in ours if r["case"] == "scene" and r["scene"].startswith("lumbar-focused")), None)
    if f:
        lines.append(f"| default lumbar scene, focused line by line (`benchmarks/{f['scene']}.yaml`) ≤ 1 s end to end | "
                     f"{f['seconds']:.2f} s | {budget(f) or '—'} | {status(f['seconds'] <= 1)} |")
    s = row("scene", scene="default")
    if s:
        lines.append(f"| default lumbar scene, three diverging waves ≤ 0.3 s end to end | {s['seconds']:.2f} s | "
                     f"{budget(s) or '—'} | {status(s['seconds'] <= 0.3)} |")
    p4 = next((r for r in ours if r["case"] == "rf" and r["probe"] == "P4-2v" and "diverging" in r.get("transmit", "")), None)
    if p4:
        lines.append(f"| full channel data, P4-2v, one diverging wave ≥ 10⁶ scatterers/s | {p4['scatterers_per_second']:.3g} scatterers/s | "
                     f"{channel(p4)} | {status(p4['scatterers_per_second'] >= 1e6)} |")
    l11 = row("rf", probe="L11-5v", scatterers=50000)
    if l11 and pm:
        ratio = l11["scatterers_per_second"] / pm["rf_scatterers_per_second"]
        lines.append(f"| full channel data, L11-5v, one plane wave ≥ 1000× PyMUST's `simus` | {ratio:.0f}× | {channel(l11)} | "
                     f"{status(ratio >= 1000)} |")
    das = row("das", probe="L11-5v", events=1, pixels=131072)
    if das:
        rate = das["pixel_channel_samples_per_second"]
        lines.append(f"| delay-and-sum, 256 × 512 pixels × 128 channels ≥ 10⁹ pixel·channel samples/s | {rate:.3g}/s | "
                     f"none: the same sum | {status(rate >= 1e9)} |")
    w = row("sweep")
    if w:
        lines.append(f"| `examples/sweeps/{w['config']}.yaml` ({w['runs']} runs) ≤ 10 s | {w['seconds']:.1f} s | {plane} | "
                     f"{status(w['seconds'] <= 10)} |")
    return lines


# What each peer's model leaves out against ours (3-D with the elevation lens' beam, attenuation per frequency through
# the pulse bank, element directivity), so the ratios are read fairly.
LEAVES_OUT = {
    "pymust": "2-D: no elevation beam",
    "fastsimus": "2-D: no elevation beam; directivity at the centre frequency",
    "zea_td": "no elevation lens; attenuation and directivity at the centre frequency only (no downshift)",
    "zea_fd": "no elevation lens",
    "vbeam": "nothing: the same sum (its image against ours: envelope correlation {corr:.3f})",
}
PEER_NAMES = {
    "pymust": "PyMUST {v} `simus`", "fastsimus": "FastSIMUS {v} `simus` (JAX CPU)",
    "zea_td": "zea {v} `simulate_rf_td`, jitted (JAX CPU)", "zea_fd": "zea {v} `simulate_rf`, jitted (JAX CPU)",
    "vbeam": "vbeam {v} `get_das_beamformer`, jitted (JAX CPU)",
}


def peer_table(ours, pm, peers):
    """Ratios against the peers measured in the same run: same probe, transmit, scatterers (or channel data) and grid."""
    if not pm and not peers:
        return []
    # Our row whose scatterers the peers read (benchmarks/run writes them from these cases).
    written = {"L11-5v": 50000, "P4-2v": 10000}
    def rf_row(probe):
        return next((r for r in ours if r["case"] == "rf" and r["probe"] == probe
                     and r["scatterers"] == written.get(probe) and "diverging" not in r.get("transmit", "")), None)
    das = next((r for r in ours if r["case"] == "das" and r["probe"] == "L11-5v" and r["events"] == 1
                and r["pixels"] == 131072), None)
    lines = ["", "Against peers from PyPI in the same run, on the same cases (RF: one 0° plane wave, the same scatterers, "
             "0.5 dB/cm/MHz, fs = 4·fc; delay-and-sum: the same channel data, grid and f-number), best of repeated "
             "runs after a first that compiles:", "",
             "| case | us-sim | peer | peer's rate | us-sim / peer | what the peer's model leaves out |",
             "|---|---|---|---|---|---|"]
    if pm:
        rf = rf_row("L11-5v")
        if rf:
            lines.append(f"| RF synthesis, L11-5v (scatterers/s) | {rf['scatterers_per_second']:.3g} | "
                         f"{PEER_NAMES['pymust'].format(v=pm['pymust_version'])} ({pm['rf_scatterers']} scatterers) | "
                         f"{pm['rf_scatterers_per_second']:.3g} | {rf['scatterers_per_second'] / pm['rf_scatterers_per_second']:.0f}× | "
                         f"{LEAVES_OUT['pymust']} |")
    for p in peers:
        name = PEER_NAMES[p["peer"]].format(v=p["version"])
        if p["task"] == "rf":
            rf = rf_row(p["probe"])
            if rf:
                lines.append(f"| RF synthesis, {p['probe']} (scatterers/s) | {rf['scatterers_per_second']:.3g} | {name} "
                             f"({p['scatterers']} scatterers; first run {p['first_run_seconds']:.1f} s) | "
                             f"{p['scatterers_per_second']:.3g} | {rf['scatterers_per_second'] / p['scatterers_per_second']:.0f}× | "
                             f"{LEAVES_OUT[p['peer']]} |")
    if das:
        if pm:
            lines.append(f"| Delay-and-sum, L11-5v, 256 × 512 × 128 (pixel×channel samples/s) | {das['pixel_channel_samples_per_second']:.3g} | "
                         f"PyMUST {pm['pymust_version']} `dasmtx`, applying its sparse matrix (+ {pm['das_matrix_build_seconds']:.1f} s to build it) | "
                         f"{pm['das_pixel_channel_samples_per_second']:.3g} | "
                         f"{das['pixel_channel_samples_per_second'] / pm['das_pixel_channel_samples_per_second']:.1f}× | nothing: the same sum |")
        for p in peers:
            if p["task"] == "das":
                lines.append(f"| Delay-and-sum, L11-5v, 256 × 512 × 128 (pixel×channel samples/s) | {das['pixel_channel_samples_per_second']:.3g} | "
                             f"{PEER_NAMES[p['peer']].format(v=p['version'])} (first run {p['first_run_seconds']:.1f} s) | "
                             f"{p['pixel_channel_samples_per_second']:.3g} | "
                             f"{das['pixel_channel_samples_per_second'] / p['pixel_channel_samples_per_second']:.0f}× | "
                             f"{LEAVES_OUT[p['peer']].format(corr=p['envelope_correlation'])} |")
    return lines


def main(paths, out_json):
    rows = []
    for p in paths:
        with open(p) as f:
            rows += [json.loads(line) for line in f if line.strip().startswith("{")]
    ours = [r for r in rows if r["case"] not in ("pymust", "peer")]
    pm = next((r for r in rows if r["case"] == "pymust"), None)
    cores = ours[0]["cores"] if ours else 0
    result = {"date": time.strftime("%Y-%m-%d"), "machine": platform.processor() or platform.machine(), "cores": cores,
              "results": rows}
    lines = [f"Measured {result['date']} on {cores} cores ({platform.machine()}), both cores busy.", "",
             "| case | work | time | throughput | peak memory |", "|---|---|---|---|---|"]
    def mem(r):
        return f"{r['peak_memory_mib']:.0f} MiB"
    def first(r):
        # The first run in a process makes the tables later runs reuse (pulse bank, elevation beam, FFT plans).
        return f" (first run {r['first_run_seconds']:.3f} s)" if "first_run_seconds" in r else ""
    for r in ours:
        if r["case"] == "rf":
            lines.append(f"| RF synthesis, {r['probe']}, {r.get('transmit', 'one 0° plane wave')} | {r['scatterers']:,} scatterers × {r['elements']} elements | "
                         f"{r['seconds']:.3f} s{first(r)} | {r['pairs_per_second']:.3g} scatterer×element pairs/s ({r['scatterers_per_second']:.3g} scatterers/s) | {mem(r)} |")
        elif r["case"] == "das":
            plural = "s" if r["events"] > 1 else ""
            what = f"plane wave{plural}" if r["probe"].startswith("L") else f"diverging wave{plural}, polar grid"
            lines.append(f"| Delay-and-sum, {r['probe']}, {r['events']} {what} | {r.get('grid', '')} = {r['pixels']:,} pixels × {r['channels']} channels | "
                         f"{r['seconds'] * 1e3:.1f} ms ({r['seconds_per_event'] * 1e3:.1f} ms/event) | {r['pixel_channel_samples_per_second']:.3g} pixel×channel samples/s | {mem(r)} |")
        elif r["case"] == "envelope":
            lines.append(f"| Analytic signal (FFTW, batched) | {r['samples']:,} RF samples | {r['analytic_seconds'] * 1e3:.1f} ms | "
                         f"{r['analytic_samples_per_second']:.3g} samples/s | {mem(r)} |")
            lines.append(f"| Envelope + log compression | 131,072 pixels | {r['log_compression_seconds'] * 1e3:.1f} ms | "
                         f"{r['log_compression_pixels_per_second']:.3g} pixels/s | {mem(r)} |")
        elif r["case"] == "scene":
            st = r["stages_s"]
            name = ("Default scene (lumbar paramedian, 18G needle)" if r["scene"] == "default"
                    else f"`benchmarks/{r['scene']}.yaml`" if r["scene"].startswith("lumbar-focused") else f"`{r['scene']}` example")
            exact = ""
            if "exact_seconds" in r:
                error = budget(r)
                exact = (f"; exact sum {r['exact_seconds']:.2f} s, " + ("the default's image bit-identical to it" if error.startswith("none")
                         else f"the default {r['budget_frame_db']:.1f} dB from it (worst bright 5 mm tile {100 * r['budget_worst_tile']:.2g} %)"))
            lines.append(f"| {name} end to end | {r['probe']}, {r['scatterers']:,} scatterers, {r['events']} {r['scheme'].replace('_', ' ')} events, {r['pixels']} pixels | {r['seconds']:.2f} s "
                         f"(simulate {st['simulate']:.2f}, beamform {st['beamform']:.2f}, envelope {st['envelope']:.3f}){first(r)}{exact} | {r['frames_per_second']:.2f} frames/s | {mem(r)} |")
        elif r["case"] == "dataset":
            lines.append(f"| Dataset frames (`us-sim dataset`, {r['config']}: {r['probe']}, {r['events']} plane wave, with labels and files) | "
                         f"{r['frames']} frames of {r['pixels']} pixels, {r['threads']} workers | {r['seconds']:.2f} s | {r['frames_per_second']:.2f} frames/s | {mem(r)} |")
        elif r["case"] == "sweep":
            lines.append(f"| Sweep (`us-sim sweep examples/sweeps/{r['config']}.yaml`: gel block, L11-5v, one plane wave; each run written and measured) | "
                         f"{r['points']} points × {r['seeds']} seeds = {r['runs']} runs, {r['threads']} workers | {r['seconds']:.2f} s | {r['runs_per_second']:.2f} runs/s | {mem(r)} |")
        elif r["case"] == "peak":
            lines.append(f"| Machine peak: 8-lane fused multiply-adds in registers (ten chains per thread) | {r['threads']} threads (1 thread) | — | "
                         f"{r['lane_multiply_adds_per_second']:.3g} lane multiply-adds/s ({r['lane_multiply_adds_per_second_one_thread']:.3g}) | {mem(r)} |")
        elif r["case"] == "uff":
            lines.append(f"| UFF file in (`us-sim beamform`: {r['probe']}, {r['channels']} channels × {r['events']} plane waves × {r['samples']} samples, {r['file_mib']:.0f} MiB) | "
                         f"read {r['read_seconds']:.2f} s, analytic signal {r['analytic_seconds']:.2f} s, delay-and-sum {r['beamform_seconds']:.2f} s on {r['pixels']:,} pixels (write {r['write_seconds']:.2f} s) | "
                         f"{r['image_seconds']:.2f} s per frame | {r['pixel_channel_samples_per_second']:.2e} pixel×channel samples/s | {mem(r)} |")
    lines += targets(ours, pm)
    lines += peer_table(ours, pm, [r for r in rows if r["case"] == "peer"])
    lines += arithmetic_share(ours)
    with open(out_json, "w") as f:
        json.dump(result, f, indent=2)
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[2:], sys.argv[1])
