// The JS binding of the input generator (generate.h).
#pragma once
#include <napi.h>

namespace a8w8 {

// generateInto(kind, seed, params, store, out) -> boolean (see generate_napi.cc)
Napi::Value GenerateInto(const Napi::CallbackInfo& info);

}  // namespace a8w8
