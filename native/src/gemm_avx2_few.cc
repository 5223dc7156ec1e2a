// The AVX2 path's k-dot order, for few rows of x (gemm_avx2.cc says when): dot products along k, x in
// panels of kMr = 4 rows, w read in place and widened in the loop (block_few_rows says why), a 4 x 3
// tile reduced (vphaddd) into c once per k block; one row (m = 1) has a kernel of its own.
#include "gemm_avx2_orders.h"

#if defined(__x86_64__)
#include <algorithm>
#include <array>
#include <utility>

namespace a8w8::avx2 {

namespace {

constexpr int kNr = 3;                     // rows of w per tile: 4 x 3 accumulators + 3 w vectors + 1 product = 16 ymm
constexpr int64_t kFewKc = 2048;           // longest k block in this order
constexpr int64_t kFewXBytes = 16 * 1024;  // x of one k block in this order: half of L1
constexpr int kPrefetchGroups = 2;         // w row groups prefetched ahead

// acc += vpmaddwd(b, a) with a as a memory operand. Written as one asm statement because GCC 12, given
// the intrinsics, hoists all the multiplies above the adds, needs a temporary for each, spills the
// accumulators and runs at half speed; as a memory operand, x is re-read from L1 (cheap: Zen 3 does two
// 256-bit loads a cycle) instead of occupying four registers.
#define A8W8_MADD_ACC(acc, amem, b)                                                                  \
  do {                                                                                               \
    __m256i product_;                                                                                \
    __asm__("vpmaddwd %2, %3, %1\n\tvpaddd %1, %0, %0" : "+x"(acc), "=&x"(product_) : "m"(amem), "x"(b)); \
  } while (0)

// acc = x panel rows · w rows over kn columns, w int8 rows at stride ldw widened in the loop.
template <int MR, int NR>
A8W8_AVX2 inline void dot_loop(const int16_t* px, const int8_t* w, int64_t ldw, int64_t kn, __m256i (&acc)[MR][NR]) {
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 3
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_setzero_si256();
  for (int64_t kk = 0; kk < kn; kk += 16) {
    __m256i wv[NR];
#pragma GCC unroll 3
    for (int j = 0; j < NR; ++j) wv[j] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + j * ldw + kk)));
    const __m256i* xv = reinterpret_cast<const __m256i*>(px + kk * kMr);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 3
      for (int j = 0; j < NR; ++j) A8W8_MADD_ACC(acc[i][j], xv[i], wv[j]);
  }
}

// c[MR x NR] (+)= x panel rows · w rows over kn (a multiple of 16) columns.
template <int MR, int NR>
A8W8_AVX2 void micro(const int16_t* px, const int8_t* w, int64_t ldw, int64_t kn, int32_t* c, int64_t ldc,
                     bool accumulate) {
  __m256i acc[MR][NR];
  dot_loop<MR, NR>(px, w, ldw, kn, acc);
  // three vphaddd turn a row's (up to 4) accumulators into their 4 sums; wrapping is harmless, the
  // true sums fit in int32
  const __m256i zero = _mm256_setzero_si256();
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i) {
    const __m256i a1 = NR > 1 ? acc[i][NR > 1 ? 1 : 0] : zero;
    const __m256i a2 = NR > 2 ? acc[i][NR > 2 ? 2 : 0] : zero;
    const __m256i t = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[i][0], a1), _mm256_hadd_epi32(a2, zero));
    alignas(16) int32_t s[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(s), _mm_add_epi32(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1)));
#pragma GCC unroll 3
    for (int j = 0; j < NR; ++j) c[i * ldc + j] = accumulate ? c[i * ldc + j] + s[j] : s[j];
  }
}

inline void prefetch_range(const void* p, int64_t bytes) {
  for (int64_t o = 0; o < bytes; o += 64) _mm_prefetch(static_cast<const char*>(p) + o, _MM_HINT_T0);
}

using MicroFn = void (*)(const int16_t*, const int8_t*, int64_t, int64_t, int32_t*, int64_t, bool);

// kMicro[(mr - 1) * kNr + (nr - 1)]: the edge tiles reuse the same template.
template <int... Is>
constexpr std::array<MicroFn, sizeof...(Is)> make_table(std::integer_sequence<int, Is...>) {
  return {{micro<Is / kNr + 1, Is % kNr + 1>...}};
}
const std::array<MicroFn, kMr * kNr> kMicro = make_table(std::make_integer_sequence<int, kMr * kNr>{});

