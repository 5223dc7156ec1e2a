// AVX2 path, exact without VNNI: both operands are int16 and multiplied by vpmaddwd, whose int16 x int16
// pair sums cannot saturate for int8 inputs (2 * 128 * 128 = 32768 fits in int32; unlike vpmaddubsw,
// which is why oneDNN is inexact here). Two orders, chosen by the rows m of the whole product:
//   many rows: the broadcast order, a 6 x 16 tile of accumulators that are the output itself
//   (gemm_avx2_many.cc);
//   few rows: dot products along k, a 4 x 3 tile reduced into c once per k block, and a kernel of its
//   own for one row (gemm_avx2_few.cc).
#include "gemm_kernels.h"

#if defined(__x86_64__)
#include "gemm_avx2_orders.h"

namespace a8w8 {

namespace {
constexpr int64_t kFewRows = 16;  // up to 16 rows of x: the k-dot order, where few_rows says so
// The k-dot order pays a horizontal reduction per tile and k block, which only a long k amortises, and
// its strength is streaming a weight from memory; the broadcast order wastes the rows of its last
// 6-row panel. Measured on one thread (GOPS, k-dot vs broadcast): 16x4096x65535 106 vs 79 and
// 8x4096x16384 101 vs 65 (weights of 256 and 64 MiB), but 16x1024x4096 72 vs 105, 16x64x64 32 vs 39,
// 12x256x1024 70 vs 108; with at most 8 rows (two panels of 6 would be a third empty) the k-dot order
// is ahead: 8x64x128 1.9 vs 2.3 us a call, 4x64x256 1.6 vs 3.3 us.
constexpr int64_t kStreamedWeightBytes = int64_t{16} << 20;
bool few_rows(int64_t m, int64_t k, int64_t n) {
  if (m > kFewRows) return false;
  return m <= 8 || n * k >= kStreamedWeightBytes;
}
}  // namespace

int avx2_row_panel(int64_t m, int64_t n, int64_t k) { return m == 1 ? 1 : few_rows(m, k, n) ? avx2::kMr : avx2::kBr; }

size_t avx2_prepared_x_bytes(int64_t m, int64_t n, int64_t k) {
  const int64_t panel = avx2_row_panel(m, n, k);
  const int64_t panels = (m + panel - 1) / panel;
  return static_cast<size_t>(panels * panel) * static_cast<size_t>(k & ~int64_t{15}) * sizeof(int16_t);
}

void avx2_prepare_x(const int8_t* x, int64_t m, int64_t n, int64_t panel0, int64_t panel1, int64_t k, void* out) {
  if (m == 1) avx2::prepare_one_row(x, k & ~int64_t{15}, static_cast<int16_t*>(out));
  else if (few_rows(m, k, n)) avx2::prepare_few_rows(x, m, k, panel0, panel1, static_cast<int16_t*>(out));
  else avx2::prepare_many_rows(x, m, k, panel0, panel1, static_cast<int32_t*>(out));
}

void avx2_gemm_block(const GemmBlock& b) {
  const int64_t k16 = b.k & ~int64_t{15};
  if (k16 == 0) {
    for (int64_t i = b.i0; i < b.i1; ++i)
      for (int64_t j = b.j0; j < b.j1; ++j) b.c[i * b.n + j] = 0;
  } else if (b.m == 1) {
    avx2::block_one_row(b, static_cast<const int16_t*>(b.prepared), k16);
  } else if (few_rows(b.m, b.k, b.n)) {
    avx2::block_few_rows(b, static_cast<const int16_t*>(b.prepared), k16, (b.i1 - b.i0 + avx2::kMr - 1) / avx2::kMr);
  } else {
    avx2::block_many_rows(b, static_cast<const int32_t*>(b.prepared), k16);
  }
  add_k_tail(b, k16);
}

}  // namespace a8w8

#else  // not x86-64: the path is never selected; these keep the link complete.

namespace a8w8 {
int avx2_row_panel(int64_t, int64_t, int64_t) { return 1; }
size_t avx2_prepared_x_bytes(int64_t, int64_t, int64_t) { return 0; }
void avx2_prepare_x(const int8_t*, int64_t, int64_t, int64_t, int64_t, int64_t, void*) {}
void avx2_gemm_block(const GemmBlock& b) { scalar_gemm_block(b); }
}  // namespace a8w8

#endif
