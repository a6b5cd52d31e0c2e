#!/usr/bin/env python3
"""How far off its line a focused beam's field reaches: the energy of the transmit waveform at a point, against the
lateral distance from the line, by brute force (every element's pulse placed and summed; nothing shared with us-sim).

Why it matters: the default focused line-by-line simulation leaves out, for each line, the scatterers beyond a band of
K diffraction widths (lambda * range / aperture) around it (`TransmitBeamBand`). Sidelobes that fall with the distance
would allow a narrow band. This script shows that they do not: off the beam, each element's pulse arrives apart from
the others, about as strong across the elements' directivity, and pitches wider than lambda/2 add broadband grating
lobes. So the band has to reach most of the sector to keep the image within the speed budget (K = 40).

Model (2-D, flat arrays, the scan plane): W(t) = sum_e D(theta_e) / sqrt(rho_e) * p(t - tau_e - rho_e / c), with
tau_e the focusing delays of an f/2 sub-aperture, D the element's directivity sinc(w sin(theta) / lambda) cos(theta)
and p a Gaussian pulse of the probe's centre frequency and -6 dB bandwidth. Printed: 10 log10 of W's energy at
lateral offset v (every 1 mm) over its energy on the line, at several ranges.

Usage: .build/pymust-venv/bin/python validation/focused_offbeam_field.py   (under a second; numpy only, which the
test venv of scripts/python-env has; any python3 with numpy will do)
"""
import numpy as np

C = 1540.0


def energy_profile(fc, bandwidth, pitch, width, active, focus, ranges, offsets):
    lam = C / fc
    fs = 32 * fc
    sigma_t = 1 / (2 * np.pi * bandwidth * fc / (2 * np.sqrt(2 * np.log(2))))
    t = np.arange(-6 * sigma_t, 6 * sigma_t, 1 / fs)
    pulse = np.exp(-(t**2) / (2 * sigma_t**2)) * np.cos(2 * np.pi * fc * t)
    xe = (np.arange(active) - (active - 1) / 2) * pitch
    path = np.sqrt(xe**2 + focus**2)
    tau = (path.max() - path) / C  # the outermost elements fire first
    rows = []
    for u in ranges:
        energies = []
        for v in offsets:
            rho = np.hypot(v - xe, u)
            arrival = tau + rho / C
            sin_t = (v - xe) / rho
            gain = np.sinc(width * sin_t / lam) * (u / rho) / np.sqrt(rho)
            w = np.zeros(int((arrival.max() - arrival.min()) * fs) + len(t) + 2)
            for a, g in zip(arrival, gain):
                k = int(round((a - arrival.min()) * fs))
                w[k : k + len(t)] += g * pulse
            energies.append(np.sum(w**2))
        energies = np.array(energies)
        rows.append(10 * np.log10(energies / energies[0]))
    return rows


def main():
    offsets = np.arange(0, 25e-3, 1e-3)
    cases = [
        ("L11-5v: 7.6 MHz, 77 %, pitch 0.3 mm, f/2 (42 elements), focus 25 mm", 7.6e6, 0.77, 0.3e-3, 0.27e-3, 42,
         25e-3, [10e-3, 15e-3, 25e-3, 35e-3]),
        ("C5-2v (as a flat array): 3.57 MHz, 79 %, pitch 0.508 mm, f/2 (44 elements), focus 45 mm", 3.57e6, 0.79,
         0.508e-3, 0.46e-3, 44, 45e-3, [20e-3, 30e-3, 45e-3, 60e-3]),
    ]
    for label, fc, bw, pitch, width, active, focus, ranges in cases:
        print(label)
        lam = C / fc
        d = active * pitch
        print("  one diffraction width at the focus: %.2f mm" % (lam * focus / d * 1e3))
        print("  offset (mm)  " + " ".join("%5.0f" % (v * 1e3) for v in offsets))
        for u, row in zip(ranges, energy_profile(fc, bw, pitch, width, active, focus, ranges, offsets)):
            print("  range %3.0f mm " % (u * 1e3) + " ".join("%5.0f" % r for r in row))


if __name__ == "__main__":
    main()
