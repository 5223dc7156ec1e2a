// The epilogue of a block of rows with AVX2 + F16C, 8 columns at a time. Same operations, same order,
// same single fp32 roundings as row_scalar (vcvtdq2ps, vmulps and vaddps round to nearest even under
// the default MXCSR); odd requant ties (docs/semantics.md §2.8) stay scalar.
// One kernel is instantiated per (output kind, bias kind, pertoken order) and chosen once per block, so
// the column loops test nothing per element; the pointers are locals, because an int8 store may alias
// anything and would otherwise make the compiler reload every argument after each store. The int8 path
// packs 32 columns at a time (two saturating packs and one permute per 32 instead of three shuffles per
// 8, which bounded the 8-wide loop): the saturating packs are the final [-128, 127] clamp.
#include "epilogue.h"

#if defined(__x86_64__)
#include "casts_simd.h"

namespace a8w8 {

namespace {

enum class Kind { I32, I8, I8Clamp9, F16, F16Saturate, Bf16 };
enum BiasKind { kNoBias, kBiasI32, kBiasFloat };
enum PtKind { kNoPt, kPtSequential, kPtFused };

struct Block {
  const EpilogueInput* in;
  const EpilogueColumns* c;
  int64_t r0, r1, j0, w;  // rows [r0, r1), columns [j0, j0 + w), w a multiple of 8
  char* out;              // row 0, column 0 of the output
  size_t elem;            // bytes per output element
};

template <int B, int P>
A8W8_AVX2_F16C inline __m256 dequant8(const int32_t* acc, const int32_t* bias, const float* scale, const float* fbias,
                                      __m256 pt, int64_t j) {
  __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + j));
  if (B == kBiasI32) a = _mm256_add_epi32(a, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias + j)));
  const __m256 f = _mm256_cvtepi32_ps(a);
  const __m256 s = _mm256_loadu_ps(scale + j);
  __m256 y;
  if (P == kNoPt) y = _mm256_mul_ps(f, s);
  else if (P == kPtSequential) y = _mm256_mul_ps(_mm256_mul_ps(f, s), pt);
  else y = _mm256_mul_ps(f, _mm256_mul_ps(pt, s));
  if (B == kBiasFloat) y = _mm256_add_ps(y, _mm256_loadu_ps(fbias + j));  // no add without a bias: -0 stays -0
  return y;
}

// round half to even, clamp, add the offset as an integer; NaN -> 0 whatever the offset (as the twin).
// Without the 9-bit clamp the rounded value is clamped to +-65536 instead: any value beyond it ends at
// -128 or 127 after an offset of at most 256 in size, as it would unclamped, and the integer add is exact.
template <bool C9>
A8W8_AVX2_F16C inline __m256i requant8(__m256 y, const int32_t* off9) {
  const __m256 is_nan = _mm256_cmp_ps(y, y, _CMP_UNORD_Q);
  __m256 t = _mm256_round_ps(y, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  t = _mm256_min_ps(_mm256_max_ps(t, _mm256_set1_ps(C9 ? -256.f : -65536.f)), _mm256_set1_ps(C9 ? 255.f : 65536.f));
  const __m256i v = _mm256_add_epi32(_mm256_cvtps_epi32(t), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(off9)));
  return _mm256_andnot_si256(_mm256_castps_si256(is_nan), v);
}

