// The JS binding of the input generator: its arguments checked, then generate_into fills the output.
#include "generate_napi.h"

#include <cmath>
#include <string>
#include <vector>

#include "generate.h"
#include "guard.h"
#include "napi_args.h"

namespace a8w8 {

// generateInto(kind: 'uniform' | 'choice', seed: uint32, params: Float64Array, store: string, out) -> boolean
// Fills all of `out` (the typed array of `store`: int8 and int4 Int8Array, uint8 Uint8Array, int32
// Int32Array, int64 BigInt64Array, float32 Float32Array, float16 and bfloat16 Uint16Array). False when
// a value has no int64 (a non-finite one): the caller falls back to the TypeScript generator.
Napi::Value GenerateInto(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    GenParams p;
    const std::string kind = string_arg(info[0], "generateInto: kind");
    if (kind == "uniform") p.kind = GenKind::Uniform;
    else if (kind == "choice") p.kind = GenKind::Choice;
    else throw ArgError("generateInto: kind must be uniform or choice, got " + kind);
    if (!info[1].IsNumber()) throw ArgError("generateInto: seed must be a number", true);
    const double seed = info[1].As<Napi::Number>().DoubleValue();
    if (!(seed >= 0 && seed <= 4294967295.0) || seed != std::floor(seed)) throw ArgError("generateInto: seed must be a uint32");
    p.seed = static_cast<uint32_t>(seed);
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (info[2].IsEmpty() || napi_get_typedarray_info(env, info[2], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_float64_array) {
      check_pending(env);
      throw ArgError("generateInto: params must be a Float64Array", true);
    }
    p.values = static_cast<const double*>(data);
    p.value_count = length;
    if (p.kind == GenKind::Uniform ? length != 2 : length == 0)
      throw ArgError("generateInto: params must be [lo, span] for uniform and a non-empty list for choice");
    const std::string store = string_arg(info[3], "generateInto: store");
    GenStore s;
    napi_typedarray_type want;
    if (store == "int8") s = GenStore::Int8, want = napi_int8_array;
    else if (store == "int4") s = GenStore::Int4, want = napi_int8_array;
    else if (store == "uint8") s = GenStore::Uint8, want = napi_uint8_array;
    else if (store == "int32") s = GenStore::Int32, want = napi_int32_array;
    else if (store == "int64") s = GenStore::Int64, want = napi_bigint64_array;
    else if (store == "float32") s = GenStore::Float32, want = napi_float32_array;
    else if (store == "float16") s = GenStore::Float16, want = napi_uint16_array;
    else if (store == "bfloat16") s = GenStore::Bfloat16, want = napi_uint16_array;
    else throw ArgError("generateInto: unknown store " + store);
    void* out = nullptr;
    if (info[4].IsEmpty() || napi_get_typedarray_info(env, info[4], &type, &length, &out, nullptr, nullptr) != napi_ok || type != want) {
      check_pending(env);
      throw ArgError("generateInto: out is not the typed array of " + store, true);
    }
    // params may view the same memory as out only if the caller is confused; copy them to be safe
    const std::vector<double> values(p.values, p.values + p.value_count);
    p.values = values.data();
    return Napi::Boolean::New(env, generate_into(p, s, out, length));
  });
}

}  // namespace a8w8
