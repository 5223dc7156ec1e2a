#include "gemm_portable.h"

#include <memory>
#include <vector>

#include "gemm_kernels.h"
#include "thread_pool.h"

namespace a8w8 {

namespace {

constexpr int64_t kBlockN = 128;                 // w rows per task: 128 x k-block stays in L2
constexpr int64_t kSingleThreadMacs = 1 << 21;   // below this a hand-off costs more than it saves

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct PathOps {
  int (*panel)(int64_t m, int64_t n, int64_t k);
  size_t (*bytes)(int64_t m, int64_t n, int64_t k);
  void (*prepare)(const int8_t* x, int64_t m, int64_t n, int64_t panel0, int64_t panel1, int64_t k, void* out);
  void (*block)(const GemmBlock&);
};

// A buffer of the calling thread, grown on demand and kept: the pool's threads and the JS thread persist,
// so after the first calls no product allocates (a small product costs less than an allocation).
template <typename T>
T* thread_buffer(size_t elements, int slot) {
  thread_local std::vector<std::unique_ptr<uint8_t[]>> buffers(2);
  thread_local std::vector<size_t> capacity(2, 0);
  const size_t bytes = elements * sizeof(T) + 64;
  if (bytes > capacity[slot]) {
    buffers[slot].reset(new uint8_t[bytes]);
    capacity[slot] = bytes;
  }
  uint8_t* p = buffers[slot].get();
  return reinterpret_cast<T*>(p + (64 - reinterpret_cast<uintptr_t>(p) % 64) % 64);  // 64-byte aligned
}

PathOps ops_for(Isa isa) {
  switch (isa) {
    case Isa::Avx2: return {avx2_row_panel, avx2_prepared_x_bytes, avx2_prepare_x, avx2_gemm_block};
    case Isa::Avx512Vnni:
      return {[](int64_t, int64_t, int64_t) { return vnni_row_panel(); },
              [](int64_t m, int64_t, int64_t k) { return vnni_prepared_x_bytes(m, k); },
              [](const int8_t* x, int64_t m, int64_t, int64_t p0, int64_t p1, int64_t k, void* out) { vnni_prepare_x(x, m, p0, p1, k, out); },
              vnni_gemm_block};
    case Isa::Scalar: break;
  }
  return {[](int64_t, int64_t, int64_t) { return 1; }, nullptr, nullptr, scalar_gemm_block};
}

}  // namespace

void portable_gemm(Isa isa, const int8_t* x, const int8_t* w, int32_t* c, int64_t m, int64_t n, int64_t k,
                   int threads, const BlockHook* after_block) {
  const PathOps ops = ops_for(isa);
  const int64_t panel = ops.panel(m, n, k);
  if (static_cast<double>(m) * n * k < kSingleThreadMacs) threads = 1;
  ThreadPool& pool = global_pool();

  // the path's copy of x (int16 or biased u8 panels); x is small next to the work on it
  // (64-byte aligned: the kernels' 32- and 64-byte loads of it must not straddle cache lines, which
  // cost the AVX2 kernel a third of its speed when new[] returned a 16-byte aligned block)
  uint8_t* prepared = nullptr;
  if (ops.prepare != nullptr) {
    prepared = thread_buffer<uint8_t>(ops.bytes(m, n, k), 0);
    const int64_t panels = ceil_div(m, panel);
    const int64_t per_task = panels < 64 ? panels : ceil_div(panels, 4 * threads);
    const int64_t tasks = ceil_div(panels, per_task);
    pool.run(tasks, threads, [&](int64_t t) {
      const int64_t p0 = t * per_task;
      const int64_t p1 = p0 + per_task < panels ? p0 + per_task : panels;
      ops.prepare(x, m, n, p0, p1, k, prepared);
    });
  }

  // tasks: column blocks of w, split along m as well when there are too few for the threads
  const int64_t nb = ceil_div(n, kBlockN);
  int64_t mb = 1;
  if (threads > 1 && nb < 4 * threads) {
    const int64_t panels = ceil_div(m, panel);
    mb = ceil_div(4 * threads, nb);
    if (mb > panels) mb = panels;
  }
  const int64_t m_chunk = ceil_div(ceil_div(m, mb), panel) * panel;
  mb = ceil_div(m, m_chunk);
  pool.run(nb * mb, threads, [&](int64_t t) {
    const int64_t bi = t / nb, bj = t % nb;
    GemmBlock b;
    b.x = x;
    b.prepared = prepared;
    b.w = w;
    b.c = c;
    b.m = m;
    b.n = n;
    b.k = k;
    b.i0 = bi * m_chunk;
    b.i1 = b.i0 + m_chunk < m ? b.i0 + m_chunk : m;
    b.j0 = bj * kBlockN;
    b.j1 = b.j0 + kBlockN < n ? b.j0 + kBlockN : n;
    b.scratch = thread_buffer<int32_t>(static_cast<size_t>(b.j1 - b.j0), 1);
    ops.block(b);
    if (after_block != nullptr) (*after_block)(b.i0, b.i1, b.j0, b.j1);
  });
}

}  // namespace a8w8
