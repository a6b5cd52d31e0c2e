#!/usr/bin/env python3
"""Full-wave cross-check of us-sim against k-Wave (k-wave-python's NumPy backend, 2-D, on the CPU).

What a first-order Born model with straight rays cannot know, a full-wave solver does: a steel needle wall's
thin-plate reflection and lumen reverberations, a bone plate's refraction and internal reverberation. Both
simulators image the same 2-D geometry with the same linear array (96 elements, 0.3 mm pitch, 3 MHz, 70 %) and one
0° plane wave; both RFs go through the same delay-and-sum here (F1.5, rectangular window, analytic envelope):

- Needle (18G: OD 1.270 mm, ID 0.838 mm, steel c 5790 m/s, rho 7930 kg/m3, water lumen) in gel with its axis
  through (0, 14) mm at insertion angles 0, 5, 10, 20 degrees: the upper wall's peak echo against the 0 degree one.
  k-Wave also images a steel half-space whose face lies where the 0 degree wall's does: the thin wall's own
  reflection against a thick reflector's.
- Bone plate (c 3200, rho 1900, 10 dB/cm/MHz) 14 mm wide, 12-16 mm deep, in gel, with point scatterers at 22 mm under
  it (x = 0) and beside it (x = +-11 mm): the direct echo of the point under the plate (where a straight path at
  bone's speed puts it) against the mean of those beside, with a points-free plate run subtracted in both simulators
  (what remains is the points' own echoes, without the plate's reverberations). us-sim runs with travel times at each
  tissue's speed (`speeds_along_paths: true`), as a full-wave solver has them.

- Needle tip (`--only tip`): an 18G Quincke bevel (cut at 15 degrees to the axis through the heel on one wall and the
  point on the other; water in the lumen, open at the cut) with its tip on the axis at (4, 14) mm, turned up toward
  the probe and down, at 0 and 10 degrees: the mean envelope in a disk of radius OD at the tip (the tip contrast's
  disk of docs/metrics.md), bevel up against bevel down. The elevation factors do not cancel here: in k-Wave every
  surface is infinite in elevation, in us-sim the open bevel's lower wall is a concave strip of radius R_i, the outer
  wall a convex one of radius R_o (10*log10(R_i/R_o) = -1.8 dB between them) and the bevel's face a flat strip as
  wide as its chord, which returns about w/sqrt(lambda*a/2) (up to +10 dB at 3 MHz) more per length than the
  cylinders; the face's share of the tip disk is therefore larger in us-sim than a 2-D solver can show.

us-sim runs with `physics: {calibration: physical}` (sheets across the elevation beam) on the same geometry as a
phantom of its own (`phantom: {background, regions}`, `needles:`). k-Wave is 2-D (every structure infinite in
elevation), us-sim 3-D (a cylinder, a finite elevation beam): the comparison is of ratios, in which the elevation
factor cancels. k-Wave's records have the same acquisition in plain gel subtracted (the transmitted pulse and the
waves along the array); its absorption is a power law of exponent 1.01 without dispersion. Each k-Wave run takes
minutes (steel's 5790 m/s sets a 5 ns step); the whole script about half an hour on
one core. Not part of CI; the README's table comes from its output.

Usage: validation/kwave_crosscheck.py [--angles 0 5 10 20] [--only plate|needle|tip] [--out FILE]
Needs: `swift build -c release` (for .build/release/us-sim) and k-wave-python (pip install k-wave-python).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request


def _offline(*args, **kwargs):
    raise TimeoutError("k-Wave binaries are not downloaded: the NumPy backend runs offline")


# `import kwave` tries to download its C++/CUDA binaries; the NumPy solver needs none of them.
urllib.request.urlretrieve = _offline
import logging  # noqa: E402

logging.disable(logging.WARNING)
import numpy as np  # noqa: E402
from kwave.kgrid import kWaveGrid  # noqa: E402
from kwave.kmedium import kWaveMedium  # noqa: E402
from kwave.ksensor import kSensor  # noqa: E402
from kwave.ksource import kSource  # noqa: E402
from kwave.kspaceFirstOrder import kspaceFirstOrder  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
US_SIM = os.environ.get("US_SIM", os.path.join(ROOT, ".build", "release", "us-sim"))

FC = 3e6
BANDWIDTH = 0.7
C0 = 1540.0
PITCH = 0.3e-3
ELEMENTS = 96
ELEMENT_WIDTH = 0.27e-3
DX = 0.1e-3
X_HALF = 15e-3
Z_MAX = 28e-3
ARRAY_Z = 0.2e-3  # k-Wave's source and sensor row (below the PML)
DELAY = 1.5e-6  # k-Wave's source signal is causal: the pulse's centre at this time
KWAVE_T0 = -DELAY  # so k-Wave's sample 0 lies DELAY before the pulse's centre leaves the array
GEL = dict(c=1540.0, rho=1020.0, alpha=0.5)
STEEL = dict(c=5790.0, rho=7930.0, alpha=0.0)
WATER = dict(c=1523.0, rho=1000.0, alpha=0.003)
BONE = dict(c=3200.0, rho=1900.0, alpha=10.0)
OD, ID = 1.270e-3, 0.838e-3
AXIS_Z = 14e-3


def element_x():
    return (np.arange(ELEMENTS) - (ELEMENTS - 1) / 2) * PITCH


def two_way_pulse(t):
    """us-sim's pulse (PulseModel): one cycle at fc through the Gaussian two-way response of -6 dB bandwidth B."""
    n, dt = 8192, 1 / (FC * 64)
    f = np.fft.rfftfreq(n, dt)
    period = 1 / FC
    tt = (np.arange(n) - n // 2) * dt
    x = np.where(np.abs(tt) <= period / 2, np.sin(2 * np.pi * FC * (tt + period / 2)), 0.0)
    h2 = np.exp(-np.log(2) * ((f - FC) / (BANDWIDTH * FC / 2)) ** 2)
    p = np.fft.irfft(np.fft.rfft(np.fft.ifftshift(x)) * h2, n)
    p = np.fft.fftshift(p)
    return np.interp(t, tt, p, left=0, right=0)


def delay_and_sum(rf, fs, t0, array_z, xs, zs, f_number=1.5):
    """Envelope of a 0-degree plane-wave delay-and-sum (rectangular window within z/(2F) of the pixel); `t0` is the
    time of sample 0 with the transmitted pulse's centre leaving the array at time 0."""
    spectrum = np.fft.fft(rf, axis=1)
    n = rf.shape[1]
    h = np.zeros(n)
    h[0] = 1
    h[1:(n + 1) // 2] = 2
    if n % 2 == 0:
        h[n // 2] = 1
    analytic = np.fft.ifft(spectrum * h, axis=1)
    ex = element_x()
    image = np.zeros((len(zs), len(xs)), complex)
    for iz, z in enumerate(zs):
        depth = z - array_z
        for ix, x in enumerate(xs):
            active = np.abs(ex - x) <= depth / (2 * f_number)
            tau = depth / C0 + np.hypot(ex[active] - x, depth) / C0
            u = (tau - t0) * fs
            i = np.floor(u).astype(int)
            w = u - i
            ok = (i >= 0) & (i < n - 1)
            rows = np.nonzero(active)[0][ok]
            image[iz, ix] = np.sum(analytic[rows, i[ok]] * (1 - w[ok]) + analytic[rows, i[ok] + 1] * w[ok])
    return np.abs(image)


# --- k-Wave -------------------------------------------------------------------------------------------------------

def grid():
    nx = int(round(2 * X_HALF / DX))
    nz = int(round(Z_MAX / DX))
    xs = (np.arange(nx) - (nx - 1) / 2) * DX
    zs = np.arange(nz) * DX
    return xs, zs


_BACKGROUND = {}


def kwave_rf(maps, t_end, c_max):
    """RF (elements x samples) and its sampling rate for one 0-degree plane wave in a medium given as maps, minus the
    same acquisition in plain gel on the same time grid (time step from `c_max`): what is left are the structures'
    echoes, without the transmitted pulse and the waves running along the array from its ends, which the sensors on
    the source row record and which us-sim does not simulate (they dominate the raw record)."""
    rf, fs = _kwave_raw(maps, t_end, c_max)
    if c_max not in _BACKGROUND:
        _BACKGROUND[c_max] = _kwave_raw(maps_with(GEL, lambda X, Z: []), t_end, c_max)[0]
    return rf - _BACKGROUND[c_max], fs


def _kwave_raw(maps, t_end, c_max):
    xs, zs = grid()
    nz, nx = len(zs), len(xs)
    kgrid = kWaveGrid([nz, nx], [DX, DX])
    medium = kWaveMedium(
        sound_speed=maps["c"], density=maps["rho"], alpha_coeff=maps["alpha"], alpha_power=1.01,
        alpha_mode="no_dispersion")  # y = 1.01 with dispersion is unstable with bone's 10 dB/cm/MHz (NaN)
    kgrid.makeTime(np.array([C0, c_max]), cfl=0.3, t_end=t_end)
    dt = float(kgrid.dt)
    steps = int(kgrid.Nt)
    row = int(round(ARRAY_Z / DX))
    mask = np.zeros((nz, nx), bool)
    ex = element_x()
    owner = np.full(nx, -1)
    for e, x in enumerate(ex):
        cols = np.nonzero(np.abs(xs - x) <= ELEMENT_WIDTH / 2)[0]
        owner[cols] = e
        mask[row, cols] = True
    source = kSource()
    source.p_mask = mask
    t = np.arange(steps) * dt
    source.p = two_way_pulse(t - DELAY)[None, :]
    sensor = kSensor(mask=mask.copy(), record=["p"])
    result = kspaceFirstOrder(kgrid, medium, source, sensor, backend="python", pml_size=20, quiet=True)
    p = np.asarray(result["p"])
    if p.shape[0] != mask.sum():
        p = p.T
    cols = np.nonzero(mask[row])[0]
    rf = np.zeros((ELEMENTS, steps))
    counts = np.zeros(ELEMENTS)
    for k, col in enumerate(cols):
        rf[owner[col]] += p[k]
        counts[owner[col]] += 1
    return rf / counts[:, None], 1 / dt


def maps_with(background, paint):
    xs, zs = grid()
    X, Z = np.meshgrid(xs, zs)
    maps = {k: np.full(X.shape, background[k]) for k in ("c", "rho", "alpha")}
    for region, tissue in paint(X, Z):
        for k in ("c", "rho", "alpha"):
            maps[k][region] = tissue[k]
    return maps


def needle_regions(alpha_deg):
    a = np.radians(alpha_deg)

    def paint(X, Z):
        # Distance from the axis through (0, AXIS_Z) along (cos a, sin a).
        d = np.abs(-(X - 0) * np.sin(a) + (Z - AXIS_Z) * np.cos(a))
        return [((d <= OD / 2) & (d >= ID / 2), STEEL), (d < ID / 2, WATER)]
    return paint


def upper_wall_band(alpha_deg, xs, zs, half_width=0.6e-3, x_half=6e-3):
    """Pixels within half_width of the upper wall's outer line and |x| <= x_half."""
    a = np.radians(alpha_deg)
    X, Z = np.meshgrid(xs, zs)
    # The wall's outer line: the axis moved by OD/2 toward the probe, along the normal (sin a, -cos a).
    signed = -(X * np.sin(a)) + (Z - AXIS_Z) * np.cos(a) + OD / 2
    return (np.abs(signed) <= half_width) & (np.abs(X) <= x_half)


TIP_X = 4e-3
BEVEL_DEG = 15.0


def bevel_regions(alpha_deg, bevel):
    """An 18G needle from the left with its tip on the axis at (TIP_X, AXIS_Z), cut by the bevel plane: with s along
    the axis (0 at the tip, negative behind it) and n across it (positive toward the probe), the tube is kept where
    s <= -(n + a)/tan(beta) for a bevel turned up (heel on the upper wall, point on the lower) and
    s <= -(a - n)/tan(beta) turned down. Water fills the lumen up to the cut."""
    a_rad = np.radians(alpha_deg)
    half = OD / 2
    tan_beta = np.tan(np.radians(BEVEL_DEG))

    def paint(X, Z):
        dx, dz = X - TIP_X, Z - AXIS_Z
        s = dx * np.cos(a_rad) + dz * np.sin(a_rad)
        n = dx * np.sin(a_rad) - dz * np.cos(a_rad)
        cut = -(n + half) / tan_beta if bevel == "up" else -(half - n) / tan_beta
        kept = (s <= cut) & (np.abs(n) <= half)
        return [(kept & (np.abs(n) >= ID / 2), STEEL), (kept & (np.abs(n) < ID / 2), WATER)]
    return paint


def tip_disk(xs, zs):
    X, Z = np.meshgrid(xs, zs)
    return np.hypot(X - TIP_X, Z - AXIS_Z) <= OD


# --- us-sim -------------------------------------------------------------------------------------------------------

PROBE = (
    "probe: {layout: linear, elements: 96, fc_mhz: 3, pitch_mm: 0.3, element_width_mm: 0.27, "
    "bandwidth_percent: 70, element_height_mm: 5}\n"
)
COMMON = (
    "transmit: {scheme: plane_wave, angles_deg: [0]}\nimage: {x_mm: [-15, 15], z_mm: [1, 27], pixel_mm: 0.1}\n"
    "acquisition: {tgc_db_per_cm: off}\noutputs: {rf: true}\nphysics: {calibration: physical}\n"
)
QUIET_GEL = "{base: gel, scatterers_per_mm2: 0}"


def us_sim_rf(yaml):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "scene.yaml")
        with open(path, "w") as f:
            f.write(yaml)
        out = os.path.join(d, "out")
        subprocess.run([US_SIM, "simulate", path, "--out", out], check=True, stdout=subprocess.DEVNULL)
        rf = np.load(os.path.join(out, "rf.npy"))[0].T  # elements x samples
        meta = json.load(open(os.path.join(out, "meta.json")))
        a = meta["acquisition"]
        return rf, a["sampling_mhz"] * 1e6, a["start_time_s"]


def needle_yaml(alpha_deg):
    a = np.radians(alpha_deg)
    tip_x = 14.0
    tip_z = AXIS_Z * 1e3 + tip_x * np.tan(a)
    return (
        PROBE + COMMON + f"phantom: {{background: {QUIET_GEL}, elevation_thickness_mm: 4}}\n"
        + f"needles: [{{gauge: 18, tip_mm: [{tip_x}, {tip_z:.4f}], angle_deg: {alpha_deg}, side: left, tip: pencil}}]\n"
    )


def tip_yaml(alpha_deg, bevel):
    return (
        PROBE + COMMON + f"phantom: {{background: {QUIET_GEL}, elevation_thickness_mm: 4}}\n"
        + f"needles: [{{gauge: 18, tip_mm: [{TIP_X * 1e3}, {AXIS_Z * 1e3}], angle_deg: {alpha_deg}, side: left, "
        + f"tip: quincke, bevel: {bevel}, lumen: saline}}]\n"
    )


PLATE_POINTS = [(0.0, 22e-3), (-11e-3, 22e-3), (11e-3, 22e-3)]


PLATE_TOP, PLATE_BOTTOM, PLATE_HALF_WIDTH = 12e-3, 16e-3, 7e-3


def plate_yaml(points=True):
    """The plate in quiet gel, with travel times at each tissue's speed (as k-Wave's), and optionally the points;
    bone's attenuation is BONE["alpha"] in both simulators (--bone-alpha)."""
    listed = ", ".join(f"{{x_mm: {x * 1e3}, z_mm: {z * 1e3}, amplitude: 1e-5}}" for x, z in PLATE_POINTS)
    return (
        PROBE + COMMON
        + f"phantom: {{background: {QUIET_GEL}, speeds_along_paths: true, "
        + f"tissues: {{bone: {{attenuation_db_cm_mhz: {BONE['alpha']}}}}}, regions: [{{shape: rectangle, "
        + f"x_mm: [{-PLATE_HALF_WIDTH * 1e3}, {PLATE_HALF_WIDTH * 1e3}], "
        + f"z_mm: [{PLATE_TOP * 1e3}, {PLATE_BOTTOM * 1e3}], tissue: bone}}]}}\n"
        + (f"scatterers: {{points: [{listed}]}}\n" if points else "")
    )


def point_levels(envelope, xs, zs):
    """Each point's direct echo: the peak within 0.6 mm of where a straight vertical path puts it in a 1540 m/s image
    (under the plate 2.07 mm shallower: 4 mm of bone at 3200 m/s take the time of 1.93 mm of gel)."""
    levels = []
    X, Z = np.meshgrid(xs, zs)
    shift = (PLATE_BOTTOM - PLATE_TOP) * (1 - C0 / BONE["c"])
    for x, z in PLATE_POINTS:
        apparent = z - (shift if abs(x) <= PLATE_HALF_WIDTH else 0)
        near = np.hypot(X - x, Z - apparent) <= 0.6e-3
        levels.append(float(envelope[near].max()))
    return levels


def main():
    global DX
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--angles", type=float, nargs="+",
                    help="insertion angles (degrees; default 0 5 10 20 for the needle, 0 10 for the tip)")
    ap.add_argument("--only", choices=["plate", "needle", "tip"],
                    help="redo the bone plate only (into an existing result file), the needle rows only, or the "
                    "needle tip only (its own result file)")
    ap.add_argument("--dx-mm", type=float, default=DX * 1e3,
                    help="k-Wave's grid step (mm); halving it shows what the staircased walls contribute (8x time)")
    ap.add_argument("--out", help="result file (default validation/results/kwave.json, kwave-tip.json for the tip)")
    ap.add_argument("--bone-alpha", type=float, default=BONE["alpha"],
                    help="bone's attenuation (dB/cm/MHz) in both simulators; 0 isolates transmission and refraction")
    args = ap.parse_args()
    tip_only = args.only == "tip"
    args.angles = args.angles or ([0, 10] if tip_only else [0, 5, 10, 20])
    args.out = args.out or os.path.join(ROOT, "validation", "results", "kwave-tip.json" if tip_only else "kwave.json")
    BONE["alpha"] = args.bone_alpha
    DX = args.dx_mm * 1e-3
    if not os.path.exists(US_SIM):
        sys.exit("build us-sim first: swift build -c release")
    xs = np.arange(-15e-3, 15e-3 + 1e-9, 0.1e-3)
    zs = np.arange(1e-3, 27e-3 + 1e-9, 0.1e-3)
    t_end = 2 * Z_MAX / C0 + DELAY + 2e-6
    results = {"needle": [], "plate": {}, "seconds": {}}
    if args.only == "plate" and os.path.exists(args.out):
        results = json.load(open(args.out))
    if args.only == "tip":
        tip(args, xs, zs, t_end)
        return

    # Needle against angle, both simulators.
    for alpha in args.angles if args.only != "plate" else []:
        started = time.time()
        rf, fs = kwave_rf(maps_with(GEL, needle_regions(alpha)), t_end, STEEL["c"])
        kw = delay_and_sum(rf, fs, KWAVE_T0, ARRAY_Z, xs, zs)
        results["seconds"][f"kwave needle {alpha}"] = time.time() - started
        rf, fs, t0 = us_sim_rf(needle_yaml(alpha))
        us = delay_and_sum(rf, fs, t0, 0.0, xs, zs)
        band = upper_wall_band(alpha, xs, zs)
        results["needle"].append(
            {"angle_deg": alpha, "kwave_peak": float(kw[band].max()), "us_sim_peak": float(us[band].max())})
        print(f"needle {alpha:4.0f} deg: k-Wave {kw[band].max():.4g}, us-sim {us[band].max():.4g}", flush=True)

    # A thick steel reflector whose face lies where the 0-degree wall's outer line does (k-Wave only).
    started = time.time()
    if args.only in ("plate", "needle"):
        started = None
    if started is not None:
        face = AXIS_Z - OD / 2
        rf, fs = kwave_rf(maps_with(GEL, lambda X, Z: [(Z >= face, STEEL)]), t_end, STEEL["c"])
        kw = delay_and_sum(rf, fs, KWAVE_T0, ARRAY_Z, xs, zs)
        results["steel_half_space_peak"] = float(kw[upper_wall_band(0, xs, zs)].max())
        results["seconds"]["kwave steel half-space"] = time.time() - started

    if args.only != "needle":
        # Bone plate: points under and beside it.
        started = time.time()

        def plate(X, Z):
            regions = [((np.abs(X) <= PLATE_HALF_WIDTH) & (Z >= PLATE_TOP) & (Z <= PLATE_BOTTOM), BONE)]
            for x, z in PLATE_POINTS:
                ix = int(round((x + X_HALF) / DX - 0.5))
                iz = int(round(z / DX))
                cell = np.zeros(X.shape, bool)
                cell[iz, ix] = True
                regions.append((cell, dict(GEL, rho=GEL["rho"] * 1.1)))
            return regions
        rf, fs = kwave_rf(maps_with(GEL, plate), t_end, BONE["c"])
        # The same plate without the points: what remains is the points' own echoes, without the plate's
        # reverberations (every 1.9 mm of apparent depth below it, one of them at the points' depth).
        plain, _ = kwave_rf(maps_with(GEL, lambda X, Z: plate(X, Z)[:1]), t_end, BONE["c"])
        kw = point_levels(delay_and_sum(rf - plain, fs, KWAVE_T0, ARRAY_Z, xs, zs), xs, zs)
        results["seconds"]["kwave plate"] = time.time() - started
        rf, fs, t0 = us_sim_rf(plate_yaml())
        plain, _, _ = us_sim_rf(plate_yaml(points=False))
        us = point_levels(delay_and_sum(rf - plain, fs, t0, 0.0, xs, zs), xs, zs)
        results["plate"] = {"kwave": kw, "us_sim": us, "bone_alpha_db_cm_mhz": BONE["alpha"]}

    # The table.
    base = results["needle"][0]
    print("\n| quantity | k-Wave (2-D full wave) | us-sim | difference |\n|---|---|---|---|")
    for row in results["needle"][1:]:
        k = 20 * np.log10(row["kwave_peak"] / base["kwave_peak"])
        u = 20 * np.log10(row["us_sim_peak"] / base["us_sim_peak"])
        print(f"| 18G wall echo at {row['angle_deg']:.0f} deg vs 0 deg | {k:.1f} dB | {u:.1f} dB | {u - k:+.1f} dB |")
    if "steel_half_space_peak" in results:
        thin = 20 * np.log10(base["kwave_peak"] / results["steel_half_space_peak"])
        print(f"| 18G wall (0.216 mm steel) vs a steel half-space, 0 deg | {thin:.1f} dB | "
              f"0 dB (R of the half-space) | {-thin:+.1f} dB |")
    if results.get("plate"):
        kw, us = results["plate"]["kwave"], results["plate"]["us_sim"]
        k = 20 * np.log10(kw[0] / np.mean(kw[1:]))
        u = 20 * np.log10(us[0] / np.mean(us[1:]))
        print(f"| point under a 4 mm bone plate vs beside it | {k:.1f} dB | {u:.1f} dB | {u - k:+.1f} dB |")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    print(f"\nwrote {args.out}")


def tip(args, xs, zs, t_end):
    """Bevel up against bevel down at each angle, both simulators: the mean envelope in the tip disk."""
    disk = tip_disk(xs, zs)
    rows = []
    for alpha in args.angles:
        row = {"angle_deg": alpha}
        for bevel in ("up", "down"):
            started = time.time()
            rf, fs = kwave_rf(maps_with(GEL, bevel_regions(alpha, bevel)), t_end, STEEL["c"])
            row[f"kwave_{bevel}"] = float(delay_and_sum(rf, fs, KWAVE_T0, ARRAY_Z, xs, zs)[disk].mean())
            row[f"kwave_{bevel}_seconds"] = time.time() - started
            rf, fs, t0 = us_sim_rf(tip_yaml(alpha, bevel))
            row[f"us_sim_{bevel}"] = float(delay_and_sum(rf, fs, t0, 0.0, xs, zs)[disk].mean())
        rows.append(row)
        print(f"tip {alpha:4.0f} deg: {row}", flush=True)
    print("\n| 18G Quincke tip, bevel up vs down (tip disk) | k-Wave (2-D full wave) | us-sim | difference |")
    print("|---|---|---|---|")
    for row in rows:
        k = 20 * np.log10(row["kwave_up"] / row["kwave_down"])
        u = 20 * np.log10(row["us_sim_up"] / row["us_sim_down"])
        print(f"| at {row['angle_deg']:.0f} deg | {k:+.1f} dB | {u:+.1f} dB | {u - k:+.1f} dB |")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"tip": rows}, f, indent=1)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
