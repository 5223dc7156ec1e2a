// The portable engine: this project's own exact GEMM, threaded over output blocks.
#pragma once
#include <cstdint>

#include "cpu_features.h"

namespace a8w8 {

// c (m, n) = x (m, k) · w (n, k)ᵀ on the given path with at most `threads` threads.
void portable_gemm(Isa isa, const int8_t* x, const int8_t* w, int32_t* c, int64_t m, int64_t n, int64_t k,
                   int threads);

}  // namespace a8w8
