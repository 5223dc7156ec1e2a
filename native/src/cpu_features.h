// What the CPU can run, and which SIMD path of the portable engine is active.
#pragma once
#include <string>

namespace a8w8 {

// The instruction-set paths of the portable GEMM and epilogue, best first.
enum class Isa { Avx512Vnni, Avx2, Scalar };

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vnni = false;
};

const CpuFeatures& cpu_features();
// The best path this CPU supports (avx2 needs AVX2+FMA+F16C because the epilogue casts use F16C).
Isa best_isa();
bool isa_supported(Isa isa);
const char* isa_name(Isa isa);
// Parses "avx512vnni" | "avx2" | "scalar"; returns false for anything else.
bool parse_isa(const std::string& text, Isa* out);

// The path in use by every kernel in this process (set at load, changed by configure()).
Isa active_isa();
void set_active_isa(Isa isa);

}  // namespace a8w8
