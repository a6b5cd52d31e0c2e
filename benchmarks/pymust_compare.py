"""PyMUST (pip install pymust) on the cases us-sim-bench measures, for ratios measured in the same run.

Simulation: L11-5v, one 0° plane wave, the same scatterers us-sim simulated (read from the .npy us-sim-bench wrote,
columns x_mm, y_mm, z_mm, amplitude), 0.5 dB/cm/MHz, fs = 4·fc. PyMUST simulates a few hundred scatterers a
second here (250–480 in the runs of benchmarks/LOG.md), so it runs on the first --count of them and the rate is per
scatterer.
Delay-and-sum: the same 256 × 512 grid (x ±19 mm, z 5–55 mm), 128 channels, f-number 1.5; the sparse DAS matrix's
build (dasmtx) and its application to the IQ data are timed separately.
Prints one JSON object.
"""
import argparse
import json
import time

import numpy as np
import pymust


def best(fn, repeats):
    t = float("inf")
    out = None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - start)
    return t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scatterers", required=True)
    ap.add_argument("--count", type=int, default=1000)
    args = ap.parse_args()

    s = np.load(args.scatterers)[: args.count]
    x, z, rc = s[:, 0] * 1e-3, s[:, 2] * 1e-3, s[:, 3]
    param = pymust.getparam("L11-5v")
    param.c = 1540.0
    param.attenuation = 0.5
    param.fnumber = 1.5
    txdel = pymust.txdelay(param, 0)
    t_sim, (rf, _) = best(lambda: pymust.simus(x, z, rc, txdel, param), 1)

    iq = pymust.rf2iq(rf, param)
    xi, zi = np.meshgrid(np.linspace(-19e-3, 19e-3, 256), np.linspace(5e-3, 55e-3, 512))
    t_build, m = best(lambda: pymust.dasmtx(iq, xi, zi, txdel, param), 1)
    flat = iq.flatten(order="F")
    t_apply, _ = best(lambda: m @ flat, 5)
    print(json.dumps({
        "case": "pymust",
        "pymust_version": getattr(pymust, "__version__", "0.1.9"),
        "rf_scatterers": int(len(x)),
        "rf_seconds": t_sim,
        "rf_scatterers_per_second": len(x) / t_sim,
        "rf_pairs_per_second": len(x) * 128 / t_sim,
        "das_matrix_build_seconds": t_build,
        "das_apply_seconds": t_apply,
        "das_pixel_channel_samples_per_second": 256 * 512 * 128 / t_apply,
    }))


if __name__ == "__main__":
    main()
