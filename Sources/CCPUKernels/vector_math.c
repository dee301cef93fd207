// float32 exp, log, tanh, sigmoid, erf and gelu, 16 lanes at a time (see vector_math.h).
//
// Each function is branch-free vector code over GCC/Clang vector extensions: special cases
// are computed alongside and blended in with masks. Lanes are 16 floats (one AVX-512
// register; two AVX2 or four SSE registers in the other clones). A tail shorter than a
// vector is copied through a padded stack vector, so every element takes the same path.
#include "vector_math.h"
#include "vector_kernels.h"

#include <math.h>

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

enum { lanes = 16 };
// aligned(4): loads and stores of these are unaligned-safe.
typedef float floats __attribute__((vector_size(64), aligned(4)));
typedef int32_t ints __attribute__((vector_size(64), aligned(4)));
typedef uint32_t bits __attribute__((vector_size(64), aligned(4)));

#define SPLAT(value) ((floats){0} + (value))

/// Lanes of `if_true` where `mask` is all ones (a comparison's true), else of `if_false`.
#define BLEND(mask, if_true, if_false) ((floats)(((mask) & (ints)(if_true)) | (~(mask) & (ints)(if_false))))
#define ABSOLUTE(x) ((floats)((bits)(x) & 0x7fffffffu))

// The functions below take and give vectors through pointers: a vector argument or result
// wider than the baseline clone's registers would change the calling convention there
// (Clang rejects it even for always-inlined calls), a pointer does not.
#define INLINE static inline __attribute__((always_inline))

