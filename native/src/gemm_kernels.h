// Single-threaded GEMM blocks of the portable engine, one set per instruction-set path.
// C = X · Wᵀ with x (m, k), w (n, k), c (m, n), all row-major and dense; int32 accumulation is exact
// for k <= 131071 (|x·w| <= 2^14 per product).
#pragma once
#include <cstddef>
#include <cstdint>

namespace a8w8 {

// One block of the output: rows [i0, i1) of x against rows [j0, j1) of w, over all of k.
struct GemmBlock {
  const int8_t* x;        // original x (m, k): the k tail beyond the SIMD width is done from here
  const void* prepared;   // the path's copy of x (see *_prepared_x_bytes), or nullptr for scalar
  const int8_t* w;        // (n, k)
  int32_t* c;             // (m, n)
  int64_t m, n, k;        // m: rows of the whole product (the AVX2 path picks its x layout by it)
  int64_t i0, i1, j0, j1;
  int32_t* scratch;       // at least (j1 - j0) int32 (row sums of w for the VNNI path)
};

// Scalar (portable C++; also the aarch64 path).
void scalar_gemm_block(const GemmBlock& b);

// AVX2: x widened to int16 in panels of avx2_row_panel(m, n, k) rows over k16 = k & ~15 (the layout depends
// on m: see gemm_avx2.cc); w widened per block into a per-thread buffer (or in the loop for few rows);
// vpmaddwd. Blocks must start at a panel boundary (i0 % avx2_row_panel(m, n, k) == 0).
int avx2_row_panel(int64_t m, int64_t n, int64_t k);
size_t avx2_prepared_x_bytes(int64_t m, int64_t n, int64_t k);
void avx2_prepare_x(const int8_t* x, int64_t m, int64_t n, int64_t panel0, int64_t panel1, int64_t k, void* out);
void avx2_gemm_block(const GemmBlock& b);

// AVX-512 VNNI: x ^ 0x80 (= x + 128 as u8) in panels of vnni_row_panel() rows over k rounded up to 64
// (padded with x = 0); vpdpbusd, minus 128·rowsum(w); the last partial 64 columns of w are read with a
// masked load, so no k tail is left. Blocks start at a panel boundary.
int vnni_row_panel();
size_t vnni_prepared_x_bytes(int64_t m, int64_t k);
void vnni_prepare_x(const int8_t* x, int64_t m, int64_t panel0, int64_t panel1, int64_t k, void* out);
void vnni_gemm_block(const GemmBlock& b);

// Adds the products of k columns [k_from, k) to c over the block (the tail the SIMD loop leaves).
void add_k_tail(const GemmBlock& b, int64_t k_from);

}  // namespace a8w8
