// The portable path: plain loops the compiler can vectorise for any target (SSE2, NEON, ...).
#include "gemm_kernels.h"

namespace a8w8 {

namespace {
constexpr int64_t kKc = 4096;  // k block: a row of x and of w stay in L1 while the block is reused

int32_t dot(const int8_t* a, const int8_t* b, int64_t len) {
  int32_t s = 0;
  for (int64_t t = 0; t < len; ++t) s += static_cast<int32_t>(a[t]) * static_cast<int32_t>(b[t]);
  return s;
}
}  // namespace

void scalar_gemm_block(const GemmBlock& b) {
  for (int64_t i = b.i0; i < b.i1; ++i)
    for (int64_t j = b.j0; j < b.j1; ++j) b.c[i * b.n + j] = 0;
  for (int64_t k0 = 0; k0 < b.k; k0 += kKc) {
    const int64_t len = b.k - k0 < kKc ? b.k - k0 : kKc;
    for (int64_t i = b.i0; i < b.i1; ++i) {
      const int8_t* xr = b.x + i * b.k + k0;
      int32_t* cr = b.c + i * b.n;
      for (int64_t j = b.j0; j < b.j1; ++j) cr[j] += dot(xr, b.w + j * b.k + k0, len);
    }
  }
}

void add_k_tail(const GemmBlock& b, int64_t k_from) {
  if (k_from >= b.k) return;
  for (int64_t i = b.i0; i < b.i1; ++i) {
    const int8_t* xr = b.x + i * b.k + k_from;
    int32_t* cr = b.c + i * b.n;
    for (int64_t j = b.j0; j < b.j1; ++j) cr[j] += dot(xr, b.w + j * b.k + k_from, b.k - k_from);
  }
}

}  // namespace a8w8
