// float32 streams built for AVX-512F, AVX2 and baseline x86-64 (see vector_kernels.h).
#include "vector_kernels.h"

#include <stdint.h>

#if defined(__x86_64__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

// 16 floats; aligned(4) makes every load and store of it unaligned-safe.
typedef float float_vector __attribute__((vector_size(64), aligned(4)));
// 16 floats at a 64-byte boundary, for non-temporal stores (which need alignment).
typedef float aligned_vector __attribute__((vector_size(64)));

// Dense `output[i] = EXPRESSION` with non-temporal stores: scalar up to a 64-byte boundary,
// then whole vectors, then the scalar tail; the fence orders the streamed stores before
// whatever tells another thread the work is done.
#if defined(__x86_64__)
#define STREAMING_LOOP(EXPRESSION)                                                        \
    {                                                                                     \
        ptrdiff_t i = 0;                                                                  \
        for (; i < count && ((uintptr_t)(output + i) & 63) != 0; i++) {                   \
            float x = lhs[i], y = rhs[i];                                                 \
            output[i] = (EXPRESSION);                                                     \
        }                                                                                 \
        for (; i + 16 <= count; i += 16) {                                                \
            float_vector x = *(const float_vector *)(lhs + i);                            \
            float_vector y = *(const float_vector *)(rhs + i);                            \
            __builtin_nontemporal_store((aligned_vector)(EXPRESSION), (aligned_vector *)(output + i)); \
        }                                                                                 \
        for (; i < count; i++) {                                                          \
            float x = lhs[i], y = rhs[i];                                                 \
            output[i] = (EXPRESSION);                                                     \
        }                                                                                 \
        __builtin_ia32_sfence();                                                          \
    }
#else
#define STREAMING_LOOP(EXPRESSION)                                                        \
    for (ptrdiff_t i = 0; i < count; i++) {                                               \
        float x = lhs[i], y = rhs[i];                                                     \
        output[i] = (EXPRESSION);                                                         \
    }
#endif

// The three layouts a run of `count` elements can have, each a plain loop that the compiler
// vectorises for the clone's instruction set. `x` and `y` name the operands in EXPRESSION.
#define BINARY_LOOPS(EXPRESSION)                                                          \
    if (lhs_step != 0 && rhs_step != 0 && stream_output) {                                \
        STREAMING_LOOP(EXPRESSION)                                                        \
    } else if (lhs_step != 0 && rhs_step != 0) {                                                 \
        for (ptrdiff_t i = 0; i < count; i++) {                                           \
            float x = lhs[i], y = rhs[i];                                                 \
            output[i] = (EXPRESSION);                                                     \
        }                                                                                 \
    } else if (lhs_step != 0) {                                                           \
        float y = rhs[0];                                                                 \
        for (ptrdiff_t i = 0; i < count; i++) {                                           \
            float x = lhs[i];                                                             \
            output[i] = (EXPRESSION);                                                     \
        }                                                                                 \
    } else {                                                                              \
        float x = lhs[0];                                                                 \
        for (ptrdiff_t i = 0; i < count; i++) {                                           \
            float y = rhs[i];                                                             \
            output[i] = (EXPRESSION);                                                     \
        }                                                                                 \
    }

VECTOR_CLONES
void ds_float_binary(ds_float_binary_op op, const float *lhs, ptrdiff_t lhs_step, const float *rhs, ptrdiff_t rhs_step,
                     float *output, ptrdiff_t count, int stream_output) {
    switch (op) {
    case DS_FLOAT_ADD: BINARY_LOOPS(x + y) break;
    case DS_FLOAT_SUB: BINARY_LOOPS(x - y) break;
    case DS_FLOAT_MUL: BINARY_LOOPS(x * y) break;
    case DS_FLOAT_DIV: BINARY_LOOPS(x / y) break;
    }
}

enum { block_length = 4096 };

VECTOR_CLONES
double ds_float_sum(const float *elements, ptrdiff_t count) {
    double total = 0;
    for (ptrdiff_t block_start = 0; block_start < count; block_start += block_length) {
        ptrdiff_t block_end = count - block_start < block_length ? count : block_start + block_length;
        float_vector lanes0 = {0}, lanes1 = {0};
        ptrdiff_t i = block_start;
        for (; i + 32 <= block_end; i += 32) {
            lanes0 += *(const float_vector *)(elements + i);
            lanes1 += *(const float_vector *)(elements + i + 16);
        }
        float_vector lanes = lanes0 + lanes1;
        float block = 0;
        for (int lane = 0; lane < 16; lane++) block += lanes[lane];
        double block_total = block;
        for (; i < block_end; i++) block_total += elements[i];
        total += block_total;
    }
    return total;
}
