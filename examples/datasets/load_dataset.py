"""Load a us-sim dataset with numpy alone: the manifest, a B-mode image and its masks and labels.

    python3 examples/datasets/load_dataset.py out/needle-dataset [INDEX]

The three lines that matter:
    samples = [json.loads(line) for line in open(f"{root}/manifest.jsonl")]
    image = read_png(f"{root}/{samples[i]['files']['image']}")            # uint8, (rows, columns), row 0 shallowest
    needle = np.load(f"{root}/{samples[i]['files']['masks']['needle']}")  # uint8 0/1, same shape
Needle keypoints (COCO: x = column + 0.5, y = row + 0.5; visibility 2 visible, 1 in the image but hidden, 0 outside)
are in samples[i]['needles'] and in annotations.json, which pycocotools and torchvision read as they are.
"""
import json
import sys
import zlib

import numpy as np


def read_png(path):
    """An 8-bit greyscale PNG as a numpy array (zlib from the standard library; all five row filters)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big")
            assert body[8] == 8 and body[9] == 0, "8-bit greyscale expected"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, width + 1)
    out = np.zeros((height, width), dtype=np.int32)
    for r in range(height):
        f, x = raw[r, 0], raw[r, 1:].astype(np.int32)
        up = out[r - 1] if r > 0 else np.zeros(width, dtype=np.int32)
        if f in (0, 2):
            out[r] = (x + (up if f == 2 else 0)) % 256
        else:  # filters needing the left neighbour: pixel by pixel
            for c in range(width):
                a = out[r, c - 1] if c > 0 else 0
                b, d = up[c], (up[c - 1] if c > 0 else 0)
                if f == 1:
                    p = a
                elif f == 3:
                    p = (a + b) // 2
                else:
                    q = a + b - d
                    pa, pb, pc = abs(q - a), abs(q - b), abs(q - d)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else d)
                out[r, c] = (x[c] + p) % 256
    return out.astype(np.uint8)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "out/needle-dataset"
    i = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    samples = [json.loads(line) for line in open(f"{root}/manifest.jsonl")]
    s = samples[i]
    image = read_png(f"{root}/{s['files']['image']}")
    masks = {name: np.load(f"{root}/{path}") for name, path in s.get("files", {}).get("masks", {}).items()}
    labels = json.load(open(f"{root}/{s['files']['labels']}")) if "labels" in s["files"] else {}
    print(f"{len(samples)} samples; sample {s['id']}: image {image.shape} {image.dtype}, mean {image.mean():.1f}")
    for name, m in sorted(masks.items()):
        assert m.shape == image.shape, f"mask {name} has shape {m.shape}, image {image.shape}"
        print(f"  mask {name}: {int(m.sum())} pixels")
    for n in s["needles"]:
        print(f"  needle {n['gauge']}G: tip at {n['tip_xy']} (visibility {n['tip_visibility']})")
    print(f"  labels: {len(labels.get('bone', []))} bone surfaces, {len(labels.get('targets', []))} targets")


if __name__ == "__main__":
    main()
