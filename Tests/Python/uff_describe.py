"""Reads a UFF file with pyuff-ustb (an independent implementation) and prints what it found as JSON: the shapes,
probe geometry and transmit sequence that us-sim's tests compare with what they wrote."""
import json
import sys

import numpy as np
from pyuff_ustb import ChannelData, Uff

uff = Uff(sys.argv[1])
cd = uff.read("channel_data")
assert isinstance(cd, ChannelData), type(cd)
seq = cd.sequence if isinstance(cd.sequence, list) else [cd.sequence]
probe = cd.probe
out = {
    "data_shape": list(np.shape(cd.data)),  # MATLAB order: samples, channels, waves, frames
    "sampling_frequency": float(cd.sampling_frequency),
    "initial_time": float(cd.initial_time),
    "sound_speed": float(cd.sound_speed),
    "modulation_frequency": float(cd.modulation_frequency),
    "probe_class": type(probe).__name__,
    "elements": int(probe.N_elements),
    "x": [float(v) for v in probe.x],
    "z": [float(v) for v in probe.z],
    "pitch": float(np.squeeze(probe.pitch)) if hasattr(probe, "pitch") else None,
    "waves": len(seq),
    "wavefronts": [int(w.wavefront.value) for w in seq],
    "azimuths": [float(w.source.azimuth) for w in seq],
    "distances": [float(w.source.distance) if np.isfinite(w.source.distance) else "inf" for w in seq],
    "delays": [float(w.delay) for w in seq],
    "pulse_center_frequency": float(cd.pulse.center_frequency) if cd.pulse is not None else None,
    "first_trace_head": [float(v) for v in np.asarray(cd.data)[:8, 0, 0, 0]] if np.ndim(cd.data) == 4 else
    [float(v) for v in np.asarray(cd.data).reshape(np.shape(cd.data)[0], -1)[:8, 0]],
}
print(json.dumps(out))
