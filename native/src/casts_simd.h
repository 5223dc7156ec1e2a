// 8-wide AVX2/F16C versions of the casts, shared by the array casts and the epilogue.
#pragma once
#if defined(__x86_64__)
#include <immintrin.h>

#define A8W8_AVX2_F16C __attribute__((target("avx2,fma,f16c")))

namespace a8w8 {

// vcvtps2ph with an explicit nearest-even immediate: exact RNE including subnormals, NaN quietened.
A8W8_AVX2_F16C inline __m128i f16x8(__m256 v) { return _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

// +-inf fp16 -> +-65504
A8W8_AVX2_F16C inline __m128i f16x8_saturate(__m128i h) {
  const __m128i mag = _mm_and_si128(h, _mm_set1_epi16(0x7FFF));
  const __m128i is_inf = _mm_cmpeq_epi16(mag, _mm_set1_epi16(0x7C00));
  return _mm_blendv_epi8(h, _mm_or_si128(_mm_and_si128(h, _mm_set1_epi16(static_cast<short>(0x8000))), _mm_set1_epi16(0x7BFF)), is_inf);
}

// bf16 bit trick for 8 lanes, NaN lanes quietened and truncated; result as 8 int32 lanes (0..0xFFFF).
A8W8_AVX2_F16C inline __m256i bf16x8_lanes(__m256 v) {
  const __m256i u = _mm256_castps_si256(v);
  const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
  const __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7FFF)), lsb), 16);
  const __m256i nan_bits = _mm256_or_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(0x40));
  const __m256i is_nan = _mm256_cmpgt_epi32(_mm256_and_si256(u, _mm256_set1_epi32(0x7FFFFFFF)), _mm256_set1_epi32(0x7F800000));
  return _mm256_blendv_epi8(rounded, nan_bits, is_nan);
}

// 8 int32 lanes holding 16-bit values -> 8 uint16
A8W8_AVX2_F16C inline __m128i pack_u16x8(__m256i lanes) {
  const __m256i packed = _mm256_packus_epi32(lanes, lanes);  // per 128-bit lane: [a0..a3 a0..a3][b0..b3 b0..b3]
  return _mm256_castsi256_si128(_mm256_permute4x64_epi64(packed, 0x08));
}

}  // namespace a8w8
#endif
