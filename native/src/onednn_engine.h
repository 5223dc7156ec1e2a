// oneDNN's int8 matmul as the GEMM engine, used only where a probe at load shows it exact.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace a8w8 {

// True when the addon was built against oneDNN (binding.gyp found dnnl.hpp).
bool onednn_linked();

// c (m, n) = x (m, k) · w (n, k)ᵀ through dnnl::matmul (s8 x s8 -> s32). Throws std::runtime_error
// (from dnnl::error) on failure. Not available when !onednn_linked().
void onednn_gemm(const int8_t* x, const int8_t* w, int32_t* c, int64_t m, int64_t n, int64_t k, int threads);

// fn(t) for t in [0, tasks) on the OpenMP team of `threads` threads that oneDNN runs on (inline without
// oneDNN). Work that follows a oneDNN product (its epilogue) runs here rather than on the project's pool:
// the team's threads are still spinning after the product, and waking the pool's as well would put two
// sets of threads on the same cores.
void onednn_parallel_for(int64_t tasks, int threads, const std::function<void(int64_t)>& fn);

// Runs the saturation probe: extreme k pairs and k = 65535 against their exact sums.
// Returns true if every one is exact; *detail says what was run and the first mismatch.
bool onednn_probe(std::string* detail);

// oneDNN's own description of the ISA its kernels use (e.g. "brg:avx512_core_vnni"), or "".
std::string onednn_impl_name(int64_t m, int64_t n, int64_t k, int threads);

// One cached primitive: its shape, weight layout ("plain": the module's (n, k); "any": oneDNN's own,
// reordered once) and the thread count it was created under (and runs with).
struct OnednnPrimitive {
  int64_t m, n, k;
  std::string layout;
  int threads;
  std::string impl;
};

// The primitives cached now (empty when oneDNN is not linked).
std::vector<OnednnPrimitive> onednn_primitives();

// A weight reordered once into oneDNN's preferred layout, for repeated products with the same weight.
class OnednnPackedWeight {
 public:
  OnednnPackedWeight(const int8_t* w, int64_t n, int64_t k);
  ~OnednnPackedWeight();
  // Reorders the weight into the layout oneDNN picks for products with m rows on `threads` threads
  // (no-op if it has it).
  void pack_for(int64_t m, int threads);
  // c (m, n) = x (m, k) · wᵀ; reorders again only if oneDNN wants another layout for this m.
  void run(const int8_t* x, int32_t* c, int64_t m, int threads);
  size_t packed_bytes() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace a8w8
