// The two orders of the AVX2 path, a file each; gemm_avx2.cc chooses between them by the shape.
#pragma once
#include "gemm_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define A8W8_AVX2 __attribute__((target("avx2,fma")))

namespace a8w8::avx2 {

// Few rows: the k-dot order (gemm_avx2_few.cc). x as one plain int16 row of k16 (m = 1), or in panels
// of kMr rows, each [k16 / 16][kMr][16] int16 (the micro-kernel reads x as one sequential stream; rows
// at a 4 KiB stride would fall into the same L1 sets).
constexpr int kMr = 4;
A8W8_AVX2 void prepare_one_row(const int8_t* x, int64_t k16, int16_t* out);
A8W8_AVX2 void prepare_few_rows(const int8_t* x, int64_t m, int64_t k, int64_t panel0, int64_t panel1, int16_t* out);
void block_one_row(const GemmBlock& b, const int16_t* x, int64_t k16);
void block_few_rows(const GemmBlock& b, const int16_t* px, int64_t k16, int64_t panels);

// Many rows: the broadcast order (gemm_avx2_many.cc). x in panels of kBr rows, each [k16 / 2][kBr]
// int16 pairs.
constexpr int kBr = 6;
A8W8_AVX2 void prepare_many_rows(const int8_t* x, int64_t m, int64_t k, int64_t panel0, int64_t panel1, int32_t* out);
A8W8_AVX2 void block_many_rows(const GemmBlock& b, const int32_t* px, int64_t k16);

}  // namespace a8w8::avx2

#endif
