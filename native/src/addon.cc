// The addon's exports. Each function re-checks its arguments (the TS layer in
// harness/reference/native.ts checks first) and turns every C++ exception into a JS error.
#include <napi.h>

#include <cmath>
#include <string>
#include <vector>

#include "batch.h"
#include "bench_probes.h"
#include "casts.h"
#include "compare_napi.h"
#include "compare_run.h"
#include "engine.h"
#include "epilogue.h"
#include "epilogue_args.h"
#include "gemm_epilogue.h"
#include "generate_napi.h"
#include "guard.h"
#include "napi_args.h"
#include "onednn_engine.h"
#include "prepared.h"
#include "quant_param.h"

namespace a8w8 {

namespace {

// gemm(x1: Int8Array, x1Shape, weight: Int8Array, weightShape, threads?, out?: Int32Array) -> out, or a
// new Int32Array
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto x = int8_arg(info[0], "gemm: x1");
    const std::vector<int64_t> xs = shape_arg(info[1], "gemm: x1 shape", 2, 6);
    auto w = int8_arg(info[2], "gemm: weight");
    const std::vector<int64_t> ws = shape_arg(info[3], "gemm: weight shape", 2, 6);
    const int threads = threads_arg(info[4]);
    const BatchPlan plan = plan_batch(xs, ws);
    if (x.length != checked_numel(xs, "x1"))
      throw ArgError("gemm: x1 has " + std::to_string(x.length) + " elements, its shape needs " + std::to_string(checked_numel(xs, "x1")));
    if (w.length != checked_numel(ws, "weight"))
      throw ArgError("gemm: weight has " + std::to_string(w.length) + " elements, its shape needs " + std::to_string(checked_numel(ws, "weight")));
    Napi::Int32Array out = output_arg<int32_t>(info[5], static_cast<size_t>(plan.out_elements), "gemm: out",
                                               {{x.data, static_cast<size_t>(x.length)}, {w.data, static_cast<size_t>(w.length)}});
    run_batched(plan, x.data, w.data, out.Data(), threads);
    return out;
  });
}

// The bytes each array of an epilogue's input covers, so that an output passed in is never one of them.
size_t scale_bytes(ScaleType t) { return t == ScaleType::F32 ? 4 : t == ScaleType::Bf16 ? 2 : 8; }
size_t bias_bytes(BiasType t) { return t == BiasType::I32 || t == BiasType::F32 ? 4 : 2; }

template <typename T>
Napi::TypedArrayOf<T> epilogue_output(const Napi::Value& v, const EpilogueInput& in, const char* what) {
  const auto n = static_cast<size_t>(in.n);
  const size_t rows = static_cast<size_t>(in.batches * in.m);
  const size_t bias_rows = in.bias_batches == 0 ? 1 : static_cast<size_t>(in.bias_batches);
  return output_arg<T>(v, rows * n, what, {
    {in.acc, rows * n * sizeof(int32_t)},
    {in.scale, static_cast<size_t>(in.scale_len) * scale_bytes(in.scale_type)},
    {in.offset, static_cast<size_t>(in.offset_len) * sizeof(float)},
    {in.bias, in.bias_type == BiasType::None ? 0 : bias_rows * n * bias_bytes(in.bias_type)},
    {in.pertoken, in.pertoken == nullptr ? 0 : static_cast<size_t>(in.m) * sizeof(float)},
  });
}

// epilogue(args: EpilogueArgs, threads?, out?) -> out, or a new Int8Array | Uint16Array | Int32Array
Napi::Value Epilogue(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const EpilogueInput in = epilogue_input(info[0]);
    const int threads = effective_threads(threads_arg(info[1]));
    switch (out_kind(in.path)) {
      case OutKind::I8: {
        Napi::Int8Array out = epilogue_output<int8_t>(info[2], in, "epilogue: out");
        run_epilogue(in, out.Data(), threads);
        return out;
      }
      case OutKind::U16: {
        Napi::Uint16Array out = epilogue_output<uint16_t>(info[2], in, "epilogue: out");
        run_epilogue(in, out.Data(), threads);
        return out;
      }
      case OutKind::I32: break;
    }
    Napi::Int32Array out = epilogue_output<int32_t>(info[2], in, "epilogue: out");
    run_epilogue(in, out.Data(), threads);
    return out;
  });
}

// ideal(args: EpilogueArgs, out?: Float64Array) -> out, or a new Float64Array
Napi::Value Ideal(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const EpilogueInput in = epilogue_input(info[0]);
    Napi::Float64Array out = epilogue_output<double>(info[1], in, "ideal: out");
    run_ideal(in, out.Data());
    return out;
  });
}

// Output length of the packed parameter: max of the two, a length-1 input broadcasting (device).
int64_t packed_length(int64_t scale_len, bool has_offset, int64_t offset_len, const char* fn) {
  if (scale_len < 1) throw ArgError(std::string(fn) + ": scale must not be empty");
  if (!has_offset) return scale_len;
  if (offset_len < 1) throw ArgError(std::string(fn) + ": offset must not be empty");
  if (scale_len != offset_len && scale_len != 1 && offset_len != 1)
    throw ArgError(std::string(fn) + ": scale (" + std::to_string(scale_len) + ") and offset (" + std::to_string(offset_len) + ") lengths must match or be 1");
  return scale_len > offset_len ? scale_len : offset_len;
}

