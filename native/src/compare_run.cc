#include "compare_run.h"

#include <cmath>
#include <cstring>
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
// Every test is evaluated (& not &&): lane elements come a few places apart in no order a branch
// predictor could learn.
inline bool lane_element(uint16_t raw, size_t i, const uint16_t* b, const NanLane& lane) {
  bool take = ((raw & lane.exponent) == lane.exponent) & ((raw & lane.fraction) != 0) & (raw != b[i]);
  for (int q = 0; q < lane.n_alts; ++q) take &= lane.alts[q][i] != raw;
  return take;
}

// ulpDistance of compare's values.ts: the sign-magnitude bits on a monotonic line. Without a branch, for
// the lane's sake (signs come at random there): with m = -1 for a negative pattern and 0 otherwise,
// (x ^ m) - m is -x or x.
inline int32_t on_line(uint16_t x) {
  const int32_t m = -static_cast<int32_t>(x >> 15);
  return (static_cast<int32_t>(x & 0x7fff) ^ m) - m;
}
inline double ulp_distance(uint16_t x, uint16_t y) {
  const int32_t d = on_line(x) - on_line(y);
  const int32_t m = d >> 31;
  return static_cast<double>((d ^ m) - m);
}

// c ? x : y from bit masks: compilers turn a plain ?: on doubles back into a branch.
inline double pick(bool c, double x, double y) {
  uint64_t ux, uy;
  std::memcpy(&ux, &x, sizeof ux);
  std::memcpy(&uy, &y, sizeof uy);
  const uint64_t mask = 0 - static_cast<uint64_t>(c);
  const uint64_t r = (ux & mask) | (uy & ~mask);
  double out;
  std::memcpy(&out, &r, sizeof out);
  return out;
}

// d where v is finite, else +0; and the ideal x as fp16 / bf16 hold it (+-inf from `overflow` on): both
// without a branch, in SSE2 registers where there are some (no trip through integer registers).
#if defined(__SSE2__)
inline double finite_or_zero(double v, double d) {
  const __m128d abs_v = _mm_andnot_pd(_mm_set_sd(-0.0), _mm_set_sd(v));
  const __m128d finite = _mm_cmplt_sd(abs_v, _mm_set_sd(std::numeric_limits<double>::infinity()));
  return _mm_cvtsd_f64(_mm_and_pd(finite, _mm_set_sd(d)));
}
inline double held_overflow(double x, double overflow) {
  const __m128d vx = _mm_set_sd(x);
  const __m128d sign = _mm_and_pd(_mm_set_sd(-0.0), vx);
  const __m128d over = _mm_cmpge_sd(_mm_andnot_pd(_mm_set_sd(-0.0), vx), _mm_set_sd(overflow));
  const __m128d inf = _mm_or_pd(sign, _mm_set_sd(std::numeric_limits<double>::infinity()));
  return _mm_cvtsd_f64(_mm_or_pd(_mm_and_pd(over, inf), _mm_andnot_pd(over, vx)));
}
#else
inline double finite_or_zero(double v, double d) { return pick(std::fabs(v) < std::numeric_limits<double>::infinity(), d, 0.0); }
inline double held_overflow(double x, double overflow) {
  return pick(std::fabs(x) >= overflow, std::copysign(std::numeric_limits<double>::infinity(), x), x);
}
#endif

// The ideal x as the format holds it: int8 saturates; fp16 / bf16 go to Math.sign(x) * Infinity at or
// past `overflow`; int32 keeps it.
template <Hold H>
inline double held(double x, double overflow) {
  if constexpr (H == Hold::Int8) return clamp_int8(x);
  else if constexpr (H == Hold::Overflow) return held_overflow(x, overflow);
  else return x;
}

