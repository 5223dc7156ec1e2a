// The epilogue rows 8 columns at a time with AVX2 + F16C. Same operations, same order, same single
// fp32 roundings as row_scalar (vcvtdq2ps, vmulps and vaddps round to nearest even under the default
// MXCSR); odd requant ties (docs/semantics.md §2.8) stay scalar.
#include "epilogue.h"

#if defined(__x86_64__)
#include "casts_simd.h"

namespace a8w8 {

namespace {

A8W8_AVX2_F16C inline __m256 dequant8(const RowArgs& r, int64_t j) {
  __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.acc + j));
  if (r.bias_i32) a = _mm256_add_epi32(a, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.bias_i32 + j)));
  const __m256 f = _mm256_cvtepi32_ps(a);
  const __m256 s = _mm256_loadu_ps(r.scale + j);
  __m256 y;
  if (!r.has_pt) y = _mm256_mul_ps(f, s);
  else if (!r.v.fused_order) y = _mm256_mul_ps(_mm256_mul_ps(f, s), _mm256_set1_ps(r.pt));
  else y = _mm256_mul_ps(f, _mm256_mul_ps(_mm256_set1_ps(r.pt), s));
  if (r.fbias) y = _mm256_add_ps(y, _mm256_loadu_ps(r.fbias + j));
  return y;
}

A8W8_AVX2_F16C inline void requant8(__m256 y, const int32_t* off9, bool clamp9, int8_t* out) {
  const __m256 is_nan = _mm256_cmp_ps(y, y, _CMP_UNORD_Q);
  __m256 t = _mm256_round_ps(y, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  if (clamp9) t = _mm256_min_ps(_mm256_max_ps(t, _mm256_set1_ps(-256.f)), _mm256_set1_ps(255.f));
  t = _mm256_add_ps(t, _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(off9))));
  t = _mm256_min_ps(_mm256_max_ps(t, _mm256_set1_ps(-128.f)), _mm256_set1_ps(127.f));
  t = _mm256_andnot_ps(is_nan, t);  // NaN -> 0, whatever the offset (as the twin)
  const __m256i v = _mm256_cvtps_epi32(t);
  const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packs_epi16(p16, p16));
}

A8W8_AVX2_F16C void body(PathId path, const RowArgs& r, int64_t n8, void* out) {
  switch (out_kind(path)) {
    case OutKind::I32: {
      int32_t* o = static_cast<int32_t*>(out);
      for (int64_t j = 0; j < n8; j += 8) {
        __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.acc + j));
        if (r.bias_i32) a = _mm256_add_epi32(a, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.bias_i32 + j)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + j), a);
      }
      return;
    }
    case OutKind::I8: {
      int8_t* o = static_cast<int8_t*>(out);
      for (int64_t j = 0; j < n8; j += 8) requant8(dequant8(r, j), r.off9 + j, r.v.clamp9, o + j);
      return;
    }
    case OutKind::U16: {
      uint16_t* o = static_cast<uint16_t*>(out);
      for (int64_t j = 0; j < n8; j += 8) {
        const __m256 y = dequant8(r, j);
        __m128i h;
        if (path == PathId::Bf16Vector) {
          h = pack_u16x8(bf16x8_lanes(y));
        } else {
          h = f16x8(y);
          if (r.v.fp16_saturate) h = f16x8_saturate(h);
        }
        _mm_storeu_si128(reinterpret_cast<__m128i*>(o + j), h);
      }
      return;
    }
  }
}

}  // namespace

bool row_avx2(PathId path, const RowArgs& r, void* out) {
  if (path == PathId::Int8Requant && r.v.tie_odd) return false;
  const int64_t n8 = r.n & ~int64_t{7};
  body(path, r, n8, out);
  if (n8 == r.n) return true;
  RowArgs tail = r;  // the last n % 8 columns
  tail.acc += n8;
  tail.n -= n8;
  tail.scale += n8;
  tail.off9 += n8;
  if (tail.bias_i32) tail.bias_i32 += n8;
  if (tail.fbias) tail.fbias += n8;
  const size_t elem = out_kind(path) == OutKind::I8 ? 1 : (out_kind(path) == OutKind::U16 ? 2 : 4);
  row_scalar(path, tail, static_cast<char*>(out) + static_cast<size_t>(n8) * elem);
  return true;
}

}  // namespace a8w8

#else

namespace a8w8 {
bool row_avx2(PathId, const RowArgs&, void*) { return false; }
}  // namespace a8w8

#endif
