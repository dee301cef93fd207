// The CPU backend's hottest float32 loops, compiled for the widest vectors the CPU has.
//
// Swift code is compiled for baseline x86-64 (SSE2), so DeviceShim runs on any x86-64
// machine. For memory-bound streams that costs 10-25% against AVX-512 code (fewer cache
// lines in flight per instruction window, narrower stores), which is what PyTorch runs.
// These functions are built three times (AVX-512F, AVX2, baseline) with `target_clones`;
// the dynamic loader picks the clone for the running CPU once (an ifunc), so a call costs
// what any call to a shared library costs. Everything else stays in Swift.
#ifndef DEVICESHIM_VECTOR_KERNELS_H
#define DEVICESHIM_VECTOR_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The element-wise float32 operations with a vector kernel.
typedef enum ds_float_binary_op {
    DS_FLOAT_ADD,
    DS_FLOAT_SUB,
    DS_FLOAT_MUL,
    DS_FLOAT_DIV,
} ds_float_binary_op;

/// The fewest floats (16 MB) an op's output must have for `stream_output` to pay: then it
/// would not stay cached for the next op anyway, and non-temporal stores skip reading each
/// output line before overwriting it (a third of the memory traffic of `a + b`). Callers that
/// know the last-level cache's size stream only past it (`ElementwiseKernels.streamingThreshold`).
#define DS_FLOAT_STREAMING_THRESHOLD (1 << 22)

/// `output[i] = lhs[i·lhs_step] op rhs[i·rhs_step]` for `i < count`, where each step is 1
/// (consecutive) or 0 (one value broadcast), not both 0. The output may be exactly an input.
/// With `stream_output`, the output is written with non-temporal stores.
void ds_float_binary(ds_float_binary_op op, const float *lhs, ptrdiff_t lhs_step, const float *rhs, ptrdiff_t rhs_step,
                     float *output, ptrdiff_t count, int stream_output);

/// The sum of `count` consecutive floats: blocks of 4096 are added in 32 float lanes, the
/// blocks' sums in double (so float rounding errors grow with ~128 additions per lane, not
/// with `count`).
double ds_float_sum(const float *elements, ptrdiff_t count);

/// The sum of the squares of `count` consecutive floats, blocked as `ds_float_sum` adds
/// (one pass: `torch.linalg.vector_norm`'s reduction, without a tensor of squares).
double ds_float_sum_of_squares(const float *elements, ptrdiff_t count);

/// Adds column `j` of `rows` rows of floats (row `i` at `input + i·row_stride`) to `sums[j]`,
/// for `j < columns`: the rows are read in order, each added in double into the `sums`
/// (which stay cached for a few thousand columns).
void ds_float_add_columns(const float *input, ptrdiff_t row_stride, ptrdiff_t rows, ptrdiff_t columns, double *sums);

/// The greatest of `count` >= 1 consecutive floats, or the first NaN among them (as the
/// CPU backend's `max` reduction defines it). Which of +0 and -0 is returned when they tie
/// as the greatest is unspecified.
float ds_float_max(const float *elements, ptrdiff_t count);

/// The least of `count` >= 1 consecutive floats, or the first NaN among them.
float ds_float_min(const float *elements, ptrdiff_t count);

/// The index of the first of `count` consecutive floats equal to `value` (+0 and -0 are
/// equal), or, when `value` is NaN, of the first NaN; `count` when there is none. With
/// `ds_float_max` it makes argmax: the first index of the greatest, or of the first NaN.
ptrdiff_t ds_float_find(const float *elements, ptrdiff_t count, float value);

/// The position of the first of `count` consecutive integers below `threshold`, or `count`
/// when none is (a topk lane's scan for items that enter its heap; 8 at a time).
ptrdiff_t ds_u64_first_below(const uint64_t *items, ptrdiff_t count, uint64_t threshold);

#ifdef __cplusplus
}
#endif
#endif
