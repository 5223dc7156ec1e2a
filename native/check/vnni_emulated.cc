// The AVX-512 VNNI path of the portable engine, checked for exactness on any x86-64 host: built by
// scripts/check-vnni.sh with gemm_vnni.cc compiled against SIMDe (A8W8_EMULATE_AVX512), so its
// intrinsics run as portable code. Each product goes through portable_gemm exactly as the addon calls
// it (panels, column blocks, k blocks, threads) and is compared with a plain int64 triple loop. The
// script builds it with AddressSanitizer, and x and w are allocated to their exact sizes: a read past
// the end of either (an unmasked load of the last k columns) stops the run. A read past k inside x
// reads the next row and shows in the integers.
// Exit 0 and a last line "check-vnni: ... equal" when every element matches; 1 at the first difference.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "gemm_portable.h"
#include "gemm_kernels.h"

namespace {

struct Shape {
  int64_t m, n, k;
};

// xorshift64*: the data of each product comes from its index alone, so a failure names its inputs.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t next() {
    s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
    return s * 0x2545F4914F6CDD1Dull;
  }
};

enum class Fill { Random, AllMin, MinMax, MaxMin, Ramp };
const char* fill_name(Fill f) {
  switch (f) {
    case Fill::Random: return "random";
    case Fill::AllMin: return "all -128";
    case Fill::MinMax: return "x -128, w 127";
    case Fill::MaxMin: return "x 127, w -128";
    case Fill::Ramp: return "ramp";
  }
  return "?";
}

void fill(std::vector<int8_t>& v, Fill f, bool is_w, Rng& rng) {
  for (size_t t = 0; t < v.size(); ++t) {
    switch (f) {
      case Fill::Random: v[t] = static_cast<int8_t>(rng.next() >> 56); break;
      case Fill::AllMin: v[t] = -128; break;
      case Fill::MinMax: v[t] = is_w ? 127 : -128; break;
      case Fill::MaxMin: v[t] = is_w ? -128 : 127; break;  // x = 127 is stored as u = 255
      case Fill::Ramp: v[t] = static_cast<int8_t>(static_cast<int>(t % 251) - 125); break;
    }
  }
}

}  // namespace

int main() {
  using a8w8::Isa;
  std::vector<Shape> shapes;
  // every k tail against the 64-byte step, with rows and columns that leave partial 4 x 4 tiles
  for (int64_t k : {0, 1, 3, 15, 16, 17, 31, 32, 63, 64, 65, 100, 127, 128, 129, 191, 255, 256, 257})
    for (int64_t m : {1, 3, 4, 5, 9})
      for (int64_t n : {1, 4, 7, 17}) shapes.push_back({m, n, k});
  // across the 4096-column k block, the 128-row column block and the thread split
  for (Shape s : {Shape{2, 3, 4095}, Shape{2, 3, 4096}, Shape{2, 3, 4097}, Shape{5, 5, 8191}, Shape{3, 2, 8257},
                  Shape{6, 130, 200}, Shape{33, 129, 70}, Shape{64, 32, 32}, Shape{1, 128, 512}, Shape{16, 64, 64},
                  Shape{70, 300, 130}, Shape{129, 257, 127},
                  // enough multiply-adds (2^21) for two threads, across k blocks, and x panels split over tasks
                  Shape{40, 20, 8200}, Shape{300, 40, 200}, Shape{257, 9, 1000}})
    shapes.push_back(s);
  // and shapes drawn at random (the same ones every run), with random data only
  const size_t drawn_from = shapes.size();
  Rng pick(12345);
  for (int t = 0; t < 40; ++t)
    shapes.push_back({1 + static_cast<int64_t>(pick.next() % 90), 1 + static_cast<int64_t>(pick.next() % 140),
                      static_cast<int64_t>(pick.next() % 3000)});

  int64_t products = 0, elements = 0;
  uint64_t index = 0;
  for (size_t si = 0; si < shapes.size(); ++si) {
    const Shape& s = shapes[si];
    for (Fill f : {Fill::Random, Fill::AllMin, Fill::MinMax, Fill::MaxMin, Fill::Ramp}) {
      if (f != Fill::Random && (si >= drawn_from || (s.k > 4200 && s.m * s.n > 30))) continue;  // extremes: the listed shapes
      for (int threads : {1, 2}) {
        ++index;
        Rng rng(index);
        std::vector<int8_t> x(static_cast<size_t>(s.m * s.k)), w(static_cast<size_t>(s.n * s.k));
        fill(x, f, false, rng);
        fill(w, f, true, rng);
        std::vector<int32_t> c(static_cast<size_t>(s.m * s.n), 0x5a5a5a5a);
        a8w8::portable_gemm(Isa::Avx512Vnni, x.data(), w.data(), c.data(), s.m, s.n, s.k, threads);
        for (int64_t i = 0; i < s.m; ++i)
          for (int64_t j = 0; j < s.n; ++j) {
            int64_t want = 0;
            for (int64_t t = 0; t < s.k; ++t) want += int64_t{x[i * s.k + t]} * w[j * s.k + t];
            const int32_t got = c[i * s.n + j];
            if (got != want) {
              std::printf("check-vnni: DIFFERS %" PRId64 "x%" PRId64 "x%" PRId64 " (%s, %d thread(s), product %" PRIu64
                          ") at [%" PRId64 ", %" PRId64 "]: got %d, want %" PRId64 "\n",
                          s.m, s.n, s.k, fill_name(f), threads, index, i, j, got, want);
              return 1;
            }
          }
        ++products;
        elements += s.m * s.n;
      }
    }
  }
  std::printf("check-vnni: %" PRId64 " products (%" PRId64 " outputs) on the emulated AVX-512 VNNI path equal\n", products,
              elements);
  return 0;
}
