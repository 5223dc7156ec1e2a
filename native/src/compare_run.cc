#include "compare_run.h"

#include <cmath>
#include <limits>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace a8w8 {

// How each format holds the ideal (the three cases of the TypeScript loop's `target`).
enum class Hold { Int8, Overflow, Plain };

// -128 > x ? -128 : x and 127 < x ? 127 : x, as maxsd / minsd (the second operand comes back when either
// is NaN, so a NaN ideal stays NaN, and -0 stays -0, as Math.max(-128, Math.min(127, x)) does).
// Saturated outputs are common and come in no order a branch predictor could learn.
inline double clamp_int8(double x) {
#if defined(__SSE2__)
  const __m128d low = _mm_max_sd(_mm_set_sd(-128.0), _mm_set_sd(x));
  return _mm_cvtsd_f64(_mm_min_sd(_mm_set_sd(127.0), low));
#else
  const double low = -128.0 > x ? -128.0 : x;
  return 127.0 < low ? 127.0 : low;
#endif
}

// Whether element i is one the NaN lane takes: a NaN output that the base and no alternative hold.
inline bool lane_element(uint16_t raw, size_t i, const uint16_t* b, const NanLane& lane) {
  if ((raw & lane.exponent) != lane.exponent || (raw & lane.fraction) == 0 || raw == b[i]) return false;
  for (int q = 0; q < lane.n_alts; ++q)
    if (lane.alts[q][i] == raw) return false;
  return true;
}

// ulpDistance of compare's values.ts: the sign-magnitude bits on a monotonic line.
inline double ulp_distance(uint16_t x, uint16_t y) {
  const int lx = (x & 0x8000) != 0 ? -(x & 0x7fff) : (x & 0x7fff);
  const int ly = (y & 0x8000) != 0 ? -(y & 0x7fff) : (y & 0x7fff);
  return static_cast<double>(lx > ly ? lx - ly : ly - lx);
}

template <typename T, Hold H, bool Table, bool Lane = false>
size_t run(const T* a, const T* e, const T* b, const double* ideal, size_t i, size_t n, const ShortRunFormat& f, ShortRunState* state) {
  // the sum stays one double added in element order, as in the TypeScript loop: the same bits
  double sum = state->sum_ideal;
  size_t nans = 0;
  const float* table = f.table;
  const double overflow = f.overflow;
  const double inf = std::numeric_limits<double>::infinity();
  double max_ulp = state->max_ulp;
  size_t lane_count = 0;
  for (; i < n; ++i) {
    const T raw = a[i];
    if (raw != e[i] || raw != b[i]) {
      if constexpr (Lane) {
        if (lane_element(raw, i, reinterpret_cast<const uint16_t*>(b), f.lane)) {
          ++lane_count;
          const double d = ulp_distance(raw, e[i]);
          if (d > max_ulp) max_ulp = d;
          continue;
        }
      }
      break;
    }
    const double v = Table ? static_cast<double>(table[static_cast<size_t>(raw) & 0xFFFFu]) : static_cast<double>(raw);
    if (v != v) {
      ++nans;
      continue;
    }
    if (v == inf || v == -inf) continue;
    const double x = ideal[i];
    double target = x;
    if (H == Hold::Int8) target = clamp_int8(x);
    else if (H == Hold::Overflow) target = std::fabs(x) >= overflow ? std::copysign(inf, x) : x;  // Math.sign(x) * Infinity
    sum += v - target;
  }
  state->sum_ideal = sum;
  state->nan_count += static_cast<double>(nans);
  state->max_ulp = max_ulp;
  state->lane_count += static_cast<double>(lane_count);
  return i;
}

template <typename T>
size_t short_run(const T* a, const T* e, const T* b, const double* ideal, size_t start, size_t n, const ShortRunFormat& f, ShortRunState* state) {
  // the format's choices are made once, outside the loop
  if constexpr (std::is_same_v<T, uint16_t>) {
    if (f.table != nullptr && f.lane.on) return run<T, Hold::Overflow, true, true>(a, e, b, ideal, start, n, f, state);
  }
  if (f.table != nullptr) return run<T, Hold::Overflow, true>(a, e, b, ideal, start, n, f, state);
  if (f.int8) return run<T, Hold::Int8, false>(a, e, b, ideal, start, n, f, state);
  return run<T, Hold::Overflow, false>(a, e, b, ideal, start, n, f, state);
}

template <typename T>
size_t count_differing(const T* a, const T* b, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) count += a[i] != b[i] ? 1 : 0;
  return count;
}

template size_t short_run<int8_t>(const int8_t*, const int8_t*, const int8_t*, const double*, size_t, size_t, const ShortRunFormat&, ShortRunState*);
template size_t short_run<uint16_t>(const uint16_t*, const uint16_t*, const uint16_t*, const double*, size_t, size_t, const ShortRunFormat&, ShortRunState*);
template size_t short_run<int32_t>(const int32_t*, const int32_t*, const int32_t*, const double*, size_t, size_t, const ShortRunFormat&, ShortRunState*);
template size_t count_differing<int8_t>(const int8_t*, const int8_t*, size_t);
template size_t count_differing<uint16_t>(const uint16_t*, const uint16_t*, size_t);
template size_t count_differing<int32_t>(const int32_t*, const int32_t*, size_t);

}  // namespace a8w8
