// AVX2 path, exact without VNNI: w is sign-extended to int16 on load (vpmovsxbw) and multiplied with the
// int16 copy of x by vpmaddwd, whose int16 x int16 pair sums cannot saturate for int8 inputs (unlike
// vpmaddubsw, which is why oneDNN is inexact here). Dot products run along k, so w is read in place:
// no packed copy of the weight exists. Register tile: MR rows of x by NR rows of w, one ymm each.
#include "gemm_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include <array>
#include <utility>

#define A8W8_AVX2 __attribute__((target("avx2,fma")))

namespace a8w8 {

namespace {

#ifndef A8W8_AVX2_MR
#define A8W8_AVX2_MR 4
#define A8W8_AVX2_NR 2
#endif
constexpr int kMr = A8W8_AVX2_MR;
constexpr int kNr = A8W8_AVX2_NR;
#ifndef A8W8_AVX2_KC
#define A8W8_AVX2_KC 2048
#endif
constexpr int64_t kKc = A8W8_AVX2_KC;   // 4 rows of int16 x (16 KiB) stay in L1 across the w rows of a block

A8W8_AVX2 inline int32_t hsum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

// acc[i][j] over kn (a multiple of 16) columns, then stored to (or added into) c.
template <int MR, int NR>
A8W8_AVX2 void micro(const int16_t* px, const int8_t* w, int64_t ldw, int64_t kn,
                     int32_t* c, int64_t ldc, bool accumulate) {
  __m256i acc[MR][NR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_setzero_si256();
  for (int64_t kk = 0; kk < kn; kk += 16) {
    __m256i xv[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) xv[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(px + kk * kMr + i * 16));
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) {
      const __m256i wv = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + j * ldw + kk)));
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) acc[i][j] = _mm256_add_epi32(acc[i][j], _mm256_madd_epi16(xv[i], wv));
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) {
      const int32_t s = hsum(acc[i][j]);
      c[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s;
    }
}

using MicroFn = void (*)(const int16_t*, const int8_t*, int64_t, int64_t, int32_t*, int64_t, bool);

// kMicro[(mr - 1) * kNr + (nr - 1)]: the edge tiles reuse the same template.
template <int... Is>
constexpr std::array<MicroFn, sizeof...(Is)> make_table(std::integer_sequence<int, Is...>) {
  return {{micro<Is / kNr + 1, Is % kNr + 1>...}};
}
const std::array<MicroFn, kMr * kNr> kMicro = make_table(std::make_integer_sequence<int, kMr * kNr>{});

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
  if (k16 == 0) {
    for (int64_t i = b.i0; i < b.i1; ++i)
      for (int64_t j = b.j0; j < b.j1; ++j) b.c[i * b.n + j] = 0;
  }
  for (int64_t k0 = 0; k0 < k16; k0 += kKc) {
    const int64_t kn = k16 - k0 < kKc ? k16 - k0 : kKc;
    for (int64_t i = b.i0; i < b.i1; i += kMr) {
      const int64_t mr = b.i1 - i < kMr ? b.i1 - i : kMr;
      for (int64_t j = b.j0; j < b.j1; j += kNr) {
        const int64_t nr = b.j1 - j < kNr ? b.j1 - j : kNr;
        kMicro[(mr - 1) * kNr + (nr - 1)](px + i * k16 + k0 * kMr, b.w + j * b.k + k0, b.k, kn, b.c + i * b.n + j, b.n, k0 > 0);
      }
    }
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
