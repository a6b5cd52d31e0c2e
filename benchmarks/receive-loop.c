// The RF kernel's receive loop (ScattererKernel.receiveGroup) in C, to study what limits it apart from the rest of
// the synthesis: per iteration, 8 output samples += 8 rows (4 scatterers × 2 phases) × their weights, i.e. 9 vector
// loads, 8 fused multiply-adds and 1 store. 128 receivers × 288 samples per pass, as for an L11-5v scatterer group.
//
//   gcc -O2 -march=native -o /tmp/receive-loop benchmarks/receive-loop.c && /tmp/receive-loop MODE
//
// MODE bits: 1 = every receiver writes the same trace (output stays in L1, but each receiver's loads then wait for
// the previous receiver's stores, so this mode is slower, not faster); 2 = rows 32-byte aligned; 4 = short rows
// (64 samples); 8 = the 8 row loads alone (summed into four registers: no multiply-adds, no output); 16 = 512-bit
// vectors (16 samples per step, AVX-512 builds only; still reported per 8 samples); 64 = the receivers write four
// traces in turn (the output stays in L1 without waiting on the previous receiver's stores). Prints
// nanoseconds per iteration; `us-sim-bench peak` gives the multiply-add rate the 8 multiply-adds alone would allow.
//
// Measurements and what they showed: benchmarks/LOG.md (2026-11-22).
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>

#include "replica-clock.h"

int main(int argc, char **argv) {
  int mode = argc > 1 ? atoi(argv[1]) : 0;
#ifndef __AVX512F__
  if (mode & 16) {
    fprintf(stderr, "mode 16 needs an AVX-512 build (-march=native on a machine that has it)\n");
    return 1;
  }
#endif
  int length = (mode & 4) ? 64 : 288, receivers = 128, samples = 2873, rowLength = 360;
  float *poly = aligned_alloc(64, 32 * rowLength * sizeof(float) + 4096);
  float *out = aligned_alloc(64, receivers * samples * sizeof(float) + 4096);
  for (int i = 0; i < 32 * rowLength; i++) poly[i] = (i % 97) * 1e-3f;
  for (int i = 0; i < receivers * samples; i++) out[i] = 0;
  long iterations = 0;
  int passes = 4000 * 288 / length;
  double t0 = now();
  for (int pass = 0; pass < passes; pass++) {
    for (int j = 0; j < receivers; j++) {
      float *o = out + ((mode & 1) ? 0 : (mode & 64) ? (j % 4) * samples : j * samples) + (pass * 7 + j * 3) % 64 + 1000;
      const float *row[8];
      for (int k = 0; k < 8; k++) {
        // Slot k/2, phase row k: rows of different slots 8 phase rows apart; offsets vary with the receiver.
        int shift = (mode & 2) ? 0 : ((j * 5 + k) & 7);
        row[k] = poly + (k / 2) * 8 * rowLength + (k % 2) * rowLength + 32 + shift;
      }
      // Written out, as the Swift kernel is, so the rows and weights stay in registers.
      const float *a0 = row[0], *a1 = row[1], *b0 = row[2], *b1 = row[3];
      const float *d0 = row[4], *d1 = row[5], *e0 = row[6], *e1 = row[7];
      __m256 ca0 = _mm256_set1_ps(0.1f + 1e-4f * j), ca1 = _mm256_set1_ps(0.2f), cb0 = _mm256_set1_ps(0.3f);
      __m256 cb1 = _mm256_set1_ps(0.4f), cd0 = _mm256_set1_ps(0.5f), cd1 = _mm256_set1_ps(0.6f);
      __m256 ce0 = _mm256_set1_ps(0.7f), ce1 = _mm256_set1_ps(0.8f);
      if (mode & 8) {
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (int i = 0; i < length; i += 8) {
          s0 = _mm256_add_ps(s0, _mm256_add_ps(_mm256_loadu_ps(a0 + i), _mm256_loadu_ps(a1 + i)));
          s1 = _mm256_add_ps(s1, _mm256_add_ps(_mm256_loadu_ps(b0 + i), _mm256_loadu_ps(b1 + i)));
          s2 = _mm256_add_ps(s2, _mm256_add_ps(_mm256_loadu_ps(d0 + i), _mm256_loadu_ps(d1 + i)));
          s3 = _mm256_add_ps(s3, _mm256_add_ps(_mm256_loadu_ps(e0 + i), _mm256_loadu_ps(e1 + i)));
        }
        // One lane of the sums to the trace, so the loads cannot be dropped.
        o[0] += _mm256_cvtss_f32(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        iterations += length / 8;
        continue;
      }
#ifdef __AVX512F__
      if (mode & 16) {
        __m512 wa0 = _mm512_set1_ps(0.1f + 1e-4f * j), wa1 = _mm512_set1_ps(0.2f), wb0 = _mm512_set1_ps(0.3f);
        __m512 wb1 = _mm512_set1_ps(0.4f), wd0 = _mm512_set1_ps(0.5f), wd1 = _mm512_set1_ps(0.6f);
        __m512 we0 = _mm512_set1_ps(0.7f), we1 = _mm512_set1_ps(0.8f);
        for (int i = 0; i < length; i += 16) {
          __m512 acc = _mm512_loadu_ps(o + i);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + i), wa0, acc);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(a1 + i), wa1, acc);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(b0 + i), wb0, acc);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(b1 + i), wb1, acc);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(d0 + i), wd0, acc);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(d1 + i), wd1, acc);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(e0 + i), we0, acc);
          acc = _mm512_fmadd_ps(_mm512_loadu_ps(e1 + i), we1, acc);
          _mm512_storeu_ps(o + i, acc);
        }
        iterations += length / 8;
        continue;
      }
#endif
      for (int i = 0; i < length; i += 8) {
        __m256 acc = _mm256_loadu_ps(o + i);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + i), ca0, acc);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + i), ca1, acc);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(b0 + i), cb0, acc);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(b1 + i), cb1, acc);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(d0 + i), cd0, acc);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(d1 + i), cd1, acc);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(e0 + i), ce0, acc);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(e1 + i), ce1, acc);
        _mm256_storeu_ps(o + i, acc);
      }
      iterations += length / 8;
    }
  }
  double t = now() - t0;
  printf("mode %d: %.2f ns per iteration (checksum %g)\n", mode, t / iterations * 1e9, out[1005]);
  free(poly);
  free(out);
  return 0;
}
