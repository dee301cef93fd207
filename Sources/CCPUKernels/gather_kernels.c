// gather runs of 4- and 8-byte elements (see gather_kernels.h): masked vector gathers built
// for AVX-512F or AVX2 on Intel CPUs, a scalar loop on AMD's.
//
// Measured with two threads, 4096x1024 elements gathered along dim 1 (a C test):
// - Intel Sapphire Rapids VM, 4-byte: 4.7 ms with AVX-512 vpgatherqd, 6.0 ms scalar.
// - AMD EPYC (Zen 4) VM, 4-byte: 2.6-2.9 ms scalar, 3.6-5.0 ms AVX-512 gathers, 2.6-4.0 ms
//   AVX2 gathers; 8-byte: 5.6-5.9 ms scalar, 5.8-7.2 ms AVX-512.
#include "gather_kernels.h"

#include <stdatomic.h>

#if defined(__x86_64__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

// `NAME` gathers `TYPE` elements. One unsigned comparison tests both ends: a negative
// position wraps above `length`. An element outside is zero and never read; `missed`
// remembers that one was. ATTRIBUTES (the clones) and PRAGMA (to keep a loop scalar) shape
// how the loop is compiled.
#define GATHER_FUNCTION(NAME, TYPE, ATTRIBUTES, PRAGMA)                                   \
    ATTRIBUTES int NAME(const TYPE *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride, \
                        ptrdiff_t length, const int64_t *restrict index, TYPE *restrict output, \
                        ptrdiff_t count) {                                                \
        unsigned missed = 0;                                                              \
        PRAGMA                                                                            \
        for (ptrdiff_t i = 0; i < count; i++) {                                           \
            int64_t position = index[i];                                                  \
            int inside = (uint64_t)position < (uint64_t)length;                           \
            output[i] = inside ? input[i * input_step + position * axis_stride] : 0;      \
            missed |= !inside;                                                            \
        }                                                                                 \
        return missed != 0;                                                               \
    }

#define SCALAR _Pragma("clang loop vectorize(disable)")

GATHER_FUNCTION(ds_gather_u32_vector, uint32_t, VECTOR_CLONES, )
GATHER_FUNCTION(ds_gather_u32_scalar, uint32_t, , SCALAR)
GATHER_FUNCTION(ds_gather_u64_vector, uint64_t, VECTOR_CLONES, )
GATHER_FUNCTION(ds_gather_u64_scalar, uint64_t, , SCALAR)

// 1 on AMD CPUs, where vector gathers lose to scalar loads; decided at the first call (two
// threads deciding at once compute the same value).
int ds_gather_scalar(void) {
    static _Atomic int decided = -1;
    int scalar = atomic_load_explicit(&decided, memory_order_relaxed);
    if (scalar < 0) {
#if defined(__x86_64__)
        __builtin_cpu_init();
        scalar = __builtin_cpu_is("amd") ? 1 : 0;
#else
        scalar = 0;
#endif
        atomic_store_explicit(&decided, scalar, memory_order_relaxed);
    }
    return scalar;
}

// A run that reads all its elements from one short contiguous line (a gather along the
// last dim: `input_step` 0, `axis_stride` 1) reads it in random order, which the hardware
// prefetchers do not follow: the line's cache lines come from memory one miss at a time.
// Prefetching the whole line first turns that into one sequential burst. Measured on the AMD
// EPYC (Zen 4) VM, 4096x1024 elements gathered along dim 1 (a C test, medians of 60 runs):
// - 4-byte, scalar loop: 6.07 -> 3.74 ms on one thread, 3.24-4.89 -> 2.26-3.50 ms on two;
// - 8-byte, scalar loop: 11.95 -> 5.93 ms on one thread, 5.55-5.87 -> 3.39-3.56 ms on two;
// - 4-byte, vector gathers: 4.06-5.59 -> 2.45-4.51 ms on two threads;
// - lines already cached (32 rows): 25 us either way for 4-byte, 24 -> 25 us for 8-byte.
enum { PREFETCH_LINE_LIMIT = 16 << 10 };

int ds_gather_prefetches_line(ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length, ptrdiff_t width,
                              ptrdiff_t count) {
    ptrdiff_t bytes = length * width;
    return input_step == 0 && axis_stride == 1 && length > 0 && bytes <= PREFETCH_LINE_LIMIT && count * 64 >= bytes;
}

static void prefetch_line(const void *line, ptrdiff_t bytes) {
    for (ptrdiff_t at = 0; at < bytes; at += 64) __builtin_prefetch((const char *)line + at, 0, 3);
}

int ds_gather_u32(const uint32_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length,
                  const int64_t *restrict index, uint32_t *restrict output, ptrdiff_t count) {
    if (ds_gather_prefetches_line(input_step, axis_stride, length, 4, count)) prefetch_line(input, length * 4);
    return (ds_gather_scalar() ? ds_gather_u32_scalar : ds_gather_u32_vector)(input, input_step, axis_stride, length,
                                                                             index, output, count);
}

int ds_gather_u64(const uint64_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length,
                  const int64_t *restrict index, uint64_t *restrict output, ptrdiff_t count) {
    if (ds_gather_prefetches_line(input_step, axis_stride, length, 8, count)) prefetch_line(input, length * 8);
    return (ds_gather_scalar() ? ds_gather_u64_scalar : ds_gather_u64_vector)(input, input_step, axis_stride, length,
                                                                             index, output, count);
}
