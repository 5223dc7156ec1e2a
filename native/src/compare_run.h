// The short path of harness/compare/compare.ts: the elements of an output that equal both the primary
// answer and the chosen whole-tensor behaviour, for which only the NaN count and the error against the
// ideal move. The TypeScript loop stays the definition; this runs the same arithmetic in the same order.
#pragma once
#include <cstddef>
#include <cstdint>

namespace a8w8 {

struct ShortRunState {
  double sum_ideal = 0;   // the running sum of (value - ideal as the format holds it)
  double nan_count = 0;   // NaN elements met
};

// How the ideal is held by the output format: int8 saturates; fp16/bf16 overflow to +-inf at or past
// `overflow` (a positive number; infinity for int32, which neither saturates nor overflows here).
struct ShortRunFormat {
  bool int8 = false;
  double overflow = 0;
  const float* table = nullptr;  // fp16 / bf16: the value of every bit pattern; null for integers
};

// From `start`, every element i with a[i] == e[i] == b[i] is taken into `state`; returns the first i
// that is not such an element (or n). T: int8_t (int8), uint16_t (fp16 / bf16 bits) or int32_t.
template <typename T>
size_t short_run(const T* a, const T* e, const T* b, const double* ideal, size_t start, size_t n, const ShortRunFormat& f, ShortRunState* state);

// The number of i in [0, n) with a[i] != b[i].
template <typename T>
size_t count_differing(const T* a, const T* b, size_t n);

}  // namespace a8w8
