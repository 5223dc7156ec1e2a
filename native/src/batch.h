// Batched products: x1 (..., m, k) and weight (..., n, k), batch dims broadcast numpy-style.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "gemm_portable.h"

namespace a8w8 {

// A caller's mistake in shapes or sizes: becomes a JS RangeError (TypeError when `type_error`).
struct ArgError : std::runtime_error {
  ArgError(const std::string& what, bool type_error = false) : std::runtime_error(what), type_error(type_error) {}
  bool type_error;
};

struct BatchPlan {
  int64_t m = 0, n = 0, k = 0;
  std::vector<int64_t> out_shape;     // broadcast batch + (m, n)
  std::vector<int64_t> x_index;       // per output batch element: which x1 matrix
  std::vector<int64_t> w_index;       // per output batch element: which weight matrix
  int64_t out_elements = 0;
};

// Largest k accepted: int32 accumulation is exact while k * 2^14 < 2^31.
constexpr int64_t kMaxK = 131071;
// Largest element count of any tensor (typed arrays index with doubles; keep it well inside 2^53).
constexpr int64_t kMaxElements = int64_t{1} << 40;

// Validates two shapes (2..6 dims, dims >= 1, same k, broadcastable batches, sizes that fit) and
// plans the batch loop. Throws ArgError naming the argument and dim at fault.
BatchPlan plan_batch(const std::vector<int64_t>& x_shape, const std::vector<int64_t>& w_shape);

// Element count of a shape, checked against kMaxElements; `what` names the argument in the error.
int64_t checked_numel(const std::vector<int64_t>& shape, const char* what);

// Runs the plan: out (out_elements) = x1 · weightᵀ per batch element with the current engine, then
// `after_block` (if given) on each complete block, its rows counted over all batches (batch * m + row).
void run_batched(const BatchPlan& plan, const int8_t* x, const int8_t* w, int32_t* out, int threads,
                 const BlockHook* after_block = nullptr);

}  // namespace a8w8
