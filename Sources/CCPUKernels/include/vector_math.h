// Vectorised float32 transcendental functions for the CPU backend (exp, log, tanh, sigmoid,
// erf, gelu).
//
// glibc's `expf` and friends are scalar calls: about 5 ns an element, where a vector kernel
// takes well under 1 ns. These are the same functions computed 16 lanes at a time with the
// usual range reduction and a polynomial (Cephes' minimax coefficients; erf's were fitted for
// this project), built like vector_kernels.h for AVX-512F, AVX2 and baseline x86-64.
// Accuracy, measured against double precision over a dense sweep of float32
// (Tests/Devices/CPUVectorMathTests.swift): within 2 ulp for exp and log, 3 ulp for tanh and
// sigmoid, 1.5 ulp for erf, denormal results included; gelu within 2 ulp, or 2^-24·|x| below
// zero, where its 1 + erf cancels (as in PyTorch's formula).
// Special values behave as IEEE functions do: NaN propagates, exp overflows to +inf and
// underflows to 0 (through the denormals), log(0) = -inf, log(x < 0) = NaN, tanh(±inf) = ±1,
// sigmoid(-inf) = 0, sigmoid(+inf) = 1, erf(±inf) = ±1, gelu(+inf) = +inf, gelu(-inf) = NaN.
#ifndef DEVICESHIM_VECTOR_MATH_H
#define DEVICESHIM_VECTOR_MATH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The float32 functions with a vector kernel.
typedef enum ds_float_unary_op {
    DS_FLOAT_EXP,
    DS_FLOAT_LOG,
    DS_FLOAT_TANH,
    /// `1 / (1 + exp(-x))`.
    DS_FLOAT_SIGMOID,
    /// `x < 0 ? 0 : x`: NaN and -0 pass through, as in `torch.relu`.
    DS_FLOAT_RELU,
    DS_FLOAT_ERF,
    /// `x / 2 · (1 + erf(x / √2))`, `torch.nn.functional.gelu` (approximate "none").
    DS_FLOAT_GELU,
} ds_float_unary_op;

/// `output[i] = op(input[i])` for `i < count` consecutive floats. The output may be exactly
/// the input (in place). With `stream_output` the output is written with non-temporal stores
/// (for outputs of `DS_FLOAT_STREAMING_THRESHOLD` floats or more, see vector_kernels.h).
void ds_float_unary(ds_float_unary_op op, const float *input, float *output, ptrdiff_t count, int stream_output);

/// Softmax of `count` consecutive floats (`torch.softmax` along a contiguous axis):
/// `output[i] = exp(input[i] - max) / sum`, or with `log_output` its logarithm,
/// `(input[i] - max) - log(sum)`, where `sum` adds `exp(input[j] - max)` in float lanes per
/// block of 4096 and the blocks in double. A NaN, a +inf, or only -inf in the input gives NaN
/// throughout. The output may be exactly the input.
void ds_float_softmax(const float *input, float *output, ptrdiff_t count, int log_output);

/// Softmax down each of `columns` adjacent columns of `rows` rows (`torch.softmax(x, 0)` of a
/// row-major matrix): row `i` of the input starts at `input + i·input_row`, of the output at
/// `output + i·output_row`. Three passes read the rows in order, a tile of columns at a time:
/// the columns' maxima, `exp(x - max)` summed in double per column (and stored, for softmax),
/// then the outputs, scaled by `1 / sum` or shifted by `log(sum)`. Special values as in
/// `ds_float_softmax`. The output may be exactly the input.
void ds_float_softmax_columns(const float *input, ptrdiff_t input_row, float *output, ptrdiff_t output_row,
                              ptrdiff_t rows, ptrdiff_t columns, int log_output);

#ifdef __cplusplus
}
#endif
#endif
