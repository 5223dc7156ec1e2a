// Machine measurements for `npm run bench`: the int8 peak of the SIMD path in use,
// measured with independent dot-product instructions, and read-only streaming bandwidth.
#pragma once
#include <cstdint>

#include "cpu_features.h"

namespace a8w8 {

// GOPS (2 per MAC) of a loop of independent dot-product instructions of `isa` on `threads` threads for
// about `seconds`: avx2 = vpmaddwd + vpaddd (the exact widening path), avx512vnni = vpdpbusd zmm.
// Returns 0 for scalar (no instruction loop defines its peak).
double measure_peak_gops(Isa isa, int threads, double seconds);

// GB/s of summing a buffer of `bytes` (far larger than the caches) on `threads` threads; best of `reps`.
double measure_read_bandwidth(int64_t bytes, int threads, int reps);

}  // namespace a8w8
