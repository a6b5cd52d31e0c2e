"""Where bone's absorption goes in us-sim's echoes: per frequency, and in the envelope's peak.

The k-Wave cross-check (kwave_crosscheck.py) finds that 4 mm of bone at 10 dB/cm/MHz costs a point under the plate
17.8 dB of beamformed peak in us-sim and 22.0 dB in k-Wave, against 21.0 dB for the preset's pulse-echo spectrum
X·H² through e^(−α·f·d). This script separates the attenuation law from the echo's spectral shape, with us-sim only
(no k-Wave; about a minute):

1. per frequency: the ratio of a channel's spectrum with and without bone absorption must be −α0·f·d dB
   (8.0·f dB at the element above the point, more on oblique paths);
2. the echo spectrum itself: a point in homogeneous gel against X·H², normalised at fc;
3. the beamformed peak loss with and without the plate, for the same 8 dB at 1 MHz of two-way absorption.

Usage: US_SIM=.build/release/us-sim <k-Wave venv>/bin/python validation/plate_absorption_spectrum.py
(kwave_crosscheck imports k-wave-python; its solver is not run here.)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import kwave_crosscheck as K  # noqa: E402  (its geometry, pulse and delay-and-sum; k-Wave itself is not run)

XS = np.arange(-4e-3, 4e-3 + 1e-9, 0.05e-3)
ZS = np.arange(16.5e-3, 26e-3 + 1e-9, 0.05e-3)
TWO_WAY_DB_AT_1MHZ = 8.0  # 4 mm of bone at 10 dB/cm/MHz, both ways
FREQUENCIES_MHZ = (1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5)


def gel_yaml(alpha, point=True):
    return (K.PROBE + K.COMMON + f"phantom: {{background: {K.QUIET_GEL}, "
            f"tissues: {{gel: {{attenuation_db_cm_mhz: {alpha}}}}}}}\n"
            + ("scatterers: {points: [{x_mm: 0, z_mm: 22, amplitude: 1e-5}]}\n" if point else ""))


def echoes(make):
    """Channel data of the point alone (the same scene without it subtracted), its sampling rate and t0."""
    rf, fs, t0 = K.us_sim_rf(make(True))
    plain, _, _ = K.us_sim_rf(make(False))
    return rf - plain, fs, t0


def db_at_frequencies(f, magnitude):
    """20·log10 of `magnitude` at the bins of `f` (Hz) nearest to FREQUENCIES_MHZ."""
    return np.array([20 * np.log10(magnitude[np.argmin(abs(f - m * 1e6))]) for m in FREQUENCIES_MHZ])


def spectrum_db(channel, fs, n=4096):
    return db_at_frequencies(np.fft.rfftfreq(n, 1 / fs), np.abs(np.fft.rfft(channel, n)))


def model_pulse():
    """The preset's two-way pulse X·H² (kwave_crosscheck.two_way_pulse) on a fine grid: times (s), samples."""
    t = (np.arange(8192) - 4096) / (K.FC * 64)
    return t, K.two_way_pulse(t)


def model_db():
    """|X·H²| at FREQUENCIES_MHZ."""
    t, p = model_pulse()
    return db_at_frequencies(np.fft.rfftfreq(len(t), t[1] - t[0]), np.abs(np.fft.rfft(p)))


def envelope(x):
    """|analytic signal| of a real record of even length."""
    h = np.r_[1, 2 * np.ones(len(x) // 2 - 1), 1, np.zeros(len(x) // 2 - 1)]
    return np.abs(np.fft.ifft(np.fft.fft(x) * h))


def peak(rf, fs, t0):
    return K.delay_and_sum(rf, fs, t0, 0.0, XS, ZS).max()


def main():
    K.PLATE_POINTS[:] = [(0.0, 22e-3)]
    plate = {}
    for alpha in (0.0, 10.0):
        K.BONE["alpha"] = alpha
        plate[alpha] = echoes(lambda p: K.plate_yaml(points=p))
    gel_alpha = TWO_WAY_DB_AT_1MHZ / 4.4  # dB/cm/MHz over the 2 x 22 mm path
    gel = {a: echoes(lambda p, a=a: gel_yaml(a, p)) for a in (0.0, gel_alpha)}
    print("1. channel spectrum with bone absorption / without (dB); expected -8.0 x f at element 48")
    print("   f (MHz):   " + " ".join(f"{m:6.1f}" for m in FREQUENCIES_MHZ))
    for ch in (48, 40, 30, 20):
        d = spectrum_db(plate[10.0][0][ch], plate[10.0][1]) - spectrum_db(plate[0.0][0][ch], plate[0.0][1])
        print(f"   element {ch}: " + " ".join(f"{v:6.2f}" for v in d))
    tilt = spectrum_db(gel[0.0][0][48], gel[0.0][1]) - model_db()
    tilt -= tilt[FREQUENCIES_MHZ.index(3)]
    print("2. point echo in gel (element 48) against X.H^2, both 0 dB at 3 MHz:")
    print("   " + " ".join(f"{v:6.2f}" for v in tilt))
    print("3. beamformed peak loss for 8 dB at 1 MHz two-way:")
    print(f"   homogeneous gel: {20 * np.log10(peak(*gel[0.0]) / peak(*gel[gel_alpha])):.1f} dB")
    print(f"   under the plate: {20 * np.log10(peak(*plate[0.0]) / peak(*plate[10.0])):.1f} dB")
    t, p = model_pulse()
    f = np.fft.rfftfreq(len(t), t[1] - t[0])
    s = np.fft.rfft(p) * 10 ** (-TWO_WAY_DB_AT_1MHZ * f / 1e6 / 20)
    attenuated = np.fft.irfft(s, len(t))
    print(f"   X.H^2 alone:     {20 * np.log10(envelope(p).max() / envelope(attenuated).max()):.1f} dB")


if __name__ == "__main__":
    main()
