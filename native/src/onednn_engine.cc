#include "onednn_engine.h"

#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <vector>

#if defined(A8W8_HAVE_DNNL)
#include <omp.h>

#include "oneapi/dnnl/dnnl.hpp"
#endif

namespace a8w8 {

#if defined(A8W8_HAVE_DNNL)

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& cpu_engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

memory::desc x_desc(int64_t m, int64_t k) { return memory::desc({m, k}, dt::s8, tag::ab); }
// The module's weight (n, k) row-major is (k, n) in the `ba` layout.
memory::desc w_desc(int64_t n, int64_t k) { return memory::desc({k, n}, dt::s8, tag::ba); }
memory::desc c_desc(int64_t m, int64_t n) { return memory::desc({m, n}, dt::s32, tag::ab); }

struct Cached {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
  int threads;  // the OpenMP thread count the primitive was created under, and runs with
};

using CacheKey = std::tuple<int64_t, int64_t, int64_t, bool, int>;  // m, n, k, any_weights, threads

std::mutex g_cache_mutex;
std::map<CacheKey, Cached> g_cache;

// Primitive creation costs far more than a small product: keep one per shape, weight layout and thread
// count. The thread count is part of the key because oneDNN fixes a primitive's parallel split when it is
// created, from the calling thread's OpenMP setting: a primitive made under 1 thread runs on 1 thread
// forever, whatever omp_set_num_threads says later. So the count is set before creation, here.
Cached& cached(int64_t m, int64_t n, int64_t k, bool any_weights, int threads) {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  const CacheKey key = std::make_tuple(m, n, k, any_weights, threads);
  auto it = g_cache.find(key);
  if (it != g_cache.end()) return it->second;
  if (g_cache.size() > 64) g_cache.clear();
  omp_set_num_threads(threads);
  const memory::desc wd = any_weights ? memory::desc({k, n}, dt::s8, tag::any) : w_desc(n, k);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(x_desc(m, k), wd, c_desc(m, n)), cpu_engine());
  Cached entry{pd, dnnl::matmul(pd), threads};
  return g_cache.emplace(key, entry).first->second;
}

// Runs on the calling thread's OpenMP team, never from inside the project's pool (no pool task calls
// oneDNN), so the two never share out the cores at the same time.
void execute(Cached& e, const int8_t* x, const memory& wmem, int32_t* c, int64_t m, int64_t n, int64_t k) {
  omp_set_num_threads(e.threads);
  dnnl::stream s(cpu_engine());
  memory xmem(x_desc(m, k), cpu_engine(), const_cast<int8_t*>(x));
  memory cmem(c_desc(m, n), cpu_engine(), c);
  e.prim.execute(s, {{DNNL_ARG_SRC, xmem}, {DNNL_ARG_WEIGHTS, wmem}, {DNNL_ARG_DST, cmem}});
  s.wait();
}

std::runtime_error as_runtime(const dnnl::error& e) {
  return std::runtime_error(std::string("oneDNN: ") + e.what());
}

}  // namespace

bool onednn_linked() { return true; }

void onednn_parallel_for(int64_t tasks, int threads, const std::function<void(int64_t)>& fn) {
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (int64_t t = 0; t < tasks; ++t) fn(t);
}

void onednn_gemm(const int8_t* x, const int8_t* w, int32_t* c, int64_t m, int64_t n, int64_t k, int threads) {
  try {
    Cached& e = cached(m, n, k, false, threads);
    memory wmem(w_desc(n, k), cpu_engine(), const_cast<int8_t*>(w));
    execute(e, x, wmem, c, m, n, k);
  } catch (const dnnl::error& err) {
    throw as_runtime(err);
  }
}

std::vector<OnednnPrimitive> onednn_primitives() {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  std::vector<OnednnPrimitive> out;
  for (const auto& entry : g_cache) {
    const CacheKey& key = entry.first;
    out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key) ? "any" : "plain",
                   entry.second.threads, entry.second.pd.impl_info_str()});
  }
  return out;
}

std::string onednn_impl_name(int64_t m, int64_t n, int64_t k, int threads) {
  try {
    return cached(m, n, k, true, threads).pd.impl_info_str();
  } catch (const dnnl::error&) {
    return "";
  }
}

struct OnednnPackedWeight::State {
  const int8_t* w;
  int64_t n, k;
  memory::desc packed_desc;
  memory packed;
};

OnednnPackedWeight::OnednnPackedWeight(const int8_t* w, int64_t n, int64_t k) : state_(new State{w, n, k, {}, {}}) {}
OnednnPackedWeight::~OnednnPackedWeight() = default;

size_t OnednnPackedWeight::packed_bytes() const { return state_->packed ? state_->packed_desc.get_size() : 0; }

