// AVX2 path, exact without VNNI: both operands are int16 and multiplied by vpmaddwd, whose int16 x int16
// pair sums cannot saturate for int8 inputs (2 * 128 * 128 = 32768 fits in int32; unlike vpmaddubsw,
// which is why oneDNN is inexact here). Dot products run along k:
//   x is widened once per call into panels of kMr rows, [k16 / 16][kMr][16] int16 (one sequential stream);
//   for blocks of more than 16 rows of x, w is widened per (block of rows x kKc) into a per-thread buffer,
//   [kKc / 16][kNr][16] int16 per group of kNr rows: the widening is paid once per block instead of once
//   per x panel, and no full-size copy of the weight ever exists (the 1 GiB weight case);
//   for fewer rows, w is read in place and widened in the loop (block_few_rows says why);
//   a kMr x kNr register tile of 12 ymm accumulators, reduced (vphaddd) into c once per k block.
// Zen 3 (EPYC 7003, 2 vCPUs), best of many runs against the vpmaddwd + vpaddd peak loop: the tile's
// inner loop 92-95% with its operands in L1, ~90% with w streaming from L2; 1024x4096x4096 on one thread
// 74-84% (the former 4x2 tile widening w in the inner loop: 46-60%).
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

constexpr int kMr = 4;           // rows of x per tile (the prepared panel height)
constexpr int kNr = 3;           // rows of w per tile: 4 x 3 accumulators + 3 w vectors + 1 product = 16 ymm
#ifndef A8W8_AVX2_KC
#define A8W8_AVX2_KC 2048
#endif
constexpr int64_t kKc = A8W8_AVX2_KC;  // k block: a 4-row x panel (16 KiB) stays in L1 over the block's w rows,
                                       // and 128 packed w rows (512 KiB) stay in the 1 MiB L2 over all of m

constexpr int64_t kFewPanels = 4;          // up to 16 rows of x: the small-m order below (at 32 rows its
                                           // short k blocks cost more than packing w: 61% vs 78%)
constexpr int64_t kFewXBytes = 16 * 1024;  // x of one k block in that order: half of L1
constexpr int kPrefetchGroups = 2;         // w row groups prefetched ahead in that order

// acc += vpmaddwd(b, a) with a as a memory operand. Written as one asm statement because GCC 12, given
// the intrinsics, hoists all twelve multiplies above the adds, needs a temporary for each, spills the
// accumulators and runs at half speed; as a memory operand, x is re-read from L1 (cheap: Zen 3 does two
// 256-bit loads a cycle) instead of occupying four registers.
#define A8W8_MADD_ACC(acc, amem, b)                                                                  \
  do {                                                                                               \
    __m256i product_;                                                                                \
    __asm__("vpmaddwd %2, %3, %1\n\tvpaddd %1, %0, %0" : "+x"(acc), "=&x"(product_) : "m"(amem), "x"(b)); \
  } while (0)

// acc = x panel rows · w rows over kn columns, in C++ with the asm multiply-add: the edge tiles, and
// w read in place (see micro).
template <int MR, int NR, bool PACKED>
A8W8_AVX2 inline void dot_loop(const int16_t* px, const void* b, int64_t ldw, int64_t kn, __m256i (&acc)[MR][NR]) {
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 3
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_setzero_si256();
  const int16_t* pb = static_cast<const int16_t*>(b);
  const int8_t* w = static_cast<const int8_t*>(b);
  for (int64_t kk = 0; kk < kn; kk += 16) {
    __m256i wv[NR];
#pragma GCC unroll 3
    for (int j = 0; j < NR; ++j)
      wv[j] = PACKED ? _mm256_load_si256(reinterpret_cast<const __m256i*>(pb + kk * NR + j * 16))
                     : _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + j * ldw + kk)));
    const __m256i* xv = reinterpret_cast<const __m256i*>(px + kk * kMr);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 3
      for (int j = 0; j < NR; ++j) A8W8_MADD_ACC(acc[i][j], xv[i], wv[j]);
  }
}

