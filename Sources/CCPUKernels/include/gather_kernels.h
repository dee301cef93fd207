// The CPU backend's gather along one run of consecutive output elements, for 4- and 8-byte
// elements (any dtype of that width: elements are moved as bits): vector gathers compiled for
// the widest vectors the CPU has (see vector_kernels.h), or, on AMD CPUs, where those lose to
// scalar loads, a scalar loop (gather_kernels.c has the measurements). Scalar Swift code
// handles other layouts.
#ifndef DEVICESHIM_GATHER_KERNELS_H
#define DEVICESHIM_GATHER_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `output[i] = input[i·input_step + index[i]·axis_stride]` for `i < count` where
/// `0 <= index[i] < length`, else 0 (and the input is not read). Returns nonzero when any
/// index was outside. `output` and `index` are consecutive and must not overlap `input`.
int ds_gather_u32(const uint32_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length,
                  const int64_t *restrict index, uint32_t *restrict output, ptrdiff_t count);

/// `ds_gather_u32` for 8-byte elements.
int ds_gather_u64(const uint64_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length,
                  const int64_t *restrict index, uint64_t *restrict output, ptrdiff_t count);

/// 1 when the kernels above prefetch the run's input line before gathering from it: the run
/// reads one contiguous line (`input_step` 0, `axis_stride` 1) of at most 16 KB, and makes at
/// least one read per 64-byte cache line of it on average. `width` is the element's bytes.
int ds_gather_prefetches_line(ptrdiff_t input_step, ptrdiff_t axis_stride, ptrdiff_t length, ptrdiff_t width,
                              ptrdiff_t count);

/// 1 when the kernels above use the scalar loop on this CPU (an AMD one), 0 when vector gathers.
int ds_gather_scalar(void);

/// The two ways the kernels above choose between, callable directly (tests run both on any CPU).
int ds_gather_u32_vector(const uint32_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride,
                         ptrdiff_t length, const int64_t *restrict index, uint32_t *restrict output, ptrdiff_t count);
int ds_gather_u32_scalar(const uint32_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride,
                         ptrdiff_t length, const int64_t *restrict index, uint32_t *restrict output, ptrdiff_t count);
int ds_gather_u64_vector(const uint64_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride,
                         ptrdiff_t length, const int64_t *restrict index, uint64_t *restrict output, ptrdiff_t count);
int ds_gather_u64_scalar(const uint64_t *restrict input, ptrdiff_t input_step, ptrdiff_t axis_stride,
                         ptrdiff_t length, const int64_t *restrict index, uint64_t *restrict output, ptrdiff_t count);

#ifdef __cplusplus
}
#endif
#endif