template <Kind K, int B, int P>
A8W8_AVX2_F16C void kernel(const Block& blk) {
  const EpilogueInput& in = *blk.in;
  const int64_t n = in.n, m = in.m, w = blk.w, j0 = blk.j0;
  const float* scale = blk.c->scale.data() + j0;
  const int32_t* off9 = blk.c->off9.data() + j0;
  for (int64_t row = blk.r0; row < blk.r1; ++row) {
    const RowArgs r = row_args(in, *blk.c, row / m, row % m);
    const int32_t* acc = r.acc + j0;
    const int32_t* bias = B == kBiasI32 ? r.bias_i32 + j0 : nullptr;
    const float* fbias = B == kBiasFloat ? r.fbias + j0 : nullptr;
    const __m256 pt = _mm256_set1_ps(r.pt);
    char* o = blk.out + static_cast<size_t>(row * n + j0) * blk.elem;
    int64_t j = 0;
    if (K == Kind::I32) {
      int32_t* oi = reinterpret_cast<int32_t*>(o);
      for (; j < w; j += 8) {
        __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + j));
        if (B == kBiasI32) a = _mm256_add_epi32(a, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias + j)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(oi + j), a);
      }
    } else if (K == Kind::I8 || K == Kind::I8Clamp9) {
      constexpr bool c9 = K == Kind::I8Clamp9;
      int8_t* ob = reinterpret_cast<int8_t*>(o);
      const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
      for (; j + 32 <= w; j += 32) {
        const __m256i v0 = requant8<c9>(dequant8<B, P>(acc, bias, scale, fbias, pt, j), off9 + j);
        const __m256i v1 = requant8<c9>(dequant8<B, P>(acc, bias, scale, fbias, pt, j + 8), off9 + j + 8);
        const __m256i v2 = requant8<c9>(dequant8<B, P>(acc, bias, scale, fbias, pt, j + 16), off9 + j + 16);
        const __m256i v3 = requant8<c9>(dequant8<B, P>(acc, bias, scale, fbias, pt, j + 24), off9 + j + 24);
        // per 128-bit lane, dwords [v0 v1 v2 v3] of columns 0-3, then of columns 4-7: put back in order
        const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(v0, v1), _mm256_packs_epi32(v2, v3));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(ob + j), _mm256_permutevar8x32_epi32(bytes, order));
      }
      for (; j < w; j += 8) {
        const __m256i v = requant8<c9>(dequant8<B, P>(acc, bias, scale, fbias, pt, j), off9 + j);
        const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(ob + j), _mm_packs_epi16(p16, p16));
      }
    } else {
      uint16_t* oh = reinterpret_cast<uint16_t*>(o);
      for (; j < w; j += 8) {
        const __m256 y = dequant8<B, P>(acc, bias, scale, fbias, pt, j);
        __m128i h;
        if (K == Kind::Bf16) h = pack_u16x8(bf16x8_lanes(y));
        else if (K == Kind::F16Saturate) h = f16x8_saturate(f16x8(y));
        else h = f16x8(y);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(oh + j), h);
      }
    }
  }
}

using KernelFn = void (*)(const Block&);

template <Kind K>
KernelFn pick(int bias, int pt) {
  static const KernelFn table[3][3] = {
      {kernel<K, kNoBias, kNoPt>, kernel<K, kNoBias, kPtSequential>, kernel<K, kNoBias, kPtFused>},
      {kernel<K, kBiasI32, kNoPt>, kernel<K, kBiasI32, kPtSequential>, kernel<K, kBiasI32, kPtFused>},
      {kernel<K, kBiasFloat, kNoPt>, kernel<K, kBiasFloat, kPtSequential>, kernel<K, kBiasFloat, kPtFused>},
  };
  return table[bias][pt];
}

}  // namespace

int64_t block_avx2(const EpilogueInput& in, const EpilogueColumns& c, int64_t r0, int64_t r1, int64_t j0, int64_t j1,
                   void* out) {
  if (in.path == PathId::Int8Requant && in.variant.tie_odd) return 0;
  const int64_t w = (j1 - j0) & ~int64_t{7};
  if (w == 0 || r1 <= r0) return w;
  const int bias = in.bias_type == BiasType::I32 ? kBiasI32 : (c.fbias.empty() ? kNoBias : kBiasFloat);
  const int pt = in.pertoken == nullptr ? kNoPt : (in.variant.fused_order ? kPtFused : kPtSequential);
  KernelFn fn;
  switch (in.path) {
    case PathId::Int32Acc: fn = pick<Kind::I32>(bias, pt); break;
    case PathId::Int8Requant: fn = in.variant.clamp9 ? pick<Kind::I8Clamp9>(bias, pt) : pick<Kind::I8>(bias, pt); break;
    case PathId::Bf16Vector: fn = pick<Kind::Bf16>(bias, pt); break;
    default: fn = in.variant.fp16_saturate ? pick<Kind::F16Saturate>(bias, pt) : pick<Kind::F16>(bias, pt); break;
  }
  Block blk;
  blk.in = &in;
  blk.c = &c;
  blk.r0 = r0, blk.r1 = r1, blk.j0 = j0, blk.w = w;
  blk.out = static_cast<char*>(out);
  blk.elem = out_bytes(in.path);
  fn(blk);
  return w;
}

}  // namespace a8w8

#else

namespace a8w8 {
int64_t block_avx2(const EpilogueInput&, const EpilogueColumns&, int64_t, int64_t, int64_t, int64_t, void*) { return 0; }
}  // namespace a8w8

#endif
