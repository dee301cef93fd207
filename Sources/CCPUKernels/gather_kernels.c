// gather runs of 4- and 8-byte elements built for AVX-512F, AVX2 and baseline x86-64 (see
// gather_kernels.h). With AVX-512 the compiler turns the loop into masked vector gathers.
#include "gather_kernels.h"

#if defined(__x86_64__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

// One unsigned comparison tests both ends: a negative position wraps above `length`. An
// element outside is zero and never read; `missed` remembers that one was.
#define GATHER_LOOP                                                                       \
    unsigned missed = 0;                                                                  \
    for (ptrdiff_t i = 0; i < count; i++) {                                               \
        int64_t position = index[i];                                                      \
        int inside = (uint64_t)position < (uint64_t)length;                               \
        output[i] = inside ? input[i * input_step + position * axis_stride] : 0;          \
        missed |= !inside;                                                                \
    }                                                                                     \
    return missed != 0;

VECTOR_CLONES
int ds_gather_u32(const uint32_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length,
                  const int64_t *restrict index, uint32_t *restrict output, ptrdiff_t count) {
    GATHER_LOOP
}

VECTOR_CLONES
int ds_gather_u64(const uint64_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length,
                  const int64_t *restrict index, uint64_t *restrict output, ptrdiff_t count) {
    GATHER_LOOP
}
