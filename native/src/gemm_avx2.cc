// AVX2 path, exact without VNNI: both operands are int16 and multiplied by vpmaddwd, whose int16 x int16
// pair sums cannot saturate for int8 inputs (2 * 128 * 128 = 32768 fits in int32; unlike vpmaddubsw,
// which is why oneDNN is inexact here). Two orders, chosen by the rows m of the whole product:
//   many rows (m > 16): x is widened once per call into panels of kBr = 6 rows of int16 pairs; w is
//   widened and transposed per (block of 128 rows x kBc of k) into a per-thread buffer of groups of 16 rows,
//   [kBc / 2][16] pairs, so no full-size copy of the weight ever exists (the 1 GiB weight case); the 6 x 16
//   tile broadcasts one x pair per row against two vectors of 8 w pairs: 12 ymm accumulators that are the
//   output itself (no horizontal sums), 8 loads per 12 multiplies;
//   few rows (m <= 16): dot products along k, x in panels of kMr = 4 rows, w read in place and widened in
//   the loop (block_few_rows says why), a 4 x 3 tile reduced (vphaddd) into c once per k block.
// Zen 3 (EPYC, 2 vCPUs, 32 KiB L1d and 512 KiB L2 per core, shared with other tenants), against the
// vpmaddwd + vpaddd peak loop, best of 12-16 runs a series: 1024x4096x4096 81-86% on one thread and 89%
// on two (80-83% and 84% in the same series before the group-inner order and the tile's direct stores
// to c). The 6 x 16 tile alone, with its operands in L1,
// timed in short bursts alternating with the peak loop: median 0.83-0.90 of it; the same loop with its
// six broadcasts taken out: 0.96-0.97. So on this core the broadcasts, not memory, bound the tile: a
// pre-broadcast x read as a memory operand measured no better. (The former 4 x 3 tile for many rows
// with a 2048 k block: its packed block filled all of L2 and the per-tile vphaddd reduction cost ~7%:
// 56-60%.)
#include "gemm_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>

#define A8W8_AVX2 __attribute__((target("avx2,fma")))

