// The AVX2 path's broadcast order, for many rows of x (gemm_avx2.cc says when): x is widened once per
// call into panels of kBr = 6 rows of int16 pairs; w is widened and transposed per (block of 128 rows x
// kBc of k) into a per-thread buffer of groups of 16 rows, [kBc / 2][16] pairs, so no full-size copy of
// the weight ever exists (the 1 GiB weight case); the 6 x 16 tile broadcasts one x pair per row against
// two vectors of 8 w pairs: 12 ymm accumulators that are the output itself (no horizontal sums), 8
// loads per 12 multiplies.
// Zen 3 (EPYC, 2 vCPUs, 32 KiB L1d and 512 KiB L2 per core, shared with other tenants), against the
// vpmaddwd + vpaddd peak loop, best of 12-16 runs a series: 1024x4096x4096 81-86% on one thread and 89%
// on two (80-83% and 84% in the same series before the group-inner order and the tile's direct stores
// to c). The 6 x 16 tile alone, with its operands in L1, timed in short bursts alternating with the
// peak loop: median 0.83-0.90 of it; the same loop with its six broadcasts taken out: 0.96-0.97. So on
// this core the broadcasts, not memory, bound the tile: a pre-broadcast x read as a memory operand
// measured no better. (The former 4 x 3 tile for many rows with a 2048 k block: its packed block filled
// all of L2 and the per-tile vphaddd reduction cost ~7%: 56-60%.)
#include "gemm_avx2_orders.h"

#if defined(__x86_64__)
#include <cstdlib>
#include <memory>
#include <new>

namespace a8w8::avx2 {

namespace {

constexpr int kBn = 16;          // rows of w per tile (two ymm of 8 int32 columns)
#ifndef A8W8_AVX2_KC
#define A8W8_AVX2_KC 1024
#endif
constexpr int64_t kBc = A8W8_AVX2_KC;  // k block: 128 packed w rows (256 KiB) stay in the 512 KiB L2
constexpr int64_t kBm = 72;            // rows of x run against one w group before the next (12 panels)

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

}  // namespace

// 16 k of a panel's 6 rows at a time; rows past m are zero (the 6 x 16 tile reads them).
A8W8_AVX2 void prepare_many_rows(const int8_t* x, int64_t m, int64_t k, int64_t panel0, int64_t panel1, int32_t* out) {
  const int64_t k16 = k & ~int64_t{15};
  // 16 k of the panel's 6 rows widened to 8 int32 pairs each, transposed 8 x 8 (two zero rows), and
  // stored 8 pairs at a time at a stride of 6: each store's last two lanes are overwritten by the next;
  // the panel's very last store is masked to 6 lanes, so no store reaches the next panel (another task's)
  const __m256i six = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0);
  for (int64_t p = panel0; p < panel1; ++p) {
    int32_t* panel = out + p * kBr * (k16 / 2);
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

}  // namespace a8w8::avx2

#endif
