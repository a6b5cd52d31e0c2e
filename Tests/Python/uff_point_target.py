"""Writes a UFF file with pyuff-ustb from channel data computed here, independently of us-sim: one point scatterer per
frame seen by a 64-element linear array through steered plane waves, with USTB's own time conventions (a non-zero
initial_time and per-wave delay). Usage: uff_point_target.py OUT.uff rf|iq|int16 FRAMES [WAVES]
WAVES is 3 (-6, 0, 6 degrees; the default) or 1 (0 degrees only: pyuff-ustb then writes a one-member array).

The echo of element e for wave w is a Gaussian-enveloped cosine centred on
  tau = (z sin... ) :  tau = (x sin(a) + z cos(a)) / c - delay_w + |p - p_e| / c
(USTB's plane-wave transmit delay plus the receive path). Frame f's point is at (x0, z0 + 2 mm * f).
I/Q data: the analytic echo times exp(-i 2 pi f_mod t), sampled at fs_iq = f_mod (base band)."""
import sys

import numpy as np
import pyuff_ustb as pyuff

out, kind, frames = sys.argv[1], sys.argv[2], int(sys.argv[3])
waves = int(sys.argv[4]) if len(sys.argv) > 4 else 3
c, fc, n_el, pitch = 1540.0, 5e6, 64, 0.3e-3
angles = np.deg2rad([-6.0, 0.0, 6.0])
delays = np.array([1.0e-6, -0.5e-6, 0.25e-6])  # USTB wave.delay, deliberately non-zero
if waves == 1:
    angles, delays = angles[1:2], delays[1:2]
t0 = 3e-6
x0, z0 = 2e-3, 20e-3
xe = (np.arange(n_el) - (n_el - 1) / 2) * pitch
sigma = 1.0 / (np.pi * fc * 0.6)  # envelope width for about 60 % bandwidth
iq = kind == "iq"
fs = 10e6 if iq else 40e6
ns = 1400 if not iq else 350
t = t0 + np.arange(ns) / fs

data = np.zeros((ns, n_el, len(angles), frames), dtype=np.complex64 if iq else np.float32)
for f in range(frames):
    zp = z0 + 2e-3 * f
    for w, a in enumerate(angles):
        tx = (x0 * np.sin(a) + zp * np.cos(a)) / c - delays[w]
        for e in range(n_el):
            tau = tx + np.hypot(x0 - xe[e], zp) / c
            env = np.exp(-((t - tau) ** 2) / (2 * sigma**2))
            if iq:
                data[:, e, w, f] = env * np.exp(1j * 2 * np.pi * fc * (t - tau)) * np.exp(-1j * 2 * np.pi * fc * t)
            else:
                data[:, e, w, f] = env * np.cos(2 * np.pi * fc * (t - tau))
if kind == "int16":
    data = np.round(data / np.abs(data).max() * 20000).astype(np.int16)
data = np.squeeze(data, axis=3) if frames == 1 else data

probe = pyuff.LinearArray(N=n_el, pitch=pitch, element_width=0.27e-3, element_height=5e-3)
seq = [
    pyuff.Wave(
        wavefront=pyuff.Wavefront.plane,
        source=pyuff.Point(distance=np.inf, azimuth=a, elevation=0.0),
        origin=pyuff.Point(distance=0.0, azimuth=0.0, elevation=0.0),
        delay=float(delays[w]),
        sound_speed=c,
    )
    for w, a in enumerate(angles)
]
cd = pyuff.ChannelData(
    sampling_frequency=fs,
    initial_time=t0,
    sound_speed=c,
    modulation_frequency=fc if iq else 0.0,
    sequence=seq,
    probe=probe,
    data=data,
    pulse=pyuff.Pulse(center_frequency=fc, fractional_bandwidth=0.6, phase=0.0, waveform=None),
)
cd.write(out, "channel_data", ignore_missing_compulsory_fields=True)
print(f"wrote {out}: {kind}, data {data.shape}, points at x {x0 * 1e3} mm, z " + ", ".join(f"{(z0 + 2e-3 * f) * 1e3:.1f}" for f in range(frames)) + " mm")