// The full 4 x 3 tile over packed w (almost all of the work of a large product) in assembly:
// accumulators ymm0-11, w ymm12-14, product ymm15. The intrinsic loop below reaches the same speed
// with GCC 12, but only while GCC keeps all twelve accumulators in registers, which small changes to
// the surrounding code undid (measured: half speed); this loop does not depend on the compiler.
// steps >= 1.
A8W8_AVX2 void tile_4x3(const int16_t* px, const int16_t* pw, int64_t steps, __m256i* acc) {
  __asm__ volatile(
      "vpxor %%xmm0, %%xmm0, %%xmm0\n\t vpxor %%xmm1, %%xmm1, %%xmm1\n\t vpxor %%xmm2, %%xmm2, %%xmm2\n\t"
      "vpxor %%xmm3, %%xmm3, %%xmm3\n\t vpxor %%xmm4, %%xmm4, %%xmm4\n\t vpxor %%xmm5, %%xmm5, %%xmm5\n\t"
      "vpxor %%xmm6, %%xmm6, %%xmm6\n\t vpxor %%xmm7, %%xmm7, %%xmm7\n\t vpxor %%xmm8, %%xmm8, %%xmm8\n\t"
      "vpxor %%xmm9, %%xmm9, %%xmm9\n\t vpxor %%xmm10, %%xmm10, %%xmm10\n\t vpxor %%xmm11, %%xmm11, %%xmm11\n\t"
      "1:\n\t"
      "vmovdqa (%[w]), %%ymm12\n\t vmovdqa 32(%[w]), %%ymm13\n\t vmovdqa 64(%[w]), %%ymm14\n\t"
#define A8W8_ROW(off, a0, a1, a2)                                       \
      "vpmaddwd " #off "(%[x]), %%ymm12, %%ymm15\n\t vpaddd %%ymm15, %%" #a0 ", %%" #a0 "\n\t" \
      "vpmaddwd " #off "(%[x]), %%ymm13, %%ymm15\n\t vpaddd %%ymm15, %%" #a1 ", %%" #a1 "\n\t" \
      "vpmaddwd " #off "(%[x]), %%ymm14, %%ymm15\n\t vpaddd %%ymm15, %%" #a2 ", %%" #a2 "\n\t"
      A8W8_ROW(0, ymm0, ymm1, ymm2) A8W8_ROW(32, ymm3, ymm4, ymm5) A8W8_ROW(64, ymm6, ymm7, ymm8) A8W8_ROW(96, ymm9, ymm10, ymm11)
#undef A8W8_ROW
      "add $128, %[x]\n\t add $96, %[w]\n\t dec %[n]\n\t jnz 1b\n\t"
      "vmovdqu %%ymm0, (%[acc])\n\t vmovdqu %%ymm1, 32(%[acc])\n\t vmovdqu %%ymm2, 64(%[acc])\n\t"
      "vmovdqu %%ymm3, 96(%[acc])\n\t vmovdqu %%ymm4, 128(%[acc])\n\t vmovdqu %%ymm5, 160(%[acc])\n\t"
      "vmovdqu %%ymm6, 192(%[acc])\n\t vmovdqu %%ymm7, 224(%[acc])\n\t vmovdqu %%ymm8, 256(%[acc])\n\t"
      "vmovdqu %%ymm9, 288(%[acc])\n\t vmovdqu %%ymm10, 320(%[acc])\n\t vmovdqu %%ymm11, 352(%[acc])\n\t"
      : [x] "+r"(px), [w] "+r"(pw), [n] "+r"(steps)
      : [acc] "r"(acc)
      : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
        "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

// c[MR x NR] (+)= x panel rows · w rows over kn (a multiple of 16) columns. PACKED: b is a packed group,
// [kn / 16][NR][16] int16. Otherwise b is w itself (int8 rows at stride ldw), widened in the loop: used
// for blocks of few rows (block_few_rows).
template <int MR, int NR, bool PACKED>
A8W8_AVX2 void micro(const int16_t* px, const void* b, int64_t ldw, int64_t kn, int32_t* c, int64_t ldc,
                     bool accumulate) {
  __m256i acc[MR][NR];
  if (MR == kMr && NR == kNr && PACKED) {
    tile_4x3(px, static_cast<const int16_t*>(b), kn / 16, &acc[0][0]);
  } else {
    dot_loop<MR, NR, PACKED>(px, b, ldw, kn, acc);
  }
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

using MicroFn = void (*)(const int16_t*, const void*, int64_t, int64_t, int32_t*, int64_t, bool);

// kMicro[packed][(mr - 1) * kNr + (nr - 1)]: the edge tiles reuse the same template.
template <bool PACKED, int... Is>
constexpr std::array<MicroFn, sizeof...(Is)> make_table(std::integer_sequence<int, Is...>) {
  return {{micro<Is / kNr + 1, Is % kNr + 1, PACKED>...}};
}
const std::array<MicroFn, kMr * kNr> kMicro[2] = {
    make_table<false>(std::make_integer_sequence<int, kMr * kNr>{}),
    make_table<true>(std::make_integer_sequence<int, kMr * kNr>{})};

// Rows [j0, j1) of w over columns [k0, k0 + kn) widened into groups of kNr rows (the last may be
// shorter), group g at out + g * kNr * kn. Rows are read one at a time: sequential in memory, so the
// hardware prefetcher streams them even when w is far larger than the caches.
A8W8_AVX2 void pack_w(const int8_t* w, int64_t ldw, int64_t j0, int64_t j1, int64_t k0, int64_t kn, int16_t* out) {
  for (int64_t g = j0; g < j1; g += kNr) {
    const int64_t nr = j1 - g < kNr ? j1 - g : kNr;
    int16_t* group = out + (g - j0) * kn;
    for (int64_t r = 0; r < nr; ++r) {
      const int8_t* row = w + (g + r) * ldw + k0;
      int16_t* dst = group + r * 16;
      for (int64_t t = 0; t < kn; t += 16)
        _mm256_store_si256(reinterpret_cast<__m256i*>(dst + t * nr),
                           _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + t))));
    }
  }
}

