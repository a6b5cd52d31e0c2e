"""The fastest CPU peers from PyPI on the cases us-sim-bench measures, for ratios measured in the same run.

Peers (versions pinned in benchmarks/run; all on JAX's CPU backend, the fastest of their CPU backends here):
- FastSIMUS (`fast_simus.simus`): SIMUS, MUST's frequency-domain simulator, vectorised. 2-D (no elevation beam),
  frequency-dependent attenuation and obliquity, element directivity at the centre frequency, sub-elements.
- zea's simulators: `simulate_rf` (frequency domain: 3-D positions, directivity in x and y and attenuation per
  frequency, spherical spreading, no elevation lens) and `simulate_rf_td` (time domain: each echo splatted at its
  two-way delay, then one convolution with the pulse per channel; attenuation and directivity at the centre
  frequency only), each under `jax.jit`.
- vbeam (`get_das_beamformer`, jitted): delay-and-sum of the UFF file us-sim-bench wrote for its das case, read with
  pyuff-ustb; f-number 1.5 with a Hann window as ours; its image is set against ours (envelope correlation).

RF cases: L11-5v and P4-2v, one 0° plane wave, the scatterers us-sim-bench simulated (.npy, columns x_mm, y_mm, z_mm,
amplitude), 0.5 dB/cm/MHz, fs = 4·fc, as many samples as ours. Times are the best of `--repeats` runs after one run
that compiles (its time is reported as `first_run_seconds`). Prints one JSON object per peer and case.
"""
import argparse
import json
import os
import time
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
warnings.filterwarnings("ignore")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

ATTENUATION_DB_CM_MHZ = 0.5
SOUND_SPEED = 1540.0


def must_preset(probe):
    """MUST's preset as FastSIMUS carries it (centre frequency, elements, pitch, element width, height): the one
    description of the probe every peer here is given."""
    from fast_simus import transducer_presets

    return {"L11-5v": transducer_presets.L11_5v, "P4-2v": transducer_presets.P4_2v}[probe]()


def timed(fn, repeats):
    """(first run's seconds, best of `repeats` later runs)."""
    start = time.perf_counter()
    jax.block_until_ready(fn())
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn())
        best = min(best, time.perf_counter() - start)
    return first, best


def fastsimus_rf(probe, s, repeats):
    import fast_simus as fs

    params = must_preset(probe)
    positions, _, _ = fs.element_positions(params.n_elements, params.pitch, params.radius, jnp)
    delays = fs.plane_wave(positions, 0.0, speed_of_sound=SOUND_SPEED)
    medium = fs.MediumParams(speed_of_sound=SOUND_SPEED, attenuation=ATTENUATION_DB_CM_MHZ)
    xz = jnp.asarray(np.stack([s[:, 0] * 1e-3, s[:, 2] * 1e-3], -1), dtype=jnp.float32)
    rc = jnp.asarray(s[:, 3], dtype=jnp.float32)
    return timed(lambda: fs.simus(xz, rc, delays, params, medium).rf, repeats)


def zea_rf(probe, s, samples, repeats, time_domain):
    from zea.simulator import simulate_rf
    from zea.simulator_time_domain import simulate_rf_td

    p = must_preset(probe)
    fc, n = p.freq_center, p.n_elements
    xe = (np.arange(n) - (n - 1) / 2) * p.pitch
    geometry = np.stack([xe, np.zeros(n), np.zeros(n)], -1).astype("float32")
    simulate = simulate_rf_td if time_domain else simulate_rf

    @jax.jit
    def run(positions, magnitudes):
        return simulate(
            positions, magnitudes, geometry, False, 1e-3, 1000.0, SOUND_SPEED, samples, fc, 4 * fc,
            np.zeros((1, n), "float32"), np.zeros(1, "float32"), p.element_width, ATTENUATION_DB_CM_MHZ,
            np.ones((1, n), "float32"), np.full(1, 1 / fc, "float32"), element_height=p.height)

    positions = jnp.asarray(np.stack([s[:, 0], s[:, 1], s[:, 2]], -1) * 1e-3, dtype=jnp.float32)
    magnitudes = jnp.asarray(s[:, 3], dtype=jnp.float32)
    return timed(lambda: run(positions, magnitudes), repeats)


