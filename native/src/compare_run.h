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
  double max_ulp = 0;     // the NaN lane's running maxUlp
  double lane_count = 0;  // elements the NaN lane took
};

// The NaN lane (fp16 / bf16 only): also taken are the elements where the output is a NaN that neither
// the base nor any per-element alternative holds bit for bit. The TypeScript loop counts each such
// element as a NaN, a mismatch, a vendor and a bound failure with an infinite error, and moves maxUlp;
// here they are counted (lane_count) and maxUlp kept. The caller turns the lane on only once its list
// of worst elements is full of infinite errors, so that no element of the lane would have entered it.
constexpr int kMaxLaneAlts = 4;
struct NanLane {
  bool on = false;
  uint16_t exponent = 0, fraction = 0;  // the format's exponent and fraction bits
  const uint16_t* alts[kMaxLaneAlts] = {};
  int n_alts = 0;
};

// How the ideal is held by the output format: int8 saturates; fp16/bf16 overflow to +-inf at or past
// `overflow` (a positive number; infinity for int32, which neither saturates nor overflows here).
struct ShortRunFormat {
  bool int8 = false;
  double overflow = 0;
  const float* table = nullptr;  // fp16 / bf16: the value of every bit pattern; null for integers
  uint16_t exponent = 0;         // fp16 / bf16: the exponent bits (all set: inf or NaN); 0 when not given
  NanLane lane;                  // fp16 / bf16 only
};

// From `start`, every element i with a[i] == e[i] == b[i] (and, with the lane on, every NaN-lane element)
// is taken into `state`; returns the first i that is not such an element (or n). T: int8_t (int8), uint16_t (fp16 / bf16 bits) or int32_t.
template <typename T>
size_t short_run(const T* a, const T* e, const T* b, const double* ideal, size_t start, size_t n, const ShortRunFormat& f, ShortRunState* state);

// The number of i in [0, n) with a[i] != b[i].
template <typename T>
size_t count_differing(const T* a, const T* b, size_t n);

}  // namespace a8w8