// The calling thread's packing buffer, grown on demand and kept (pool threads persist, so after the
// first call no allocation happens): one block of widened w, never the whole weight.
int16_t* pack_buffer(size_t elements) {
  struct Free {
    void operator()(int16_t* p) const { std::free(p); }
  };
  thread_local std::unique_ptr<int16_t, Free> buffer;
  thread_local size_t capacity = 0;
  if (elements > capacity) {
    const size_t bytes = (elements * sizeof(int16_t) + 63) & ~size_t{63};
    buffer.reset(static_cast<int16_t*>(std::aligned_alloc(64, bytes)));
    if (!buffer) throw std::bad_alloc();
    capacity = elements;
  }
  return buffer.get();
}

// Many rows of x: per k block, the block's w rows are widened once into the thread's buffer (L2) and
// every x panel runs over them (software prefetch of the next x panel measured no gain: not done).
void block_many_rows(const GemmBlock& b, const int16_t* px, int64_t k16) {
  int16_t* pw = pack_buffer(static_cast<size_t>(b.j1 - b.j0) * static_cast<size_t>(k16 < kKc ? k16 : kKc));
  for (int64_t k0 = 0; k0 < k16; k0 += kKc) {
    const int64_t kn = k16 - k0 < kKc ? k16 - k0 : kKc;
    pack_w(b.w, b.k, b.j0, b.j1, k0, kn, pw);
    for (int64_t i = b.i0; i < b.i1; i += kMr) {
      const int64_t mr = b.i1 - i < kMr ? b.i1 - i : kMr;
      const int16_t* xi = px + i * k16 + k0 * kMr;
      for (int64_t j = b.j0; j < b.j1; j += kNr) {
        const int64_t nr = b.j1 - j < kNr ? b.j1 - j : kNr;
        kMicro[1][(mr - 1) * kNr + (nr - 1)](xi, pw + (j - b.j0) * kn, b.k, kn, b.c + i * b.n + j, b.n, k0 > 0);
      }
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
  kc = std::min(std::max(kc, int64_t{256}), std::min(k16, kKc));
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
        kMicro[0][(mr - 1) * kNr + (nr - 1)](px + i * k16 + k0 * kMr, b.w + j * b.k + k0, b.k, kn, b.c + i * b.n + j, b.n, k0 > 0);
      }
    }
  }
}

}  // namespace

int avx2_row_panel() { return kMr; }

size_t avx2_prepared_x_bytes(int64_t m, int64_t k) {
  const int64_t panels = (m + kMr - 1) / kMr;
  return static_cast<size_t>(panels * kMr) * static_cast<size_t>(k & ~int64_t{15}) * sizeof(int16_t);
}

// Panels of kMr rows, each [k16 / 16][kMr][16] int16: the micro-kernel reads x as one sequential stream
// (rows at a 4 KiB stride would fall into the same L1 sets). Rows past m are zero.
A8W8_AVX2 void avx2_prepare_x(const int8_t* x, int64_t m, int64_t panel0, int64_t panel1, int64_t k, void* out) {
  const int64_t k16 = k & ~int64_t{15};
  int16_t* px = static_cast<int16_t*>(out);
  for (int64_t p = panel0; p < panel1; ++p) {
    int16_t* panel = px + p * kMr * k16;
    for (int r = 0; r < kMr; ++r) {
      const int64_t i = p * kMr + r;
      for (int64_t t = 0; t < k16; t += 16) {
        __m256i v = _mm256_setzero_si256();
        if (i < m) v = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i * k + t)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(panel + t * kMr + r * 16), v);
      }
    }
  }
}

void avx2_gemm_block(const GemmBlock& b) {
  const int64_t k16 = b.k & ~int64_t{15};
  const int16_t* px = static_cast<const int16_t*>(b.prepared);
  const int64_t panels = (b.i1 - b.i0 + kMr - 1) / kMr;
  if (k16 == 0) {
    for (int64_t i = b.i0; i < b.i1; ++i)
      for (int64_t j = b.j0; j < b.j1; ++j) b.c[i * b.n + j] = 0;
  } else if (panels <= kFewPanels) {
    block_few_rows(b, px, k16, panels);
  } else {
    block_many_rows(b, px, k16);
  }
  add_k_tail(b, k16);
}

}  // namespace a8w8

#else  // not x86-64: the path is never selected; these keep the link complete.

namespace a8w8 {
int avx2_row_panel() { return 1; }
size_t avx2_prepared_x_bytes(int64_t, int64_t) { return 0; }
void avx2_prepare_x(const int8_t*, int64_t, int64_t, int64_t, int64_t, void*) {}
void avx2_gemm_block(const GemmBlock& b) { scalar_gemm_block(b); }
}  // namespace a8w8

#endif
