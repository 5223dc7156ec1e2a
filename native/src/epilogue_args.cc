#include "epilogue_args.h"

#include "napi_args.h"

namespace a8w8 {

namespace {

PathId path_arg(const std::string& s) {
  static const struct { const char* name; PathId id; } kPaths[] = {
      {"int8-requant", PathId::Int8Requant},   {"fp16-fixpipe", PathId::Fp16Fixpipe},
      {"fp16-float-bias", PathId::Fp16FloatBias}, {"bf16-vector", PathId::Bf16Vector},
      {"fp16-pertoken", PathId::Fp16Pertoken}, {"int32-acc", PathId::Int32Acc},
  };
  for (const auto& p : kPaths)
    if (s == p.name) return p.id;
  throw ArgError("epilogue: unknown path '" + s + "'");
}

std::string choice(const Napi::Object& obj, const char* key, const char* a, const char* b) {
  const std::string s = string_arg(prop(obj, key), std::string("epilogue: variant.") + key);
  if (s != a && s != b) throw ArgError(std::string("epilogue: variant.") + key + " must be '" + a + "' or '" + b + "', got '" + s + "'");
  return s;
}

void length_1_or_n(int64_t len, int64_t n, const char* what) {
  if (len != 1 && len != n)
    throw ArgError(std::string("epilogue: ") + what + " has length " + std::to_string(len) + ", expected 1 or n=" + std::to_string(n));
}

void read_scale(const Napi::Object& args, EpilogueInput& in) {
  Napi::Object scale = object_arg(prop(args, "scale"), "epilogue: scale");
  const std::string dtype = string_arg(prop(scale, "dtype"), "epilogue: scale.dtype");
  Napi::Value data = prop(scale, "data");
  if (dtype == "float32") {
    auto v = float32_arg(data, "epilogue: float32 scale.data");
    in.scale_type = ScaleType::F32, in.scale = v.data, in.scale_len = v.length;
  } else if (dtype == "bfloat16") {
    auto v = uint16_arg(data, "epilogue: bfloat16 scale.data");
    in.scale_type = ScaleType::Bf16, in.scale = v.data, in.scale_len = v.length;
  } else if (dtype == "int64") {
    auto v = bigint64_arg(data, "epilogue: int64 scale.data");
    in.scale_type = ScaleType::I64, in.scale = v.data, in.scale_len = v.length;
  } else {
    throw ArgError("epilogue: scale.dtype must be float32, bfloat16 or int64, got '" + dtype + "'", true);
  }
  length_1_or_n(in.scale_len, in.n, "scale");
}

void read_bias(const Napi::Object& args, EpilogueInput& in, size_t out_rank) {
  Napi::Value b = prop(args, "bias");
  if (b.IsNull() || b.IsUndefined()) return;
  Napi::Object bias = object_arg(b, "epilogue: bias");
  const std::string dtype = string_arg(prop(bias, "dtype"), "epilogue: bias.dtype");
  const std::vector<int64_t> shape = shape_arg(prop(bias, "shape"), "epilogue: bias.shape", 1, 3);
  const bool vector = shape.size() == 1 && shape[0] == in.n;
  const bool batched = shape.size() == 3 && out_rank == 3 && (shape[0] == 1 || shape[0] == in.batches) && shape[1] == 1 && shape[2] == in.n;
  if (!vector && !batched)
    throw ArgError("epilogue: bias shape is neither (n=" + std::to_string(in.n) + ") nor, for a 3-D output, (batch, 1, n)");
  in.bias_batches = batched ? shape[0] : 0;
  const int64_t expected = batched ? shape[0] * in.n : in.n;
  Napi::Value data = prop(bias, "data");
  int64_t len = 0;
  if (dtype == "int32") {
    auto v = int32_arg(data, "epilogue: int32 bias.data");
    in.bias_type = BiasType::I32, in.bias = v.data, len = v.length;
  } else if (dtype == "float32") {
    auto v = float32_arg(data, "epilogue: float32 bias.data");
    in.bias_type = BiasType::F32, in.bias = v.data, len = v.length;
  } else if (dtype == "float16" || dtype == "bfloat16") {
    auto v = uint16_arg(data, "epilogue: " + dtype + " bias.data");
    in.bias_type = dtype == "float16" ? BiasType::F16 : BiasType::Bf16, in.bias = v.data, len = v.length;
  } else {
    throw ArgError("epilogue: bias.dtype must be int32, float32, float16 or bfloat16, got '" + dtype + "'", true);
  }
  if (len != expected)
    throw ArgError("epilogue: bias has length " + std::to_string(len) + ", its shape needs " + std::to_string(expected));
}

void read_variant(const Napi::Object& args, EpilogueInput& in) {
  Napi::Object v = object_arg(prop(args, "variant"), "epilogue: variant");
  in.variant.scale_fp19 = bool_prop(v, "scaleFp19", "epilogue: variant");
  in.variant.fused_order = choice(v, "pertokenOrder", "sequential", "fused") == "fused";
  in.variant.fp16_saturate = choice(v, "fp16Overflow", "inf", "saturate") == "saturate";
  in.variant.tie_odd = choice(v, "int8Tie", "even", "odd") == "odd";
  in.variant.clamp9 = bool_prop(v, "int8Clamp9", "epilogue: variant");
}

}  // namespace

EpilogueInput epilogue_params(const Napi::Value& value, const std::vector<int64_t>& out_shape) {
  Napi::Object args = object_arg(value, "epilogue: args");
  EpilogueInput in;
  in.path = path_arg(string_arg(prop(args, "path"), "epilogue: path"));
  const int64_t count = checked_numel(out_shape, "epilogue: outShape");
  in.m = out_shape[out_shape.size() - 2];
  in.n = out_shape.back();
  in.batches = count / (in.m * in.n);
  read_scale(args, in);
  TypedView<float> offset;
  if (optional_float32_arg(prop(args, "offset"), "epilogue: offset", &offset)) {
    length_1_or_n(offset.length, in.n, "offset");
    in.offset = offset.data;
    in.offset_len = offset.length;
  }
  read_bias(args, in, out_shape.size());
  TypedView<float> pertoken;
  if (optional_float32_arg(prop(args, "pertoken"), "epilogue: pertoken", &pertoken)) {
    if (pertoken.length != in.m)
      throw ArgError("epilogue: pertoken has length " + std::to_string(pertoken.length) + ", expected m=" + std::to_string(in.m));
    in.pertoken = pertoken.data;
  }
  read_variant(args, in);
  return in;
}

EpilogueInput epilogue_input(const Napi::Value& value) {
  Napi::Object args = object_arg(value, "epilogue: args");
  const std::vector<int64_t> out_shape = shape_arg(prop(args, "outShape"), "epilogue: outShape", 2, 6);
  const int64_t count = checked_numel(out_shape, "epilogue: outShape");
  auto acc = int32_arg(prop(args, "acc"), "epilogue: acc");
  if (acc.length != count)
    throw ArgError("epilogue: acc has length " + std::to_string(acc.length) + ", outShape needs " + std::to_string(count));
  EpilogueInput in = epilogue_params(value, out_shape);
  in.acc = acc.data;
  return in;
}

}  // namespace a8w8
