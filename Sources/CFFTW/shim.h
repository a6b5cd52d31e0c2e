// Single-precision FFTW 3 (Debian: libfftw3-dev, pkg-config: fftw3f).
#include <fftw3.h>
