// The boundary between JS and C++: every exception becomes a JS error, nothing aborts.
#pragma once
#include <napi.h>

#include <new>
#include <stdexcept>

#include "batch.h"
#include "napi_args.h"

namespace a8w8 {

inline void throw_js(Napi::Env env, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const PendingJsError&) {
    // a JS exception is already pending: let it propagate as is
  } catch (const ArgError& e) {
    if (e.type_error) Napi::TypeError::New(env, e.what()).ThrowAsJavaScriptException();
    else Napi::RangeError::New(env, e.what()).ThrowAsJavaScriptException();
  } catch (const std::bad_alloc&) {
    Napi::RangeError::New(env, "a8w8_ref: out of memory").ThrowAsJavaScriptException();
  } catch (const std::invalid_argument& e) {
    Napi::RangeError::New(env, e.what()).ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    Napi::Error::New(env, std::string("a8w8_ref: ") + e.what()).ThrowAsJavaScriptException();
  } catch (...) {
    Napi::Error::New(env, "a8w8_ref: unknown C++ exception").ThrowAsJavaScriptException();
  }
}

// Runs fn (returning Napi::Value); on any exception throws the JS error and returns undefined.
template <typename Fn>
Napi::Value guard(Napi::Env env, Fn&& fn) {
  try {
    return fn();
  } catch (...) {
    throw_js(env, std::current_exception());
    return env.Undefined();
  }
}

template <typename Fn>
void guard_void(Napi::Env env, Fn&& fn) {
  try {
    fn();
  } catch (...) {
    throw_js(env, std::current_exception());
  }
}

}  // namespace a8w8
