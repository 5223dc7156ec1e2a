// fp32 -> fp16 / bf16 conversions, round to nearest even, subnormals kept (docs/semantics.md §2.8,
// §7: no hardware bf16 conversion, which flushes denormal inputs).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace a8w8 {

inline uint32_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

inline float f32_from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// fp16 bits. NaN keeps its sign and top payload bits with the quiet bit set, as F16C's vcvtps2ph does.
inline uint16_t f32_to_f16(float f) {
  uint32_t u = f32_bits(f);
  const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
  u &= 0x7FFFFFFFu;
  if (u > 0x7F800000u) return static_cast<uint16_t>(sign | 0x7E00u | ((u >> 13) & 0x3FFu));
  if (u >= 0x47800000u) return static_cast<uint16_t>(sign | 0x7C00u);  // >= 65536 (and inf): inf
  if (u < 0x38800000u) {
    // below 2^-14: the fp16 is subnormal. Adding 0.5 puts the value's units of 2^-24 in the low mantissa
    // bits of the sum, and the fp32 add rounds them to nearest even.
    const float magic = f32_from_bits(0x3F000000u);  // 0.5
    return static_cast<uint16_t>(sign | (f32_bits(f32_from_bits(u) + magic) - 0x3F000000u));
  }
  // normal: rebias the exponent, round the 13 dropped bits to nearest even (a carry may reach inf)
  const uint32_t odd = (u >> 13) & 1u;
  u += 0xC8000FFFu + odd;  // (15 - 127) << 23, plus half an ulp minus one, plus the tie bit
  return static_cast<uint16_t>(sign | (u >> 13));
}

// bf16 bits: the rounding bit trick, with a NaN branch (the trick could carry a NaN into inf).
inline uint16_t f32_to_bf16(float f) {
  const uint32_t u = f32_bits(f);
  if ((u & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
  return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

inline float bf16_to_f32(uint16_t h) { return f32_from_bits(static_cast<uint32_t>(h) << 16); }

inline float f16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu;
  if (exp == 0x1F) return f32_from_bits(sign | 0x7F800000u | (mant << 13));
  if (exp == 0) {  // subnormal or zero: mant * 2^-24, exact in fp32
    const float v = static_cast<float>(mant) * f32_from_bits(0x33800000u);
    return sign ? -v : v;
  }
  return f32_from_bits(sign | ((exp + 112) << 23) | (mant << 13));
}

// Fp16 saturation instead of inf (docs/semantics.md §2.9): +-inf -> +-65504; NaN and finite values unchanged.
inline uint16_t f16_saturate(uint16_t h) {
  return (h & 0x7FFFu) == 0x7C00u ? static_cast<uint16_t>((h & 0x8000u) | 0x7BFFu) : h;
}

// Whole arrays, vectorised with F16C / AVX2 when the active path allows.
void f32_to_f16_array(const float* in, uint16_t* out, size_t n);
void f32_to_bf16_array(const float* in, uint16_t* out, size_t n);

}  // namespace a8w8
