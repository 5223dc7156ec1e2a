#include "casts.h"

#include "casts_simd.h"
#include "cpu_features.h"

namespace a8w8 {

namespace {

#if defined(__x86_64__)
A8W8_AVX2_F16C void f16_avx2(const float* in, uint16_t* out, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), f16x8(_mm256_loadu_ps(in + i)));
  for (; i < n; ++i) out[i] = f32_to_f16(in[i]);
}

A8W8_AVX2_F16C void bf16_avx2(const float* in, uint16_t* out, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), pack_u16x8(bf16x8_lanes(_mm256_loadu_ps(in + i))));
  for (; i < n; ++i) out[i] = f32_to_bf16(in[i]);
}
#endif

}  // namespace

void f32_to_f16_array(const float* in, uint16_t* out, size_t n) {
#if defined(__x86_64__)
  if (active_isa() != Isa::Scalar) return f16_avx2(in, out, n);
#endif
  for (size_t i = 0; i < n; ++i) out[i] = f32_to_f16(in[i]);
}

void f32_to_bf16_array(const float* in, uint16_t* out, size_t n) {
#if defined(__x86_64__)
  if (active_isa() != Isa::Scalar) return bf16_avx2(in, out, n);
#endif
  for (size_t i = 0; i < n; ++i) out[i] = f32_to_bf16(in[i]);
}

}  // namespace a8w8
