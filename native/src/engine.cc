#include "engine.h"

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "gemm_portable.h"
#include "onednn_engine.h"
#include "thread_pool.h"

namespace a8w8 {

namespace {

std::mutex g_mutex;
bool g_initialised = false;
EngineInfo g_info;
// The two fields a product needs, copied out of g_info under g_mutex: a product reads these instead of
// copying EngineInfo, whose strings cost a small product as much as its arithmetic.
struct Choice {
  EngineKind engine;
  Isa isa;
};
Choice g_choice{EngineKind::Portable, Isa::Scalar};

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : std::string(fallback);
}

// Applies a choice to `info` (whose probe fields are filled). Caller holds g_mutex.
void choose(EngineInfo& info, const std::string& engine, const std::string& isa, const std::string& origin) {
  Isa path = best_isa();
  std::string isa_note = std::string("isa ") + isa_name(path) + " (best this CPU runs)";
  if (isa != "auto") {
    if (!parse_isa(isa, &path)) throw std::invalid_argument("unknown isa '" + isa + "' (auto, avx512vnni, avx2, scalar)");
    if (!isa_supported(path)) throw std::invalid_argument("this CPU cannot run isa '" + isa + "'");
    isa_note = "isa " + isa + " forced by " + origin;
  }
  EngineKind kind;
  std::string why;
  if (engine == "portable") {
    kind = EngineKind::Portable;
    why = "portable forced by " + origin;
  } else if (engine == "onednn") {
    if (!info.onednn_linked) throw std::invalid_argument("engine 'onednn' requested but oneDNN is not linked");
    kind = EngineKind::OneDnn;
    why = "onednn forced by " + origin + (info.probe_exact ? " (probe exact)" : " (probe NOT exact: results may be wrong)");
  } else if (engine == "auto") {
    if (!info.onednn_linked) {
      kind = EngineKind::Portable;
      why = "oneDNN not linked (libdnnl-dev missing at build time)";
    } else if (info.probe_exact) {
      kind = EngineKind::OneDnn;
      why = "oneDNN probe exact";
    } else {
      kind = EngineKind::Portable;
      why = "oneDNN probe not exact (int16 saturation without VNNI): " + info.probe_detail;
    }
  } else {
    throw std::invalid_argument("unknown engine '" + engine + "' (auto, onednn, portable)");
  }
  info.engine = kind;
  info.isa = path;
  info.reason = why + "; " + isa_note;
}

// Makes `info` the current choice. Caller holds g_mutex.
void commit_locked(const EngineInfo& info) {
  g_info = info;
  g_choice = {info.engine, info.isa};
  set_active_isa(info.isa);
}

void initialise_locked() {
  if (g_initialised) return;
  g_initialised = true;
  g_info.onednn_linked = onednn_linked();
  g_info.threads = global_pool().max_threads();
  if (g_info.onednn_linked) {
    g_info.probe_ran = true;
    g_info.probe_exact = onednn_probe(&g_info.probe_detail);
  } else {
    g_info.probe_detail = "oneDNN not linked";
  }
  const std::string engine = env_or("A8W8_REF_ENGINE", "auto");
  const std::string isa = env_or("A8W8_REF_ISA", "auto");
  EngineInfo info = g_info;
  try {
    choose(info, engine, isa, "env");
  } catch (const std::invalid_argument& e) {
    choose(info, "auto", "auto", "env");
    info.reason += std::string("; env ignored: ") + e.what();
  }
  commit_locked(info);
}

Choice current_choice() {
  std::lock_guard<std::mutex> lock(g_mutex);
  initialise_locked();
  return g_choice;
}

}  // namespace

EngineInfo engine_info() {
  std::lock_guard<std::mutex> lock(g_mutex);
  initialise_locked();
  return g_info;
}

void configure_engine(const std::string& engine, const std::string& isa) {
  std::lock_guard<std::mutex> lock(g_mutex);
  initialise_locked();
  EngineInfo next = g_info;
  choose(next, engine, isa, "configure()");
  commit_locked(next);
}

int effective_threads(int requested) {
  const int max = global_pool().max_threads();
  if (requested <= 0 || requested > max) return max;
  return requested;
}

void gemm_2d(const int8_t* x, const int8_t* w, int32_t* c, int64_t m, int64_t n, int64_t k, int threads,
             const BlockHook* after_block) {
  const Choice info = current_choice();
  threads = effective_threads(threads);
  const bool small = m * n * k <= kSmallMacs;  // m, n, k <= 2^40 each and their products were checked
  if (info.engine == EngineKind::OneDnn && k <= kOnednnMaxK && !small) {
    onednn_gemm(x, w, c, m, n, k, threads);
    if (after_block == nullptr) return;
    // ~64K outputs a task, on oneDNN's OpenMP team (the threads that own the cores now), not the pool
    const int64_t rows = n >= 65536 ? 1 : 65536 / n;
    const int64_t tasks = (m + rows - 1) / rows;
    onednn_parallel_for(tasks, threads, [&](int64_t t) {
      const int64_t r1 = (t + 1) * rows < m ? (t + 1) * rows : m;
      (*after_block)(t * rows, r1, 0, n);
    });
  } else {
    portable_gemm(info.isa, x, w, c, m, n, k, threads, after_block);
  }
}

}  // namespace a8w8
