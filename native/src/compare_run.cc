#include "compare_run.h"

#include <cmath>
#include <limits>

namespace a8w8 {

template <typename T>
size_t short_run(const T* a, const T* e, const T* b, const double* ideal, size_t start, size_t n, const ShortRunFormat& f, ShortRunState* state) {
  // the sum stays one double added in element order, as in the TypeScript loop: the same bits
  double sum = state->sum_ideal;
  double nans = state->nan_count;
  const double inf = std::numeric_limits<double>::infinity();
  size_t i = start;
  for (; i < n; ++i) {
    const T raw = a[i];
    if (raw != e[i] || raw != b[i]) break;
    const double v = f.table != nullptr ? static_cast<double>(f.table[static_cast<size_t>(raw) & 0xFFFFu]) : static_cast<double>(raw);
    if (v != v) {
      nans += 1;
      continue;
    }
    if (v == inf || v == -inf) continue;
    const double x = ideal[i];
    double target;
    if (f.int8) target = x != x ? x : (x < -128 ? -128 : (x > 127 ? 127 : x));  // Math.max(-128, Math.min(127, x))
    else if (std::fabs(x) >= f.overflow) target = x > 0 ? inf : -inf;           // Math.sign(x) * Infinity
    else target = x;
    sum += v - target;
  }
  state->sum_ideal = sum;
  state->nan_count = nans;
  return i;
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
