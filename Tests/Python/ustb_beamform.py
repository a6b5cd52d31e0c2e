"""Beamforms a UFF file's channel data with the Python `ustb` package (USTB's delay-and-sum, an independent
implementation) on the file's /scan, receive apodization boxcar at the given f-number, and saves the envelope as
(nz, nx) float32. Usage: ustb_beamform.py FILE.uff F_NUMBER OUT.npy"""
import sys

import numpy as np
from pyuff_ustb import Uff
from ustb.enums import Dimension, Window
from ustb.midprocess import DAS

uff = Uff(sys.argv[1])
channel_data = uff.read("channel_data")
scan = uff.read("scan")
das = DAS()
das.channel_data = channel_data
das.scan = scan
das.dimension = Dimension.both
das.receive_apodization.window = Window.boxcar
das.receive_apodization.f_number = np.array([float(sys.argv[2])] * 2)
b = das.go()
env = np.abs(np.asarray(b.data).reshape(-1))
nx, nz = np.size(scan.x_axis), np.size(scan.z_axis)
# pyuff's linear scan orders pixels with z fastest or x fastest; take the one matching the scan's x values.
x = np.asarray(scan.x).reshape(-1)
image = env.reshape(nz, nx) if np.allclose(x[:nx], np.ravel(scan.x_axis)) else env.reshape(nx, nz).T
np.save(sys.argv[3], np.ascontiguousarray(image, dtype=np.float32))
print(f"ustb: {nz} x {nx} pixels")
