// npu_trans_quant_param's packed uint64 (docs/semantics.md §2.3): bits 0-31 fp32 scale, 37-45 offset (9-bit two's
// complement), bit 46 set.
#pragma once
#include <cstdint>

namespace a8w8 {

constexpr uint64_t kQuantScaleFlag = uint64_t{1} << 46;
constexpr int kOffsetShift = 37;

// round_mode 1 (V3 R_INT): the mantissa rounded to 10 bits, nearest even, with carry; exponent 0 flushes
// to signed zero, exponent 255 is truncated, overflow becomes inf (exponent 255, mantissa 0).
uint32_t round_fp19_bits(uint32_t bits);

// clip(x rounded, -256, 255): half to even (device, CAST_RINT) or half away from zero (host, C round()).
// NaN counts as 0.
int32_t offset9_even(float x);
int32_t offset9_away(float x);

// Device V2/V3: one entry per output position (length-1 inputs broadcast).
uint64_t pack_device(float scale, bool has_offset, float offset, int round_mode);

// Decoding as the fixpipe reads it: fp19 scale (low 32 bits & 0xFFFFE000) and the sign-extended offset.
float decode_scale(uint64_t packed);
int32_t decode_offset(uint64_t packed);

}  // namespace a8w8
