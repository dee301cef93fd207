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
// The mask a comparison of two float_vectors gives (all ones where true).
typedef int int_vector __attribute__((vector_size(64), aligned(4)));

// How an operand is read at element `i`: DENSE (consecutive) or SPLAT (one value broadcast),
// as a scalar or as the vector of elements i..<i+16.
#define DENSE_SCALAR(operand) (operand)[i]
#define DENSE_VECTOR(operand) (*(const float_vector *)((operand) + i))
#define SPLAT_SCALAR(operand) (operand)[0]
#define SPLAT_VECTOR(operand) ((float_vector){0} + (operand)[0])

// `output[i] = EXPRESSION` with non-temporal stores: scalar up to a 64-byte boundary, then
// whole vectors, then the scalar tail; the fence orders the streamed stores before whatever
// tells another thread the work is done. LHS and RHS are DENSE or SPLAT.
#if defined(__x86_64__)
#define STREAMING_LOOP(EXPRESSION, LHS, RHS)                                              \
    {                                                                                     \
        ptrdiff_t i = 0;                                                                  \
        for (; i < count && ((uintptr_t)(output + i) & 63) != 0; i++) {                   \
            float x = LHS##_SCALAR(lhs), y = RHS##_SCALAR(rhs);                           \
            output[i] = (EXPRESSION);                                                     \
        }                                                                                 \
        for (; i + 16 <= count; i += 16) {                                                \
            float_vector x = LHS##_VECTOR(lhs), y = RHS##_VECTOR(rhs);                    \
            __builtin_nontemporal_store((aligned_vector)(EXPRESSION), (aligned_vector *)(output + i)); \
        }                                                                                 \
        for (; i < count; i++) {                                                          \
            float x = LHS##_SCALAR(lhs), y = RHS##_SCALAR(rhs);                           \
            output[i] = (EXPRESSION);                                                     \
        }                                                                                 \
        __builtin_ia32_sfence();                                                          \
    }
#else
#define STREAMING_LOOP(EXPRESSION, LHS, RHS) PLAIN_LOOP(EXPRESSION, LHS, RHS)
#endif

// `output[i] = EXPRESSION`, a plain loop that the compiler vectorises for the clone's
// instruction set.
#define PLAIN_LOOP(EXPRESSION, LHS, RHS)                                                  \
    for (ptrdiff_t i = 0; i < count; i++) {                                               \
        float x = LHS##_SCALAR(lhs), y = RHS##_SCALAR(rhs);                               \
        output[i] = (EXPRESSION);                                                         \
    }

// The three layouts a run of `count` elements can have, each streamed or not. `x` and `y`
// name the operands in EXPRESSION.
#define BINARY_LAYOUT(EXPRESSION, LHS, RHS)                                               \
    if (stream_output) {                                                                  \
        STREAMING_LOOP(EXPRESSION, LHS, RHS)                                              \
    } else {                                                                              \
        PLAIN_LOOP(EXPRESSION, LHS, RHS)                                                  \
    }
