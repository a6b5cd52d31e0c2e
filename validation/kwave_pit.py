#!/usr/bin/env python3
"""Full-wave check of the Kirchhoff pit model (us-sim's `SurfacePit`, an echogenic needle's dimples) with k-Wave.

us-sim gives each pit of a dimpled needle the echo `f_cap - f_disc` of single-scattering Kirchhoff theory: exact in
the limits its tests check (a shallow pit's first-order perturbation, a deep pit's geometric optics), an estimate
where real dimples lie, at ka of about 1, where a pit rings and sound can reflect twice inside it. k-Wave solves the
full wave equation, so it knows what the approximation leaves out. In 2-D a pit is a groove (a circular cap cut
into the wall, infinite in elevation), and the same Kirchhoff theory in 2-D gives its echo as

    F(k, theta) ~ sqrt(k) * [ integral over the lit arc of (n.d) exp(-2ik d.r) ds - cos(theta) * integral over the
                  opening of exp(-2ik sin(theta) x) dx ]

(d the unit vector toward the source, theta from the wall's normal; a point of the arc is lit when it faces the
source and the ray to the source leaves through the opening, as in `SurfacePit`). The script images a steel wall
(a fluid of steel's impedance, 45.9 MRayl, at 3000 m/s to halve k-Wave's steps; the wall reflects R = 0.93 at
normal incidence as steel does) tilted by theta under a 0-degree plane wave from a 48-element, 0.3 mm pitch, 2 MHz
linear array (70 %), with a groove 0.4 mm across (ka = 1.6) at 10 mm, and the same wall without the groove; the
difference is the groove's own echo, as `f_cap - f_disc` is. Both its energy in a 1 mm window round the groove,
relative to theta = 0, and the Kirchhoff prediction (the pulse's spectrum times |F|^2, summed over the band) are
printed; the elevation (2-D vs 3-D) cancels in ratios at one place.

Grid 25 um (the groove's radius in 8 cells): two k-Wave runs per angle, 30 minutes per angle with the machine's two
cores to itself (48 minutes with three angles sharing them); angles may run as separate processes (`--angles 0`,
`--angles 20`, ... each writes its own result; `--table` prints them together). Not part of CI; the README's table
comes from the output.

Usage: validation/kwave_pit.py [--angles 0 20 40] [--depth-um 200] [--table]
Needs: k-wave-python (pip install k-wave-python); it reuses kwave_crosscheck.py's array, pulse and beamformer.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kwave_crosscheck as kc  # noqa: E402  (sets up k-Wave offline)
import numpy as np  # noqa: E402

kc.FC = 2e6
kc.BANDWIDTH = 0.7
kc.ELEMENTS = 48
kc.DX = 25e-6
kc.X_HALF = 8e-3
kc.Z_MAX = 13e-3
WALL_Z = 10e-3
STEEL_SLOW = dict(c=3000.0, rho=7930.0 * 5790.0 / 3000.0, alpha=0.0)  # steel's impedance, half its speed
RADIUS = 0.2e-3  # the groove's opening half-width a
RESULTS = os.path.join(kc.ROOT, "validation", "results")


def wall(theta_deg, depth, groove):
    """Steel below a line through (0, WALL_Z) whose normal toward the probe is turned by theta; a circular groove of
    opening half-width RADIUS and `depth` cut into it at that point."""
    th = np.radians(theta_deg)
    n = np.array([-np.sin(th), -np.cos(th)])  # toward the fluid (the probe at smaller z)
    rho = (RADIUS ** 2 + depth ** 2) / (2 * depth)
    centre = np.array([0.0, WALL_Z]) + n * (rho - depth)

    def paint(X, Z):
        steel = (X * n[0] + (Z - WALL_Z) * n[1]) < 0
        if groove:
            steel &= (X - centre[0]) ** 2 + (Z - centre[1]) ** 2 > rho ** 2
        return [(steel, STEEL_SLOW)]
    return paint


def kirchhoff_2d(k, theta, depth, reflection=0.93, nodes=4000):
    """The groove's Kirchhoff echo in 2-D (complex, up to a factor common to every angle at one k)."""
    rho = (RADIUS ** 2 + depth ** 2) / (2 * depth)
    c0 = rho - depth
    beta_max = np.arccos(np.clip(c0 / rho, -1, 1))
    dx, dz = np.sin(theta), np.cos(theta)
    beta = (np.arange(nodes) + 0.5) / nodes * 2 * beta_max - beta_max  # from one rim to the other
    ds = rho * 2 * beta_max / nodes
    rx, rz = rho * np.sin(beta), c0 - rho * np.cos(beta)
    nx, nz = -np.sin(beta), np.cos(beta)  # toward the centre, the fluid
    nd = nx * dx + nz * dz
    lit = (nd > 0) & (-rz / dz <= 2 * rho * nd)
    cap = np.sum(np.where(lit, nd * np.exp(-2j * k * (dx * rx + dz * rz)), 0)) * ds
    x = (np.arange(nodes) + 0.5) / nodes * 2 * RADIUS - RADIUS
    disc = dz * np.sum(np.exp(-2j * k * dx * x)) * (2 * RADIUS / nodes)
    return np.sqrt(k) * reflection * (cap - disc)


