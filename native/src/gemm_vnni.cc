// AVX-512 VNNI path: vpdpbusd multiplies u8 by s8 in groups of four into int32 without saturation.
// x is stored as u = x + 128 (x ^ 0x80), so Σ u·w = Σ x·w + 128·Σ w; the row sums of w over each k block
// are subtracted afterwards. Sums wrap modulo 2^32 and the true result fits in int32, so it is exact.
// Same layout as the AVX2 path: x in panels of kMr rows, w read in place along k (no weight copy).
#include "gemm_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

// GCC 12's AVX-512 headers build some casts from an "undefined" vector and then warn about it.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <array>
#include <utility>

#define A8W8_VNNI __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vnni")))

namespace a8w8 {

namespace {

constexpr int kMr = 4;
constexpr int kNr = 4;
constexpr int64_t kKc = 4096;  // 4 rows of u8 x (16 KiB) stay in L1 across the w rows of a block

// Horizontal sum (wrapping). The masked extract avoids GCC 12's uninitialised-value warning in
// _mm512_reduce_add_epi32.
A8W8_VNNI inline int32_t hsum512(__m512i v) {
  const __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_maskz_extracti64x4_epi64(0xFF, v, 1));
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

template <int MR, int NR>
A8W8_VNNI void micro(const uint8_t* px, const int8_t* w, int64_t ldw, int64_t kn, int32_t* c, int64_t ldc,
                     bool accumulate, const int32_t* wsum) {
  __m512i acc[MR][NR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm512_setzero_si512();
  for (int64_t kk = 0; kk < kn; kk += 64) {
    __m512i xv[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) xv[i] = _mm512_loadu_si512(px + kk * kMr + i * 64);
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) {
      const __m512i wv = _mm512_loadu_si512(w + j * ldw + kk);
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], xv[i], wv);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) {
      // unsigned arithmetic: the biased sum may exceed int32, the corrected one does not
      const uint32_t biased = static_cast<uint32_t>(hsum512(acc[i][j]));
      const uint32_t s = biased - 128u * static_cast<uint32_t>(wsum[j]);
      const uint32_t prev = accumulate ? static_cast<uint32_t>(c[i * ldc + j]) : 0u;
      c[i * ldc + j] = static_cast<int32_t>(prev + s);
    }
}

using MicroFn = void (*)(const uint8_t*, const int8_t*, int64_t, int64_t, int32_t*, int64_t, bool, const int32_t*);

template <int... Is>
constexpr std::array<MicroFn, sizeof...(Is)> make_table(std::integer_sequence<int, Is...>) {
  return {{micro<Is / kNr + 1, Is % kNr + 1>...}};
}
const std::array<MicroFn, kMr * kNr> kMicro = make_table(std::make_integer_sequence<int, kMr * kNr>{});

// Σ w[j, k0 .. k0+kn) for each row of the block, via vpdpbusd with a vector of ones.
A8W8_VNNI void row_sums(const int8_t* w, int64_t ldw, int64_t rows, int64_t kn, int32_t* out) {
  const __m512i ones = _mm512_set1_epi8(1);
  for (int64_t j = 0; j < rows; ++j) {
    __m512i acc = _mm512_setzero_si512();
    for (int64_t kk = 0; kk < kn; kk += 64) acc = _mm512_dpbusd_epi32(acc, ones, _mm512_loadu_si512(w + j * ldw + kk));
    out[j] = hsum512(acc);
  }
}

}  // namespace

int vnni_row_panel() { return kMr; }

size_t vnni_prepared_x_bytes(int64_t m, int64_t k) {
  const int64_t panels = (m + kMr - 1) / kMr;
  return static_cast<size_t>(panels * kMr) * static_cast<size_t>(k & ~int64_t{63});
}

// Panels of kMr rows, each [k64 / 64][kMr][64] u8; rows past m hold 0x80 (x = 0).
A8W8_VNNI void vnni_prepare_x(const int8_t* x, int64_t m, int64_t panel0, int64_t panel1, int64_t k, void* out) {
  const int64_t k64 = k & ~int64_t{63};
  uint8_t* px = static_cast<uint8_t*>(out);
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  for (int64_t p = panel0; p < panel1; ++p) {
    uint8_t* panel = px + p * kMr * k64;
    for (int r = 0; r < kMr; ++r) {
      const int64_t i = p * kMr + r;
      for (int64_t t = 0; t < k64; t += 64) {
        __m512i v = flip;
        if (i < m) v = _mm512_xor_si512(_mm512_loadu_si512(x + i * k + t), flip);
        _mm512_storeu_si512(panel + t * kMr + r * 64, v);
      }
    }
  }
}

void vnni_gemm_block(const GemmBlock& b) {
  const int64_t k64 = b.k & ~int64_t{63};
  const uint8_t* px = static_cast<const uint8_t*>(b.prepared);
  if (k64 == 0) {
    for (int64_t i = b.i0; i < b.i1; ++i)
      for (int64_t j = b.j0; j < b.j1; ++j) b.c[i * b.n + j] = 0;
  }
  for (int64_t k0 = 0; k0 < k64; k0 += kKc) {
    const int64_t kn = k64 - k0 < kKc ? k64 - k0 : kKc;
    row_sums(b.w + b.j0 * b.k + k0, b.k, b.j1 - b.j0, kn, b.scratch);
    for (int64_t i = b.i0; i < b.i1; i += kMr) {
      const int64_t mr = b.i1 - i < kMr ? b.i1 - i : kMr;
      for (int64_t j = b.j0; j < b.j1; j += kNr) {
        const int64_t nr = b.j1 - j < kNr ? b.j1 - j : kNr;
        kMicro[(mr - 1) * kNr + (nr - 1)](px + i * k64 + k0 * kMr, b.w + j * b.k + k0, b.k, kn,
                                          b.c + i * b.n + j, b.n, k0 > 0, b.scratch + (j - b.j0));
      }
    }
  }
  add_k_tail(b, k64);
}

}  // namespace a8w8

#else  // not x86-64: the path is never selected; these keep the link complete.

namespace a8w8 {
int vnni_row_panel() { return 1; }
size_t vnni_prepared_x_bytes(int64_t, int64_t) { return 0; }
void vnni_prepare_x(const int8_t*, int64_t, int64_t, int64_t, int64_t, void*) {}
void vnni_gemm_block(const GemmBlock& b) { scalar_gemm_block(b); }
}  // namespace a8w8

#endif