#define BINARY_LOOPS(EXPRESSION)                                                          \
    if (lhs_step != 0 && rhs_step != 0) {                                                 \
        BINARY_LAYOUT(EXPRESSION, DENSE, DENSE)                                           \
    } else if (lhs_step != 0) {                                                           \
        BINARY_LAYOUT(EXPRESSION, DENSE, SPLAT)                                           \
    } else {                                                                              \
        BINARY_LAYOUT(EXPRESSION, SPLAT, DENSE)                                           \
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

typedef float float_vector8 __attribute__((vector_size(32), aligned(4)));
typedef float float_vector4 __attribute__((vector_size(16), aligned(4)));

// The sum of a vector's 16 lanes, added as a tree of halves: four dependent additions rather
// than fifteen, which matters when a row of a sum over the last dimension is only a block or
// so. (A macro: a function taking a 64-byte vector would need one clone per instruction set.)
#define LANES_SUM(lanes, result)                                                             \
    {                                                                                        \
        float_vector8 eight = __builtin_shufflevector(lanes, lanes, 0, 1, 2, 3, 4, 5, 6, 7)     \
                            + __builtin_shufflevector(lanes, lanes, 8, 9, 10, 11, 12, 13, 14, 15); \
        float_vector4 four = __builtin_shufflevector(eight, eight, 0, 1, 2, 3)               \
                           + __builtin_shufflevector(eight, eight, 4, 5, 6, 7);              \
        result = (four[0] + four[2]) + (four[1] + four[3]);                                  \
    }

// `ds_float_sum` and `ds_float_sum_of_squares`: TERM(v) is what a vector of elements adds.
#define BLOCKED_SUM(TERM)                                                                  \
    double total = 0;                                                                     \
    for (ptrdiff_t block_start = 0; block_start < count; block_start += block_length) {   \
        ptrdiff_t block_end = count - block_start < block_length ? count : block_start + block_length; \
        float_vector lanes0 = {0}, lanes1 = {0};                                          \
        ptrdiff_t i = block_start;                                                        \
        for (; i + 32 <= block_end; i += 32) {                                            \
            float_vector v0 = *(const float_vector *)(elements + i);                      \
            float_vector v1 = *(const float_vector *)(elements + i + 16);                 \
            lanes0 += TERM(v0);                                                           \
            lanes1 += TERM(v1);                                                           \
        }                                                                                 \
        float_vector lanes = lanes0 + lanes1;                                             \
        float block;                                                                      \
        LANES_SUM(lanes, block)                                                           \
        double block_total = block;                                                       \
        for (; i < block_end; i++) block_total += TERM(elements[i]);                      \
        total += block_total;                                                             \
    }                                                                                     \
    return total;

#define ITSELF(v) (v)
#define SQUARE(v) ((v) * (v))

VECTOR_CLONES
double ds_float_sum(const float *elements, ptrdiff_t count) { BLOCKED_SUM(ITSELF) }

VECTOR_CLONES
double ds_float_sum_of_squares(const float *elements, ptrdiff_t count) { BLOCKED_SUM(SQUARE) }

// 8 floats, and 8 doubles, unaligned-safe.
typedef float float_octet __attribute__((vector_size(32), aligned(4)));
typedef double double_octet __attribute__((vector_size(64), aligned(8)));

VECTOR_CLONES
void ds_float_add_columns(const float *input, ptrdiff_t row_stride, ptrdiff_t rows, ptrdiff_t columns, double *sums) {
    for (ptrdiff_t i = 0; i < rows; i++) {
        const float *row = input + i * row_stride;
        ptrdiff_t j = 0;
        for (; j + 8 <= columns; j += 8) {
            *(double_octet *)(sums + j) += __builtin_convertvector(*(const float_octet *)(row + j), double_octet);
        }
        for (; j < columns; j++) sums[j] += row[j];
    }
}

// The greatest (or least, with `<`) of `count` consecutive floats in two vectors of 16
// lanes (two independent compare-and-blend chains), NaNs noted in a mask on the way rather
// than branched on; only when one was seen is the first NaN found.
#define KEEP_BETTER(lanes, x, BETTER)                                                     \
    {                                                                                    \
        int_vector better = (x) BETTER (lanes);                                          \
        lanes = (float_vector)((better & (int_vector)(x)) | (~better & (int_vector)(lanes))); \
    }
#define EXTREME_LOOP(BETTER)                                                              \
    float best = elements[0];                                                            \
    ptrdiff_t i = 1;                                                                     \
    if (count >= 32) {                                                                   \
        float_vector lanes0 = *(const float_vector *)elements;                           \
        float_vector lanes1 = *(const float_vector *)(elements + 16);                    \
        int_vector unordered = (lanes0 != lanes0) | (lanes1 != lanes1);                  \
        for (i = 32; i + 32 <= count; i += 32) {                                         \
            float_vector x0 = *(const float_vector *)(elements + i);                     \
            float_vector x1 = *(const float_vector *)(elements + i + 16);                \
            KEEP_BETTER(lanes0, x0, BETTER)                                              \
            KEEP_BETTER(lanes1, x1, BETTER)                                              \
            unordered |= (x0 != x0) | (x1 != x1);                                        \
        }                                                                                \
        KEEP_BETTER(lanes0, lanes1, BETTER)                                              \
        int any_unordered = 0;                                                           \
        for (int lane = 0; lane < 16; lane++) any_unordered |= unordered[lane];          \
        if (any_unordered) {                                                             \
            for (ptrdiff_t j = 0; j < count; j++)                                        \
                if (elements[j] != elements[j]) return elements[j];                      \
        }                                                                                \
        best = lanes0[0];                                                                \
        for (int lane = 1; lane < 16; lane++)                                            \
            if (lanes0[lane] BETTER best) best = lanes0[lane];                           \
    }                                                                                    \
    for (; i < count; i++) {                                                             \
        if (best != best) return best;                                                   \
        if (elements[i] != elements[i] || elements[i] BETTER best) best = elements[i];   \
    }                                                                                    \
    return best;

VECTOR_CLONES
float ds_float_max(const float *elements, ptrdiff_t count) { EXTREME_LOOP(>) }

VECTOR_CLONES
float ds_float_min(const float *elements, ptrdiff_t count) { EXTREME_LOOP(<) }

VECTOR_CLONES
ptrdiff_t ds_float_find(const float *elements, ptrdiff_t count, float value) {
    ptrdiff_t i = 0;
    if (value != value) {
        for (; i < count; i++)
            if (elements[i] != elements[i]) return i;
        return count;
    }
    // Blocks of 16 compared without a branch per element, until one holds the value.
    for (; i + 16 <= count; i += 16) {
        int any = 0;
        for (int j = 0; j < 16; j++) any |= elements[i + j] == value;
        if (any) break;
    }
    for (; i < count; i++)
        if (elements[i] == value) return i;
    return count;
}

VECTOR_CLONES
ptrdiff_t ds_u64_first_below(const uint64_t *items, ptrdiff_t count, uint64_t threshold) {
    ptrdiff_t i = 0;
    for (; i + 8 <= count; i += 8) {
        int any = 0;
        for (int j = 0; j < 8; j++) any |= items[i + j] < threshold;
        if (any) break;
    }
    for (; i < count; i++) {
        if (items[i] < threshold) return i;
    }
    return count;
}
