"""Breaks a copy of a valid UFF file in one way, for the error-message tests. Usage: uff_tamper.py IN OUT MODE with
MODE one of: version (root version v2.0.0), missing (no sampling_frequency), photoacoustic (wave 1's wavefront = 2),
channels (data with one channel fewer than the probe)."""
import shutil
import sys

import h5py
import numpy as np

src, dst, mode = sys.argv[1:4]
shutil.copyfile(src, dst)
with h5py.File(dst, "a") as f:
    if mode == "version":
        f.attrs["version"] = "v2.0.0"
    elif mode == "missing":
        del f["channel_data/sampling_frequency"]
    elif mode == "photoacoustic":
        f["channel_data/sequence/sequence_0001/wavefront"][...] = np.array([[2]])
    elif mode == "channels":
        data = f["channel_data/data"][...]
        del f["channel_data/data"]
        f["channel_data/data"] = data[:, :, 1:, :]
    else:
        raise SystemExit(f"unknown mode {mode}")
