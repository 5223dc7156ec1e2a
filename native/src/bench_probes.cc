#include "bench_probes.h"

#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "thread_pool.h"

namespace a8w8 {

namespace {

using Clock = std::chrono::steady_clock;

#if defined(__x86_64__)
// 8 independent (vpmaddwd, vpaddd) pairs per iteration: 8 x 16 int16 MACs.
__attribute__((noinline)) void avx2_loop(int64_t iterations) {
  __asm__ volatile("vpxor %%xmm0, %%xmm0, %%xmm0\n vpcmpeqd %%ymm12, %%ymm12, %%ymm12\n vpabsw %%ymm12, %%ymm13\n"
                   "vmovdqa %%ymm13, %%ymm14\n vmovdqa %%ymm13, %%ymm15" ::: "xmm0", "xmm12", "xmm13", "xmm14", "xmm15");
  for (int64_t i = 0; i < iterations; ++i) {
    __asm__ volatile(
        "vpmaddwd %%ymm12, %%ymm13, %%ymm8\n vpmaddwd %%ymm12, %%ymm14, %%ymm9\n"
        "vpmaddwd %%ymm12, %%ymm15, %%ymm10\n vpmaddwd %%ymm13, %%ymm14, %%ymm11\n"
        "vpaddd %%ymm8, %%ymm0, %%ymm0\n vpaddd %%ymm9, %%ymm1, %%ymm1\n vpaddd %%ymm10, %%ymm2, %%ymm2\n vpaddd %%ymm11, %%ymm3, %%ymm3\n"
        "vpmaddwd %%ymm13, %%ymm15, %%ymm8\n vpmaddwd %%ymm14, %%ymm15, %%ymm9\n"
        "vpmaddwd %%ymm12, %%ymm12, %%ymm10\n vpmaddwd %%ymm13, %%ymm13, %%ymm11\n"
        "vpaddd %%ymm8, %%ymm4, %%ymm4\n vpaddd %%ymm9, %%ymm5, %%ymm5\n vpaddd %%ymm10, %%ymm6, %%ymm6\n vpaddd %%ymm11, %%ymm7, %%ymm7\n"
        ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11");
  }
  __asm__ volatile("vzeroupper");
}
constexpr double kAvx2MacsPerIteration = 8 * 16;

// 12 independent vpdpbusd zmm per iteration: 12 x 64 u8·s8 MACs.
__attribute__((noinline, target("avx512f,avx512bw,avx512vnni"))) void vnni_loop(int64_t iterations) {
  __asm__ volatile("vpternlogd $0xff, %%zmm20, %%zmm20, %%zmm20\n vpabsb %%zmm20, %%zmm21" ::: "xmm20", "xmm21");
  for (int64_t i = 0; i < iterations; ++i) {
    __asm__ volatile(
        "vpdpbusd %%zmm20, %%zmm21, %%zmm0\n vpdpbusd %%zmm20, %%zmm21, %%zmm1\n vpdpbusd %%zmm20, %%zmm21, %%zmm2\n"
        "vpdpbusd %%zmm20, %%zmm21, %%zmm3\n vpdpbusd %%zmm20, %%zmm21, %%zmm4\n vpdpbusd %%zmm20, %%zmm21, %%zmm5\n"
        "vpdpbusd %%zmm20, %%zmm21, %%zmm6\n vpdpbusd %%zmm20, %%zmm21, %%zmm7\n vpdpbusd %%zmm20, %%zmm21, %%zmm8\n"
        "vpdpbusd %%zmm20, %%zmm21, %%zmm9\n vpdpbusd %%zmm20, %%zmm21, %%zmm10\n vpdpbusd %%zmm20, %%zmm21, %%zmm11\n"
        ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11");
  }
  __asm__ volatile("vzeroupper");
}
constexpr double kVnniMacsPerIteration = 12 * 64;
#endif

}  // namespace

double measure_peak_gops(Isa isa, int threads, double seconds) {
#if defined(__x86_64__)
  if (isa == Isa::Scalar || !isa_supported(isa)) return 0;
  void (*loop)(int64_t) = isa == Isa::Avx2 ? avx2_loop : vnni_loop;
  const double macs = isa == Isa::Avx2 ? kAvx2MacsPerIteration : kVnniMacsPerIteration;
  // calibrate one thread's iteration count for the requested time
  int64_t iterations = 1 << 20;
  for (;;) {
    const auto t0 = Clock::now();
    loop(iterations);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (s > 0.02) {
      iterations = static_cast<int64_t>(iterations * seconds / s) + 1;
      break;
    }
    iterations *= 4;
  }
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = Clock::now();
    global_pool().run(threads, threads, [&](int64_t) { loop(iterations); });
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double gops = 2.0 * macs * static_cast<double>(iterations) * threads / s / 1e9;
    if (gops > best) best = gops;
  }
  return best;
#else
  (void)isa, (void)threads, (void)seconds;
  return 0;
#endif
}

double measure_read_bandwidth(int64_t bytes, int threads, int reps) {
  const int64_t words = bytes / 8;
  std::unique_ptr<uint64_t[]> buf(new uint64_t[words]);
  for (int64_t i = 0; i < words; ++i) buf[i] = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull;  // touch every page
  const int64_t chunk = (words + threads - 1) / threads;
  std::vector<uint64_t> sums(threads);
  double best = 0;
  for (int rep = 0; rep < reps; ++rep) {
    const auto t0 = Clock::now();
    global_pool().run(threads, threads, [&](int64_t t) {
      const int64_t b = t * chunk, e = b + chunk < words ? b + chunk : words;
      uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;  // 4 chains so the adds do not limit the loads
      int64_t i = b;
      for (; i + 4 <= e; i += 4) s0 += buf[i], s1 += buf[i + 1], s2 += buf[i + 2], s3 += buf[i + 3];
      for (; i < e; ++i) s0 += buf[i];
      sums[t] = s0 + s1 + s2 + s3;
    });
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double gbs = static_cast<double>(words * 8) / s / 1e9;
    if (gbs > best) best = gbs;
  }
  volatile uint64_t sink = 0;
  for (uint64_t v : sums) sink = sink + v;
  return best;
}

}  // namespace a8w8
