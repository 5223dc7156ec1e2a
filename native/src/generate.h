// Input generation for the two value generators that fill x1 and the weight (uniform and choice). They
// are the twin of harness/data/generators/{uniform,choice}.ts and of generate.ts's storeChunk: the
// same mulberry32 stream, the same double arithmetic and the same conversion to the storage dtype, so
// the bytes are those of the TypeScript generator, which stays the definition.
#pragma once
#include <cstddef>
#include <cstdint>

namespace a8w8 {

enum class GenKind { Uniform, Choice };

// How a generated double is stored: the tensor dtypes, plus Int4 (int8 storage clamped to [-8, 7], the
// unpacked values of a packed int4 operand).
enum class GenStore { Int8, Int4, Uint8, Int32, Int64, Float32, Float16, Bfloat16 };

struct GenParams {
  GenKind kind = GenKind::Uniform;
  uint32_t seed = 0;
  // uniform: [lo, span]; choice: the values to draw from (at least one)
  const double* values = nullptr;
  size_t value_count = 0;
};

// Fills out[0..count) (elements of the store's type). Returns false, with out partly written, when a
// value has no int64 (a non-finite one, which BigInt refuses): the caller then runs the TypeScript
// generator, which raises that error.
bool generate_into(const GenParams& p, GenStore store, void* out, size_t count);

}  // namespace a8w8
