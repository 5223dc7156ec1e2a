// A weight prepared once for repeated products (benchmarks, repeated cases): JS class PreparedWeight.
// The portable engine reads the weight in place (no copy); oneDNN reorders it once into its own layout
// (one copy). The JS weight array is kept alive by a reference, never copied by this class.
#pragma once
#include <napi.h>

#include <memory>

#include "onednn_engine.h"

namespace a8w8 {

class PreparedWeight : public Napi::ObjectWrap<PreparedWeight> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit PreparedWeight(const Napi::CallbackInfo& info);

 private:
  Napi::Value Run(const Napi::CallbackInfo& info);
  Napi::Value PackFor(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);

  Napi::Reference<Napi::Value> weight_ref_;
  const int8_t* w_ = nullptr;
  int64_t n_ = 0, k_ = 0;
  bool use_onednn_ = false;
  std::unique_ptr<OnednnPackedWeight> onednn_;
};

}  // namespace a8w8
