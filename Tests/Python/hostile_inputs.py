#!/usr/bin/env python3
"""Hostile inputs against `us-sim simulate` and `us-sim beamform`: named regression cases and a seeded fuzz run.

Each case writes its inputs into a folder of its own, runs us-sim on them (60 s limit) and sorts the outcome into
one class:
  success      exit 0, every written .npy finite, no hidden staging folder left beside the output
  refused      non-zero exit with one plain "Error: ..." that names the field, file or HDF5 path at fault, nothing of
               the run left (no new output, no hidden staging or temporary files), an earlier output intact
  unnamed      refused, but the message names none of the case's fields
  dirty        refused, but output, temporary files or a changed earlier output remain
  nan          exit 0 with a NaN or infinity in a written array
  crash        a signal, a Swift runtime trap ("Fatal error"), or a Foundation error dump (NSCocoaErrorDomain)
  timeout      still running after 60 s
  wrong        a named case whose outcome is not the one it expects
The last six are failures. With the named cases come two runs of their own: a job too large for a 1 MiB tmpfs
(when one can be mounted: root; skipped with the reason otherwise) and the default scene interrupted with SIGINT. Cases are generated from the seed alone (`--seed`), so a failing case reproduces with its
seed and number, printed with every failure.

Usage: hostile_inputs.py US_SIM WORK_DIR [--seed 1] [--fuzz 300] [--no-regressions] [--json FILE] [--keep]
Needs numpy and h5py (the test venv, scripts/python-env).
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys

import h5py
import numpy as np

FAILURES = ("unnamed", "dirty", "nan", "crash", "timeout", "wrong")

PROBE = (
    "probe: {layout: linear, elements: 32, fc_mhz: 5, pitch_mm: 0.3, element_width_mm: 0.27, "
    "bandwidth_percent: 70, element_height_mm: 4}\n"
)
TINY = (
    PROBE + "transmit: {scheme: plane_wave, angles_deg: [0]}\n"
    "image: {x_mm: [-3, 3], z_mm: [5, 12], pixel_mm: 0.2}\n"
    "scatterers: {points: [{x_mm: 0, z_mm: 8}, {x_mm: 1, z_mm: 10, amplitude: 0.5}]}\n"
)
REGIONS = (
    PROBE + "transmit: {scheme: plane_wave, angles_deg: [-5, 5]}\n"
    "image: {x_mm: [-3, 3], z_mm: [5, 12], pixel_mm: 0.2, dynamic_range_db: 50}\n"
    "medium: {sound_speed_m_s: 1540, attenuation_db_cm_mhz: 0.5}\n"
    "scatterers:\n"
    "  points: [{x_mm: 0, y_mm: 0.5, z_mm: 8}]\n"
    "  regions: [{shape: rectangle, x_mm: [-3, 3], z_mm: [5, 12], density_per_mm2: 5},\n"
    "            {shape: disk, center_mm: [0, 9], radius_mm: 1.5, anechoic: true}]\n"
    "acquisition: {noise_snr_db: 40}\n"
)
CONVEX = (
    "probe: {preset: C5-2v, elements: 32}\ntransmit: {scheme: diverging, angles_deg: [0]}\n"
    "image: {x_mm: [-5, 5], z_mm: [10, 20], pixel_mm: 0.3}\n"
    "scatterers: {points: [{x_mm: 0, z_mm: 15}]}\n"
)
NPY_SCENE = (
    PROBE + "transmit: {scheme: plane_wave, angles_deg: [0]}\n"
    "image: {x_mm: [-3, 3], z_mm: [5, 12], pixel_mm: 0.2}\nscatterers: {file: points.npy}\n"
)
NEEDLE = (
    PROBE + "transmit: {scheme: plane_wave, angles_deg: [0]}\n"
    "image: {x_mm: [-4, 4], z_mm: [3, 12], pixel_mm: 0.2}\n"
    "phantom: {background: {base: gel, scatterers_per_mm2: 2}, elevation_thickness_mm: 1}\n"
    "needles: [{gauge: 22, tip_mm: [2, 8], angle_deg: 10, side: left}]\n"
)
BASE_SCENES = {"tiny": TINY, "regions": REGIONS, "convex": CONVEX, "npy": NPY_SCENE}

HOSTILE_NUMBERS = [
    "0", "-1", "-0.0", "1e30", "-1e30", "1e-30", "3e38", "1e308", ".nan", ".inf", "-.inf", "nan", "inf",
    "4611686018427387904", "-4611686018427387904", "1e15", "1e6", "0.001", "100000", "2147483648", "''", '""',
    "[]", "{}", "abc", "[1, 2, 3]", "true", "~", "0x10", "1_000", "12:30",
]
HOSTILE_VALUES = [np.nan, np.inf, -np.inf, 1e30, -1e30, 3e38, 1e-30, 0.0, -1.0, 1e15, 1e12, 4e9]


class Case:
    """One run of us-sim: its name, arguments (with {dir} for the case's folder), the tokens one of which the error
    must name, and what is expected: "refused", "success" or None (either, for fuzz cases)."""

    def __init__(self, name, args, tokens, expect=None, setup=None, earlier=False, check=None, cwd=None):
        self.name, self.args, self.tokens, self.expect = name, args, tokens, expect
        self.setup, self.earlier, self.check, self.cwd = setup, earlier, check, cwd


# --- inputs -------------------------------------------------------------------------------------------------------

def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def npy_bytes(header, data=b""):
    """A .npy file with a header of our choosing (version 1.0, padded to 64 bytes)."""
    h = header.encode("latin1")
    pad = (64 - (10 + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + len(h).to_bytes(2, "little") + h + data


def points_npy(path, rows):
    np.save(path, np.asarray(rows, dtype=np.float64))


def mutate_uff(src, dst, edit):
    shutil.copyfile(src, dst)
    with h5py.File(dst, "a") as f:
        edit(f)


def replace(f, path, value):
    """Replaces the dataset at `path` with `value` (keeping its attributes)."""
    attrs = dict(f[path].attrs)
    del f[path]
    f[path] = value
    for k, v in attrs.items():
        f[path].attrs[k] = v


# --- running and judging ------------------------------------------------------------------------------------------

def digest(folder):
    """Names and contents of every file under `folder` (None when it does not exist)."""
    if not os.path.isdir(folder):
        return None
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            p = os.path.join(root, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = hashlib.sha1(f.read()).hexdigest()
    return out


def arrays_finite(folder):
    for root, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".npy"):
                a = np.load(os.path.join(root, name))
                if np.issubdtype(a.dtype, np.inexact) and not np.all(np.isfinite(a)):
                    return f"{name} holds NaN or inf"
    return None


def leftovers(folder):
    """Hidden staging, old or temporary entries beside the output folder or inside it."""
    parent, name = os.path.split(folder.rstrip("/"))
    found = [e for e in os.listdir(parent) if e.startswith("." + name + ".")] if os.path.isdir(parent) else []
    if os.path.isdir(folder):
        for root, dirs, files in os.walk(folder):
            found += [e for e in dirs + files if e.startswith(".")]
    return found


def run_case(us_sim, work, number, case, earlier_run):
    d = os.path.join(work, f"case-{number:05d}")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, "out")
    try:
        if case.setup:
            case.setup(d)
    except Exception as e:  # noqa: BLE001 - an input that could not be made is a harness error
        return "wrong", f"setup failed: {e}"
    if case.earlier:
        shutil.copytree(earlier_run, out)
    before = digest(out)
    args = [a.replace("{dir}", d) for a in case.args]
    try:
        r = subprocess.run([us_sim] + args, capture_output=True, text=True, timeout=60, cwd=case.cwd or d)
    except subprocess.TimeoutExpired:
        return "timeout", "no answer within 60 s"
    text = (r.stdout + r.stderr).strip()
    if r.returncode < 0 or r.returncode >= 128 or "Fatal error" in text or "NSCocoaErrorDomain" in text \
            or "Code=" in text:
        return "crash", f"exit {r.returncode}: {text[-400:]}"
    if r.returncode == 0:
        problem = arrays_finite(out) if os.path.isdir(out) else None
        if problem:
            return "nan", problem
        if leftovers(out):
            return "dirty", f"left {leftovers(out)}"
        if case.check:
            problem = case.check(d)
            if problem:
                return "wrong", problem
        outcome = "success"
    else:
        if leftovers(out) or digest(out) != before:
            return "dirty", f"after '{text[-200:]}': left {leftovers(out)}, output changed: {digest(out) != before}"
        lines = [line for line in text.splitlines() if line.startswith("Error:")]
        if not lines:
            return "unnamed", f"no 'Error:' line: {text[-300:]}"
        message = lines[0]
        # A YAML syntax error names its place as line:column instead of a field.
        located = re.search(r"\d+:\d+: error", message)
        if case.tokens and not located and not any(t.lower() in message.lower() for t in case.tokens):
            return "unnamed", f"{message} (expected one of {case.tokens})"
        outcome = "refused"
    if case.expect and outcome != case.expect:
        return "wrong", f"expected {case.expect}, got {outcome}: {text[-300:]}"
    return outcome, text.splitlines()[0] if text else ""


# --- named regression cases (the defects the hostile-input issue lists) -------------------------------------------

def regressions(base):
    uff, rf = base["uff"], base["rf"]
    cases = []

    def scene(name, text, tokens, expect="refused", extra=(), setup=None, earlier=True, check=None):
        def make(d, text=text, setup=setup):
            write(os.path.join(d, "scene.yaml"), text)
            if setup:
                setup(d)
        cases.append(Case(name, ["simulate", "{dir}/scene.yaml", "--out", "{dir}/out", "-q", *extra], tokens,
                          expect, make, earlier, check))

    def npy_scene(name, data, tokens, expect="refused"):
        scene(name, NPY_SCENE, tokens, expect,
              setup=lambda d: open(os.path.join(d, "points.npy"), "wb").write(data))

    # Scatterer files that crashed or were misread.
    for v in (1e30, 3e38):
        npy_scene(f"npy coordinate {v:g}", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 4), }",
                                                     np.array([v, 0, 8, 1], "<f8").tobytes()), ["scatterers.file"])
    npy_scene("npy negative shape", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-5, 4), }",
                                              bytes(160)), ["scatterers.file"])
    npy_scene("npy shape beyond memory", npy_bytes(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", bytes(64)),
        ["scatterers.file"])
    npy_scene("npy fortran order", npy_bytes("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 4), }",
                                             np.array([0, 0, 8, 1], "<f8").tobytes()), ["scatterers.file"])
    npy_scene("npy unknown header key", npy_bytes(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 4), 'order': 'F', }",
        np.array([0, 0, 8, 1], "<f8").tobytes()), ["scatterers.file"])
    npy_scene("npy amplitude 1e38", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 4), }",
                                              np.array([0, 0, 8, 1e38], "<f8").tobytes()), ["scatterers.file"])
    npy_scene("npy valid", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 4), }",
                                     np.array([0, 0, 8, 1], "<f8").tobytes()), [], expect="success")
    # Amplitudes whose echoes overflow float32.
    for a in ("1e15", "1e38"):
        scene(f"point amplitude {a}", TINY.replace("amplitude: 0.5", f"amplitude: {a}"), ["amplitude"])
    # 256 regions: metrics.json used to trap after the images were written.
    many = "".join(f"    - {{shape: disk, center_mm: [{-2.5 + (k % 16) / 3:.3f}, {5.5 + (k // 16) * 0.4:.3f}], "
                   f"radius_mm: 0.1, density_per_mm2: 1}}\n" for k in range(256))
    scene("256 regions", TINY.split("scatterers:")[0] + "scatterers:\n  points: [{x_mm: 0, z_mm: 8}]\n  regions:\n" + many,
          [], expect="success", check=lambda d: None if os.path.exists(os.path.join(d, "out", "metrics.json"))
          else "no metrics.json")
    # A sector image of 7.6e9 pixels passed the memory estimate.
    scene("sector pixel 0.001 mm", CONVEX.replace("x_mm: [-5, 5], z_mm: [10, 20], pixel_mm: 0.3",
                                                  "x_mm: [-40, 40], z_mm: [1, 90], pixel_mm: 0.001"),
          ["image.pixel_mm", "whole scenario"])
    # Silent defaults.
    scene("scatterers file empty", TINY.replace("scatterers: {points:", "scatterers: {file: '', points:"),
          ["scatterers.file"])
    scene("probe empty string", "probe: ''\n" + TINY[len(PROBE):], ["probe"])
    scene("element wider than pitch", TINY.replace("element_width_mm: 0.27", "element_width_mm: 5"),
          ["element_width_mm"])

    # Output folders.
    cases.append(Case("out empty", ["simulate", "{dir}/scene.yaml", "--out", "", "-q"], ["--out"], "refused",
                      lambda d: write(os.path.join(d, "scene.yaml"), TINY)))

    def cwd_setup(d):
        write(os.path.join(d, "scene.yaml"), TINY)
        write(os.path.join(d, "notes.txt"), "mine")

    cases.append(Case("out is the current directory", ["simulate", "scene.yaml", "--out", ".", "-q"],
                      ["current directory"], "refused", cwd_setup,
                      check=None))

    def foreign(d):
        write(os.path.join(d, "scene.yaml"), TINY)
        os.makedirs(os.path.join(d, "out"))
        write(os.path.join(d, "out", "thesis.tex"), "mine")

    cases.append(Case("out holds foreign files", ["simulate", "{dir}/scene.yaml", "--out", "{dir}/out", "-q"],
                      ["not an earlier us-sim output"], "refused", foreign))
    cases.append(Case("out foreign with --overwrite",
                      ["simulate", "{dir}/scene.yaml", "--out", "{dir}/out", "-q", "--overwrite"], [], "success",
                      foreign, check=lambda d: "thesis.tex survived" if os.path.exists(
                          os.path.join(d, "out", "thesis.tex")) else None))

    def under_file(d):
        write(os.path.join(d, "scene.yaml"), TINY)
        write(os.path.join(d, "blocker"), "a file where a folder should go")

    cases.append(Case("out under a file", ["simulate", "{dir}/scene.yaml", "--out", "{dir}/blocker/out", "-q"],
                      ["blocker"], "refused", under_file))

    # A rerun replaces the previous run as a whole.
    def needle_then_plain(d):
        write(os.path.join(d, "needle.yaml"), NEEDLE)
        write(os.path.join(d, "scene.yaml"), TINY.replace("pixel_mm: 0.2", "pixel_mm: 0.25"))
        r = subprocess.run([base["us_sim"], "simulate", os.path.join(d, "needle.yaml"), "--out",
                            os.path.join(d, "out"), "-q"], capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(os.path.join(d, "out", "labels.json")):
            raise RuntimeError("the needle run did not write labels.json: " + r.stdout + r.stderr)

    def fresh(d):
        out = os.path.join(d, "out")
        stale = [n for n in os.listdir(out) if n.startswith("labels") or n.startswith("mask")]
        meta = json.load(open(os.path.join(out, "meta.json")))
        env = np.load(os.path.join(out, "envelope.npy"))
        metrics = json.load(open(os.path.join(out, "metrics.json")))
        if stale:
            return f"stale files of the earlier run: {stale}"
        if list(env.shape) != meta["image"]["shape"]:
            return f"envelope {env.shape} and meta.json {meta['image']['shape']} disagree"
        if metrics.get("needles"):
            return "metrics.json still reports the earlier run's needle"
        return None

    cases.append(Case("rerun replaces a needle run", ["simulate", "{dir}/scene.yaml", "--out", "{dir}/out", "-q"],
                      [], "success", needle_then_plain, check=fresh))

    # UFF files.
    def uff_case(name, edit, tokens, expect="refused", extra=()):
        cases.append(Case(name, ["beamform", "{dir}/in.uff", "--out", "{dir}/out", "-q", *extra], tokens, expect,
                          lambda d, edit=edit: mutate_uff(uff, os.path.join(d, "in.uff"), edit), earlier=True))

    cd = "channel_data"
    # A one-wave sequence is the wave itself; a longer one holds sequence_0001, ...
    with h5py.File(uff, "r") as f:
        w = f"{cd}/sequence" + ("/sequence_0001" if "sequence_0001" in f[f"{cd}/sequence"] else "")

    def data_with(value, everywhere=False):
        def edit(f):
            d = f[f"{cd}/data"][...]
            if everywhere:
                d[...] = value
            else:
                d.flat[d.size // 2] = value
            replace(f, f"{cd}/data", d)
        return edit

    uff_case("uff data with a NaN", data_with(np.nan), ["data"])
    uff_case("uff data with inf", data_with(np.inf), ["data"])
    uff_case("uff data all NaN", data_with(np.nan, True), ["data"])
    uff_case("uff data 3e38", data_with(3e38, True), ["data"])

    def sparse(shape):
        def edit(f):
            attrs = dict(f[f"{cd}/data"].attrs)
            del f[f"{cd}/data"]
            f.create_dataset(f"{cd}/data", shape=shape, dtype="f4", chunks=(1, 1, 1, min(shape[-1], 1024)))
            for k, v in attrs.items():
                f[f"{cd}/data"].attrs[k] = v
        return edit

    uff_case("uff sparse 1.5 TB data", sparse((1, 1, 32, 11_718_750_000)), ["data"])
    uff_case("uff 100000 frames", sparse((100_000, 1, 32, 40_000)), ["data"])
    uff_case("uff 10 million scan points", lambda f: replace(f, "scan/x_axis", np.linspace(-3e-3, 3e-3, 10_000_000)[None, :]),
             ["x_axis"])
    for field, value in [("initial_time", np.nan), ("initial_time", 1e30), ("initial_time", -1.0),
                         ("sampling_frequency", 1e30), ("sampling_frequency", 1e-30), ("sound_speed", 1e12)]:
        uff_case(f"uff {field} {value}", lambda f, field=field, value=value: replace(f, f"{cd}/{field}", [[value]]),
                 [field])
    for field, value in [("delay", np.nan), ("delay", 1e30), ("source/azimuth", np.nan), ("sound_speed", 0.0)]:
        uff_case(f"uff wave {field} {value}", lambda f, field=field, value=value: replace(f, f"{w}/{field}", [[value]]),
                 [field.split("/")[-1]])
    uff_case("uff scan x_axis NaN", lambda f: replace(f, "scan/x_axis", np.array([[np.nan] + [0.0] * 30])), ["x_axis"])
    uff_case("uff pulse centre frequency NaN", lambda f: replace(f, f"{cd}/pulse/center_frequency", [[np.nan]]),
             ["center_frequency"])
    uff_case("uff pulse centre frequency negative", lambda f: replace(f, f"{cd}/pulse/center_frequency", [[-5e6]]),
             ["center_frequency"])
    uff_case("uff matrix array", lambda f: f[f"{cd}/probe"].attrs.__setitem__("class", np.bytes_(b"uff.matrix_array")),
             ["matrix_array"])

    def unversioned_unlabelled(f):
        del f.attrs["version"]
        del f[cd].attrs["class"]

    uff_case("uff without version or class", unversioned_unlabelled, ["version"])
    uff_case("uff without version (as pyuff-ustb writes)", lambda f: f.attrs.__delitem__("version"), [], "success")
    uff_case("uff valid", lambda f: None, [], "success")
    cases.append(Case("npy channel data with NaN", ["beamform", "{dir}/rf.npy", "--out", "{dir}/out", "-q"], ["rf.npy"],
                      "refused", lambda d: npy_channel_data(rf, d, lambda a: a.__setitem__((0, 5, 3), np.nan)),
                      earlier=True))
    return cases


def disk_full(us_sim, work, earlier):
    """Runs a job that cannot fit on a 1 MiB tmpfs holding an earlier output; returns (outcome, detail), or None with
    the reason when no tmpfs can be mounted here (not root, no mount permission)."""
    mount = os.path.join(work, "full")
    os.makedirs(mount, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount], capture_output=True, text=True)
    if r.returncode != 0:
        return None, (r.stderr or r.stdout).strip() or f"mount exited {r.returncode}"
    try:
        out = os.path.join(mount, "out")
        shutil.copytree(earlier, out)
        before = digest(out)
        scene = os.path.join(work, "big.yaml")
        write(scene, "probe: L11-5v\ntransmit: {scheme: plane_wave, angles_deg: [-5, 0, 5]}\n"
                     "image: {x_mm: [-10, 10], z_mm: [5, 50], pixel_mm: 0.1}\n"
                     "scatterers: {points: [{x_mm: 0, z_mm: 20}]}\n")
        r = subprocess.run([us_sim, "simulate", scene, "--out", out, "--channel-data", "uff", "-q"],
                           capture_output=True, text=True, timeout=120)
        text = (r.stdout + r.stderr).strip()
        if r.returncode < 0 or r.returncode >= 128 or "Fatal error" in text or "NSCocoaErrorDomain" in text:
            return "crash", f"exit {r.returncode}: {text[-400:]}"
        if r.returncode == 0:
            return "wrong", "a 3 MB output fitted on a 1 MiB file system"
        if os.listdir(mount) != ["out"] or digest(out) != before:
            return "dirty", f"left {os.listdir(mount)}; earlier output intact: {digest(out) == before}"
        if "No space left on device" not in text:
            return "unnamed", text
        return "refused", text.splitlines()[-1]
    finally:
        subprocess.run(["umount", mount], capture_output=True)


def interrupted(us_sim, work, earlier):
    """Interrupts (SIGINT, as Ctrl-C) the default scene one second into its run over an earlier output: the run must
    end with status 130, leaving no staging folder and the earlier output intact."""
    import signal
    import time
    d = os.path.join(work, "interrupted")
    shutil.rmtree(d, ignore_errors=True)
    out = os.path.join(d, "out")
    shutil.copytree(earlier, out)
    before = digest(out)
    p = subprocess.Popen([us_sim, "simulate", "--out", out, "-q"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=60)
    if p.returncode == 0:
        return "wrong", "the default scene finished within one second: nothing was interrupted"
    if p.returncode != 130:
        return "crash", f"exit {p.returncode}"
    if os.listdir(d) != ["out"] or digest(out) != before:
        return "dirty", f"left {os.listdir(d)}; earlier output intact: {digest(out) == before}"
    return "refused", "interrupted, nothing of the run left"


def npy_channel_data(rf, d, edit):
    a = np.load(rf["npy"])
    edit(a)
    np.save(os.path.join(d, "rf.npy"), a)
    shutil.copyfile(rf["yaml"], os.path.join(d, "rf.yaml"))


# --- seeded fuzz --------------------------------------------------------------------------------------------------

def scalar_spans(text):
    """(start, end, key) of every scalar value written after 'key: ' or inside a [...] list in the scene text."""
    spans = []
    for m in re.finditer(r"([a-z_]+): *([^,{}\[\]\n]+)", text):
        spans.append((m.start(2), m.end(2), m.group(1)))
    for m in re.finditer(r"([a-z_]+): *\[([^\[\]\n]*)\]", text):
        inner_start = m.start(2)
        for n in re.finditer(r"[^,\s][^,]*", m.group(2)):
            spans.append((inner_start + n.start(), inner_start + n.end(), m.group(1)))
    return spans


def keys_in(text):
    return sorted({m.group(1) for m in re.finditer(r"([a-z_]+):", text)})


def fuzz_scenario(rng, number):
    name = rng.choice(sorted(BASE_SCENES))
    text = BASE_SCENES[name]
    kind = rng.choice(["value", "value", "value", "delete", "unknown", "swap", "truncate"])
    tokens = ["(whole scenario)"]
    spans = scalar_spans(text)
    if kind == "value":
        s, e, key = rng.choice(spans)
        text = text[:s] + rng.choice(HOSTILE_NUMBERS) + text[e:]
        tokens.append(key)
    elif kind == "delete":
        s, e, key = rng.choice(spans)
        text = text[:s] + text[e:]
        tokens.append(key)
    elif kind == "unknown":
        key = rng.choice(keys_in(text))
        text = text.replace(f"{key}:", f"{key}x:", 1)
        tokens += [key + "x", key]
    elif kind == "swap":
        (s1, e1, k1), (s2, e2, k2) = sorted(rng.sample(spans, 2))
        text = text[:s1] + text[s2:e2] + text[e1:s2] + text[s1:e1] + text[e2:]
        tokens += [k1, k2]
    else:
        cut = rng.randrange(len(text))
        text = text[:cut]
        tokens += keys_in(text) + ["(line ", "parse"]
    npy_rows = [[0, 0, 8, 1], [1, 0, 10, 0.5]]

    def setup(d):
        write(os.path.join(d, "scene.yaml"), text)
        points_npy(os.path.join(d, "points.npy"), npy_rows)
    return Case(f"fuzz {number}: scenario {name}, {kind}", ["simulate", "{dir}/scene.yaml", "--out", "{dir}/out", "-q"],
                tokens, None, setup, earlier=rng.random() < 0.5)


def fuzz_npy(rng, number):
    rows = np.array([[0, 0, 8, 1], [1, 0.2, 10, 0.5], [-1, 0, 6, 2]], "<f8")
    kind = rng.choice(["value", "value", "header", "shape", "descr", "truncate"])
    descr, fortran, shape = "'<f8'", "False", "(3, 4)"
    data = rows.tobytes()
    if kind == "value":
        rows.flat[rng.randrange(rows.size)] = rng.choice(HOSTILE_VALUES)
        data = rows.tobytes()
    elif kind == "header":
        fortran = rng.choice(["True", "1", "'no'", "None", "Fals"])
    elif kind == "shape":
        shape = rng.choice(["(-3, 4)", "(3, -4)", "(4611686018427387904, 4)", "(3,)", "(12,)", "(2, 2, 3)", "()",
                            "(3, 4, 0)", "(0, 4)", "(3 4)", "(3, 4", "(99999999999999999999999, 4)", "(3.0, 4)"])
    elif kind == "descr":
        descr = rng.choice(["'>f8'", "'<f16'", "'<U4'", "'|O'", "'<i8'", "'<f4'", "''", "'<c8'"])
    else:
        data = data[: rng.randrange(len(data))]
    header = "{" + f"'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, " + "}"
    blob = npy_bytes(header, data)

    def setup(d):
        write(os.path.join(d, "scene.yaml"), NPY_SCENE)
        open(os.path.join(d, "points.npy"), "wb").write(blob)
    return Case(f"fuzz {number}: npy {kind}", ["simulate", "{dir}/scene.yaml", "--out", "{dir}/out", "-q"],
                ["scatterers.file"], None, setup, earlier=rng.random() < 0.5)


UFF_FIELDS = None


def fuzz_uff(rng, number, base):
    global UFF_FIELDS
    if UFF_FIELDS is None:
        found = []
        with h5py.File(base["uff"], "r") as f:
            f.visititems(lambda n, o: found.append(n) if isinstance(o, h5py.Dataset) else None)
        UFF_FIELDS = sorted(found)
    path = rng.choice(UFF_FIELDS)
    kind = rng.choice(["value", "value", "value", "delete", "shape", "attribute"])
    value = rng.choice(HOSTILE_VALUES)
    seed = rng.randrange(1 << 30)

    def edit(f):
        r = random.Random(seed)
        d = f[path][...]
        if kind == "value":
            if d.dtype.kind in "fi" and d.size:
                d = d.astype(np.float64) if d.dtype.kind == "i" and not np.isfinite(value) else d
                d.flat[r.randrange(d.size)] = value if d.dtype.kind == "f" else int(np.clip(np.nan_to_num(value), -2**31, 2**31 - 1))
            replace(f, path, d)
        elif kind == "delete":
            del f[path]
        elif kind == "shape":
            replace(f, path, r.choice([np.zeros((0,)), np.zeros((2, 3, 4, 5, 6)), d.reshape(-1)[:1], np.concatenate(
                [d.reshape(-1), d.reshape(-1)])]))
        else:
            target = f[os.path.dirname(path)] if os.path.dirname(path) else f
            target.attrs["class"] = np.bytes_(r.choice([b"uff.matrix_array", b"uff.nothing", b"", b"uff.channel_data"]))
    tokens = [p for p in path.split("/") if p and p != "channel_data"] or ["channel_data"]
    return Case(f"fuzz {number}: uff {kind} {path} {value if kind == 'value' else ''}",
                ["beamform", "{dir}/in.uff", "--out", "{dir}/out", "-q"], tokens, None,
                lambda d: mutate_uff(base["uff"], os.path.join(d, "in.uff"), edit), earlier=rng.random() < 0.5)


def fuzz_cases(seed, count, base):
    rng = random.Random(seed)
    cases = []
    for k in range(count):
        pick = rng.random()
        if pick < 0.45:
            cases.append(fuzz_scenario(rng, k))
        elif pick < 0.65:
            cases.append(fuzz_npy(rng, k))
        else:
            cases.append(fuzz_uff(rng, k, base))
    return cases


# --- main ---------------------------------------------------------------------------------------------------------

def make_base(us_sim, work):
    d = os.path.join(work, "base")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "tiny.yaml"), TINY)
    out = os.path.join(d, "run")
    r = subprocess.run([us_sim, "simulate", os.path.join(d, "tiny.yaml"), "--out", out, "--channel-data", "uff",
                        "--save-rf", "-q"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("the base scene failed: " + r.stdout + r.stderr)
    earlier = os.path.join(d, "earlier")
    r = subprocess.run([us_sim, "simulate", os.path.join(d, "tiny.yaml"), "--out", earlier, "-q"],
                       capture_output=True, text=True)
    return {"us_sim": us_sim, "uff": os.path.join(out, "channel_data.uff"), "earlier": earlier,
            "rf": {"npy": os.path.join(out, "rf.npy"), "yaml": os.path.join(out, "rf.yaml")}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("us_sim")
    ap.add_argument("work")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fuzz", type=int, default=300)
    ap.add_argument("--no-regressions", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--keep", action="store_true", help="keep the case folders")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    args.us_sim = os.path.abspath(args.us_sim)  # the cases run in their own folders
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    base = make_base(args.us_sim, args.work)
    cases = ([] if args.no_regressions else regressions(base)) + fuzz_cases(args.seed, args.fuzz, base)
    counts, failures = {}, []

    def one(item):
        number, case = item
        outcome, detail = run_case(args.us_sim, args.work, number, case, base["earlier"])
        if not args.keep and outcome not in FAILURES:
            shutil.rmtree(os.path.join(args.work, f"case-{number:05d}"), ignore_errors=True)
        return number, case, outcome, detail

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for number, case, outcome, detail in pool.map(one, enumerate(cases)):
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome in FAILURES:
                failures.append({"case": number, "name": case.name, "outcome": outcome, "detail": detail})
            if case.expect:
                print(f"{outcome:8s} {case.name}: {detail[:160]}", flush=True)
    if not args.no_regressions:
        for name, check in [("disk full", disk_full), ("interrupted", interrupted)]:
            outcome, detail = check(args.us_sim, args.work, base["earlier"])
            if outcome is None:
                print(f"skipped  {name}: no 1 MiB tmpfs can be mounted here ({detail})")
                continue
            print(f"{outcome:8s} {name}: {detail[:200]}")
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome != "refused":
                failures.append({"case": -1, "name": name, "outcome": outcome, "detail": detail})
    print(f"seed {args.seed}: {len(cases)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for f in failures:
        print(f"FAILED case {f['case']} ({f['name']}): {f['outcome']}: {f['detail']}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"seed": args.seed, "cases": len(cases), "counts": counts, "failures": failures}, fh, indent=1)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
