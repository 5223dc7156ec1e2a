// The epilogue of every numeric path (docs/semantics.md §2.3-2.9; harness/reference/types.ts PathId) and
// its double-precision ideal. One call runs one EpilogueVariant over a whole output.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace a8w8 {

enum class PathId { Int8Requant, Fp16Fixpipe, Fp16FloatBias, Bf16Vector, Fp16Pertoken, Int32Acc };
enum class ScaleType { F32, Bf16, I64 };
enum class BiasType { None, I32, F32, F16, Bf16 };
enum class OutKind { I8, U16, I32 };

struct Variant {
  bool scale_fp19 = true;      // mask an fp32 scale to fp19 (int64 scales are always decoded)
  bool fused_order = false;    // docs/semantics.md §2.7: f32(acc) * (pt * scale) instead of (f32(acc) * scale) * pt
  bool fp16_saturate = false;  // docs/semantics.md §2.9: +-inf -> +-65504
  bool tie_odd = false;        // docs/semantics.md §2.8: exact .5 requant ties to the odd neighbour
  bool clamp9 = true;          // docs/semantics.md §2.5: clamp the rounded value to [-256, 255] before the offset
};

struct EpilogueInput {
  PathId path = PathId::Int32Acc;
  const int32_t* acc = nullptr;  // batches * m * n
  int64_t batches = 1, m = 0, n = 0;
  ScaleType scale_type = ScaleType::F32;
  const void* scale = nullptr;   // float / uint16 bf16 bits / uint64 packed
  int64_t scale_len = 0;         // 1 or n
  const float* offset = nullptr; // nullptr when absent; length 1 or n
  int64_t offset_len = 0;
  BiasType bias_type = BiasType::None;
  const void* bias = nullptr;    // int32 / float / uint16 bits
  int64_t bias_batches = 0;      // 0: shape (n); B >= 1: shape (B, 1, n), B == 1 or == batches
  const float* pertoken = nullptr;  // length m or nullptr
  Variant variant;
};

OutKind out_kind(PathId path);
// Bytes per output element of a path.
size_t out_bytes(PathId path);

// Everything per column of one epilogue, computed once (per call, or once per GemmEpilogue context).
struct EpilogueColumns {
  std::vector<float> scale;
  std::vector<int32_t> off9;
  std::vector<float> fbias;   // bias_rows * n widened float bias (empty without one)
  int64_t bias_rows = 0;
};
EpilogueColumns epilogue_columns(const EpilogueInput& in);

// The epilogue of output rows [r0, r1) (counted over batches * m) and columns [j0, j1) on the calling
// thread: what a GEMM task runs on the block it has just computed, while the block is still in cache.
void epilogue_block(const EpilogueInput& in, const EpilogueColumns& c, int64_t r0, int64_t r1, int64_t j0, int64_t j1,
                    void* out);

// out must hold batches*m*n elements of out_kind(path). Rows run on the thread pool.
void run_epilogue(const EpilogueInput& in, void* out, int threads);
// The same with the columns computed beforehand.
void run_epilogue(const EpilogueInput& in, const EpilogueColumns& c, void* out, int threads);

// Per element: (acc + b_i32) * scale [* pt] [+ float bias] [+ offset on int8], in double.
void run_ideal(const EpilogueInput& in, double* out);

// Per-column parameters and per-row inputs of one output row, shared by the scalar and SIMD rows.
struct RowArgs {
  const int32_t* acc;
  int64_t n;
  const float* scale;      // n effective scales
  const int32_t* off9;     // n offsets (int8 path), zeros otherwise
  const int32_t* bias_i32; // n or nullptr
  const float* fbias;      // n widened float bias or nullptr
  bool has_pt;
  float pt;
  Variant v;
};

// The arguments of row i of output batch b. A (B, 1, n) bias gives batch b its own row; a batch dim of
// 1 (or none) applies its one row to every batch.
inline RowArgs row_args(const EpilogueInput& in, const EpilogueColumns& c, int64_t b, int64_t i) {
  const int64_t bias_row = in.bias_batches <= 1 ? 0 : b;
  RowArgs r;
  r.acc = in.acc + (b * in.m + i) * in.n;
  r.n = in.n;
  r.scale = c.scale.data();
  r.off9 = c.off9.data();
  r.bias_i32 = in.bias_type == BiasType::I32 ? static_cast<const int32_t*>(in.bias) + bias_row * in.n : nullptr;
  r.fbias = c.fbias.empty() ? nullptr : c.fbias.data() + bias_row * in.n;
  r.has_pt = in.pertoken != nullptr;
  r.pt = r.has_pt ? in.pertoken[i] : 1.0f;
  r.v = in.variant;
  return r;
}

void row_scalar(PathId path, const RowArgs& r, void* out);
// AVX2 + F16C over rows [r0, r1) and the first multiple of 8 of columns [j0, j1): returns how many columns
// it computed (0 where it does not apply); the caller runs the rest scalar.
int64_t block_avx2(const EpilogueInput& in, const EpilogueColumns& c, int64_t r0, int64_t r1, int64_t j0, int64_t j1,
                   void* out);

}  // namespace a8w8