def vbeam_das(uff_path, image_path, repeats):
    import pyuff_ustb as pyuff
    from vbeam.fastmath import backend_manager

    backend_manager.active_backend = "jax"
    from vbeam.apodization import Hanning, PlaneWaveReceiveApodization, TxRxApodization
    from vbeam.beamformers import get_das_beamformer
    from vbeam.data_importers import import_pyuff
    from vbeam.scan import linear_scan

    channel_data = pyuff.Uff(uff_path).read("channel_data")

    class WaveList:
        """pyuff-ustb returns a one-wave sequence as the wave; vbeam 1.0.10's importer iterates over a list."""

        def __init__(self, cd):
            self._cd = cd

        def __getattr__(self, name):
            value = getattr(self._cd, name)
            return [value] if name == "sequence" and not isinstance(value, list) else value

    ours = np.load(image_path)
    rows, columns = ours.shape[:2]
    x = np.linspace(-19e-3, 19e-3, columns)
    z = np.linspace(5e-3, 55e-3, rows)
    setup = import_pyuff(WaveList(channel_data), linear_scan(x, z), frames=0)
    setup.apodization = TxRxApodization(
        transmit=setup.apodization.transmit, receive=PlaneWaveReceiveApodization(Hanning(), 1.5))
    beamform = jax.jit(get_das_beamformer(
        setup, log_compress=False, scan_convert=False, compensate_for_apodization_overlap=False))
    data = setup.data
    first, best = timed(lambda: beamform(**data), repeats)
    theirs = np.abs(np.asarray(beamform(**data))).T  # (x, z) -> rows × columns
    envelope = np.abs(ours[..., 0] + 1j * ours[..., 1])
    correlation = float(np.corrcoef(theirs.ravel(), envelope.ravel())[0, 1])
    channels = int(np.shape(channel_data.data)[1])
    return first, best, rows * columns, channels, correlation


def version(name):
    from importlib.metadata import version as v

    return v(name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True, help="us-sim-bench's JSON lines (for each RF case's sample count)")
    ap.add_argument("--scatterers", nargs=2, action="append", metavar=("PROBE", "NPY"), required=True)
    ap.add_argument("--uff", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    with open(args.ours) as f:
        ours = [json.loads(line) for line in f if line.strip().startswith("{")]
    samples = {r["probe"]: r["samples"] for r in ours if r["case"] == "rf" and "samples" in r}
    # Scatterer counts that keep each peer's run to seconds here (its rate is per scatterer).
    counts = {"fastsimus": 2000, "zea_td": 4000, "zea_fd": 300}
    for probe, path in args.scatterers:
        s = np.load(path)
        runs = [
            ("fastsimus", "FastSIMUS", lambda s: fastsimus_rf(probe, s, args.repeats)),
            ("zea_td", "zea", lambda s: zea_rf(probe, s, samples[probe], args.repeats, True)),
            ("zea_fd", "zea", lambda s: zea_rf(probe, s, samples[probe], args.repeats, False)),
        ]
        for peer, package, run in runs:
            n = min(counts[peer], len(s))
            first, best = run(s[:n])
            print(json.dumps({
                "case": "peer", "peer": peer, "version": version(package), "task": "rf", "probe": probe,
                "scatterers": n, "first_run_seconds": first, "seconds": best, "scatterers_per_second": n / best,
            }), flush=True)
    first, best, pixels, channels, correlation = vbeam_das(args.uff, args.image, args.repeats + 1)
    print(json.dumps({
        "case": "peer", "peer": "vbeam", "version": version("vbeam"), "task": "das", "probe": "L11-5v",
        "pixels": pixels, "channels": channels, "first_run_seconds": first, "seconds": best,
        "pixel_channel_samples_per_second": pixels * channels / best, "envelope_correlation": correlation,
    }), flush=True)


if __name__ == "__main__":
    main()
