// The JS bindings of the compare helpers: arguments checked, then the typed loops of compare_run.h.
#include "compare_napi.h"

#include <cmath>
#include <limits>
#include <string>

#include "compare_run.h"
#include "guard.h"
#include "napi_args.h"

namespace a8w8 {

// compareShortRun(actual, expected, base, ideal: Float64Array, table: Float32Array | null, int8: boolean,
//   overflow: number, start: number, state: Float64Array [sumIdeal, nanCount, maxUlp, laneCount],
//   lane?: { exponent: number, fraction: number, alts: Uint16Array[] }, exponent?: number) -> number
// The short path of compare.ts from `start` (see compare_run.h), with the NaN lane when `lane` is given
// (Uint16Array outputs only); returns where it stopped. `exponent`, the fp16 / bf16 exponent bits, lets
// plain stretches of a Uint16Array output run without a test per element (without it they run the
// element loop, with the same results).
Napi::Value CompareShortRun(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const AnyTyped a = any_typed(env, info[0], "compareShortRun: actual");
    const AnyTyped e = any_typed(env, info[1], "compareShortRun: expected");
    const AnyTyped b = any_typed(env, info[2], "compareShortRun: base");
    if (a.type != e.type || b.type != e.type || a.length != e.length || b.length != e.length)
      throw ArgError("compareShortRun: actual, expected and base must be typed arrays of one type and length", true);
    const size_t n = e.length;
    auto ideal = [&]() {
      const AnyTyped t = any_typed(env, info[3], "compareShortRun: ideal");
      if (t.type != napi_float64_array || t.length < n) throw ArgError("compareShortRun: ideal must be a Float64Array of the output's length", true);
      return static_cast<const double*>(t.data);
    }();
    ShortRunFormat f;
    if (!info[4].IsNull()) {
      const TypedView<float> table = float32_arg(info[4], "compareShortRun: table");
      if (table.length != 0x10000) throw ArgError("compareShortRun: table must hold 65536 values");
      if (e.type != napi_uint16_array) throw ArgError("compareShortRun: a table decodes Uint16Array outputs only", true);
      f.table = table.data;
    }
    if (!info[5].IsBoolean() || !info[6].IsNumber() || !info[7].IsNumber()) throw ArgError("compareShortRun: int8, overflow and start must be a boolean and numbers", true);
    f.int8 = info[5].As<Napi::Boolean>().Value();
    f.overflow = info[6].As<Napi::Number>().DoubleValue();
    const double start = info[7].As<Napi::Number>().DoubleValue();
    if (!(start >= 0 && start <= static_cast<double>(n)) || start != std::floor(start)) throw ArgError("compareShortRun: start out of range");
    const AnyTyped st = any_typed(env, info[8], "compareShortRun: state");
    if (st.type != napi_float64_array || st.length != 4) throw ArgError("compareShortRun: state must be a Float64Array of 4", true);
    double* state = static_cast<double*>(st.data);
    ShortRunState s{state[0], state[1], state[2], state[3]};
    if (info.Length() > 9 && !info[9].IsUndefined()) {
      if (!info[9].IsObject() || e.type != napi_uint16_array || f.table == nullptr)
        throw ArgError("compareShortRun: lane must be { exponent, fraction, alts } and is for fp16 / bf16 outputs only", true);
      const Napi::Object lane = info[9].As<Napi::Object>();
      const Napi::Value ex = lane.Get("exponent"), fr = lane.Get("fraction"), alts = lane.Get("alts");
      if (!ex.IsNumber() || !fr.IsNumber() || !alts.IsArray()) throw ArgError("compareShortRun: lane must be { exponent, fraction, alts }", true);
      const Napi::Array list = alts.As<Napi::Array>();
      if (list.Length() > static_cast<uint32_t>(kMaxLaneAlts)) throw ArgError("compareShortRun: lane.alts holds at most " + std::to_string(kMaxLaneAlts) + " arrays");
      f.lane.on = true;
      f.lane.exponent = static_cast<uint16_t>(ex.As<Napi::Number>().Uint32Value());
      f.lane.fraction = static_cast<uint16_t>(fr.As<Napi::Number>().Uint32Value());
      for (uint32_t q = 0; q < list.Length(); ++q) {
        const AnyTyped alt = any_typed(env, list.Get(q), "compareShortRun: lane.alts");
        if (alt.type != napi_uint16_array || alt.length != n) throw ArgError("compareShortRun: lane.alts must be Uint16Arrays of the output's length", true);
        f.lane.alts[q] = static_cast<const uint16_t*>(alt.data);
      }
      f.lane.n_alts = static_cast<int>(list.Length());
    }
    if (info.Length() > 10 && !info[10].IsUndefined()) {
      if (!info[10].IsNumber() || f.table == nullptr) throw ArgError("compareShortRun: exponent must be a number and is for fp16 / bf16 outputs only", true);
      const double bits = info[10].As<Napi::Number>().DoubleValue();
      // the exponent bits alone are +inf in IEEE formats: a mask that is not the table's own would let
      // infinities and NaNs pass as finite
      if (!(bits > 0 && bits <= 0xFFFF) || bits != std::floor(bits) || f.table[static_cast<size_t>(bits)] != std::numeric_limits<float>::infinity())
        throw ArgError("compareShortRun: exponent must be the format's exponent bits (the pattern the table decodes as +inf)");
      f.exponent = static_cast<uint16_t>(bits);
    }
    size_t stop = 0;
    const size_t from = static_cast<size_t>(start);
    switch (e.type) {
      case napi_int8_array:
        stop = short_run(static_cast<const int8_t*>(a.data), static_cast<const int8_t*>(e.data), static_cast<const int8_t*>(b.data), ideal, from, n, f, &s);
        break;
      case napi_uint16_array:
        if (f.table == nullptr) throw ArgError("compareShortRun: a Uint16Array output needs its decode table", true);
        stop = short_run(static_cast<const uint16_t*>(a.data), static_cast<const uint16_t*>(e.data), static_cast<const uint16_t*>(b.data), ideal, from, n, f, &s);
        break;
      case napi_int32_array:
        stop = short_run(static_cast<const int32_t*>(a.data), static_cast<const int32_t*>(e.data), static_cast<const int32_t*>(b.data), ideal, from, n, f, &s);
        break;
      default:
        throw ArgError("compareShortRun: outputs must be Int8Array, Uint16Array or Int32Array", true);
    }
    state[0] = s.sum_ideal;
    state[1] = s.nan_count;
    state[2] = s.max_ulp;
    state[3] = s.lane_count;
    return Napi::Number::New(env, static_cast<double>(stop));
  });
}

// countDiffering(a, b) -> number: elements that differ, for two typed arrays of one type and length.
Napi::Value CountDiffering(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const AnyTyped a = any_typed(env, info[0], "countDiffering: a");
    const AnyTyped b = any_typed(env, info[1], "countDiffering: b");
    if (a.type != b.type || a.length != b.length) throw ArgError("countDiffering: a and b must be typed arrays of one type and length", true);
    size_t count = 0;
    switch (a.type) {
      case napi_int8_array: count = count_differing(static_cast<const int8_t*>(a.data), static_cast<const int8_t*>(b.data), a.length); break;
      case napi_uint16_array: count = count_differing(static_cast<const uint16_t*>(a.data), static_cast<const uint16_t*>(b.data), a.length); break;
      case napi_int32_array: count = count_differing(static_cast<const int32_t*>(a.data), static_cast<const int32_t*>(b.data), a.length); break;
      default: throw ArgError("countDiffering: arrays must be Int8Array, Uint16Array or Int32Array", true);
    }
    return Napi::Number::New(env, static_cast<double>(count));
  });
}

}  // namespace a8w8
