// Reading JS arguments with every check done in C++ as well (the TS layer checks first, with better
// messages; this layer makes sure nothing a caller passes can crash the process). Failures throw
// ArgError (-> JS RangeError / TypeError) or PendingJsError (a JS exception is already pending).
#pragma once
#include <napi.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "batch.h"

namespace a8w8 {

struct PendingJsError {};

// Throws PendingJsError if a JS exception is pending (e.g. a throwing getter or a failed allocation).
void check_pending(Napi::Env env);

template <typename T>
struct TypedView {
  T* data = nullptr;
  int64_t length = 0;
};

// A typed array of exactly this element type; `what` names the argument in the message. One N-API call
// (napi_get_typedarray_info), no string built unless the check fails: small products call these per case.
// Any typed array: its element type, length and data.
struct AnyTyped {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
};
AnyTyped any_typed(Napi::Env env, const Napi::Value& v, const char* what);
TypedView<int8_t> int8_arg(const Napi::Value& v, const char* what);
TypedView<int32_t> int32_arg(const Napi::Value& v, const char* what);
TypedView<float> float32_arg(const Napi::Value& v, const char* what);
TypedView<uint16_t> uint16_arg(const Napi::Value& v, const char* what);
TypedView<int64_t> bigint64_arg(const Napi::Value& v, const char* what);
inline TypedView<int8_t> int8_arg(const Napi::Value& v, const std::string& what) { return int8_arg(v, what.c_str()); }
inline TypedView<int32_t> int32_arg(const Napi::Value& v, const std::string& what) { return int32_arg(v, what.c_str()); }
inline TypedView<float> float32_arg(const Napi::Value& v, const std::string& what) { return float32_arg(v, what.c_str()); }
inline TypedView<uint16_t> uint16_arg(const Napi::Value& v, const std::string& what) { return uint16_arg(v, what.c_str()); }
inline TypedView<int64_t> bigint64_arg(const Napi::Value& v, const std::string& what) { return bigint64_arg(v, what.c_str()); }
// An output array: the one the caller passed at `v` (exactly this element type and `count` elements,
// written whole), or a new one when `v` is undefined or null. Passing the same arrays case after case
// spares the garbage collector the tens of MB a large case's reference would otherwise allocate.
// `inputs` are the byte ranges the call reads: an output sharing memory with one is refused, since the
// call would read what it has already overwritten.
struct ByteRange {
  const void* data;
  size_t bytes;
};
template <typename T>
Napi::TypedArrayOf<T> output_arg(const Napi::Value& v, size_t count, const char* what, std::initializer_list<ByteRange> inputs);

// null/undefined -> false (absent); otherwise the checked array.
bool optional_float32_arg(const Napi::Value& v, const std::string& what, TypedView<float>* out);

// An array of 1..max_rank integers, each in [1, 2^40].
std::vector<int64_t> shape_arg(const Napi::Value& v, const std::string& what, size_t min_rank, size_t max_rank);

// One integer in [1, 2^40].
int64_t dim_arg(const Napi::Value& v, const std::string& what);

// undefined -> 0 (all threads); else an integer >= 1.
int threads_arg(const Napi::Value& v);

// A string property / argument from a fixed set.
std::string string_arg(const Napi::Value& v, const std::string& what);

// obj[key] with a pending-exception check; obj must be an object.
Napi::Value prop(const Napi::Object& obj, const char* key);
Napi::Object object_arg(const Napi::Value& v, const std::string& what);
bool bool_prop(const Napi::Object& obj, const char* key, const std::string& what);

}  // namespace a8w8
