#include "prepared.h"

#include "batch.h"
#include "engine.h"
#include "gemm_portable.h"
#include "guard.h"
#include "napi_args.h"

namespace a8w8 {

Napi::Function PreparedWeight::Define(Napi::Env env) {
  return DefineClass(env, "PreparedWeight",
                     {InstanceMethod<&PreparedWeight::Run>("run"), InstanceMethod<&PreparedWeight::PackFor>("packFor"),
                      InstanceMethod<&PreparedWeight::Info>("info")});
}

// new PreparedWeight(weight: Int8Array, shape: [n, k])
PreparedWeight::PreparedWeight(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PreparedWeight>(info) {
  guard_void(info.Env(), [&] {
    auto w = int8_arg(info[0], "prepare: weight");
    const std::vector<int64_t> shape = shape_arg(info[1], "prepare: weight shape", 2, 2);
    const int64_t count = checked_numel(shape, "prepare: weight");
    if (w.length != count)
      throw ArgError("prepare: weight has " + std::to_string(w.length) + " elements, shape needs " + std::to_string(count));
    n_ = shape[0];
    k_ = shape[1];
    if (k_ > kMaxK) throw ArgError("prepare: k = " + std::to_string(k_) + " exceeds " + std::to_string(kMaxK));
    w_ = w.data;
    weight_ref_ = Napi::Persistent(info[0]);
    const EngineInfo e = engine_info();
    use_onednn_ = e.engine == EngineKind::OneDnn && k_ <= kOnednnMaxK;
    if (use_onednn_) onednn_.reset(new OnednnPackedWeight(w_, n_, k_));
  });
}

// run(x1: Int8Array, x1Shape: [..., m, k], threads?) -> Int32Array of (..., m, n)
Napi::Value PreparedWeight::Run(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto x = int8_arg(info[0], "run: x1");
    const std::vector<int64_t> shape = shape_arg(info[1], "run: x1 shape", 2, 6);
    const int64_t count = checked_numel(shape, "run: x1");
    if (x.length != count)
      throw ArgError("run: x1 has " + std::to_string(x.length) + " elements, shape needs " + std::to_string(count));
    if (shape.back() != k_) throw ArgError("run: x1 k = " + std::to_string(shape.back()) + ", weight k = " + std::to_string(k_));
    const int threads = effective_threads(threads_arg(info[2]));
    const int64_t m = count / k_;
    if (m > kMaxElements / n_) throw ArgError("run: output too large");
    Napi::Int32Array out = Napi::Int32Array::New(info.Env(), static_cast<size_t>(m * n_));
    check_pending(info.Env());
    if (use_onednn_) onednn_->run(x.data, out.Data(), m, threads);
    else portable_gemm(engine_info().isa, x.data, w_, out.Data(), m, n_, k_, threads);
    return out;
  });
}

// packFor(m, threads?): do oneDNN's one-time reorder now, so a benchmark can time it apart from the
// products (the layout oneDNN picks may depend on the thread count, so pass the one run() will get).
Napi::Value PreparedWeight::PackFor(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const int64_t m = dim_arg(info[0], "packFor: m");
    const int threads = effective_threads(threads_arg(info[1]));
    if (use_onednn_) onednn_->pack_for(m, threads);
    return info.Env().Undefined();
  });
}

// info() -> { engine, n, k, packedBytes }
Napi::Value PreparedWeight::Info(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("engine", use_onednn_ ? "onednn" : "portable");
    o.Set("n", static_cast<double>(n_));
    o.Set("k", static_cast<double>(k_));
    o.Set("packedBytes", static_cast<double>(use_onednn_ ? onednn_->packed_bytes() : 0));
    return o;
  });
}

}  // namespace a8w8