/// e^x. x = k·ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 in two parts, the first with few
/// enough bits that k·part is exact), e^r by Cephes' degree-7 polynomial, then 2^k applied
/// by adding k to the exponent field — or, when a lane's result may overflow or be denormal,
/// as 2^(k/2)·2^(k - k/2) for the whole vector: each factor is a normal float even when 2^k
/// is not, so results down in the denormals are rounded once, by the last multiplication.
INLINE void vector_exp(floats *value) {
    floats x = *value;
    // Beyond these, e^x is +inf (88.72 is ln FLT_MAX) or below half the least denormal.
    // A NaN fails both comparisons and propagates through the arithmetic below.
    x = BLEND(x > 89.0f, SPLAT(89.0f), x);
    x = BLEND(x < -104.0f, SPLAT(-104.0f), x);
    // k = round(x / ln2): adding 1.5·2^23 rounds to an integer held in the low mantissa bits.
    const float shifter = 0x1.8p23f;
    floats shifted = x * 1.44269504088896341f + shifter;
    ints k = (ints)shifted - (ints)SPLAT(shifter);
    floats kf = shifted - shifter;
    floats r = x - kf * 0.693359375f;
    r = r - kf * -2.12194440e-4f;
    floats p = SPLAT(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    floats y = p * (r * r) + r + 1.0f;
    // y is in [0.7, 1.42], so for k in [-125, 127] adding k to its exponent field is exact.
    *value = (floats)((ints)y + (k << 23));
    bits scaling_fails = (bits)(k + 125) > 252u;
    int any_fails = 0;
    for (int lane = 0; lane < lanes; lane++) any_fails |= scaling_fails[lane];
    if (__builtin_expect(any_fails, 0)) {
        ints half = k >> 1;
        floats scale1 = (floats)((bits)(half + 127) << 23);
        floats scale2 = (floats)((bits)(k - half + 127) << 23);
        *value = y * scale1 * scale2;
    }
}

/// ln x. x = 2^e·m with m in [√½, √2), ln m = f - f²/2 + f³·P(f) for f = m - 1 (Cephes'
/// degree-8 P), plus e·ln2 in two parts. Denormal inputs are scaled by 2^23 first.
INLINE void vector_log(floats *value) {
    floats x = *value;
    ints denormal = x < 0x1p-126f;
    floats scaled = BLEND(denormal, x * 0x1p23f, x);
    bits word = (bits)scaled;
    ints exponent = (ints)(word >> 23) - 126 - (denormal & 23);
    floats m = (floats)((word & 0x007fffffu) | 0x3f000000u);  // in [0.5, 1)
    ints small = m < 0.707106781186547524f;
    exponent = exponent + small;  // a true comparison is -1
    floats f = BLEND(small, m + m, m) - 1.0f;
    floats e = __builtin_convertvector(exponent, floats);
    floats z = f * f;
    floats p = SPLAT(7.0376836292e-2f);
    p = p * f - 1.1514610310e-1f;
    p = p * f + 1.1676998740e-1f;
    p = p * f - 1.2420140846e-1f;
    p = p * f + 1.4249322787e-1f;
    p = p * f - 1.6668057665e-1f;
    p = p * f + 2.0000714765e-1f;
    p = p * f - 2.4999993993e-1f;
    p = p * f + 3.3333331174e-1f;
    floats y = f * z * p;
    y = y + e * -2.12194440e-4f;
    y = y - 0.5f * z;
    floats result = f + y + e * 0.693359375f;
    // ln(+inf) = +inf, ln(±0) = -inf, ln(x < 0) = ln(NaN) = NaN.
    result = BLEND(x == __builtin_inff(), x, result);
    result = BLEND(x == 0.0f, SPLAT(-__builtin_inff()), result);
    *value = BLEND((x < 0.0f) | (x != x), SPLAT(__builtin_nanf("")), result);
}

/// tanh x: Cephes' odd polynomial m + m³·P(m²) for m = |x| <= 0.625, else
/// 1 - 2 / (e^(2m) + 1), which reaches 1 (and stays there for +inf); then the sign of x
/// (so tanh(-0) = -0).
INLINE void vector_tanh(floats *value) {
    floats x = *value;
    floats magnitude = ABSOLUTE(x);
    floats z = x * x;
    floats p = SPLAT(-5.70498872745e-3f);
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    floats near_zero = p * z * magnitude + magnitude;
    floats exponential = magnitude + magnitude;
    vector_exp(&exponential);
    floats far = 1.0f - 2.0f / (exponential + 1.0f);
    floats result = BLEND(magnitude > 0.625f, far, near_zero);
    *value = (floats)((bits)result | ((bits)x & 0x80000000u));
}

/// 1 / (1 + e^-x), from e = e^-|x| <= 1 (never overflowing): 1 / (1 + e) for x >= 0 and
/// e / (1 + e) for x < 0, so tiny results (down in the denormals) keep their precision.
INLINE void vector_sigmoid(floats *value) {
    floats x = *value;
    floats e = -ABSOLUTE(x);
    vector_exp(&e);
    floats denominator = 1.0f + e;
    *value = BLEND(x < 0.0f, e, SPLAT(1.0f)) / denominator;
}

/// c[0] + x·(c[1] + x·(… + x·c[count - 1])), by Horner's rule (coefficients lowest first).
INLINE void polynomial(floats *result, const floats *x, const float *coefficients, int count) {
    floats p = SPLAT(coefficients[count - 1]);
    for (int i = count - 2; i >= 0; i--) p = p * *x + coefficients[i];
    *result = p;
}

/// erf x, within about 1.5 ulp. For |x| < 1: x + x·P(x²), P of degree 6 (so the leading
/// term x is exact and P's rounding is scaled down by erf(x)/x - 1 <= 0.16). For 1 <= |x|:
/// 1 - e^(-x²)·R(|x| - 2.5), R of degree 11, with |x| clamped to 4 (erf rounds to 1 from
/// 3.92 on, so ±inf give ±1). The sign of x is put back last: erf(-0) = -0, and NaN stays NaN.
/// P and R were fitted for this project with numpy (weighted least squares on Chebyshev
/// nodes) to erf(x)/x - 1 on [0, 1] and to erfc(x)·e^(x²) on [1, 4].
INLINE void vector_erf(floats *value) {
    static const float near_coefficients[] = {1.283791661e-01f, -3.761262596e-01f, 1.128358245e-01f, -2.685369179e-02f,
                                              5.188099574e-03f, -8.008191944e-04f, 7.847261440e-05f};
    static const float far_coefficients[] = {2.108063549e-01f, -7.434736192e-02f, 2.493817359e-02f, -8.001474664e-03f,
                                             2.466092817e-03f, -7.337129791e-04f, 2.128322230e-04f, -5.894272181e-05f,
                                             1.442567645e-05f, -4.009325949e-06f, 1.658862288e-06f, -3.835844211e-07f};
    floats x = *value;
    floats magnitude = ABSOLUTE(x);
    floats z = x * x, p, r;
    polynomial(&p, &z, near_coefficients, sizeof near_coefficients / sizeof(float));
    floats near_zero = magnitude + magnitude * p;
    floats m = BLEND(magnitude > 4.0f, SPLAT(4.0f), magnitude);
    floats s = m - 2.5f;
    polynomial(&r, &s, far_coefficients, sizeof far_coefficients / sizeof(float));
    floats exponential = -(m * m);
    vector_exp(&exponential);
    floats far = 1.0f - exponential * r;
    floats result = BLEND(magnitude < 1.0f, near_zero, far);
    *value = (floats)((bits)result | ((bits)x & 0x80000000u));
}

/// x·Φ(x) = x/2·(1 + erf(x/√2)), computed as `torch.nn.functional.gelu` computes it (so far
/// below zero, where 1 + erf cancels, the error is absolute, about 1e-7·|x|): gelu(+inf) =
/// +inf and gelu(-inf) = NaN (inf·0).
INLINE void vector_gelu(floats *value) {
    floats x = *value;
    floats e = x * 0.707106781186547524f;
    vector_erf(&e);
    *value = 0.5f * x * (1.0f + e);
}

/// The `width` (<= 16) floats at `source` in a vector whose other lanes are `padding`.
INLINE void partial_load(floats *value, const float *source, ptrdiff_t width, float padding) {
    if (width == lanes) {
        *value = *(const floats *)source;
        return;
    }
    float padded[lanes];
    for (int lane = 0; lane < lanes; lane++) padded[lane] = padding;
    memcpy(padded, source, (size_t)width * sizeof(float));
    *value = *(const floats *)padded;
}

INLINE void partial_store(float *destination, const floats *value, ptrdiff_t width) {
    if (width == lanes) *(floats *)destination = *value;
    else memcpy(destination, value, (size_t)width * sizeof(float));
}

INLINE void apply(ds_float_unary_op op, floats *value) {
    switch (op) {
    case DS_FLOAT_EXP: vector_exp(value); break;
    case DS_FLOAT_LOG: vector_log(value); break;
    case DS_FLOAT_TANH: vector_tanh(value); break;
    case DS_FLOAT_SIGMOID: vector_sigmoid(value); break;
    case DS_FLOAT_RELU: *value = BLEND(*value < 0.0f, SPLAT(0.0f), *value); break;
    case DS_FLOAT_ERF: vector_erf(value); break;
    case DS_FLOAT_GELU: vector_gelu(value); break;
    }
}

/// `output[i] = op(input[i])` for `i < count` (< 16), through a padded vector.
#define PARTIAL_VECTOR(OP, input, output, count)                                         \
    {                                                                                    \
        floats value;                                                                    \
        partial_load(&value, (input), (count), 0);                                       \
        apply(OP, &value);                                                               \
        partial_store((output), &value, (count));                                        \
    }

// One loop per op, so each is compiled with its function inlined and the switch hoisted.
// Streamed output is written with non-temporal stores from the first 64-byte boundary on;
// the fence orders them before whatever tells another thread the work is done.
#if defined(__x86_64__)
typedef float aligned_floats __attribute__((vector_size(64)));
#define STORE_STREAMED(address, value) __builtin_nontemporal_store((aligned_floats)(value), (aligned_floats *)(address))
#define STREAMING_FENCE() __builtin_ia32_sfence()
#else
#define STORE_STREAMED(address, value) (*(floats *)(address) = (value))
#define STREAMING_FENCE()
#endif
#define UNARY_LOOP(OP)                                                                   \
    {                                                                                    \
        ptrdiff_t i = 0;                                                                 \
        if (stream_output) {                                                             \
            ptrdiff_t head = (ptrdiff_t)((64 - ((uintptr_t)output & 63)) & 63) / (ptrdiff_t)sizeof(float); \
            if (((uintptr_t)output & 3) == 0 && head < count) {                          \
                if (head > 0) PARTIAL_VECTOR(OP, input, output, head)                    \
                for (i = head; i + lanes <= count; i += lanes) {                         \
                    floats value = *(const floats *)(input + i);                         \
                    apply(OP, &value);                                                   \
                    STORE_STREAMED(output + i, value);                                   \
                }                                                                        \
                STREAMING_FENCE();                                                       \
            }                                                                            \
        }                                                                                \
        for (; i + lanes <= count; i += lanes) {                                         \
            floats value = *(const floats *)(input + i);                                 \
            apply(OP, &value);                                                           \
            *(floats *)(output + i) = value;                                             \
        }                                                                                \
        if (i < count) PARTIAL_VECTOR(OP, input + i, output + i, count - i)              \
    }

VECTOR_CLONES
void ds_float_unary(ds_float_unary_op op, const float *input, float *output, ptrdiff_t count, int stream_output) {
    switch (op) {
    case DS_FLOAT_EXP: UNARY_LOOP(DS_FLOAT_EXP) break;
    case DS_FLOAT_LOG: UNARY_LOOP(DS_FLOAT_LOG) break;
    case DS_FLOAT_TANH: UNARY_LOOP(DS_FLOAT_TANH) break;
    case DS_FLOAT_SIGMOID: UNARY_LOOP(DS_FLOAT_SIGMOID) break;
    case DS_FLOAT_RELU: UNARY_LOOP(DS_FLOAT_RELU) break;
    case DS_FLOAT_ERF: UNARY_LOOP(DS_FLOAT_ERF) break;
    case DS_FLOAT_GELU: UNARY_LOOP(DS_FLOAT_GELU) break;
    }
}

/// Three passes over a row, which stays in cache between them for rows up to a few
/// thousand floats (PyTorch's `_vec_softmax_lastdim` makes the same passes): the maximum;
/// `exp(x - max)`, summed (and stored, for softmax); then the output, scaled by `1 / sum`
/// or shifted by `log(sum)`. Tails shorter than a vector go through a padded vector whose
/// padding is -inf, so it adds `exp(-inf) = 0` to the sum.
VECTOR_CLONES
void ds_float_softmax(const float *input, float *output, ptrdiff_t count, int log_output) {
    if (count <= 0) return;
    const float maximum = ds_float_max(input, count);
    enum { block_length = 4096 };
    double sum = 0;
    for (ptrdiff_t block_start = 0; block_start < count; block_start += block_length) {
        ptrdiff_t block_end = count - block_start < block_length ? count : block_start + block_length;
        floats lanes_sum = {0};
        ptrdiff_t i = block_start;
        for (; i + lanes <= block_end; i += lanes) {
            floats value = *(const floats *)(input + i) - maximum;
            vector_exp(&value);
            if (!log_output) *(floats *)(output + i) = value;
            lanes_sum += value;
        }
        if (i < block_end) {
            floats value;
            partial_load(&value, input + i, block_end - i, -INFINITY);
            value -= maximum;
            vector_exp(&value);
            if (!log_output) partial_store(output + i, &value, block_end - i);
            lanes_sum += value;
        }
        float block = 0;
        for (int lane = 0; lane < lanes; lane++) block += lanes_sum[lane];
        sum += block;
    }
    ptrdiff_t i = 0;
    if (log_output) {
        const float shift = (float)log(sum);
        for (; i + lanes <= count; i += lanes) *(floats *)(output + i) = (*(const floats *)(input + i) - maximum) - shift;
        for (; i < count; i++) output[i] = (input[i] - maximum) - shift;
    } else {
        const float scale = (float)(1.0 / sum);
        for (; i + lanes <= count; i += lanes) *(floats *)(output + i) *= scale;
        for (; i < count; i++) output[i] *= scale;
    }
}

// `ds_float_softmax_columns` works on tiles of this many columns; its per-column arrays have
// a vector more, so a tail's padded lanes read and write inside them.
enum { column_tile = 1024 };
typedef double doubles8 __attribute__((vector_size(64), aligned(8)));

/// Each pass reads the rows in order, 16 adjacent columns (a vector) at a time; a tail of
/// fewer columns goes through padded vectors.
INLINE void softmax_column_tile(const float *input, ptrdiff_t input_row, float *output, ptrdiff_t output_row,
                                ptrdiff_t rows, ptrdiff_t columns, int log_output) {
    float maxima[column_tile + lanes], factors[column_tile + lanes] = {0};
    double sums[column_tile + lanes] = {0};
    for (ptrdiff_t j = 0; j < column_tile + lanes; j++) maxima[j] = -INFINITY;
    // A NaN fails the comparison here, but its exp makes its column's sum, so every output, NaN.
    for (ptrdiff_t i = 0; i < rows; i++) {
        for (ptrdiff_t j = 0; j < columns; j += lanes) {
            floats x, best = *(const floats *)(maxima + j);
            partial_load(&x, input + i * input_row + j, columns - j < lanes ? columns - j : lanes, -INFINITY);
            *(floats *)(maxima + j) = BLEND(x > best, x, best);
        }
    }
    // exp(x - max), summed per column in double (and stored, for softmax).
    for (ptrdiff_t i = 0; i < rows; i++) {
        for (ptrdiff_t j = 0; j < columns; j += lanes) {
            ptrdiff_t width = columns - j < lanes ? columns - j : lanes;
            floats value;
            partial_load(&value, input + i * input_row + j, width, 0);
            value -= *(const floats *)(maxima + j);
            vector_exp(&value);
            if (!log_output) partial_store(output + i * output_row + j, &value, width);
            *(doubles8 *)(sums + j) += __builtin_convertvector(__builtin_shufflevector(value, value, 0, 1, 2, 3, 4, 5, 6, 7), doubles8);
            *(doubles8 *)(sums + j + 8) +=
                __builtin_convertvector(__builtin_shufflevector(value, value, 8, 9, 10, 11, 12, 13, 14, 15), doubles8);
        }
    }
    for (ptrdiff_t j = 0; j < columns; j++) factors[j] = log_output ? (float)log(sums[j]) : (float)(1.0 / sums[j]);
    // The outputs: exp(x - max) / sum, or (x - max) - log(sum).
    for (ptrdiff_t i = 0; i < rows; i++) {
        float *out = output + i * output_row;
        for (ptrdiff_t j = 0; j < columns; j += lanes) {
            ptrdiff_t width = columns - j < lanes ? columns - j : lanes;
            floats value;
            if (log_output) {
                partial_load(&value, input + i * input_row + j, width, 0);
                value = (value - *(const floats *)(maxima + j)) - *(const floats *)(factors + j);
            } else {
                partial_load(&value, out + j, width, 0);
                value *= *(const floats *)(factors + j);
            }
            partial_store(out + j, &value, width);
        }
    }
}

VECTOR_CLONES
void ds_float_softmax_columns(const float *input, ptrdiff_t input_row, float *output, ptrdiff_t output_row,
                              ptrdiff_t rows, ptrdiff_t columns, int log_output) {
    for (ptrdiff_t first = 0; first < columns; first += column_tile) {
        ptrdiff_t width = columns - first < column_tile ? columns - first : column_tile;
        softmax_column_tile(input + first, input_row, output + first, output_row, rows, width, log_output);
    }
}