// transQuantParam(scale: Float32Array, offset: Float32Array | null, roundMode: 0 | 1) -> BigInt64Array
Napi::Value TransQuantParam(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto scale = float32_arg(info[0], "transQuantParam: scale");
    TypedView<float> offset;
    const bool has_offset = optional_float32_arg(info[1], "transQuantParam: offset", &offset);
    if (!info[2].IsNumber()) throw ArgError("transQuantParam: roundMode must be 0 or 1", true);
    const double mode = info[2].As<Napi::Number>().DoubleValue();
    if (mode != 0 && mode != 1) throw ArgError("transQuantParam: roundMode must be 0 or 1");
    const int64_t len = packed_length(scale.length, has_offset, offset.length, "transQuantParam");
    Napi::BigInt64Array out = Napi::BigInt64Array::New(info.Env(), static_cast<size_t>(len));
    check_pending(info.Env());
    for (int64_t i = 0; i < len; ++i) {
      const float s = scale.data[scale.length == 1 ? 0 : i];
      const float o = has_offset ? offset.data[offset.length == 1 ? 0 : i] : 0.f;
      out.Data()[i] = static_cast<int64_t>(pack_device(s, has_offset, o, static_cast<int>(mode)));
    }
    return out;
  });
}

// transQuantParamHost(scale, offset | null) -> BigInt64Array: aclnnTransQuantParam's host loops, which do
// not broadcast: entry i takes scale[i] (with the flag) if i < len(scale), offset[i] if i < len(offset).
Napi::Value TransQuantParamHost(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto scale = float32_arg(info[0], "transQuantParamHost: scale");
    TypedView<float> offset;
    const bool has_offset = optional_float32_arg(info[1], "transQuantParamHost: offset", &offset);
    if (scale.length < 1) throw ArgError("transQuantParamHost: scale must not be empty");
    const int64_t len = has_offset && offset.length > scale.length ? offset.length : scale.length;
    Napi::BigInt64Array out = Napi::BigInt64Array::New(info.Env(), static_cast<size_t>(len));
    check_pending(info.Env());
    for (int64_t i = 0; i < len; ++i) {
      uint64_t v = 0;
      if (i < scale.length) v = uint64_t{f32_bits(scale.data[i])} | kQuantScaleFlag;
      if (has_offset && i < offset.length)
        v = (v & 0x4000FFFFFFFFull) | ((static_cast<uint64_t>(offset9_away(offset.data[i])) & 0x1FFu) << kOffsetShift);
      out.Data()[i] = static_cast<int64_t>(v);
    }
    return out;
  });
}

template <void (*Cast)(const float*, uint16_t*, size_t)>
Napi::Value CastArray(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto x = float32_arg(info[0], "cast: x");
    Napi::Uint16Array out = Napi::Uint16Array::New(info.Env(), static_cast<size_t>(x.length));
    check_pending(info.Env());
    Cast(x.data, out.Data(), static_cast<size_t>(x.length));
    return out;
  });
}

Napi::Object info_object(Napi::Env env) {
  const EngineInfo e = engine_info();
  Napi::Object o = Napi::Object::New(env);
  o.Set("engine", e.engine == EngineKind::OneDnn ? "onednn" : "portable");
  o.Set("isa", isa_name(e.isa));
  o.Set("bestIsa", isa_name(best_isa()));
  o.Set("reason", e.reason);
  o.Set("threads", e.threads);
  o.Set("onednnLinked", e.onednn_linked);
  Napi::Object probe = Napi::Object::New(env);
  probe.Set("ran", e.probe_ran);
  probe.Set("exact", e.probe_exact);
  probe.Set("detail", e.probe_detail);
  o.Set("probe", probe);
  return o;
}

// engineInfo() -> { engine, isa, bestIsa, reason, threads, onednnLinked, probe: { ran, exact, detail } }
Napi::Value EngineInfoJs(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value { return info_object(info.Env()); });
}

// configure({ engine?: 'auto'|'onednn'|'portable', isa?: 'auto'|'avx512vnni'|'avx2'|'scalar' }) -> engineInfo()
Napi::Value Configure(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    Napi::Object o = object_arg(info[0], "configure: options");
    Napi::Value e = prop(o, "engine"), i = prop(o, "isa");
    const std::string engine = e.IsUndefined() ? "auto" : string_arg(e, "configure: engine");
    const std::string isa = i.IsUndefined() ? "auto" : string_arg(i, "configure: isa");
    configure_engine(engine, isa);
    return info_object(info.Env());
  });
}

// onednnImpl(m, n, k, threads?): oneDNN's implementation name for a shape ("" when not linked), to show
// which kernel it would use.
Napi::Value OnednnImpl(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const int64_t m = dim_arg(info[0], "m"), n = dim_arg(info[1], "n"), k = dim_arg(info[2], "k");
    const int threads = effective_threads(threads_arg(info[3]));
    return Napi::String::New(info.Env(), onednn_impl_name(m, n, k, threads));
  });
}

