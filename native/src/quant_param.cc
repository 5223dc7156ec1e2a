#include "quant_param.h"

#include <cmath>

#include "casts.h"

namespace a8w8 {

uint32_t round_fp19_bits(uint32_t bits) {
  const uint32_t sign = bits & 0x80000000u;
  uint32_t exponent = (bits >> 23) & 0xFFu;
  if (exponent == 0) return sign;                       // zero and subnormals: signed zero
  if (exponent == 0xFF) return bits & 0xFFFFE000u;      // inf / NaN: truncated
  uint32_t mant10 = (bits >> 13) & 0x3FFu;
  const uint32_t round_bit = (bits >> 12) & 1u;
  const uint32_t sticky = bits & 0xFFFu;
  if (round_bit && (sticky || (mant10 & 1u))) {
    if (++mant10 == 0x400u) {  // carry into the exponent
      mant10 = 0;
      ++exponent;
    }
    if (exponent == 0xFF) mant10 = 0;  // past the largest finite value: inf
  }
  return sign | (exponent << 23) | (mant10 << 13);
}

namespace {
int32_t clip9(double r) {
  if (std::isnan(r)) return 0;
  if (r < -256) return -256;
  if (r > 255) return 255;
  return static_cast<int32_t>(r);
}
}  // namespace

int32_t offset9_even(float x) { return clip9(std::nearbyint(static_cast<double>(x))); }
int32_t offset9_away(float x) { return clip9(std::round(static_cast<double>(x))); }

uint64_t pack_device(float scale, bool has_offset, float offset, int round_mode) {
  const uint32_t bits = f32_bits(scale);
  const uint32_t low = round_mode == 0 ? (bits & 0xFFFFE000u) : round_fp19_bits(bits);
  uint64_t out = uint64_t{low} | kQuantScaleFlag;
  if (has_offset) out |= (static_cast<uint64_t>(offset9_even(offset)) & 0x1FFu) << kOffsetShift;
  return out;
}

float decode_scale(uint64_t packed) { return f32_from_bits(static_cast<uint32_t>(packed) & 0xFFFFE000u); }

int32_t decode_offset(uint64_t packed) {
  const int32_t raw = static_cast<int32_t>((packed >> kOffsetShift) & 0x1FFu);
  return raw >= 256 ? raw - 512 : raw;
}

}  // namespace a8w8
