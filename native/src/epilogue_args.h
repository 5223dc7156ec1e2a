// Reads and checks a JS EpilogueArgs object (harness/reference/impl.ts) into an EpilogueInput.
#pragma once
#include <napi.h>

#include "epilogue.h"

namespace a8w8 {

// The returned input points into the JS typed arrays of `args`: use it before returning to JS.
EpilogueInput epilogue_input(const Napi::Value& args);

}  // namespace a8w8
