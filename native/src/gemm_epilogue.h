// GEMM and epilogue in one native call, for repeated cases of one shape (JS class GemmEpilogue): the
// shapes, the epilogue's parameters and its per-column values are read once, at construction; run()
// takes only the data and a caller-owned output, so a small call allocates nothing and crosses into C++
// once. The epilogue runs on each block of the product as soon as the block is complete.
#pragma once
#include <napi.h>

#include <vector>

#include "batch.h"
#include "epilogue.h"

namespace a8w8 {

class GemmEpilogue : public Napi::ObjectWrap<GemmEpilogue> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit GemmEpilogue(const Napi::CallbackInfo& info);

 private:
  Napi::Value Run(const Napi::CallbackInfo& info);
  Napi::Value RunMany(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  // One case: x (x_elements_), w (w_elements_) -> out (out_elements of the path's type).
  void compute(const int8_t* x, const int8_t* w, void* out, int threads);
  // The output typed array of `cases` cases, checked against the path's type; returns its data. `what`
  // names it in the messages ("GemmEpilogue: run: out").
  void* out_arg(const Napi::Value& v, int64_t cases, const char* what) const;

  BatchPlan plan_;
  int64_t x_elements_ = 0, w_elements_ = 0;
  EpilogueInput in_;            // points into the owned copies below, never into JS memory
  EpilogueColumns columns_;
  std::vector<int32_t> bias_i32_;
  std::vector<float> pertoken_;
  std::vector<int32_t> acc_;    // the int32 product, reused by every call
};

}  // namespace a8w8
