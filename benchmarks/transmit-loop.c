// The RF kernel's transmit loop (ScattererKernel.transmit) in C, to study what limits it apart from the rest of the
// synthesis: for each of 128 elements (an L11-5v 0° plane wave on a scatterer 15 mm deep), its pulse (136 fine
// samples, two table phases weighted for the fractional delay) is added into the fine-grid waveform W where that
// element's arrival puts it. Per 8 samples: 3 vector loads (W and two table phases), 2 fused multiply-adds, 1 store.
//
//   gcc -O2 -march=native -o /tmp/transmit-loop benchmarks/transmit-loop.c -lm && /tmp/transmit-loop MODE
//
// MODE 0: element by element, as the kernel does. MODE 1: output-stationary, W in 32-sample blocks held in
// registers, each block summing the elements whose pulse overlaps it (elements ordered by where their pulse starts:
// the arrivals fall to the nearest element and rise again, so two sorted runs are merged); no loads or stores of W,
// but an element's 136 samples touch about 5.25 blocks, 21 vectors of two multiply-adds against 17. MODE 2: the
// per-event set-up alone (arrivals, phases, weights, clearing W), to subtract. MODE 3: neighbouring elements in pairs
// where their pulses start within 32 samples of each other, one pass over the union of their spans (W loaded and
// stored once for both; the table rows' zero margins cover the ends), otherwise one by one. Prints nanoseconds per
// element.
//
// Measurements and what they showed: benchmarks/LOG.md (2026-11-22).
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "replica-clock.h"

// One element's pulse into W from d: `span` samples of its two table phases a and b, weighted c0 and c1.
static inline void add_element(float *d, const float *a, const float *b, float c0, float c1, int span) {
  __m256 ca = _mm256_set1_ps(c0), cb = _mm256_set1_ps(c1);
  for (int k = 0; k < span; k += 8) {
    __m256 v = _mm256_loadu_ps(d + k);
    v = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), ca, v);
    v = _mm256_fmadd_ps(_mm256_loadu_ps(b + k), cb, v);
    _mm256_storeu_ps(d + k, v);
  }
}

int main(int argc, char **argv) {
  int mode = argc > 1 ? atoi(argv[1]) : 0;
  const int n = 128, span = 136, pad = 32, W = 2400, reps = 20000;
  // Eight table phases, each with `pad` zeros before and 40 after the pulse, so a block may start anywhere.
  int row = pad + span + 40;
  float *table = aligned_alloc(64, 8 * row * sizeof(float) + 64);
  for (int i = 0; i < 8 * row; i++) table[i] = 0;
  for (int r = 0; r < 8; r++)
    for (int j = 0; j < span; j++) table[r * row + pad + j] = sinf(j * 0.3f + r);
  float *w = aligned_alloc(64, (W + span + 64) * sizeof(float));
  int start[128], t0[128], t1[128], order[128];
  float c0[128], c1[128];
  float checksum = 0;
  double begin = now();
  for (int rep = 0; rep < reps; rep++) {
    for (int e = 0; e < n; e++) {
      // Element pitch 0.3 mm, fine grid 240 samples per µs (c = 1.54 mm/µs), scatterer 15 mm deep.
      double x = (e - n / 2) * 0.3 + (rep % 7) * 0.1;
      double fine = sqrt(x * x + 15.0 * 15.0) / 1.54 * 240;
      start[e] = (int)fine - 2338 + 40;
      int ph = (e * 3 + rep) & 7;
      t0[e] = ph * row + pad;
      t1[e] = ph == 7 ? pad + 1 : (ph + 1) * row + pad;
      c0[e] = 0.5f + e * 1e-3f;
      c1[e] = 0.5f;
    }
    for (int i = 0; i < W + span + 64; i++) w[i] = 0;
    if (mode == 0) {
      for (int e = 0; e < n; e++) add_element(w + start[e], table + t0[e], table + t1[e], c0[e], c1[e], span);
    } else if (mode == 3) {
      for (int e = 0; e < n;) {
        if (e + 1 < n && abs(start[e + 1] - start[e]) <= pad) {
          int lo = start[e] < start[e + 1] ? start[e] : start[e + 1];
          int hi = (start[e] > start[e + 1] ? start[e] : start[e + 1]) + span;
          int length = (hi - lo + 7) & ~7;
          float *d = w + lo;
          const float *a = table + t0[e] + (lo - start[e]), *b = table + t1[e] + (lo - start[e]);
          const float *a2 = table + t0[e + 1] + (lo - start[e + 1]), *b2 = table + t1[e + 1] + (lo - start[e + 1]);
          __m256 ca = _mm256_set1_ps(c0[e]), cb = _mm256_set1_ps(c1[e]);
          __m256 ca2 = _mm256_set1_ps(c0[e + 1]), cb2 = _mm256_set1_ps(c1[e + 1]);
          for (int k = 0; k < length; k += 8) {
            __m256 v = _mm256_loadu_ps(d + k);
            v = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), ca, v);
            v = _mm256_fmadd_ps(_mm256_loadu_ps(b + k), cb, v);
            v = _mm256_fmadd_ps(_mm256_loadu_ps(a2 + k), ca2, v);
            v = _mm256_fmadd_ps(_mm256_loadu_ps(b2 + k), cb2, v);
            _mm256_storeu_ps(d + k, v);
          }
          e += 2;
        } else {
          add_element(w + start[e], table + t0[e], table + t1[e], c0[e], c1[e], span);
          e += 1;
        }
      }
    } else if (mode == 1) {
      // Merge the two runs either side of the element nearest the scatterer into ascending starts.
      int left = n / 2 - 1, right = n / 2, k = 0;
      while (left >= 0 || right < n) {
        if (right >= n || (left >= 0 && start[left] <= start[right])) order[k++] = left--;
        else order[k++] = right++;
      }
      int lo = 0, hi = 0, end = start[order[n - 1]] + span;
      for (int o = start[order[0]] / 32 * 32; o < end; o += 32) {
        while (hi < n && start[order[hi]] < o + 32) hi++;
        while (lo < hi && start[order[lo]] + span <= o) lo++;
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (int q = lo; q < hi; q++) {
          int e = order[q], off = o - start[e];
          const float *a = table + t0[e] + off, *b = table + t1[e] + off;
          __m256 ca = _mm256_set1_ps(c0[e]), cb = _mm256_set1_ps(c1[e]);
          s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a), ca, s0);
          s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + 8), ca, s1);
          s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + 16), ca, s2);
          s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + 24), ca, s3);
          s0 = _mm256_fmadd_ps(_mm256_loadu_ps(b), cb, s0);
          s1 = _mm256_fmadd_ps(_mm256_loadu_ps(b + 8), cb, s1);
          s2 = _mm256_fmadd_ps(_mm256_loadu_ps(b + 16), cb, s2);
          s3 = _mm256_fmadd_ps(_mm256_loadu_ps(b + 24), cb, s3);
        }
        _mm256_storeu_ps(w + o, s0);
        _mm256_storeu_ps(w + o + 8, s1);
        _mm256_storeu_ps(w + o + 16, s2);
        _mm256_storeu_ps(w + o + 24, s3);
      }
    }
    checksum += w[1000];
  }
  printf("mode %d: %.1f ns per element (checksum %g)\n", mode, (now() - begin) / reps / n * 1e9, checksum);
  free(table);
  free(w);
  return 0;
}
