#include "gemm_epilogue.h"

#include "engine.h"
#include "epilogue_args.h"
#include "guard.h"
#include "napi_args.h"

namespace a8w8 {

Napi::Function GemmEpilogue::Define(Napi::Env env) {
  return DefineClass(env, "GemmEpilogue",
                     {InstanceMethod<&GemmEpilogue::Run>("run"), InstanceMethod<&GemmEpilogue::RunMany>("runMany"),
                      InstanceMethod<&GemmEpilogue::Info>("info")});
}

// new GemmEpilogue(x1Shape, weightShape, params): params is an EpilogueArgs without acc and outShape.
GemmEpilogue::GemmEpilogue(const Napi::CallbackInfo& info) : Napi::ObjectWrap<GemmEpilogue>(info) {
  guard_void(info.Env(), [&] {
    const std::vector<int64_t> xs = shape_arg(info[0], "GemmEpilogue: x1 shape", 2, 6);
    const std::vector<int64_t> ws = shape_arg(info[1], "GemmEpilogue: weight shape", 2, 6);
    plan_ = plan_batch(xs, ws);
    x_elements_ = checked_numel(xs, "x1");
    w_elements_ = checked_numel(ws, "weight");
    in_ = epilogue_params(info[2], plan_.out_shape);
    columns_ = epilogue_columns(in_);
    // the epilogue reads scale, offset and float bias only through the columns; keep copies of the rest
    in_.scale = nullptr;
    in_.offset = nullptr;
    if (in_.bias_type == BiasType::I32) {
      const int32_t* b = static_cast<const int32_t*>(in_.bias);
      bias_i32_.assign(b, b + (in_.bias_batches == 0 ? 1 : in_.bias_batches) * in_.n);
      in_.bias = bias_i32_.data();
    } else {
      in_.bias = nullptr;  // a float bias lives in the columns
    }
    if (in_.pertoken != nullptr) {
      pertoken_.assign(in_.pertoken, in_.pertoken + in_.m);
      in_.pertoken = pertoken_.data();
    }
    acc_.resize(static_cast<size_t>(plan_.out_elements));
    in_.acc = acc_.data();
  });
}

void GemmEpilogue::compute(const int8_t* x, const int8_t* w, void* out, int threads) {
  const BlockHook epilogue = [&](int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
    epilogue_block(in_, columns_, i0, i1, j0, j1, out);
  };
  run_batched(plan_, x, w, acc_.data(), threads, &epilogue);
}

void* GemmEpilogue::out_arg(const Napi::Value& v, int64_t cases, const char* what) const {
  const int64_t want = cases * plan_.out_elements;
  int64_t length = 0;
  void* data = nullptr;
  switch (out_kind(in_.path)) {
    case OutKind::I8: {
      auto o = int8_arg(v, what);
      data = o.data, length = o.length;
      break;
    }
    case OutKind::U16: {
      auto o = uint16_arg(v, what);
      data = o.data, length = o.length;
      break;
    }
    case OutKind::I32: {
      auto o = int32_arg(v, what);
      data = o.data, length = o.length;
      break;
    }
  }
  if (length != want)
    throw ArgError(std::string(what) + " has " + std::to_string(length) + " elements, expected " + std::to_string(want));
  return data;
}

// run(x1: Int8Array, weight: Int8Array, out, threads?) -> out (Int8Array | Uint16Array | Int32Array)
Napi::Value GemmEpilogue::Run(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto x = int8_arg(info[0], "GemmEpilogue.run: x1");
    auto w = int8_arg(info[1], "GemmEpilogue.run: weight");
    if (x.length != x_elements_ || w.length != w_elements_)
      throw ArgError("GemmEpilogue.run: x1 and weight lengths do not match the shapes given at construction");
    void* out = out_arg(info[2], 1, "GemmEpilogue: run: out");
    const int threads = threads_arg(info[3]);
    compute(x.data, w.data, out, threads);
    return info[2];
  });
}

// runMany(x1s, weights, outs, cases, threads?) -> outs: `cases` cases of this shape and epilogue, their
// x1, weights and outputs laid end to end, in one call.
Napi::Value GemmEpilogue::RunMany(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto x = int8_arg(info[0], "GemmEpilogue.runMany: x1s");
    auto w = int8_arg(info[1], "GemmEpilogue.runMany: weights");
    const int64_t cases = dim_arg(info[3], "GemmEpilogue.runMany: cases");
    if (cases > kMaxElements / x_elements_ || cases > kMaxElements / w_elements_ || cases > kMaxElements / plan_.out_elements ||
        x.length != cases * x_elements_ || w.length != cases * w_elements_)
      throw ArgError("GemmEpilogue.runMany: x1s and weights must hold `cases` x1 and weights of the construction's shapes");
    char* out = static_cast<char*>(out_arg(info[2], cases, "GemmEpilogue: runMany: outs"));
    const int threads = threads_arg(info[4]);
    const size_t out_case = static_cast<size_t>(plan_.out_elements) * out_bytes(in_.path);
    for (int64_t c = 0; c < cases; ++c)
      compute(x.data + c * x_elements_, w.data + c * w_elements_, out + static_cast<size_t>(c) * out_case, threads);
    return info[2];
  });
}

// info() -> { outShape, outElements }
Napi::Value GemmEpilogue::Info(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    Napi::Object o = Napi::Object::New(info.Env());
    Napi::Array shape = Napi::Array::New(info.Env(), plan_.out_shape.size());
    for (size_t i = 0; i < plan_.out_shape.size(); ++i) shape.Set(static_cast<uint32_t>(i), static_cast<double>(plan_.out_shape[i]));
    o.Set("outShape", shape);
    o.Set("outElements", static_cast<double>(plan_.out_elements));
    return o;
  });
}

}  // namespace a8w8
