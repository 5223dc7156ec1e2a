#include "epilogue.h"

#include <cmath>

#include "casts.h"
#include "cpu_features.h"
#include "quant_param.h"
#include "thread_pool.h"

namespace a8w8 {

OutKind out_kind(PathId path) {
  switch (path) {
    case PathId::Int8Requant: return OutKind::I8;
    case PathId::Int32Acc: return OutKind::I32;
    default: return OutKind::U16;
  }
}

size_t out_bytes(PathId path) {
  switch (out_kind(path)) {
    case OutKind::I8: return 1;
    case OutKind::U16: return 2;
    case OutKind::I32: break;
  }
  return 4;
}

namespace {

// acc + int32 bias in int32 two's complement, as in the L0C register (the twin does the same)
inline int32_t add_wrap(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

}  // namespace

EpilogueColumns epilogue_columns(const EpilogueInput& in) {
  EpilogueColumns c;
  c.scale.resize(in.n);
  c.off9.assign(in.n, 0);
  for (int64_t j = 0; j < in.n; ++j) {
    const int64_t s = in.scale_len == 1 ? 0 : j;
    if (in.scale_type == ScaleType::I64) {
      const uint64_t packed = static_cast<const uint64_t*>(in.scale)[s];
      c.scale[j] = decode_scale(packed);
      c.off9[j] = decode_offset(packed);  // the separate offset array is never read (docs/semantics.md §2.5)
      continue;
    }
    float value = in.scale_type == ScaleType::Bf16 ? bf16_to_f32(static_cast<const uint16_t*>(in.scale)[s])
                                                    : static_cast<const float*>(in.scale)[s];
    if (in.variant.scale_fp19) value = f32_from_bits(f32_bits(value) & 0xFFFFE000u);
    c.scale[j] = value;
    if (in.offset != nullptr) c.off9[j] = offset9_even(in.offset[in.offset_len == 1 ? 0 : j]);
  }
  if (in.bias_type == BiasType::F32 || in.bias_type == BiasType::F16 || in.bias_type == BiasType::Bf16) {
    c.bias_rows = in.bias_batches == 0 ? 1 : in.bias_batches;
    const int64_t len = c.bias_rows * in.n;
    c.fbias.resize(len);
    for (int64_t t = 0; t < len; ++t) {
      if (in.bias_type == BiasType::F32) c.fbias[t] = static_cast<const float*>(in.bias)[t];
      else if (in.bias_type == BiasType::F16) c.fbias[t] = f16_to_f32(static_cast<const uint16_t*>(in.bias)[t]);
      else c.fbias[t] = bf16_to_f32(static_cast<const uint16_t*>(in.bias)[t]);
    }
  }
  return c;
}

namespace {

using Columns = EpilogueColumns;

// f32(acc) * scale [* pt] [+ bias], each a single fp32 rounding (no contraction: -ffp-contract=off)
inline float dequant(const RowArgs& r, int64_t j) {
  const int32_t a = r.bias_i32 ? add_wrap(r.acc[j], r.bias_i32[j]) : r.acc[j];
  const float f = static_cast<float>(a);
  float y;
  if (!r.has_pt) y = f * r.scale[j];
  else if (!r.v.fused_order) y = (f * r.scale[j]) * r.pt;
  else y = f * (r.pt * r.scale[j]);
  return r.fbias ? y + r.fbias[j] : y;  // no add without a bias: -0 stays -0
}

inline int8_t requant(float y, int32_t off9, const Variant& v) {
  if (std::isnan(y)) return 0;
  double t = std::nearbyint(static_cast<double>(y));  // half to even
  if (v.tie_odd) {
    const double fl = std::floor(static_cast<double>(y));
    if (static_cast<double>(y) - fl == 0.5) t = std::fmod(fl, 2.0) == 0.0 ? fl + 1 : fl;
  }
  if (v.clamp9) t = t < -256 ? -256 : (t > 255 ? 255 : t);
  t += off9;
  t = t < -128 ? -128 : (t > 127 ? 127 : t);
  return static_cast<int8_t>(t);
}

}  // namespace

void row_scalar(PathId path, const RowArgs& r, void* out) {
  switch (out_kind(path)) {
    case OutKind::I32: {
      int32_t* o = static_cast<int32_t*>(out);
      for (int64_t j = 0; j < r.n; ++j) o[j] = r.bias_i32 ? add_wrap(r.acc[j], r.bias_i32[j]) : r.acc[j];
      return;
    }
    case OutKind::I8: {
      int8_t* o = static_cast<int8_t*>(out);
      for (int64_t j = 0; j < r.n; ++j) o[j] = requant(dequant(r, j), r.off9[j], r.v);
      return;
    }
    case OutKind::U16: {
      uint16_t* o = static_cast<uint16_t*>(out);
      if (path == PathId::Bf16Vector) {
        for (int64_t j = 0; j < r.n; ++j) o[j] = f32_to_bf16(dequant(r, j));
      } else {
        for (int64_t j = 0; j < r.n; ++j) {
          const uint16_t h = f32_to_f16(dequant(r, j));
          o[j] = r.v.fp16_saturate ? f16_saturate(h) : h;
        }
      }
      return;
    }
  }
}

void epilogue_block(const EpilogueInput& in, const EpilogueColumns& c, int64_t r0, int64_t r1, int64_t j0, int64_t j1,
                    void* out) {
  const size_t elem = out_bytes(in.path);
  // SIMD over the block's columns in multiples of 8; the rest of each row (all of it where SIMD does
  // not apply) scalar
  const int64_t done = active_isa() != Isa::Scalar ? block_avx2(in, c, r0, r1, j0, j1, out) : 0;
  if (j0 + done == j1) return;
  for (int64_t row = r0; row < r1; ++row) {
    RowArgs r = row_args(in, c, row / in.m, row % in.m);
    const int64_t from = j0 + done;
    r.acc += from;
    r.n = j1 - from;
    r.scale += from;
    r.off9 += from;
    if (r.bias_i32) r.bias_i32 += from;
    if (r.fbias) r.fbias += from;
    row_scalar(in.path, r, static_cast<char*>(out) + static_cast<size_t>(row * in.n + from) * elem);
  }
}

void run_epilogue(const EpilogueInput& in, const EpilogueColumns& c, void* out, int threads) {
  const int64_t rows = in.batches * in.m;
  // rows in chunks of ~64K elements; one thread for small outputs
  const int64_t per_task = in.n >= 65536 ? 1 : 65536 / in.n;
  const int64_t tasks = (rows + per_task - 1) / per_task;
  global_pool().run(tasks, tasks > 1 ? threads : 1, [&](int64_t t) {
    const int64_t r1 = (t + 1) * per_task < rows ? (t + 1) * per_task : rows;
    epilogue_block(in, c, t * per_task, r1, 0, in.n, out);
  });
}

void run_epilogue(const EpilogueInput& in, void* out, int threads) { run_epilogue(in, epilogue_columns(in), out, threads); }

void run_ideal(const EpilogueInput& in, double* out) {
  const Columns c = epilogue_columns(in);
  for (int64_t b = 0; b < in.batches; ++b)
    for (int64_t i = 0; i < in.m; ++i) {
      const RowArgs r = row_args(in, c, b, i);
      double* o = out + (b * in.m + i) * in.n;
      for (int64_t j = 0; j < in.n; ++j) {
        const double a = r.bias_i32 ? add_wrap(r.acc[j], r.bias_i32[j]) : r.acc[j];
        if (in.path == PathId::Int32Acc) {
          o[j] = a;
          continue;
        }
        double y = a * static_cast<double>(r.scale[j]);
        if (r.has_pt) y *= static_cast<double>(r.pt);
        if (r.fbias) y += static_cast<double>(r.fbias[j]);
        if (in.path == PathId::Int8Requant) y += r.off9[j];
        o[j] = y;
      }
    }
}

}  // namespace a8w8