// The loop decides with selects, not branches, what each element adds: outputs of the overflow and
// undefined-input cases mix finite values, infinities and NaNs at random, and the mispredicted
// branches cost some 7 ns an element, about three times the rest of its work.
template <typename T, Hold H, bool Table, bool Lane = false>
size_t run(const T* a, const T* e, const T* b, const double* ideal, size_t i, size_t n, const ShortRunFormat& f, ShortRunState* state) {
  // the sum stays one double added in element order, as in the TypeScript loop: the same bits. An
  // element the loop skips adds +0 here, which leaves every sum as it was: the sum starts at +0 and is
  // never -0 (an exact zero sum is -0 only when both terms are).
  double sum = state->sum_ideal;
  size_t nans = 0;
  const float* table = f.table;
  const double overflow = f.overflow;
  double max_ulp = state->max_ulp;
  size_t lane_count = 0;
  for (; i < n; ++i) {
    const T raw = a[i];
    const bool same = (raw == e[i]) & (raw == b[i]);
    bool lane = false;
    if constexpr (Lane) lane = !same & lane_element(raw, i, reinterpret_cast<const uint16_t*>(b), f.lane);
    // one test of both: compilers split `same || lane` into two branches, the first a coin toss here
    unsigned go = static_cast<unsigned>(same) | static_cast<unsigned>(lane);
#if defined(__GNUC__)
    __asm__("" : "+r"(go));
#endif
    if (go == 0) break;
    if constexpr (Lane) {
      lane_count += lane;
      const double d = ulp_distance(raw, e[i]);
      max_ulp = pick(lane & (d > max_ulp), d, max_ulp);
    }
    const double v = Table ? static_cast<double>(table[static_cast<size_t>(raw) & 0xFFFFu]) : static_cast<double>(raw);
    const double target = held<H>(ideal[i], overflow);
    // NaN and infinite outputs add nothing (fabs(NaN) < inf is false); nor, on the lane, its elements
    if constexpr (Lane) {
      nans += same & (v != v);
      sum += pick(same, finite_or_zero(v, v - target), 0.0);
    } else {
      nans += v != v;
      sum += finite_or_zero(v, v - target);
    }
  }
  state->sum_ideal = sum;
  state->nan_count += static_cast<double>(nans);
  state->max_ulp = max_ulp;
  state->lane_count += static_cast<double>(lane_count);
  return i;
}

// Elements per chunk of the plain loop below.
constexpr size_t kChunk = 64;

// Whether every element of [i, i + kChunk) equals e and b and is finite: a loop of compares and ands,
// which the compiler vectorises. An fp16 or bf16 pattern is finite unless all its exponent bits are
// set; integers are always finite.
template <typename T, bool Table>
bool plain_chunk(const T* a, const T* e, const T* b, size_t i, uint16_t exponent) {
  unsigned ok = 1;
  for (size_t j = i; j < i + kChunk; ++j) {
    unsigned same = (a[j] == e[j]) & (a[j] == b[j]);
    if constexpr (Table) same &= (static_cast<uint16_t>(a[j]) & exponent) != exponent;
    ok &= same;
  }
  return ok != 0;
}

// The loop without the lane, a chunk at a time: a chunk whose elements all equal e and b and are finite
// (most of them, in a passing output) adds `v - target` with nothing to select; any other chunk goes
// through the selecting loop, which stops at the first element that is not the same. Both add in
// element order, so the sum keeps its bits.
template <typename T, Hold H, bool Table>
size_t run_chunked(const T* a, const T* e, const T* b, const double* ideal, size_t i, size_t n, const ShortRunFormat& f, ShortRunState* state) {
  const uint16_t exponent = f.exponent;
  const float* table = f.table;
  const double overflow = f.overflow;
  while (i + kChunk <= n) {
    if (!plain_chunk<T, Table>(a, e, b, i, exponent)) {
      const size_t stop = run<T, H, Table>(a, e, b, ideal, i, i + kChunk, f, state);
      if (stop < i + kChunk) return stop;
      i = stop;
      continue;
    }
    double sum = state->sum_ideal;
    for (size_t j = i; j < i + kChunk; ++j) {
      const T raw = a[j];
      const double v = Table ? static_cast<double>(table[static_cast<size_t>(raw) & 0xFFFFu]) : static_cast<double>(raw);
      sum += v - held<H>(ideal[j], overflow);
    }
    state->sum_ideal = sum;
    i += kChunk;
  }
  return run<T, H, Table>(a, e, b, ideal, i, n, f, state);
}

template <typename T>
size_t short_run(const T* a, const T* e, const T* b, const double* ideal, size_t start, size_t n, const ShortRunFormat& f, ShortRunState* state) {
  // the format's choices are made once, outside the loop
  if constexpr (std::is_same_v<T, uint16_t>) {
    if (f.table != nullptr && f.lane.on) return run<T, Hold::Overflow, true, true>(a, e, b, ideal, start, n, f, state);
    if (f.table != nullptr && f.exponent != 0) return run_chunked<T, Hold::Overflow, true>(a, e, b, ideal, start, n, f, state);
  }
  if (f.table != nullptr) return run<T, Hold::Overflow, true>(a, e, b, ideal, start, n, f, state);
  if (f.int8) return run_chunked<T, Hold::Int8, false>(a, e, b, ideal, start, n, f, state);
  return run_chunked<T, Hold::Overflow, false>(a, e, b, ideal, start, n, f, state);
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
