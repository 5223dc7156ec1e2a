#include "batch.h"

#include "engine.h"

namespace a8w8 {

namespace {
std::string shape_text(const std::vector<int64_t>& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + ")";
}
}  // namespace

int64_t checked_numel(const std::vector<int64_t>& shape, const char* what) {
  int64_t n = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 1) throw ArgError(std::string(what) + " dim " + std::to_string(d) + " is " + std::to_string(shape[d]) + ": dims must be >= 1");
    if (shape[d] > kMaxElements / n) throw ArgError(std::string(what) + " shape " + shape_text(shape) + " has more than 2^40 elements");
    n *= shape[d];
  }
  return n;
}

BatchPlan plan_batch(const std::vector<int64_t>& xs, const std::vector<int64_t>& ws) {
  if (xs.size() < 2 || xs.size() > 6) throw ArgError("x1 must have 2 to 6 dims, got " + std::to_string(xs.size()));
  if (ws.size() < 2 || ws.size() > 6) throw ArgError("weight must have 2 to 6 dims, got " + std::to_string(ws.size()));
  checked_numel(xs, "x1");
  checked_numel(ws, "weight");
  BatchPlan p;
  p.m = xs[xs.size() - 2];
  p.k = xs.back();
  p.n = ws[ws.size() - 2];
  if (ws.back() != p.k) throw ArgError("k differs: x1 " + shape_text(xs) + " has k = " + std::to_string(p.k) + ", weight " + shape_text(ws) + " has k = " + std::to_string(ws.back()));
  if (p.k > kMaxK) throw ArgError("k = " + std::to_string(p.k) + " exceeds " + std::to_string(kMaxK) + " (int32 accumulation would not be exact)");

  // batch dims aligned from the right; a missing dim counts as 1
  const size_t xb = xs.size() - 2, wb = ws.size() - 2, ob = xb > wb ? xb : wb;
  std::vector<int64_t> out_batch(ob), x_stride(ob, 0), w_stride(ob, 0);
  int64_t xsz = 1, wsz = 1;
  for (size_t r = 0; r < ob; ++r) {  // r counts from the innermost batch dim
    const size_t d = ob - 1 - r;
    const int64_t xd = r < xb ? xs[xb - 1 - r] : 1;
    const int64_t wd = r < wb ? ws[wb - 1 - r] : 1;
    if (xd != wd && xd != 1 && wd != 1)
      throw ArgError("batch dims do not broadcast: x1 " + shape_text(xs) + " vs weight " + shape_text(ws) + " at batch dim " + std::to_string(d) + " (" + std::to_string(xd) + " vs " + std::to_string(wd) + ")");
    out_batch[d] = xd > wd ? xd : wd;
    x_stride[d] = xd == 1 ? 0 : xsz;
    w_stride[d] = wd == 1 ? 0 : wsz;
    xsz *= xd;
    wsz *= wd;
  }
  p.out_shape = out_batch;
  p.out_shape.push_back(p.m);
  p.out_shape.push_back(p.n);
  p.out_elements = checked_numel(p.out_shape, "output");
  const int64_t batches = p.out_elements / (p.m * p.n);
  p.x_index.resize(static_cast<size_t>(batches));
  p.w_index.resize(static_cast<size_t>(batches));
  std::vector<int64_t> idx(ob, 0);
  for (int64_t b = 0; b < batches; ++b) {
    int64_t xi = 0, wi = 0;
    for (size_t d = 0; d < ob; ++d) {
      xi += idx[d] * x_stride[d];
      wi += idx[d] * w_stride[d];
    }
    p.x_index[b] = xi;
    p.w_index[b] = wi;
    for (size_t d = ob; d-- > 0;) {  // odometer, last dim fastest
      if (++idx[d] < out_batch[d]) break;
      idx[d] = 0;
    }
  }
  return p;
}

void run_batched(const BatchPlan& p, const int8_t* x, const int8_t* w, int32_t* out, int threads,
                 const BlockHook* after_block) {
  const int64_t batches = static_cast<int64_t>(p.x_index.size());
  bool one_weight = true, x_in_order = true;
  for (int64_t b = 0; b < batches; ++b) {
    one_weight = one_weight && p.w_index[b] == p.w_index[0];
    x_in_order = x_in_order && p.x_index[b] == b;
  }
  if (one_weight && x_in_order) {  // the x1 batches are consecutive rows against one weight: one product
    gemm_2d(x, w + p.w_index[0] * p.n * p.k, out, batches * p.m, p.n, p.k, threads, after_block);
    return;
  }
  for (int64_t b = 0; b < batches; ++b) {
    const BlockHook shifted = [&](int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
      (*after_block)(b * p.m + i0, b * p.m + i1, j0, j1);
    };
    gemm_2d(x + p.x_index[b] * p.m * p.k, w + p.w_index[b] * p.n * p.k, out + b * p.m * p.n, p.m, p.n, p.k, threads,
            after_block != nullptr ? &shifted : nullptr);
  }
}

}  // namespace a8w8
