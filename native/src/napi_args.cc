#include "napi_args.h"

#include <cmath>

namespace a8w8 {

void check_pending(Napi::Env env) {
  if (env.IsExceptionPending()) throw PendingJsError{};
}

namespace {

template <typename T>
TypedView<T> typed(const Napi::Value& v, const char* what, napi_typedarray_type type, const char* type_name) {
  napi_typedarray_type got;
  size_t length = 0;
  void* data = nullptr;
  // fails (napi_invalid_arg) for anything but a typed array; data is already offset to the first element
  if (v.IsEmpty() || napi_get_typedarray_info(v.Env(), v, &got, &length, &data, nullptr, nullptr) != napi_ok || got != type) {
    check_pending(v.Env());
    throw ArgError(std::string(what) + " must be a " + type_name, true);
  }
  TypedView<T> view;
  view.data = static_cast<T*>(data);
  view.length = static_cast<int64_t>(length);
  return view;
}

}  // namespace

TypedView<int8_t> int8_arg(const Napi::Value& v, const char* what) {
  return typed<int8_t>(v, what, napi_int8_array, "Int8Array");
}
TypedView<int32_t> int32_arg(const Napi::Value& v, const char* what) {
  return typed<int32_t>(v, what, napi_int32_array, "Int32Array");
}
TypedView<float> float32_arg(const Napi::Value& v, const char* what) {
  return typed<float>(v, what, napi_float32_array, "Float32Array");
}
TypedView<uint16_t> uint16_arg(const Napi::Value& v, const char* what) {
  return typed<uint16_t>(v, what, napi_uint16_array, "Uint16Array");
}
TypedView<int64_t> bigint64_arg(const Napi::Value& v, const char* what) {
  return typed<int64_t>(v, what, napi_bigint64_array, "BigInt64Array");
}

bool optional_float32_arg(const Napi::Value& v, const std::string& what, TypedView<float>* out) {
  if (v.IsNull() || v.IsUndefined()) return false;
  *out = float32_arg(v, what);
  return true;
}

std::vector<int64_t> shape_arg(const Napi::Value& v, const std::string& what, size_t min_rank, size_t max_rank) {
  if (!v.IsArray()) throw ArgError(what + " must be an array of dims", true);
  Napi::Array arr = v.As<Napi::Array>();
  const uint32_t rank = arr.Length();
  if (rank < min_rank || rank > max_rank)
    throw ArgError(what + " must have " + std::to_string(min_rank) + " to " + std::to_string(max_rank) + " dims, got " + std::to_string(rank));
  std::vector<int64_t> shape(rank);
  for (uint32_t d = 0; d < rank; ++d) {
    Napi::Value e = arr.Get(d);
    check_pending(v.Env());
    if (!e.IsNumber()) throw ArgError(what + "[" + std::to_string(d) + "] must be a number", true);
    const double x = e.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(x) || x != std::floor(x))
      throw ArgError(what + "[" + std::to_string(d) + "] must be an integer, got " + std::to_string(x));
    if (x < 1) throw ArgError(what + "[" + std::to_string(d) + "] must be >= 1, got " + std::to_string(static_cast<long long>(x)));
    if (x > static_cast<double>(kMaxElements))
      throw ArgError(what + "[" + std::to_string(d) + "] is too large (" + std::to_string(x) + ")");
    shape[d] = static_cast<int64_t>(x);
  }
  return shape;
}

int64_t dim_arg(const Napi::Value& v, const std::string& what) {
  if (!v.IsNumber()) throw ArgError(what + " must be a number", true);
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x) || x != std::floor(x) || x < 1 || x > static_cast<double>(kMaxElements))
    throw ArgError(what + " must be an integer in [1, 2^40], got " + std::to_string(x));
  return static_cast<int64_t>(x);
}

int threads_arg(const Napi::Value& v) {
  if (v.IsUndefined() || v.IsNull()) return 0;
  if (!v.IsNumber()) throw ArgError("threads must be a number", true);
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x) || x != std::floor(x) || x < 1 || x > 4096)
    throw ArgError("threads must be an integer in [1, 4096], got " + std::to_string(x));
  return static_cast<int>(x);
}

