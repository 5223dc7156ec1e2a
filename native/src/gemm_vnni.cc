// AVX-512 VNNI path: vpdpbusd multiplies u8 by s8 in groups of four into int32 without saturation.
// x is stored as u = x + 128 (x ^ 0x80), so Σ u·w = Σ x·w + 128·Σ w; the row sums of w over each k block
// are subtracted afterwards. Sums wrap modulo 2^32 and the true result fits in int32, so it is exact.
// Same layout as the AVX2 path: x in panels of kMr rows, w read in place along k (no weight copy).
// k is covered in steps of 64 to its end: the last, partial step reads w with a masked load (the lanes
// past k read as 0 and are never touched in memory) against x panels padded with x = 0, so the padded
// lanes add 0 and no column of k is left to a scalar loop.
//
// Built with A8W8_EMULATE_AVX512 (scripts/check-vnni.sh only, never in the addon), the same source runs
// its AVX-512 intrinsics through SIMDe's portable implementations, so that this path is checked for
// exactness on hosts without AVX-512 VNNI.
#include "gemm_kernels.h"

#if defined(__x86_64__)
#include <array>
#include <cstring>
#include <utility>

#if defined(A8W8_EMULATE_AVX512)
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#define A8W8_VNNI
#else
#include <immintrin.h>
#define A8W8_VNNI __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vnni")))
#endif

// GCC 12's AVX-512 headers build some casts from an "undefined" vector and then warn about it.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace a8w8 {

namespace {

constexpr int kMr = 4;
constexpr int kNr = 4;
constexpr int64_t kKc = 4096;  // 4 rows of u8 x (16 KiB) stay in L1 across the w rows of a block

int64_t padded_k(int64_t k) { return (k + 63) & ~int64_t{63}; }

#if defined(A8W8_EMULATE_AVX512)
using __mmask64 = simde__mmask64;  // SIMDe names the mask type only with its own prefix
#endif

// The lanes below `count` (1..64).
A8W8_VNNI inline __mmask64 part_mask(int64_t count) { return count >= 64 ? ~__mmask64{0} : (__mmask64{1} << count) - 1; }

// The `count` (1..64) bytes at p, zero beyond them; the bytes past p + count are not read.
A8W8_VNNI inline __m512i load_part(const void* p, int64_t count) {
#if defined(A8W8_EMULATE_AVX512)
  // SIMDe has no masked byte load: the bytes are copied into a buffer whose other bytes are not zero,
  // and the same mask then zeroes the lanes past count, so a wrong mask shows in the results
  alignas(64) uint8_t part[64];
  std::memset(part, 0xA5, sizeof part);
  std::memcpy(part, p, static_cast<size_t>(count));
  return _mm512_maskz_mov_epi8(part_mask(count), _mm512_loadu_si512(part));
#else
  return _mm512_maskz_loadu_epi8(part_mask(count), p);
#endif
}

// Horizontal sum (wrapping). The masked extract avoids GCC 12's uninitialised-value warning in
// _mm512_reduce_add_epi32.
A8W8_VNNI inline int32_t hsum512(__m512i v) {
  const __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_maskz_extracti64x4_epi64(0xFF, v, 1));
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

// The wrapping sums of 16 vectors at once: lane 4i + j of the result is the sum of v[4i + j]'s lanes.
// Pairs are folded with unpacks (within 128-bit lanes), then the four 128-bit lanes with shuffles:
// 45 instructions for 16 sums. In 32-bit lanes, as the horizontal sum above, so it wraps the same.
A8W8_VNNI inline __m512i sum16(const __m512i (&v)[16]) {
  __m512i s[8];  // per 128-bit lane: [a_x, b_x, a_y, b_y] of the pair (a, b) = (v[2p], v[2p + 1])
#pragma GCC unroll 8
  for (int p = 0; p < 8; ++p)
    s[p] = _mm512_add_epi32(_mm512_unpacklo_epi32(v[2 * p], v[2 * p + 1]), _mm512_unpackhi_epi32(v[2 * p], v[2 * p + 1]));
  __m512i q[4];  // per 128-bit lane: that lane's sums of v[4p .. 4p + 3]
#pragma GCC unroll 4
  for (int p = 0; p < 4; ++p)
    q[p] = _mm512_add_epi32(_mm512_unpacklo_epi64(s[2 * p], s[2 * p + 1]), _mm512_unpackhi_epi64(s[2 * p], s[2 * p + 1]));
  // 0x88 takes 128-bit lanes 0 and 2 of each operand, 0xDD lanes 1 and 3
  const __m512i r0 = _mm512_add_epi32(_mm512_shuffle_i32x4(q[0], q[1], 0x88), _mm512_shuffle_i32x4(q[0], q[1], 0xDD));
  const __m512i r1 = _mm512_add_epi32(_mm512_shuffle_i32x4(q[2], q[3], 0x88), _mm512_shuffle_i32x4(q[2], q[3], 0xDD));
  return _mm512_add_epi32(_mm512_shuffle_i32x4(r0, r1, 0x88), _mm512_shuffle_i32x4(r0, r1, 0xDD));
}

// MR x NR outputs over `kn` columns of k (the panel holds them padded to a multiple of 64).
template <int MR, int NR>
A8W8_VNNI void micro(const uint8_t* px, const int8_t* w, int64_t ldw, int64_t kn, int32_t* c, int64_t ldc,
                     bool accumulate, const int32_t* wsum) {
  __m512i acc[MR][NR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm512_setzero_si512();
  const int64_t full = kn & ~int64_t{63};
  for (int64_t kk = 0; kk < full; kk += 64) {
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
  if (full < kn) {  // the last columns of k: x is padded with x = 0 (u = 128), w reads 0 past k
    __m512i xv[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) xv[i] = _mm512_loadu_si512(px + full * kMr + i * 64);
#pragma GCC unroll 8
    for (int j = 0; j < NR; ++j) {
      const __m512i wv = load_part(w + j * ldw + full, kn - full);
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], xv[i], wv);
    }
  }
  if (NR == kNr) {
    // all 16 sums at once (rows past MR sum zero vectors), then the correction and the store four
    // columns at a time: about 4 instructions an output instead of 18 for a horizontal sum each
    __m512i v[kMr * kNr];
#pragma GCC unroll 16
    for (int t = 0; t < kMr * kNr; ++t) v[t] = t / kNr < MR ? acc[t / kNr][t % kNr] : _mm512_setzero_si512();
    alignas(64) int32_t sums[kMr * kNr];
    _mm512_store_si512(sums, sum16(v));
    const __m128i correction = _mm_slli_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(wsum)), 7);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      __m128i r = _mm_sub_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(sums + i * kNr)), correction);
      __m128i* ci = reinterpret_cast<__m128i*>(c + i * ldc);
      if (accumulate) r = _mm_add_epi32(r, _mm_loadu_si128(ci));
      _mm_storeu_si128(ci, r);
    }
    return;
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
  const int64_t full = kn & ~int64_t{63};
  for (int64_t j = 0; j < rows; ++j) {
    __m512i acc = _mm512_setzero_si512();
    for (int64_t kk = 0; kk < full; kk += 64) acc = _mm512_dpbusd_epi32(acc, ones, _mm512_loadu_si512(w + j * ldw + kk));
    if (full < kn) acc = _mm512_dpbusd_epi32(acc, ones, load_part(w + j * ldw + full, kn - full));
    out[j] = hsum512(acc);
  }
}

}  // namespace

