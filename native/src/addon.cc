// Placeholder entry point; the reference kernels are added by issue 3.
#include <napi.h>
static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return exports;
}
NODE_API_MODULE(a8w8_ref, Init)
