// The JS bindings of the compare helpers (compare_run.h).
#pragma once
#include <napi.h>

namespace a8w8 {

// compareShortRun(actual, expected, base, ideal, table, int8, overflow, start, state) -> number
Napi::Value CompareShortRun(const Napi::CallbackInfo& info);
// countDiffering(a, b) -> number
Napi::Value CountDiffering(const Napi::CallbackInfo& info);

}  // namespace a8w8