int vnni_row_panel() { return kMr; }

size_t vnni_prepared_x_bytes(int64_t m, int64_t k) {
  const int64_t panels = (m + kMr - 1) / kMr;
  return static_cast<size_t>(panels * kMr) * static_cast<size_t>(padded_k(k));
}

// Panels of kMr rows, each [kp / 64][kMr][64] u8 with kp = k rounded up to 64; rows past m and columns
// past k hold 0x80 (x = 0).
A8W8_VNNI void vnni_prepare_x(const int8_t* x, int64_t m, int64_t panel0, int64_t panel1, int64_t k, void* out) {
  const int64_t kp = padded_k(k);
  uint8_t* px = static_cast<uint8_t*>(out);
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  for (int64_t p = panel0; p < panel1; ++p) {
    uint8_t* panel = px + p * kMr * kp;
    for (int r = 0; r < kMr; ++r) {
      const int64_t i = p * kMr + r;
      for (int64_t t = 0; t < kp; t += 64) {
        __m512i v = flip;
        if (i < m) v = _mm512_xor_si512(t + 64 <= k ? _mm512_loadu_si512(x + i * k + t) : load_part(x + i * k + t, k - t), flip);
        _mm512_storeu_si512(panel + t * kMr + r * 64, v);
      }
    }
  }
}

void vnni_gemm_block(const GemmBlock& b) {
  const int64_t kp = padded_k(b.k);
  const uint8_t* px = static_cast<const uint8_t*>(b.prepared);
  if (kp == 0) {
    for (int64_t i = b.i0; i < b.i1; ++i)
      for (int64_t j = b.j0; j < b.j1; ++j) b.c[i * b.n + j] = 0;
  }
  for (int64_t k0 = 0; k0 < kp; k0 += kKc) {
    const int64_t kn = b.k - k0 < kKc ? b.k - k0 : kKc;  // columns of k in this block, the last may be partial
    row_sums(b.w + b.j0 * b.k + k0, b.k, b.j1 - b.j0, kn, b.scratch);
    for (int64_t i = b.i0; i < b.i1; i += kMr) {
      const int64_t mr = b.i1 - i < kMr ? b.i1 - i : kMr;
      for (int64_t j = b.j0; j < b.j1; j += kNr) {
        const int64_t nr = b.j1 - j < kNr ? b.j1 - j : kNr;
        kMicro[(mr - 1) * kNr + (nr - 1)](px + i * kp + k0 * kMr, b.w + j * b.k + k0, b.k, kn,
                                          b.c + i * b.n + j, b.n, k0 > 0, b.scratch + (j - b.j0));
      }
    }
  }
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
