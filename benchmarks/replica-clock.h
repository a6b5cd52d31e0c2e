// The clock of the kernel replicas (receive-loop.c, transmit-loop.c): seconds on the monotonic clock.
#pragma once
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
