"""PyMUST's channel data for point targets, as the reference for us-sim's pulse and propagation model.

Usage: must_point_targets.py PROBE ATTENUATION OUT.npy Z_MM [Z_MM ...]

PROBE is a MUST preset (getparam), ATTENUATION in dB/cm/MHz (y = 1), and each Z_MM a point of reflection coefficient 1
on the probe's axis at that depth, measured as us-sim measures it: from the array's centre element (for a convex
array MUST's origin lies on the chord through the end elements, R − apothem deeper, so the points are moved by that).
All elements fire at once with equal weights: a 0° plane wave for flat arrays, a wave diverging from the arc's centre
for convex ones. Sampling at 4·fc and one-cycle excitation (MUST's defaults), sound speed 1540 m/s.

SIMUS runs in 3-D (elevation focusing by MUST's multi-Gaussian beam model, 1/r spreading) so that echo levels compare
with us-sim's elevation beam. PFIELD treats every y below 1e-9 m as "no elevation" (2-D, 1/sqrt(r)); the points are
therefore given y = 1e-8 m, which is in the scan plane for the beam model (it uses its y = 0 formula below the float
epsilon, 1.2e-7).

Writes the RF as float32 with shape (elements, samples), time zero at the firing, and prints one JSON line with the
sampling frequency, the sample count and MUST's axial offset of the centre element.
"""
import json
import sys

import numpy as np
import pymust

probe, attenuation, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
depths = np.array([float(v) for v in sys.argv[4:]]) * 1e-3

param = pymust.getparam(probe)
param.c = 1540.0
param.fs = 4 * param.fc
param.attenuation = attenuation
_, ze, _, _ = param.getElementPositions()
offset = float(np.max(ze))  # the centre element's z in MUST's frame (0 for flat arrays)

x = np.zeros((1, len(depths)))
y = np.full((1, len(depths)), 1e-8)
z = (depths + offset).reshape(1, -1)
rc = np.ones((1, len(depths)))
delays = np.zeros((1, param.Nelements))
rf, _ = pymust.simus(x, y, z, rc, delays, param)
np.save(out, np.ascontiguousarray(rf.T.astype(np.float32)))
summary = {"fs_hz": float(param.fs), "samples": int(rf.shape[0]), "elements": int(rf.shape[1]), "origin_offset_m": offset}
print(json.dumps(summary))
