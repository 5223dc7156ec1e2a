#include "generate.h"

#include <cmath>

#include "casts.h"

namespace a8w8 {

namespace {

// mulberry32 as harness/data/random.ts writes it: every step is modulo 2^32 there too (Math.imul, >>> 0,
// and the xor that truncates the sum to int32), and the uint32 / 2^32 quotient is exact in a double.
// This is its output after i + 1 steps: the state only counts, so element i needs no earlier element
// and the loops below have no chain from one element to the next.
inline uint32_t mulberry32_bits(uint32_t seed, size_t i) {
  uint32_t t = seed + static_cast<uint32_t>(i + 1) * 0x6d2b79f5u;
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return t ^ (t >> 14);
}

// The stream drawn in order, as random() returns it.
struct Mulberry32 {
  uint32_t seed;
  size_t drawn = 0;
  double next() { return static_cast<double>(mulberry32_bits(seed, drawn++)) / 4294967296.0; }
};

// The JS conversions of a double into each storage (generate.ts storeChunk and the int4 clamp).
inline int8_t to_int8(double v) {
  if (v != v) return 0;  // Int8Array stores NaN as 0
  const double c = v < -128 ? -128 : (v > 127 ? 127 : v);
  return static_cast<int8_t>(static_cast<int>(c));  // truncation toward zero, as ToInt8
}

inline int8_t to_int4(double v) {
  const int8_t b = to_int8(v);
  return static_cast<int8_t>(b < -8 ? -8 : (b > 7 ? 7 : b));
}

inline uint8_t to_uint8(double v) {
  const double s = v + 128;
  if (s != s) return 0;
  const double c = s < 0 ? 0 : (s > 255 ? 255 : s);
  return static_cast<uint8_t>(static_cast<int>(c));
}

// ToInt32: truncate, then wrap modulo 2^32 (Int32Array.set of a Float64Array); NaN and infinities are 0
inline int32_t to_int32(double v) {
  if (!std::isfinite(v)) return 0;
  double m = std::fmod(std::trunc(v), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

template <typename T, typename Draw, typename Conv>
bool fill(void* out, size_t count, Draw& draw, Conv conv) {
  auto* o = static_cast<T*>(out);
  for (size_t i = 0; i < count; ++i) o[i] = conv(draw());
  return true;
}

template <typename Draw>
bool store_all(Draw draw, GenStore store, void* out, size_t count) {
  switch (store) {
    case GenStore::Int8: return fill<int8_t>(out, count, draw, to_int8);
    case GenStore::Int4: return fill<int8_t>(out, count, draw, to_int4);
    case GenStore::Uint8: return fill<uint8_t>(out, count, draw, to_uint8);
    case GenStore::Int32: return fill<int32_t>(out, count, draw, to_int32);
    case GenStore::Int64: {
      // BigInt(Math.trunc(v)) stored modulo 2^64, as BigInt64Array does. fmod is exact, and so is the
      // shift by 2^64 (a double past 2^63 is a multiple of 2^11). BigInt of a non-finite value throws:
      // those go back to TypeScript, which raises that error.
      auto* o = static_cast<int64_t*>(out);
      const double two64 = 18446744073709551616.0, two63 = 9223372036854775808.0;
      for (size_t i = 0; i < count; ++i) {
        const double v = draw();
        if (!std::isfinite(v)) return false;
        double m = std::fmod(std::trunc(v), two64);
        if (m >= two63) m -= two64;
        else if (m < -two63) m += two64;
        o[i] = static_cast<int64_t>(m);
      }
      return true;
    }
    // round to nearest, as Float32Array
    case GenStore::Float32: return fill<float>(out, count, draw, [](double v) { return static_cast<float>(v); });
    case GenStore::Float16: return fill<uint16_t>(out, count, draw, [](double v) { return f32_to_f16(static_cast<float>(v)); });
    case GenStore::Bfloat16: return fill<uint16_t>(out, count, draw, [](double v) { return f32_to_bf16(static_cast<float>(v)); });
  }
  return false;
}

// Below 2^21 the product of a draw (32 bits over 2^32) and the count is exact in a double, so
// Math.floor(random() * count) is the top 32 bits of the 64-bit integer product: the same integer.
constexpr double kExactCount = 2097152.0;  // 2^21

inline int64_t scaled(uint32_t bits, uint64_t count) { return static_cast<int64_t>((static_cast<uint64_t>(bits) * count) >> 32); }

// Integer values lo + scaled(...) stored as the JS conversions above store the same integers.
template <typename T, typename Conv>
void store_ints(uint32_t seed, int64_t lo, uint64_t span, T* o, size_t count, Conv conv) {
  for (size_t i = 0; i < count; ++i) o[i] = conv(lo + scaled(mulberry32_bits(seed, i), span));
}

inline int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// The loops vectorise with AVX2's 32-bit multiplies where the CPU has them (the loader picks the clone).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define A8W8_GEN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define A8W8_GEN_CLONES
#endif

A8W8_GEN_CLONES bool uniform_ints(uint32_t seed, int64_t lo, uint64_t span, GenStore store, void* out, size_t count) {
  switch (store) {
    case GenStore::Int8:
      store_ints(seed, lo, span, static_cast<int8_t*>(out), count, [](int64_t v) { return static_cast<int8_t>(clamp64(v, -128, 127)); });
      return true;
    case GenStore::Int4:
      store_ints(seed, lo, span, static_cast<int8_t*>(out), count, [](int64_t v) { return static_cast<int8_t>(clamp64(v, -8, 7)); });
      return true;
    case GenStore::Uint8:
      store_ints(seed, lo, span, static_cast<uint8_t*>(out), count, [](int64_t v) { return static_cast<uint8_t>(clamp64(v + 128, 0, 255)); });
      return true;
    case GenStore::Int32:  // modulo 2^32, as ToInt32
      store_ints(seed, lo, span, static_cast<int32_t*>(out), count, [](int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); });
      return true;
    case GenStore::Int64:
      store_ints(seed, lo, span, static_cast<int64_t*>(out), count, [](int64_t v) { return v; });
      return true;
    // below 2^53 the integer is exact as a double, so rounding it to float directly rounds the same value
    case GenStore::Float32:
      store_ints(seed, lo, span, static_cast<float*>(out), count, [](int64_t v) { return static_cast<float>(static_cast<double>(v)); });
      return true;
    case GenStore::Float16:
      store_ints(seed, lo, span, static_cast<uint16_t*>(out), count, [](int64_t v) { return f32_to_f16(static_cast<float>(static_cast<double>(v))); });
      return true;
    case GenStore::Bfloat16:
      store_ints(seed, lo, span, static_cast<uint16_t*>(out), count, [](int64_t v) { return f32_to_bf16(static_cast<float>(static_cast<double>(v))); });
      return true;
  }
  return false;
}

}  // namespace

bool generate_into(const GenParams& p, GenStore store, void* out, size_t count) {
  if (p.kind == GenKind::Uniform) {
    const double lo = p.values[0], span = p.values[1];
    // the integer path: a span whose products are exact, and a lo that keeps every value an exact int64
    if (span >= 1 && span <= kExactCount && span == std::floor(span) && lo == std::floor(lo) && std::fabs(lo) <= 4503599627370496.0)
      return uniform_ints(p.seed, static_cast<int64_t>(lo), static_cast<uint64_t>(span), store, out, count);
    // lo + Math.floor(random() * span): one rounded product and an exact floor and sum, as in JS
    Mulberry32 rng{p.seed, 0};
    return store_all([&]() { return lo + std::floor(rng.next() * span); }, store, out, count);
  }
  const double* values = p.values;
  const double n = static_cast<double>(p.value_count);
  if (n <= kExactCount) {
    size_t i = 0;
    return store_all([&]() { return values[scaled(mulberry32_bits(p.seed, i++), p.value_count)]; }, store, out, count);
  }
  Mulberry32 rng{p.seed, 0};
  return store_all([&]() {
    const double at = std::floor(rng.next() * n);
    // JS reads undefined (NaN) past the end
    return at < n ? values[static_cast<size_t>(at)] : std::nan("");
  }, store, out, count);
}

}  // namespace a8w8