def predicted_energy(theta_deg, depth):
    """Sum over the band of |pulse spectrum x F|^2 (the pulse as kwave_crosscheck's two-way pulse)."""
    t = np.arange(4096) / (kc.FC * 64) - 2048 / (kc.FC * 64)
    spectrum = np.abs(np.fft.rfft(kc.two_way_pulse(t)))
    f = np.fft.rfftfreq(len(t), t[1] - t[0])
    band = spectrum > spectrum.max() * 1e-3
    k = 2 * np.pi * f[band] / kc.C0
    F = np.array([kirchhoff_2d(kk, np.radians(theta_deg), depth) for kk in k])
    return float(np.sum((spectrum[band] * np.abs(F)) ** 2))


def measure(theta_deg, depth):
    t_end = 2 * kc.Z_MAX / kc.C0 + kc.DELAY + 2e-6
    started = time.time()
    flat, fs = kc.kwave_rf(kc.maps_with(kc.GEL, wall(theta_deg, depth, groove=False)), t_end, STEEL_SLOW["c"])
    pitted, _ = kc.kwave_rf(kc.maps_with(kc.GEL, wall(theta_deg, depth, groove=True)), t_end, STEEL_SLOW["c"])
    xs = np.arange(-1e-3, 1e-3 + 1e-9, 0.05e-3)
    zs = np.arange(WALL_Z - 1e-3, WALL_Z + 1e-3 + 1e-9, 0.05e-3)
    image = kc.delay_and_sum(pitted - flat, fs, kc.KWAVE_T0, kc.ARRAY_Z, xs, zs)
    return {"angle_deg": theta_deg, "depth_um": depth * 1e6, "kwave_energy": float(np.sum(image ** 2)),
            "kirchhoff_energy": predicted_energy(theta_deg, depth), "seconds": time.time() - started}


def table(depth):
    rows = []
    for name in sorted(os.listdir(RESULTS)):
        if name.startswith("kwave-pit-") and name.endswith(".json"):
            r = json.load(open(os.path.join(RESULTS, name)))
            if abs(r["depth_um"] - depth * 1e6) < 1e-6:
                rows.append(r)
    rows.sort(key=lambda r: r["angle_deg"])
    base = next((r for r in rows if r["angle_deg"] == 0), None)
    if base is None:
        sys.exit("no 0-degree result yet")
    print(f"\ngroove {2 * RADIUS * 1e6:.0f} um across, {depth * 1e6:.0f} um deep, {kc.FC / 1e6:.0f} MHz "
          f"(ka = {2 * np.pi * kc.FC / kc.C0 * RADIUS:.2f})")
    print("| groove echo vs at 0 deg | k-Wave (2-D full wave) | Kirchhoff (2-D) | difference |\n|---|---|---|---|")
    for r in rows:
        kw = 10 * np.log10(r["kwave_energy"] / base["kwave_energy"])
        ki = 10 * np.log10(r["kirchhoff_energy"] / base["kirchhoff_energy"])
        print(f"| {r['angle_deg']:.0f} deg | {kw:.1f} dB | {ki:.1f} dB | {ki - kw:+.1f} dB |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--angles", type=float, nargs="+", default=[0, 20, 40], help="wall tilts (degrees)")
    ap.add_argument("--depth-um", type=float, default=200, help="groove depth (um; 200 = a half circle)")
    ap.add_argument("--table", action="store_true", help="only print the table of the results written so far")
    args = ap.parse_args()
    depth = args.depth_um * 1e-6
    if not args.table:
        os.makedirs(RESULTS, exist_ok=True)
        for theta in args.angles:
            r = measure(theta, depth)
            out = os.path.join(RESULTS, f"kwave-pit-{args.depth_um:.0f}um-{theta:.0f}deg.json")
            with open(out, "w") as f:
                json.dump(r, f, indent=1)
            print(f"{theta:.0f} deg: k-Wave {r['kwave_energy']:.4g}, Kirchhoff {r['kirchhoff_energy']:.4g} "
                  f"({r['seconds']:.0f} s) -> {out}", flush=True)
    table(depth)


if __name__ == "__main__":
    main()