void OnednnPackedWeight::pack_for(int64_t m, int threads) {
  State& st = *state_;
  try {
    Cached& e = cached(m, st.n, st.k, true, threads);
    if (!st.packed || !(e.pd.weights_desc() == st.packed_desc)) {
      st.packed = memory();  // free the old layout first: never two packed copies at once
      st.packed_desc = e.pd.weights_desc();
      st.packed = memory(st.packed_desc, cpu_engine());
      memory plain(w_desc(st.n, st.k), cpu_engine(), const_cast<int8_t*>(st.w));
      dnnl::stream s(cpu_engine());
      dnnl::reorder(plain, st.packed).execute(s, plain, st.packed);
      s.wait();
    }
  } catch (const dnnl::error& err) {
    throw as_runtime(err);
  }
}

void OnednnPackedWeight::run(const int8_t* x, int32_t* c, int64_t m, int threads) {
  pack_for(m, threads);
  try {
    execute(cached(m, state_->n, state_->k, true, threads), x, state_->packed, c, m, state_->n, state_->k);
  } catch (const dnnl::error& err) {
    throw as_runtime(err);
  }
}

#else  // built without oneDNN

bool onednn_linked() { return false; }
void onednn_parallel_for(int64_t tasks, int, const std::function<void(int64_t)>& fn) {
  for (int64_t t = 0; t < tasks; ++t) fn(t);
}
void onednn_gemm(const int8_t*, const int8_t*, int32_t*, int64_t, int64_t, int64_t, int) {
  throw std::runtime_error("oneDNN is not linked into this build");
}
std::string onednn_impl_name(int64_t, int64_t, int64_t, int) { return ""; }
std::vector<OnednnPrimitive> onednn_primitives() { return {}; }
struct OnednnPackedWeight::State {};
OnednnPackedWeight::OnednnPackedWeight(const int8_t*, int64_t, int64_t) {
  throw std::runtime_error("oneDNN is not linked into this build");
}
OnednnPackedWeight::~OnednnPackedWeight() = default;
void OnednnPackedWeight::pack_for(int64_t, int) {}
void OnednnPackedWeight::run(const int8_t*, int32_t*, int64_t, int) {}
size_t OnednnPackedWeight::packed_bytes() const { return 0; }

#endif

namespace {

// One probe case: k copies of (xa, xb) and (wa, wb) alternating, against the exact sum.
struct ProbeCase {
  int64_t k;
  int8_t xa, xb, wa, wb;
};

int64_t exact_sum(const ProbeCase& p) {
  int64_t s = 0;
  for (int64_t t = 0; t < p.k; ++t) s += (t % 2 == 0) ? int64_t{p.xa} * p.wa : int64_t{p.xb} * p.wb;
  return s;
}

}  // namespace

bool onednn_probe(std::string* detail) {
  if (!onednn_linked()) {
    *detail = "oneDNN not linked";
    return false;
  }
  // x = 127, w = -128 over 64 (vpmaddubsw's int16 pair sum saturates); mixed-sign adjacent pairs;
  // all -128 and 127 x -128 at k = 65535 (the int32 range of the contract).
  const ProbeCase cases[] = {
      {64, 127, 127, -128, -128}, {64, -128, -128, -128, -128}, {64, 127, -128, 127, -128},
      {64, -128, 127, -128, -128}, {2, 127, 127, 127, 127},     {65535, -128, -128, -128, -128},
      {65535, 127, 127, -128, -128},
  };
  std::ostringstream out;
  bool all_exact = true;
  try {
    for (const ProbeCase& p : cases) {
      // two output rows and columns so the kernel's tiling, not a scalar tail, handles the extremes
      const int64_t m = 2, n = 2;
      std::vector<int8_t> x(static_cast<size_t>(m * p.k)), w(static_cast<size_t>(n * p.k));
      for (int64_t r = 0; r < 2; ++r)
        for (int64_t t = 0; t < p.k; ++t) {
          x[r * p.k + t] = (t % 2 == 0) ? p.xa : p.xb;
          w[r * p.k + t] = (t % 2 == 0) ? p.wa : p.wb;
        }
      std::vector<int32_t> c(static_cast<size_t>(m * n));
      onednn_gemm(x.data(), w.data(), c.data(), m, n, p.k, 1);
      const int64_t want = exact_sum(p);
      for (int32_t got : c) {
        if (got != want && all_exact) {
          all_exact = false;
          out << "k=" << p.k << " x=(" << int(p.xa) << "," << int(p.xb) << ") w=(" << int(p.wa) << "," << int(p.wb)
              << "): got " << got << ", exact " << want;
        }
      }
    }
  } catch (const std::exception& e) {
    *detail = std::string("probe failed to run: ") + e.what();
    return false;
  }
  *detail = all_exact ? "7 saturation cases exact" : out.str();
  return all_exact;
}

}  // namespace a8w8