namespace a8w8 {

namespace {

// few rows (m <= kFewRows): the k-dot order, x in panels of kMr rows along k, w read in place
constexpr int kMr = 4;           // rows of x per tile (the prepared panel height)
constexpr int kNr = 3;           // rows of w per tile: 4 x 3 accumulators + 3 w vectors + 1 product = 16 ymm
constexpr int64_t kFewRows = 16;           // up to 16 rows of x: block_few_rows (measured below)
constexpr int64_t kFewKc = 2048;           // longest k block in that order
constexpr int64_t kFewXBytes = 16 * 1024;  // x of one k block in that order: half of L1
constexpr int kPrefetchGroups = 2;         // w row groups prefetched ahead in that order

// many rows: the broadcast order (block_many_rows)
constexpr int kBr = 6;           // rows of x per tile (the prepared panel height)
constexpr int kBn = 16;          // rows of w per tile (two ymm of 8 int32 columns)
#ifndef A8W8_AVX2_KC
#define A8W8_AVX2_KC 1024
#endif
constexpr int64_t kBc = A8W8_AVX2_KC;  // k block: 128 packed w rows (256 KiB) stay in the 512 KiB L2
constexpr int64_t kBm = 72;            // rows of x run against one w group before the next (12 panels)

// acc += vpmaddwd(b, a) with a as a memory operand. Written as one asm statement because GCC 12, given
// the intrinsics, hoists all the multiplies above the adds, needs a temporary for each, spills the
// accumulators and runs at half speed; as a memory operand, x is re-read from L1 (cheap: Zen 3 does two
// 256-bit loads a cycle) instead of occupying four registers.
#define A8W8_MADD_ACC(acc, amem, b)                                                                  \
  do {                                                                                               \
    __m256i product_;                                                                                \
    __asm__("vpmaddwd %2, %3, %1\n\tvpaddd %1, %0, %0" : "+x"(acc), "=&x"(product_) : "m"(amem), "x"(b)); \
  } while (0)

// ---- few rows (m <= kFewRows): x in panels of kMr rows along k, w read in place ----

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

// ---- many rows: x pairs broadcast against 16 packed columns of w ----
// x: panels of kBr rows, [k16 / 2][kBr] int32, each the int16 pair (x[i][2p], x[i][2p + 1]).
// w: per (block of rows x kBc columns of k) widened into the thread's buffer as groups of kBn rows,
// [kBc / 2][kBn] int32 pairs (the pair of row j at k = 2p, 2p + 1). vpmaddwd of a broadcast x pair with
// 8 w pairs gives 8 int32 columns of one row: the 6 x 16 tile keeps 12 accumulators that are c itself,
// with no horizontal sums, and loads 2 w vectors and 6 broadcasts per 12 multiplies.

// The 6 x 16 tile's loop: ymm0..11 (zeroed first) += x panel · w group over `steps` k pairs.
#define A8W8_TILE_LOOP                                                                                   \
  "vpxor %%xmm0, %%xmm0, %%xmm0\n\t vpxor %%xmm1, %%xmm1, %%xmm1\n\t vpxor %%xmm2, %%xmm2, %%xmm2\n\t"     \
  "vpxor %%xmm3, %%xmm3, %%xmm3\n\t vpxor %%xmm4, %%xmm4, %%xmm4\n\t vpxor %%xmm5, %%xmm5, %%xmm5\n\t"     \
  "vpxor %%xmm6, %%xmm6, %%xmm6\n\t vpxor %%xmm7, %%xmm7, %%xmm7\n\t vpxor %%xmm8, %%xmm8, %%xmm8\n\t"     \
  "vpxor %%xmm9, %%xmm9, %%xmm9\n\t vpxor %%xmm10, %%xmm10, %%xmm10\n\t vpxor %%xmm11, %%xmm11, %%xmm11\n\t" \
  "1:\n\t"                                                                                              \
  "vmovdqa (%[w]), %%ymm12\n\t vmovdqa 32(%[w]), %%ymm13\n\t"                                           \
  A8W8_ROW(0, ymm0, ymm1) A8W8_ROW(4, ymm2, ymm3) A8W8_ROW(8, ymm4, ymm5)                               \
  A8W8_ROW(12, ymm6, ymm7) A8W8_ROW(16, ymm8, ymm9) A8W8_ROW(20, ymm10, ymm11)                          \
  "add $24, %[x]\n\t add $64, %[w]\n\t dec %[n]\n\t jnz 1b\n\t"
#define A8W8_ROW(off, a0, a1)                                                                         \
  "vpbroadcastd " #off "(%[x]), %%ymm14\n\t"                                                          \
  "vpmaddwd %%ymm14, %%ymm12, %%ymm15\n\t vpaddd %%ymm15, %%" #a0 ", %%" #a0 "\n\t"                   \
  "vpmaddwd %%ymm14, %%ymm13, %%ymm15\n\t vpaddd %%ymm15, %%" #a1 ", %%" #a1 "\n\t"
#define A8W8_TILE_CLOBBERS                                                                                  \
  "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
      "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

// acc[6][2] = x panel · w group over `steps` k pairs; stored to acc (12 ymm, row-major 6 x 16 int32).
// For the edge tiles (fewer than 6 rows of x or 16 rows of w left).
A8W8_AVX2 void tile_6x16(const int32_t* px, const int32_t* pw, int64_t steps, __m256i* acc) {
  __asm__ volatile(
      A8W8_TILE_LOOP
      "vmovdqa %%ymm0, (%[acc])\n\t vmovdqa %%ymm1, 32(%[acc])\n\t vmovdqa %%ymm2, 64(%[acc])\n\t"
      "vmovdqa %%ymm3, 96(%[acc])\n\t vmovdqa %%ymm4, 128(%[acc])\n\t vmovdqa %%ymm5, 160(%[acc])\n\t"
      "vmovdqa %%ymm6, 192(%[acc])\n\t vmovdqa %%ymm7, 224(%[acc])\n\t vmovdqa %%ymm8, 256(%[acc])\n\t"
      "vmovdqa %%ymm9, 288(%[acc])\n\t vmovdqa %%ymm10, 320(%[acc])\n\t vmovdqa %%ymm11, 352(%[acc])\n\t"
      : [x] "+r"(px), [w] "+r"(pw), [n] "+r"(steps)
      : [acc] "r"(acc)
      : A8W8_TILE_CLOBBERS);
}

// A whole tile straight into c (rows ldc bytes apart): c = product, or c += product when `accumulate`.
// The accumulators go to c from their registers, not through acc[] and back (12 stores and 12 reloads a
// tile). The tile's c lines are prefetched before its loop, which hides their latency: c rows a
// power-of-two stride apart seldom stay cached from one k block to the next.
A8W8_AVX2 void tile_6x16_c(const int32_t* px, const int32_t* pw, int64_t steps, int32_t* c, int64_t ldc_bytes, bool accumulate) {
  int32_t* c3;
  __asm__ volatile(
      "lea (%[c],%[ld],2), %[c3]\n\t add %[ld], %[c3]\n\t"
      "prefetcht0 (%[c])\n\t prefetcht0 63(%[c])\n\t prefetcht0 (%[c],%[ld],1)\n\t prefetcht0 63(%[c],%[ld],1)\n\t"
      "prefetcht0 (%[c],%[ld],2)\n\t prefetcht0 63(%[c],%[ld],2)\n\t prefetcht0 (%[c3])\n\t prefetcht0 63(%[c3])\n\t"
      "prefetcht0 (%[c3],%[ld],1)\n\t prefetcht0 63(%[c3],%[ld],1)\n\t prefetcht0 (%[c3],%[ld],2)\n\t prefetcht0 63(%[c3],%[ld],2)\n\t"
      A8W8_TILE_LOOP
      "test %[add], %[add]\n\t jz 2f\n\t"
      "vpaddd (%[c]), %%ymm0, %%ymm0\n\t vpaddd 32(%[c]), %%ymm1, %%ymm1\n\t"
      "vpaddd (%[c],%[ld],1), %%ymm2, %%ymm2\n\t vpaddd 32(%[c],%[ld],1), %%ymm3, %%ymm3\n\t"
      "vpaddd (%[c],%[ld],2), %%ymm4, %%ymm4\n\t vpaddd 32(%[c],%[ld],2), %%ymm5, %%ymm5\n\t"
      "vpaddd (%[c3]), %%ymm6, %%ymm6\n\t vpaddd 32(%[c3]), %%ymm7, %%ymm7\n\t"
      "vpaddd (%[c3],%[ld],1), %%ymm8, %%ymm8\n\t vpaddd 32(%[c3],%[ld],1), %%ymm9, %%ymm9\n\t"
      "vpaddd (%[c3],%[ld],2), %%ymm10, %%ymm10\n\t vpaddd 32(%[c3],%[ld],2), %%ymm11, %%ymm11\n\t"
      "2:\n\t"
      "vmovdqu %%ymm0, (%[c])\n\t vmovdqu %%ymm1, 32(%[c])\n\t"
      "vmovdqu %%ymm2, (%[c],%[ld],1)\n\t vmovdqu %%ymm3, 32(%[c],%[ld],1)\n\t"
      "vmovdqu %%ymm4, (%[c],%[ld],2)\n\t vmovdqu %%ymm5, 32(%[c],%[ld],2)\n\t"
      "vmovdqu %%ymm6, (%[c3])\n\t vmovdqu %%ymm7, 32(%[c3])\n\t"
      "vmovdqu %%ymm8, (%[c3],%[ld],1)\n\t vmovdqu %%ymm9, 32(%[c3],%[ld],1)\n\t"
      "vmovdqu %%ymm10, (%[c3],%[ld],2)\n\t vmovdqu %%ymm11, 32(%[c3],%[ld],2)\n\t"
      : [x] "+r"(px), [w] "+r"(pw), [n] "+r"(steps), [c3] "=&r"(c3)
      : [c] "r"(c), [ld] "r"(ldc_bytes), [add] "r"(static_cast<int>(accumulate))
      : A8W8_TILE_CLOBBERS);
}
#undef A8W8_ROW
#undef A8W8_TILE_LOOP
#undef A8W8_TILE_CLOBBERS

// r[q] = column q of the 8 x 8 int32 matrix whose rows were r[0..7].
A8W8_AVX2 inline void transpose_8x8_epi32(__m256i (&r)[8]) {
  const __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]), t1 = _mm256_unpackhi_epi32(r[0], r[1]);
  const __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]), t3 = _mm256_unpackhi_epi32(r[2], r[3]);
  const __m256i t4 = _mm256_unpacklo_epi32(r[4], r[5]), t5 = _mm256_unpackhi_epi32(r[4], r[5]);
  const __m256i t6 = _mm256_unpacklo_epi32(r[6], r[7]), t7 = _mm256_unpackhi_epi32(r[6], r[7]);
  const __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
  const __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
  const __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
  const __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
  r[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
  r[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
  r[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
  r[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
  r[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
  r[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
  r[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
  r[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

// Rows [j0, j1) of w over k columns [k0, k0 + kn) (kn a multiple of 16) widened into groups of kBn rows,
// group g at out + g * kBn * kn / 2 int32, [kn / 2][kBn] pairs; rows past j1 in the last group are zero.
// Eight rows at a time: 16 k of each widened (8 pairs), then an 8 x 8 transpose of the pairs.
A8W8_AVX2 void pack_w_pairs(const int8_t* w, int64_t ldw, int64_t j0, int64_t j1, int64_t k0, int64_t kn, int32_t* out) {
  for (int64_t g = j0; g < j1; g += kBn) {
    int32_t* group = out + (g - j0) * (kn / 2);
    for (int h = 0; h < kBn; h += 8) {
      const int8_t* rows[8];
      int live = 0;
      for (int r = 0; r < 8; ++r) {
        const int64_t j = g + h + r;
        rows[r] = j < j1 ? w + j * ldw + k0 : nullptr;
        live += j < j1;
      }
      if (live == 0) {
        for (int64_t p = 0; p < kn / 2; ++p) _mm256_store_si256(reinterpret_cast<__m256i*>(group + p * kBn + h), _mm256_setzero_si256());
        continue;
      }
      for (int64_t t = 0; t < kn; t += 16) {
        __m256i r[8];
        for (int q = 0; q < 8; ++q)
          r[q] = rows[q] ? _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[q] + t))) : _mm256_setzero_si256();
        transpose_8x8_epi32(r);
        int32_t* dst = group + (t / 2) * kBn + h;  // pair t / 2 + q at dst + q * kBn
        for (int q = 0; q < 8; ++q) _mm256_store_si256(reinterpret_cast<__m256i*>(dst + q * kBn), r[q]);
      }
    }
  }
}

// The calling thread's packing buffer, grown on demand and kept (pool threads persist, so after the
// first call no allocation happens): one block of widened w, never the whole weight.
int32_t* pack_buffer(size_t elements) {
  struct Free {
    void operator()(int32_t* p) const { std::free(p); }
  };
  thread_local std::unique_ptr<int32_t, Free> buffer;
  thread_local size_t capacity = 0;
  if (elements > capacity) {
    const size_t bytes = (elements * sizeof(int32_t) + 63) & ~size_t{63};
    buffer.reset(static_cast<int32_t*>(std::aligned_alloc(64, bytes)));
    if (!buffer) throw std::bad_alloc();
    capacity = elements;
  }
  return buffer.get();
}

// An edge tile (mr < 6 rows of x or nr < 16 rows of w): through acc[] into the live part of c.
A8W8_AVX2 void edge_tile(const int32_t* px, const int32_t* pw, int64_t steps, int32_t* c, int64_t ldc, int64_t mr,
                         int64_t nr, bool accumulate) {
  alignas(32) __m256i acc[kBr * 2];
  tile_6x16(px, pw, steps, acc);
  const int32_t* a = reinterpret_cast<const int32_t*>(acc);
  for (int64_t r = 0; r < mr; ++r)
    for (int64_t q = 0; q < nr; ++q) c[r * ldc + q] = (accumulate ? c[r * ldc + q] : 0) + a[r * kBn + q];
}

// Many rows of x: per k block, the block's w rows are packed once into the thread's buffer (L2); then,
// kBm rows of x at a time, each w group runs against their panels in turn. The former order (each
// panel against every group in turn) measured ~5% slower at 1024x4096x4096 without the prefetch of c;
// with it, the two orders and k blocks of 512 to 2048 measured within the host's noise of each other.
A8W8_AVX2 void block_many_rows(const GemmBlock& b, const int32_t* px, int64_t k16) {
  const int64_t groups = (b.j1 - b.j0 + kBn - 1) / kBn;
  const int64_t kc_max = k16 < kBc ? k16 : kBc;
  int32_t* pw = pack_buffer(static_cast<size_t>(groups * kBn) * static_cast<size_t>(kc_max / 2));
  const int64_t ldc_bytes = b.n * static_cast<int64_t>(sizeof(int32_t));
  for (int64_t k0 = 0; k0 < k16; k0 += kBc) {
    const int64_t kn = k16 - k0 < kBc ? k16 - k0 : kBc;
    const bool accumulate = k0 > 0;
    pack_w_pairs(b.w, b.k, b.j0, b.j1, k0, kn, pw);
    for (int64_t i0 = b.i0; i0 < b.i1; i0 += kBm) {
      const int64_t i1 = b.i1 - i0 < kBm ? b.i1 : i0 + kBm;
      for (int64_t g = 0; g < groups; ++g) {
        const int64_t j = b.j0 + g * kBn;
        const int64_t nr = b.j1 - j < kBn ? b.j1 - j : kBn;
        const int32_t* pwg = pw + g * kBn * (kn / 2);
        for (int64_t i = i0; i < i1; i += kBr) {
          const int64_t mr = i1 - i < kBr ? i1 - i : kBr;
          const int32_t* xi = px + i * (k16 / 2) + (k0 / 2) * kBr;
          int32_t* c = b.c + i * b.n + j;
          if (nr == kBn && mr == kBr) tile_6x16_c(xi, pwg, kn / 2, c, ldc_bytes, accumulate);
          else edge_tile(xi, pwg, kn / 2, c, b.n, mr, nr, accumulate);
        }
      }
    }
  }
}

}  // namespace

namespace {
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

int avx2_row_panel(int64_t m, int64_t n, int64_t k) { return m == 1 ? 1 : few_rows(m, k, n) ? kMr : kBr; }

size_t avx2_prepared_x_bytes(int64_t m, int64_t n, int64_t k) {
  const int64_t panel = avx2_row_panel(m, n, k);
  const int64_t panels = (m + panel - 1) / panel;
  return static_cast<size_t>(panels * panel) * static_cast<size_t>(k & ~int64_t{15}) * sizeof(int16_t);
}

// One row (m = 1): the row widened, [k16] int16. Few rows: panels of kMr rows, each [k16 / 16][kMr][16] int16 (the micro-kernel reads x as one sequential
// stream; rows at a 4 KiB stride would fall into the same L1 sets). Many rows: panels of kBr rows, each
// [k16 / 2][kBr] int16 pairs, rows past m zero (the 6 x 16 tile reads them).
A8W8_AVX2 void avx2_prepare_x(const int8_t* x, int64_t m, int64_t n, int64_t panel0, int64_t panel1, int64_t k, void* out) {
  const int64_t k16 = k & ~int64_t{15};
  if (m == 1) {  // one plain row
    int16_t* px = static_cast<int16_t*>(out);
    for (int64_t t = 0; t < k16; t += 16)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(px + t), _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + t))));
    return;
  }
  if (few_rows(m, k, n)) {  // rows past m are never read in this order: left as they are
    int16_t* px = static_cast<int16_t*>(out);
    for (int64_t p = panel0; p < panel1; ++p) {
      int16_t* panel = px + p * kMr * k16;
      for (int r = 0; r < kMr; ++r) {
        const int64_t i = p * kMr + r;
        if (i >= m) break;
        for (int64_t t = 0; t < k16; t += 16)
          _mm256_storeu_si256(reinterpret_cast<__m256i*>(panel + t * kMr + r * 16),
                              _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i * k + t))));
      }
    }
    return;
  }
  // 16 k of the panel's 6 rows widened to 8 int32 pairs each, transposed 8 x 8 (two zero rows), and
  // stored 8 pairs at a time at a stride of 6: each store's last two lanes are overwritten by the next;
  // the panel's very last store is masked to 6 lanes, so no store reaches the next panel (another task's)
  int32_t* px = static_cast<int32_t*>(out);
  const __m256i six = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0);
  for (int64_t p = panel0; p < panel1; ++p) {
    int32_t* panel = px + p * kBr * (k16 / 2);
    for (int64_t t = 0; t < k16; t += 16) {
      __m256i r[8];
      for (int q = 0; q < 8; ++q) {
        const int64_t i = p * kBr + q;
        r[q] = q < kBr && i < m ? _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i * k + t)))
                                : _mm256_setzero_si256();
      }
      transpose_8x8_epi32(r);
      int32_t* dst = panel + (t / 2) * kBr;
      for (int q = 0; q < 7; ++q) _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + q * kBr), r[q]);
      if (t + 16 < k16) _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 7 * kBr), r[7]);
      else _mm256_maskstore_epi32(dst + 7 * kBr, six, r[7]);
    }
  }
}

void avx2_gemm_block(const GemmBlock& b) {
  const int64_t k16 = b.k & ~int64_t{15};
  if (k16 == 0) {
    for (int64_t i = b.i0; i < b.i1; ++i)
      for (int64_t j = b.j0; j < b.j1; ++j) b.c[i * b.n + j] = 0;
  } else if (b.m == 1) {
    block_one_row(b, static_cast<const int16_t*>(b.prepared), k16);
  } else if (few_rows(b.m, b.k, b.n)) {
    block_few_rows(b, static_cast<const int16_t*>(b.prepared), k16, (b.i1 - b.i0 + kMr - 1) / kMr);
  } else {
    block_many_rows(b, static_cast<const int32_t*>(b.prepared), k16);
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
