// Which GEMM engine runs, and why: oneDNN where the probe shows it exact, else the portable engine.
#pragma once
#include <cstdint>
#include <string>

#include "cpu_features.h"
#include "gemm_portable.h"

namespace a8w8 {

enum class EngineKind { OneDnn, Portable };

struct EngineInfo {
  EngineKind engine = EngineKind::Portable;
  Isa isa = Isa::Scalar;         // the portable engine's path (also used by the epilogue)
  std::string reason;            // why this engine and path were chosen
  bool onednn_linked = false;
  bool probe_ran = false;
  bool probe_exact = false;
  std::string probe_detail;
  int threads = 1;               // threads a call may use (pool workers + caller)
};

// The current choice (made at load from the probe and the env vars A8W8_REF_ENGINE / A8W8_REF_ISA).
EngineInfo engine_info();

// Changes the choice. engine: "auto" | "onednn" | "portable"; isa: "auto" | "avx512vnni" | "avx2" |
// "scalar". Throws std::invalid_argument for an unknown name, a path this CPU cannot run, or oneDNN
// when it is not linked. "onednn" is honoured even if the probe failed (for tests of the wiring).
void configure_engine(const std::string& engine, const std::string& isa);

// Largest k the oneDNN engine is used for (the probe covers k <= 65535); larger k go to the portable one.
constexpr int64_t kOnednnMaxK = 65535;

// Products of at most this many multiply-adds run on the portable engine even when oneDNN is chosen:
// oneDNN's per-call set-up (memory objects, a stream, an OpenMP region) costs more than such a product,
// and both engines are exact where oneDNN is chosen.
constexpr int64_t kSmallMacs = 64 * 1024;

// c (m, n) = x (m, k) · w (n, k)ᵀ with the current engine; threads <= 0 means all. `after_block` (if
// given) runs on every block of c once it is complete: inside the portable engine's tasks while the
// block is in cache, or over row chunks on the pool after oneDNN has finished (never both at once).
void gemm_2d(const int8_t* x, const int8_t* w, int32_t* c, int64_t m, int64_t n, int64_t k, int threads,
             const BlockHook* after_block = nullptr);

// Clamps a requested thread count to [1, pool size]; <= 0 means the pool size.
int effective_threads(int requested);

}  // namespace a8w8