// One row of x (m = 1, the single-token products; x prepared as one plain int16 row) against NR <= 8
// rows of w over kn columns: x is loaded once per 16 columns and kept in a register for all the rows,
// instead of being a memory operand of every multiply (micro<1, 3> in a 4-row panel loaded 2 vectors per
// multiply and was bound by the loads), and the sums come out of one vphaddd tree as one vector of
// consecutive columns.
constexpr int kRow1 = 8;
constexpr int64_t kRow1Kc = 4096;  // k block: the x row (8 KiB) stays in L1 over all the groups
template <int NR>
A8W8_AVX2 void row1(const int16_t* x, const int8_t* w, int64_t ldw, int64_t kn, int32_t* c, bool accumulate) {
  __m256i acc[kRow1];
#pragma GCC unroll 8
  for (int j = 0; j < kRow1; ++j) acc[j] = _mm256_setzero_si256();
  for (int64_t kk = 0; kk < kn; kk += 16) {
    const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + kk));
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) {
      const __m256i wv = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + j * ldw + kk)));
      acc[j] = _mm256_add_epi32(acc[j], _mm256_madd_epi16(xv, wv));
    }
  }
  const __m256i t0 = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[0], acc[1]), _mm256_hadd_epi32(acc[2], acc[3]));
  const __m256i t1 = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[4], acc[5]), _mm256_hadd_epi32(acc[6], acc[7]));
  const __m256i s = _mm256_add_epi32(_mm256_permute2x128_si256(t0, t1, 0x20), _mm256_permute2x128_si256(t0, t1, 0x31));
  if (NR == kRow1) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c), accumulate ? _mm256_add_epi32(s, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c))) : s);
  } else {
    alignas(32) int32_t sums[kRow1];
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums), s);
    for (int j = 0; j < NR; ++j) c[j] = accumulate ? c[j] + sums[j] : sums[j];
  }
}

using Row1Fn = void (*)(const int16_t*, const int8_t*, int64_t, int64_t, int32_t*, bool);
const Row1Fn kRow1Fns[kRow1] = {row1<1>, row1<2>, row1<3>, row1<4>, row1<5>, row1<6>, row1<7>, row1<8>};

}  // namespace

A8W8_AVX2 void prepare_one_row(const int8_t* x, int64_t k16, int16_t* out) {
  for (int64_t t = 0; t < k16; t += 16)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + t), _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + t))));
}

// Rows past m are never read in this order: left as they are.
A8W8_AVX2 void prepare_few_rows(const int8_t* x, int64_t m, int64_t k, int64_t panel0, int64_t panel1, int16_t* out) {
  const int64_t k16 = k & ~int64_t{15};
  for (int64_t p = panel0; p < panel1; ++p) {
    int16_t* panel = out + p * kMr * k16;
    for (int r = 0; r < kMr; ++r) {
      const int64_t i = p * kMr + r;
      if (i >= m) break;
      for (int64_t t = 0; t < k16; t += 16)
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(panel + t * kMr + r * 16),
                            _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i * k + t))));
    }
  }
}

void block_one_row(const GemmBlock& b, const int16_t* x, int64_t k16) {
  for (int64_t k0 = 0; k0 < k16; k0 += kRow1Kc) {
    const int64_t kn = k16 - k0 < kRow1Kc ? k16 - k0 : kRow1Kc;
    for (int64_t j = b.j0; j < b.j1; j += kRow1) {
      const int64_t nr = b.j1 - j < kRow1 ? b.j1 - j : kRow1;
      kRow1Fns[nr - 1](x + k0, b.w + j * b.k + k0, b.k, kn, b.c + j, k0 > 0);
    }
  }
}

// Few rows of x (the long-k, small-m shapes, where w is streamed from memory once): w is read in place
// and widened in the tile loop, so its loads overlap the multiplies; a separate widening pass into a
// buffer waits on memory with nothing to overlap (measured at m = 16: 75% of the peak loop in place,
// 66% through a buffer, with w in cache). The k block is sized so that x's panels stay in L1. The w
// rows kPrefetchGroups groups ahead are prefetched: they are short runs at a stride of k, which the
// hardware prefetcher does not follow from row to row.
void block_few_rows(const GemmBlock& b, const int16_t* px, int64_t k16, int64_t panels) {
  int64_t kc = (kFewXBytes / (panels * kMr * static_cast<int64_t>(sizeof(int16_t)))) & ~int64_t{15};
  kc = std::min(std::max(kc, int64_t{256}), std::min(k16, kFewKc));
  const int64_t groups = (b.j1 - b.j0 + kNr - 1) / kNr;
  const auto prefetch_group = [&](int64_t t) {  // t counts groups over k blocks, in the loop's order
    const int64_t k0 = t / groups * kc, j = b.j0 + t % groups * kNr;
    if (k0 >= k16) return;
    const int64_t kn = std::min(kc, k16 - k0);
    for (int64_t r = j; r < std::min(j + kNr, b.j1); ++r) prefetch_range(b.w + r * b.k + k0, kn);
  };
  for (int t = 0; t < kPrefetchGroups; ++t) prefetch_group(t);
  int64_t t = 0;
  for (int64_t k0 = 0; k0 < k16; k0 += kc) {
    const int64_t kn = k16 - k0 < kc ? k16 - k0 : kc;
    for (int64_t j = b.j0; j < b.j1; j += kNr, ++t) {
      prefetch_group(t + kPrefetchGroups);
      const int64_t nr = b.j1 - j < kNr ? b.j1 - j : kNr;
      for (int64_t i = b.i0; i < b.i1; i += kMr) {
        const int64_t mr = b.i1 - i < kMr ? b.i1 - i : kMr;
        kMicro[(mr - 1) * kNr + (nr - 1)](px + i * k16 + k0 * kMr, b.w + j * b.k + k0, b.k, kn, b.c + i * b.n + j, b.n, k0 > 0);
      }
    }
  }
}

}  // namespace a8w8::avx2

#endif