// onednnPrimitives() -> [{ m, n, k, layout, threads, impl }]: the cached oneDNN primitives and the thread
// count each was created under, so tests and the bench can see that every count gets its own.
Napi::Value OnednnPrimitives(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const std::vector<OnednnPrimitive> list = onednn_primitives();
    Napi::Array out = Napi::Array::New(info.Env(), list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("m", static_cast<double>(list[i].m));
      o.Set("n", static_cast<double>(list[i].n));
      o.Set("k", static_cast<double>(list[i].k));
      o.Set("layout", list[i].layout);
      o.Set("threads", list[i].threads);
      o.Set("impl", list[i].impl);
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  });
}

// onednnGemm(x, w, m, n, k, threads?) -> Int32Array: oneDNN direct (a bench peer), even if inexact here.
Napi::Value OnednnGemm(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    auto x = int8_arg(info[0], "onednnGemm: x");
    auto w = int8_arg(info[1], "onednnGemm: w");
    const int64_t m = dim_arg(info[2], "m"), n = dim_arg(info[3], "n"), k = dim_arg(info[4], "k");
    const int threads = effective_threads(threads_arg(info[5]));
    if (m > kMaxElements / k || n > kMaxElements / k || m > kMaxElements / n || x.length != m * k || w.length != n * k)
      throw ArgError("onednnGemm: lengths do not match m, n, k");
    Napi::Int32Array out = Napi::Int32Array::New(info.Env(), static_cast<size_t>(m * n));
    check_pending(info.Env());
    onednn_gemm(x.data, w.data, out.Data(), m, n, k, threads);
    return out;
  });
}

// measurePeak(isa, threads, seconds) -> GOPS; measureReadBandwidth(bytes, threads, reps) -> GB/s
Napi::Value MeasurePeak(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    Isa isa;
    if (!parse_isa(string_arg(info[0], "measurePeak: isa"), &isa)) throw ArgError("measurePeak: unknown isa");
    const int threads = effective_threads(threads_arg(info[1]));
    const double seconds = info[2].IsNumber() ? info[2].As<Napi::Number>().DoubleValue() : 0.3;
    return Napi::Number::New(info.Env(), measure_peak_gops(isa, threads, seconds));
  });
}

Napi::Value MeasureReadBandwidth(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const int64_t bytes = dim_arg(info[0], "measureReadBandwidth: bytes");
    const int threads = effective_threads(threads_arg(info[1]));
    const int64_t reps = dim_arg(info[2], "measureReadBandwidth: reps");
    return Napi::Number::New(info.Env(), measure_read_bandwidth(bytes, threads, static_cast<int>(reps)));
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Number::New(env, 3));
  exports.Set("gemm", Napi::Function::New<Gemm>(env, "gemm"));
  exports.Set("epilogue", Napi::Function::New<Epilogue>(env, "epilogue"));
  exports.Set("ideal", Napi::Function::New<Ideal>(env, "ideal"));
  exports.Set("transQuantParam", Napi::Function::New<TransQuantParam>(env, "transQuantParam"));
  exports.Set("transQuantParamHost", Napi::Function::New<TransQuantParamHost>(env, "transQuantParamHost"));
  exports.Set("f32ToF16", Napi::Function::New<CastArray<f32_to_f16_array>>(env, "f32ToF16"));
  exports.Set("f32ToBf16", Napi::Function::New<CastArray<f32_to_bf16_array>>(env, "f32ToBf16"));
  exports.Set("generateInto", Napi::Function::New<GenerateInto>(env, "generateInto"));
  exports.Set("compareShortRun", Napi::Function::New<CompareShortRun>(env, "compareShortRun"));
  exports.Set("countDiffering", Napi::Function::New<CountDiffering>(env, "countDiffering"));
  exports.Set("compareLaneMaxAlts", Napi::Number::New(env, kMaxLaneAlts));
  exports.Set("engineInfo", Napi::Function::New<EngineInfoJs>(env, "engineInfo"));
  exports.Set("configure", Napi::Function::New<Configure>(env, "configure"));
  exports.Set("onednnImpl", Napi::Function::New<OnednnImpl>(env, "onednnImpl"));
  exports.Set("onednnGemm", Napi::Function::New<OnednnGemm>(env, "onednnGemm"));
  exports.Set("onednnPrimitives", Napi::Function::New<OnednnPrimitives>(env, "onednnPrimitives"));
  exports.Set("measurePeak", Napi::Function::New<MeasurePeak>(env, "measurePeak"));
  exports.Set("measureReadBandwidth", Napi::Function::New<MeasureReadBandwidth>(env, "measureReadBandwidth"));
  exports.Set("PreparedWeight", PreparedWeight::Define(env));
  exports.Set("GemmEpilogue", GemmEpilogue::Define(env));
  return exports;
}

}  // namespace

}  // namespace a8w8

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return a8w8::Init(env, exports); }

NODE_API_MODULE(a8w8_ref, InitAddon)
