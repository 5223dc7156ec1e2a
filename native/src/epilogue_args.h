// Reads and checks a JS EpilogueArgs object (harness/reference/impl.ts) into an EpilogueInput.
#pragma once
#include <napi.h>

#include "epilogue.h"

namespace a8w8 {

// The returned input points into the JS typed arrays of `args`: use it before returning to JS.
EpilogueInput epilogue_input(const Napi::Value& args);
// The same without acc and outShape (ignored if present): the output shape is given; in.acc stays null.
EpilogueInput epilogue_params(const Napi::Value& args, const std::vector<int64_t>& out_shape);

}  // namespace a8w8
