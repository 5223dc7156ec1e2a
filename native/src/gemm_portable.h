// The portable engine: this project's own exact GEMM, threaded over output blocks.
#pragma once
#include <cstdint>
#include <functional>

#include "cpu_features.h"

namespace a8w8 {

// Called by the task that has just finished the block of c rows [i0, i1) x columns [j0, j1), on that
// task's thread, while the block is still in its cache (the fused epilogue).
using BlockHook = std::function<void(int64_t i0, int64_t i1, int64_t j0, int64_t j1)>;

// c (m, n) = x (m, k) · w (n, k)ᵀ on the given path with at most `threads` threads; then `after_block`
// (if given) on every block. No allocation per call once the calling and pool threads have warmed up.
void portable_gemm(Isa isa, const int8_t* x, const int8_t* w, int32_t* c, int64_t m, int64_t n, int64_t k,
                   int threads, const BlockHook* after_block = nullptr);

}  // namespace a8w8
