#include "cpu_features.h"

#include <atomic>

namespace a8w8 {

namespace {

CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx512bw = __builtin_cpu_supports("avx512bw");
  f.avx512vnni = __builtin_cpu_supports("avx512vnni");
  // GCC 12's __builtin_cpu_supports has no "f16c": read CPUID leaf 1, ECX bit 29.
  unsigned a = 1, b = 0, c = 0, d = 0;
  __asm__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d) : "2"(0u));
  f.f16c = (c >> 29) & 1u;
#endif
  return f;
}

std::atomic<Isa> g_active{Isa::Scalar};
std::atomic<bool> g_active_set{false};

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

bool isa_supported(Isa isa) {
  const CpuFeatures& f = cpu_features();
  switch (isa) {
    case Isa::Scalar: return true;
    case Isa::Avx2: return f.avx2 && f.fma && f.f16c;
    case Isa::Avx512Vnni: return f.avx2 && f.fma && f.f16c && f.avx512f && f.avx512bw && f.avx512vnni;
  }
  return false;
}

Isa best_isa() {
  if (isa_supported(Isa::Avx512Vnni)) return Isa::Avx512Vnni;
  if (isa_supported(Isa::Avx2)) return Isa::Avx2;
  return Isa::Scalar;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512Vnni: return "avx512vnni";
    case Isa::Avx2: return "avx2";
    case Isa::Scalar: return "scalar";
  }
  return "scalar";
}

bool parse_isa(const std::string& text, Isa* out) {
  for (Isa isa : {Isa::Avx512Vnni, Isa::Avx2, Isa::Scalar}) {
    if (text == isa_name(isa)) { *out = isa; return true; }
  }
  return false;
}

Isa active_isa() {
  if (!g_active_set.load()) return best_isa();
  return g_active.load();
}

void set_active_isa(Isa isa) {
  g_active.store(isa);
  g_active_set.store(true);
}

}  // namespace a8w8