std::string string_arg(const Napi::Value& v, const std::string& what) {
  if (!v.IsString()) throw ArgError(what + " must be a string", true);
  return v.As<Napi::String>().Utf8Value();
}

Napi::Value prop(const Napi::Object& obj, const char* key) {
  Napi::Value v = obj.Get(key);
  check_pending(obj.Env());
  return v;
}

Napi::Object object_arg(const Napi::Value& v, const std::string& what) {
  if (!v.IsObject() || v.IsArray() || v.IsTypedArray()) throw ArgError(what + " must be an object", true);
  return v.As<Napi::Object>();
}

bool bool_prop(const Napi::Object& obj, const char* key, const std::string& what) {
  Napi::Value v = prop(obj, key);
  if (!v.IsBoolean()) throw ArgError(what + "." + key + " must be a boolean", true);
  return v.As<Napi::Boolean>().Value();
}

AnyTyped any_typed(Napi::Env env, const Napi::Value& v, const char* what) {
  AnyTyped t;
  if (v.IsEmpty() || napi_get_typedarray_info(env, v, &t.type, &t.length, &t.data, nullptr, nullptr) != napi_ok) {
    check_pending(env);
    throw ArgError(std::string(what) + " must be a typed array", true);
  }
  return t;
}

namespace {
template <typename T> constexpr napi_typedarray_type kTypedArrayType = napi_int8_array;
template <> constexpr napi_typedarray_type kTypedArrayType<int8_t> = napi_int8_array;
template <> constexpr napi_typedarray_type kTypedArrayType<uint16_t> = napi_uint16_array;
template <> constexpr napi_typedarray_type kTypedArrayType<int32_t> = napi_int32_array;
template <> constexpr napi_typedarray_type kTypedArrayType<double> = napi_float64_array;
template <typename T> constexpr const char* kTypedArrayName = "";
template <> constexpr const char* kTypedArrayName<int8_t> = "an Int8Array";
template <> constexpr const char* kTypedArrayName<uint16_t> = "a Uint16Array";
template <> constexpr const char* kTypedArrayName<int32_t> = "an Int32Array";
template <> constexpr const char* kTypedArrayName<double> = "a Float64Array";
}  // namespace

template <typename T>
Napi::TypedArrayOf<T> output_arg(const Napi::Value& v, size_t count, const char* what, std::initializer_list<ByteRange> inputs) {
  Napi::Env env = v.Env();
  if (v.IsUndefined() || v.IsNull()) {
    Napi::TypedArrayOf<T> out = Napi::TypedArrayOf<T>::New(env, count);
    check_pending(env);
    return out;
  }
  const AnyTyped t = any_typed(env, v, what);
  if (t.type != kTypedArrayType<T>) throw ArgError(std::string(what) + " must be " + kTypedArrayName<T>, true);
  if (t.length != count)
    throw ArgError(std::string(what) + " has " + std::to_string(t.length) + " elements, expected " + std::to_string(count));
  const auto* lo = static_cast<const char*>(t.data);
  const char* hi = lo + count * sizeof(T);
  for (const ByteRange& r : inputs) {
    const auto* rlo = static_cast<const char*>(r.data);
    if (rlo != nullptr && r.bytes > 0 && rlo < hi && lo < rlo + r.bytes)
      throw ArgError(std::string(what) + " shares memory with an input of the call");
  }
  return v.As<Napi::TypedArrayOf<T>>();
}

template Napi::TypedArrayOf<int8_t> output_arg<int8_t>(const Napi::Value&, size_t, const char*, std::initializer_list<ByteRange>);
template Napi::TypedArrayOf<uint16_t> output_arg<uint16_t>(const Napi::Value&, size_t, const char*, std::initializer_list<ByteRange>);
template Napi::TypedArrayOf<int32_t> output_arg<int32_t>(const Napi::Value&, size_t, const char*, std::initializer_list<ByteRange>);
template Napi::TypedArrayOf<double> output_arg<double>(const Napi::Value&, size_t, const char*, std::initializer_list<ByteRange>);

}  // namespace a8w8
