/* The self-checking program of DeviceShim's tensor C API (include/deviceshim.h).
 *
 * Usage: tensor_api BACKEND REAL_DEVICE, e.g. `tensor_api opencl opencl:0`: it sets the policy
 * "cuda=BACKEND,cpu", makes its tensors on "cuda" (which must land on REAL_DEVICE), runs every
 * op against hand-computed values, checks that every kind of bad input gets its status and a
 * message, and uses handles from several threads at once.
 *
 * Some calls sit alone in a function on a line marked "CALL: <api>": the tests expect the
 * records of those calls to name that function and line. */
#include <pthread.h>

#include "tensor_check.h"

static const char *backend;
static const char *real_device;
static const int64_t matrix_shape[] = {2, 3};
static const float matrix_values[] = {1, 2, 3, 4, 5, 6};

/* --- Marked calls (see the records test) ------------------------------------------------ */

static void choose_policy(const char *policy) {
    deviceshim_status status = deviceshim_set_policy(policy); /* CALL: deviceshim_set_policy */
    CHECK_STATUS_OF("deviceshim_set_policy", status, DEVICESHIM_OK);
}

static deviceshim_tensor upload_matrix(void) {
    deviceshim_tensor t = 0;
    deviceshim_status status = deviceshim_tensor_from_data(matrix_values, DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", &t); /* CALL: deviceshim_tensor_from_data */
    CHECK_STATUS_OF("deviceshim_tensor_from_data", status, DEVICESHIM_OK);
    return t;
}

static deviceshim_tensor add_bias(deviceshim_tensor a, deviceshim_tensor bias) {
    deviceshim_tensor t = 0;
    deviceshim_status status = deviceshim_tensor_add(a, bias, &t); /* CALL: deviceshim_tensor_add */
    CHECK_STATUS_OF("deviceshim_tensor_add", status, DEVICESHIM_OK);
    return t;
}

static deviceshim_tensor multiply_matrices(deviceshim_tensor a, deviceshim_tensor b) {
    deviceshim_tensor t = 0;
    deviceshim_status status = deviceshim_tensor_matmul(a, b, &t); /* CALL: deviceshim_tensor_matmul */
    CHECK_STATUS_OF("deviceshim_tensor_matmul", status, DEVICESHIM_OK);
    return t;
}

static deviceshim_tensor row_sums(deviceshim_tensor a) {
    const int64_t dims[] = {1};
    deviceshim_tensor t = 0;
    deviceshim_status status = deviceshim_tensor_reduce(a, DEVICESHIM_SUM, dims, 1, 0, &t); /* CALL: deviceshim_tensor_reduce */
    CHECK_STATUS_OF("deviceshim_tensor_reduce", status, DEVICESHIM_OK);
    return t;
}

static void download(deviceshim_tensor t, float *values, size_t bytes) {
    deviceshim_status status = deviceshim_tensor_copy_to_host(t, values, bytes); /* CALL: deviceshim_tensor_copy_to_host */
    CHECK_STATUS_OF("deviceshim_tensor_copy_to_host", status, DEVICESHIM_OK);
}

static void release(deviceshim_tensor t) {
    deviceshim_status status = deviceshim_tensor_free(t); /* CALL: deviceshim_tensor_free */
    CHECK_STATUS_OF("deviceshim_tensor_free", status, DEVICESHIM_OK);
}

static void add_mismatched(deviceshim_tensor a, deviceshim_tensor b) {
    deviceshim_tensor t = 77;
    deviceshim_status status = deviceshim_tensor_add(a, b, &t); /* CALL: failing deviceshim_tensor_add */
    CHECK_STATUS_OF("deviceshim_tensor_add", status, DEVICESHIM_SHAPE_MISMATCH);
    CHECK_INT(t, 0, "a failed call sets *out to 0");
}

/* --- Values ------------------------------------------------------------------------------ */

static deviceshim_tensor make(const void *data, deviceshim_dtype dtype, const int64_t *shape, int rank) {
    deviceshim_tensor t = 0;
    CHECK_OK(deviceshim_tensor_from_data(data, dtype, shape, rank, "cuda", &t));
    return t;
}

static void check_placement(deviceshim_tensor a) {
    char requested[DEVICESHIM_DEVICE_STRING_SIZE] = "", real[DEVICESHIM_DEVICE_STRING_SIZE] = "";
    deviceshim_dtype dtype = DEVICESHIM_BOOL;
    int64_t numel = 0;
    size_t nbytes = 0;
    CHECK_OK(deviceshim_tensor_requested_device(a, requested, sizeof requested));
    CHECK_STR(requested, "cuda", "requested device");
    CHECK_OK(deviceshim_tensor_device(a, real, sizeof real));
    CHECK_STR(real, real_device, "real device");
    CHECK_OK(deviceshim_tensor_dtype(a, &dtype));
    CHECK_INT(dtype, DEVICESHIM_FLOAT32, "dtype");
    CHECK_OK(deviceshim_tensor_numel(a, &numel));
    CHECK_INT(numel, 6, "numel");
    CHECK_OK(deviceshim_tensor_nbytes(a, &nbytes));
    CHECK_INT(nbytes, 24, "nbytes");
    CHECK_SHAPE(a, "shape", 2, 3);
    float values[6] = {0};
    download(a, values, sizeof values);
    CHECK(memcmp(values, matrix_values, sizeof values) == 0, "the uploaded values come back");
}

static void check_creation(void) {
    const int64_t shape[] = {2, 2};
    deviceshim_tensor t = 0, u = 0;
    CHECK_OK(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, shape, 2, "cuda", &t));
    CHECK_FLOATS(t, 0, "zeros", 0, 0, 0, 0);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_ones(DEVICESHIM_FLOAT32, shape, 2, "cuda", &t));
    CHECK_FLOATS(t, 0, "ones", 1, 1, 1, 1);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_full(2.5, DEVICESHIM_FLOAT32, shape, 2, "cuda", &t));
    CHECK_FLOATS(t, 0, "full", 2.5, 2.5, 2.5, 2.5);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_full(7, DEVICESHIM_FLOAT32, NULL, 0, "cuda", &t));
    CHECK_SCALAR(t, "full with rank 0 is a scalar");
    CHECK_FLOATS(t, 0, "scalar", 7);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_arange(0, 5, 1, DEVICESHIM_INT64, "cuda", &t));
    CHECK_INT64S(t, "arange int64", 0, 1, 2, 3, 4);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_arange(0, 1, 0.25, DEVICESHIM_FLOAT32, "cuda", &t));
    CHECK_FLOATS(t, 0, "arange float32", 0, 0.25, 0.5, 0.75);
    RELEASE(t);
    const int64_t many[] = {1000};
    float first[1000], second[1000];
    CHECK_OK(deviceshim_tensor_rand(42, DEVICESHIM_FLOAT32, many, 1, "cuda", &t));
    CHECK_OK(deviceshim_tensor_rand(42, DEVICESHIM_FLOAT32, many, 1, "cuda", &u));
    CHECK_OK(deviceshim_tensor_copy_to_host(t, first, sizeof first));
    CHECK_OK(deviceshim_tensor_copy_to_host(u, second, sizeof second));
    CHECK(memcmp(first, second, sizeof first) == 0, "rand with one seed gives the same values");
    int inside = 1;
    double mean = 0;
    for (int i = 0; i < 1000; i++) {
        inside &= first[i] >= 0 && first[i] < 1;
        mean += first[i] / 1000.0;
    }
    CHECK(inside, "rand values are in [0, 1)");
    CHECK(mean > 0.45 && mean < 0.55, "rand values average about 0.5 (got %g)", mean);
    RELEASE(t);
    RELEASE(u);
    CHECK_OK(deviceshim_tensor_rand(43, DEVICESHIM_FLOAT32, many, 1, "cuda", &t));
    CHECK_OK(deviceshim_tensor_copy_to_host(t, second, sizeof second));
    CHECK(memcmp(first, second, sizeof first) != 0, "rand with another seed gives other values");
    RELEASE(t);
}

static void check_copies_and_views(deviceshim_tensor a) {
    const float replacement[] = {6, 5, 4, 3, 2, 1};
    const int64_t flat[] = {6};
    deviceshim_tensor t = 0, view = 0, moved = 0;
    CHECK_OK(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", &t));
    CHECK_OK(deviceshim_tensor_reshape(t, flat, 1, &view));
    CHECK_OK(deviceshim_tensor_copy_from_host(t, replacement, sizeof replacement));
    CHECK_FLOATS(t, 0, "copy_from_host", 6, 5, 4, 3, 2, 1);
    CHECK_FLOATS(view, 0, "a reshaped view sees copy_from_host", 6, 5, 4, 3, 2, 1);
    RELEASE(t);
    CHECK_FLOATS(view, 0, "a view outlives the freed handle of its base", 6, 5, 4, 3, 2, 1);
    RELEASE(view);

    CHECK_OK(deviceshim_tensor_to(a, "cpu", &moved));
    char real[DEVICESHIM_DEVICE_STRING_SIZE] = "";
    CHECK_OK(deviceshim_tensor_device(moved, real, sizeof real));
    CHECK_STR(real, "cpu:0", "to(\"cpu\") lands on the CPU");
    CHECK_FLOATS(moved, 0, "to(\"cpu\") keeps the values", 1, 2, 3, 4, 5, 6);
    RELEASE(moved);

    const float fractions[] = {1.7f, -1.7f, 0, 2.5f};
    const int64_t four[] = {4};
    deviceshim_tensor f = make(fractions, DEVICESHIM_FLOAT32, four, 1);
    int32_t integers[4] = {0};
    unsigned char flags[4] = {0};
    deviceshim_dtype dtype = DEVICESHIM_FLOAT32;
    CHECK_OK(deviceshim_tensor_to_dtype(f, DEVICESHIM_INT32, &t));
    CHECK_OK(deviceshim_tensor_dtype(t, &dtype));
    CHECK_INT(dtype, DEVICESHIM_INT32, "to_dtype int32");
    CHECK_OK(deviceshim_tensor_copy_to_host(t, integers, sizeof integers));
    CHECK(integers[0] == 1 && integers[1] == -1 && integers[2] == 0 && integers[3] == 2,
          "float32 to int32 truncates (got %d %d %d %d)", integers[0], integers[1], integers[2], integers[3]);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_to_dtype(f, DEVICESHIM_BOOL, &t));
    CHECK_OK(deviceshim_tensor_copy_to_host(t, flags, sizeof flags));
    CHECK(flags[0] == 1 && flags[1] == 1 && flags[2] == 0 && flags[3] == 1, "float32 to bool is nonzero");
    RELEASE(t);
    RELEASE(f);

    const uint16_t halves[] = {0x3C00, 0xC000}; /* 1.0 and -2.0 in float16 */
    const int64_t two[] = {2};
    f = make(halves, DEVICESHIM_FLOAT16, two, 1);
    CHECK_OK(deviceshim_tensor_to_dtype(f, DEVICESHIM_FLOAT32, &t));
    CHECK_FLOATS(t, 0, "float16 bit patterns", 1, -2);
    RELEASE(t);
    RELEASE(f);
    const double wide[] = {0.5, 1.5};
    f = make(wide, DEVICESHIM_FLOAT64, two, 1);
    double sums[2] = {0};
    CHECK_OK(deviceshim_tensor_add_scalar(f, 1, &t));
    CHECK_OK(deviceshim_tensor_dtype(t, &dtype));
    CHECK_INT(dtype, DEVICESHIM_FLOAT64, "float64 + 1 stays float64");
    CHECK_OK(deviceshim_tensor_copy_to_host(t, sums, sizeof sums));
    CHECK(sums[0] == 1.5 && sums[1] == 2.5, "float64 + 1 (got %g %g)", sums[0], sums[1]);
    RELEASE(t);
    RELEASE(f);
}

static void check_elementwise(deviceshim_tensor a) {
    const float bias_values[] = {10, 20, 30};
    const int64_t three[] = {3};
    const int64_t counts[] = {1, 2, 3};
    deviceshim_tensor bias = make(bias_values, DEVICESHIM_FLOAT32, three, 1), t = 0;
    t = add_bias(a, bias);
    CHECK_FLOATS(t, 0, "add broadcasts", 11, 22, 33, 14, 25, 36);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_sub(a, bias, &t));
    CHECK_FLOATS(t, 0, "sub", -9, -18, -27, -6, -15, -24);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_mul(a, bias, &t));
    CHECK_FLOATS(t, 0, "mul", 10, 40, 90, 40, 100, 180);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_div(a, bias, &t));
    CHECK_FLOATS(t, 1e-6, "div", 0.1, 0.1, 0.1, 0.4, 0.25, 0.2);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_add_scalar(a, 1, &t));
    CHECK_FLOATS(t, 0, "add_scalar", 2, 3, 4, 5, 6, 7);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_mul_scalar(a, 0.5, &t));
    CHECK_FLOATS(t, 0, "mul_scalar", 0.5, 1, 1.5, 2, 2.5, 3);
    RELEASE(t);
    RELEASE(bias);

    deviceshim_tensor n = make(counts, DEVICESHIM_INT64, three, 1);
    deviceshim_dtype dtype = DEVICESHIM_BOOL;
    CHECK_OK(deviceshim_tensor_mul_scalar(n, 3, &t));
    CHECK_OK(deviceshim_tensor_dtype(t, &dtype));
    CHECK_INT(dtype, DEVICESHIM_INT64, "int64 × 3 stays int64");
    CHECK_INT64S(t, "int64 × 3", 3, 6, 9);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_mul_scalar(n, 0.5, &t));
    CHECK_OK(deviceshim_tensor_dtype(t, &dtype));
    CHECK_INT(dtype, DEVICESHIM_FLOAT32, "int64 × 0.5 is float32");
    CHECK_FLOATS(t, 0, "int64 × 0.5", 0.5, 1, 1.5);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_div(n, n, &t));
    CHECK_FLOATS(t, 0, "int64 / int64 is true division in float32", 1, 1, 1);
    RELEASE(t);
    RELEASE(n);
}

static void check_unary(void) {
    const float inputs[] = {-1, 0, 1, 2}, positives[] = {0.25f, 1, 4, 9};
    const int64_t four[] = {4};
    deviceshim_tensor u = make(inputs, DEVICESHIM_FLOAT32, four, 1), p = make(positives, DEVICESHIM_FLOAT32, four, 1), t = 0;
    struct { deviceshim_unary_op op; const char *name; int positive; } ops[] = {
        {DEVICESHIM_NEG, "neg", 0}, {DEVICESHIM_ABS, "abs", 0}, {DEVICESHIM_RELU, "relu", 0},
        {DEVICESHIM_EXP, "exp", 0}, {DEVICESHIM_TANH, "tanh", 0}, {DEVICESHIM_SIGMOID, "sigmoid", 0},
        {DEVICESHIM_GELU, "gelu", 0}, {DEVICESHIM_LOG, "log", 1}, {DEVICESHIM_SQRT, "sqrt", 1},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        float want[4];
        for (int i = 0; i < 4; i++) {
            double x = ops[k].positive ? positives[i] : inputs[i];
            switch (ops[k].op) {
            case DEVICESHIM_NEG: want[i] = (float)-x; break;
            case DEVICESHIM_ABS: want[i] = (float)fabs(x); break;
            case DEVICESHIM_RELU: want[i] = (float)(x > 0 ? x : 0); break;
            case DEVICESHIM_EXP: want[i] = (float)exp(x); break;
            case DEVICESHIM_TANH: want[i] = (float)tanh(x); break;
            case DEVICESHIM_SIGMOID: want[i] = (float)(1 / (1 + exp(-x))); break;
            case DEVICESHIM_GELU: want[i] = (float)(0.5 * x * (1 + erf(x / sqrt(2.0)))); break;
            case DEVICESHIM_LOG: want[i] = (float)log(x); break;
            default: want[i] = (float)sqrt(x); break;
            }
        }
        if (CHECK_OK(deviceshim_tensor_unary(ops[k].positive ? p : u, ops[k].op, &t))) {
            check_floats(__LINE__, t, want, 4, 1e-5, ops[k].name);
            RELEASE(t);
        }
    }
    RELEASE(u);
    RELEASE(p);
}

static void check_linear_algebra_and_reductions(deviceshim_tensor a) {
    const float m_values[] = {1, 2, 3, 4, 5, 6}, c_values[] = {1, 5, 2, 7, 0, 3};
    const int64_t m_shape[] = {3, 2}, first[] = {0}, last[] = {-1}, both[] = {0, 1};
    deviceshim_tensor m = make(m_values, DEVICESHIM_FLOAT32, m_shape, 2), c = make(c_values, DEVICESHIM_FLOAT32, matrix_shape, 2), t = 0;
    t = multiply_matrices(a, m);
    CHECK_SHAPE(t, "matmul shape", 2, 2);
    CHECK_FLOATS(t, 0, "matmul", 22, 28, 49, 64);
    RELEASE(t);

    t = row_sums(a);
    CHECK_SHAPE(t, "sum over dim 1", 2);
    float sums[2] = {0};
    download(t, sums, sizeof sums);
    CHECK(sums[0] == 6 && sums[1] == 15, "row sums (got %g %g, want 6 15)", sums[0], sums[1]);
    release(t);
    CHECK_OK(deviceshim_tensor_reduce(a, DEVICESHIM_SUM, last, 1, 1, &t));
    CHECK_SHAPE(t, "keepdim keeps the reduced dim as 1", 2, 1);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(a, DEVICESHIM_SUM, NULL, 0, 0, &t));
    CHECK_SCALAR(t, "sum of all is a scalar");
    CHECK_FLOATS(t, 0, "sum of all", 21);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(a, DEVICESHIM_SUM, both, 2, 0, &t));
    CHECK_FLOATS(t, 0, "sum over dims {0, 1}", 21);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(a, DEVICESHIM_MEAN, first, 1, 0, &t));
    CHECK_FLOATS(t, 1e-6, "mean over dim 0", 2.5, 3.5, 4.5);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(a, DEVICESHIM_MAX, NULL, 0, 0, &t));
    CHECK_FLOATS(t, 0, "max", 6);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(a, DEVICESHIM_MIN, last, 1, 0, &t));
    CHECK_FLOATS(t, 0, "min over dim -1", 1, 4);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(a, DEVICESHIM_PROD, last, 1, 0, &t));
    CHECK_FLOATS(t, 0, "prod over dim -1", 6, 120);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(c, DEVICESHIM_ARGMAX, last, 1, 0, &t));
    CHECK_INT64S(t, "argmax over dim -1", 1, 0);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(c, DEVICESHIM_ARGMAX, NULL, 0, 0, &t));
    CHECK_INT64S(t, "argmax of all (flattened)", 3);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reduce(c, DEVICESHIM_ARGMIN, first, 1, 0, &t));
    CHECK_INT64S(t, "argmin over dim 0", 0, 1, 0);
    RELEASE(t);

    CHECK_OK(deviceshim_tensor_softmax(a, 1, &t));
    float want[6];
    double total = exp(-2.0) + exp(-1.0) + 1;
    for (int i = 0; i < 6; i++) want[i] = (float)(exp((double)(i % 3) - 2) / total);
    check_floats(__LINE__, t, want, 6, 1e-5, "softmax over dim 1");
    RELEASE(t);
    RELEASE(m);
    RELEASE(c);
}

/* a is {{1, 2, 3}, {4, 5, 6}}. */
static void check_indexing(deviceshim_tensor a) {
    const int64_t pairs[] = {2, 2}, rows[] = {2, 3}, picks[] = {2, 0, 1, 1}, places[] = {0, 0, 2, 1, 1, 1};
    const int64_t outside[] = {0, 3, 0, 0};
    const float zeros[6] = {0};
    deviceshim_tensor pick = make(picks, DEVICESHIM_INT64, pairs, 2), place = make(places, DEVICESHIM_INT64, rows, 2);
    deviceshim_tensor empty = make(zeros, DEVICESHIM_FLOAT32, rows, 2), t = 0, u = 0;
    CHECK_OK(deviceshim_tensor_gather(a, 1, pick, &t));
    CHECK_FLOATS(t, 0, "gather along dim 1", 3, 1, 5, 5);
    RELEASE(t);
    /* Row 0 names position 0 twice (2 comes after 1), row 1 names position 1 three times. */
    CHECK_OK(deviceshim_tensor_scatter(empty, 1, place, a, 0, &t));
    CHECK_FLOATS(t, 0, "scatter: the later element wins", 2, 0, 3, 0, 6, 0);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_scatter(empty, 1, place, a, 1, &t));
    CHECK_FLOATS(t, 0, "scatter_add sums repeated positions", 3, 0, 3, 0, 15, 0);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_argsort(a, 1, 1, &t));
    CHECK_INT64S(t, "argsort descending along dim 1", 2, 1, 0, 2, 1, 0);
    CHECK_OK(deviceshim_tensor_gather(a, 1, t, &u));
    CHECK_FLOATS(u, 0, "gathered by argsort: sorted", 3, 2, 1, 6, 5, 4);
    RELEASE(u);
    RELEASE(t);
    deviceshim_tensor bad = make(outside, DEVICESHIM_INT64, pairs, 2);
    CHECK_STATUS(deviceshim_tensor_gather(a, 1, bad, &t), DEVICESHIM_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(deviceshim_tensor_scatter(empty, 1, bad, a, 1, &t), DEVICESHIM_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(deviceshim_tensor_scatter(empty, 1, place, a, 0, NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_scatter(empty, 1, a, a, 0, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_argsort(a, 2, 0, &t), DEVICESHIM_INDEX_OUT_OF_RANGE);
    RELEASE(bad);
    RELEASE(empty);
    RELEASE(place);
    RELEASE(pick);
}

static void check_shapes(deviceshim_tensor a) {
    const int64_t rows3[] = {3, 2}, flat[] = {-1}, cube[] = {2, 3, 4}, order[] = {2, 0, 1};
    deviceshim_tensor t = 0, u = 0, parts[2] = {a, a};
    CHECK_OK(deviceshim_tensor_reshape(a, rows3, 2, &t));
    CHECK_SHAPE(t, "reshape", 3, 2);
    CHECK_FLOATS(t, 0, "reshape keeps the order", 1, 2, 3, 4, 5, 6);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_reshape(a, flat, 1, &t));
    CHECK_SHAPE(t, "reshape with -1", 6);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_transpose(a, 0, 1, &t));
    CHECK_SHAPE(t, "transpose", 3, 2);
    CHECK_FLOATS(t, 0, "transpose (a strided view, copied out in its order)", 1, 4, 2, 5, 3, 6);
    CHECK_OK(deviceshim_tensor_contiguous(t, &u));
    CHECK_FLOATS(u, 0, "contiguous", 1, 4, 2, 5, 3, 6);
    RELEASE(u);
    RELEASE(t);

    CHECK_OK(deviceshim_tensor_arange(0, 24, 1, DEVICESHIM_FLOAT32, "cuda", &u));
    CHECK_OK(deviceshim_tensor_reshape(u, cube, 3, &t));
    RELEASE(u);
    CHECK_OK(deviceshim_tensor_permute(t, order, 3, &u));
    CHECK_SHAPE(u, "permute", 4, 2, 3);
    float want[24];
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) want[k * 6 + i * 3 + j] = (float)(i * 12 + j * 4 + k);
    check_floats(__LINE__, u, want, 24, 0, "permute {2, 0, 1}");
    RELEASE(u);
    RELEASE(t);

    CHECK_OK(deviceshim_tensor_cat(parts, 2, 0, &t));
    CHECK_SHAPE(t, "cat along 0", 4, 3);
    CHECK_FLOATS(t, 0, "cat along 0", 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_cat(parts, 2, 1, &t));
    CHECK_FLOATS(t, 0, "cat along 1", 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_stack(parts, 2, 0, &t));
    CHECK_SHAPE(t, "stack along 0", 2, 2, 3);
    RELEASE(t);
    CHECK_OK(deviceshim_tensor_stack(parts, 2, -1, &t));
    CHECK_SHAPE(t, "stack along -1", 2, 3, 2);
    CHECK_FLOATS(t, 0, "stack along -1", 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6);
    RELEASE(t);
}

/* --- Bad input: each gets its status and a message, never a crash ------------------------ */

static void check_argument_errors(deviceshim_tensor a) {
    const int64_t negative[] = {2, -3}, huge[] = {(int64_t)1 << 40, (int64_t)1 << 40}, dims_out[] = {5};
    const int64_t duplicate[] = {1, 1}, both[] = {0, 1}, one[] = {0}, bad_order[] = {0, 0};
    deviceshim_tensor t = 0;
    int rank = 0;
    int64_t shape[DEVICESHIM_MAX_RANK];
    char text[DEVICESHIM_DEVICE_STRING_SIZE];
    CHECK_STATUS(deviceshim_set_policy(NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_set_policy("cuda="), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_set_log_level(NULL), DEVICESHIM_INVALID_ARGUMENT);

    CHECK_STATUS(deviceshim_tensor_from_data(matrix_values, DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_from_data(NULL, DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_from_data(matrix_values, DEVICESHIM_FLOAT32, NULL, 2, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_from_data(matrix_values, DEVICESHIM_FLOAT32, matrix_shape, 2, NULL, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_from_data(matrix_values, DEVICESHIM_FLOAT32, matrix_shape, -1, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_from_data(matrix_values, DEVICESHIM_FLOAT32, matrix_shape, 65, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_from_data(matrix_values, (deviceshim_dtype)42, matrix_shape, 2, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, negative, 2, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, huge, 2, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, huge, 1, "cuda", &t), DEVICESHIM_OUT_OF_MEMORY);
    CHECK_STATUS(deviceshim_tensor_rand(1, DEVICESHIM_FLOAT32, huge, 1, "cuda", &t), DEVICESHIM_OUT_OF_MEMORY);
    CHECK_STATUS(deviceshim_tensor_rand(1, DEVICESHIM_INT64, matrix_shape, 2, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_arange(0, 1e300, 1e-300, DEVICESHIM_FLOAT32, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_arange(0, 1e15, 1, DEVICESHIM_FLOAT32, "cuda", &t), DEVICESHIM_OUT_OF_MEMORY);
    CHECK_STATUS(deviceshim_tensor_arange(0, 5, 0, DEVICESHIM_FLOAT32, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_arange(0, 5, -1, DEVICESHIM_FLOAT32, "cuda", &t), DEVICESHIM_INVALID_ARGUMENT);

    CHECK_STATUS(deviceshim_tensor_rank(a, NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_dtype(a, NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_numel(a, NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_nbytes(a, NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_shape(a, shape, 1), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_shape(a, NULL, 2), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_device(a, text, 2), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_requested_device(a, NULL, sizeof text), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_OK(deviceshim_tensor_rank(a, &rank));

    CHECK_STATUS(deviceshim_tensor_add(a, a, NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_unary(a, (deviceshim_unary_op)99, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_unary(a, (deviceshim_unary_op)-1, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_reduce(a, (deviceshim_reduction)17, NULL, 0, 0, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_reduce(a, DEVICESHIM_ARGMAX, both, 2, 0, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_reduce(a, DEVICESHIM_SUM, dims_out, 1, 0, &t), DEVICESHIM_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(deviceshim_tensor_reduce(a, DEVICESHIM_SUM, NULL, 1, 0, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_reduce(a, DEVICESHIM_SUM, duplicate, 2, 0, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_transpose(a, 0, 5, &t), DEVICESHIM_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(deviceshim_tensor_softmax(a, 3, &t), DEVICESHIM_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(deviceshim_tensor_permute(a, one, 1, &t), DEVICESHIM_SHAPE_MISMATCH);
    CHECK_STATUS(deviceshim_tensor_permute(a, bad_order, 2, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_reshape(a, huge, 1, &t), DEVICESHIM_SHAPE_MISMATCH);
    CHECK_STATUS(deviceshim_tensor_cat(NULL, 2, 0, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_cat(&a, 0, 0, &t), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_stack(&a, 1, 0, NULL), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_to_dtype(a, (deviceshim_dtype)8, &t), DEVICESHIM_INVALID_ARGUMENT);
}

static void check_handle_errors(deviceshim_tensor a) {
    deviceshim_tensor t = 0, freed = 0, bogus = 123456789, parts[2];
    int rank = 0;
    CHECK_STATUS(deviceshim_tensor_add(a, bogus, &t), DEVICESHIM_INVALID_HANDLE);
    CHECK(strstr(deviceshim_last_error(), "123456789") != NULL, "the message names the bogus handle (%s)", deviceshim_last_error());
    CHECK_STATUS(deviceshim_tensor_add(0, a, &t), DEVICESHIM_INVALID_HANDLE);
    CHECK_STATUS(deviceshim_tensor_rank(bogus, &rank), DEVICESHIM_INVALID_HANDLE);
    CHECK_STATUS(deviceshim_tensor_free(bogus), DEVICESHIM_INVALID_HANDLE);
    CHECK_OK(deviceshim_tensor_free(0));

    CHECK_OK(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", &freed));
    RELEASE(freed);
    CHECK_STATUS(deviceshim_tensor_free(freed), DEVICESHIM_INVALID_HANDLE);
    t = 99;
    CHECK_STATUS(deviceshim_tensor_add(freed, a, &t), DEVICESHIM_INVALID_HANDLE);
    CHECK(strstr(deviceshim_last_error(), "freed") != NULL, "the message says the handle was freed (%s)", deviceshim_last_error());
    CHECK_INT(t, 0, "*out is 0 after a failure");
    CHECK_STATUS(deviceshim_tensor_copy_to_host(freed, NULL, 0), DEVICESHIM_INVALID_HANDLE);
    CHECK_STATUS(deviceshim_tensor_to(freed, "cpu", &t), DEVICESHIM_INVALID_HANDLE);
    parts[0] = a;
    parts[1] = freed;
    CHECK_STATUS(deviceshim_tensor_cat(parts, 2, 0, &t), DEVICESHIM_INVALID_HANDLE);
    CHECK(strstr(deviceshim_last_error(), "tensors[1]") != NULL, "the message names tensors[1] (%s)", deviceshim_last_error());
}

static void check_shape_device_and_size_errors(deviceshim_tensor a) {
    const int64_t square[] = {2, 2}, wrong[] = {4, 2};
    const float bias_values[] = {1, 2};
    const int64_t two[] = {2};
    deviceshim_tensor t = 0, b = 0, bias = make(bias_values, DEVICESHIM_FLOAT32, two, 1), parts[2] = {a, 0};
    CHECK_OK(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, square, 2, "cuda", &b));
    add_mismatched(a, b);
    CHECK(strstr(deviceshim_last_error(), "shape mismatch") != NULL, "the message explains (%s)", deviceshim_last_error());
    CHECK_STATUS(deviceshim_tensor_add(a, bias, &t), DEVICESHIM_SHAPE_MISMATCH);
    CHECK_STATUS(deviceshim_tensor_matmul(a, a, &t), DEVICESHIM_SHAPE_MISMATCH);
    CHECK_STATUS(deviceshim_tensor_reshape(a, wrong, 2, &t), DEVICESHIM_SHAPE_MISMATCH);
    parts[1] = bias;
    CHECK_STATUS(deviceshim_tensor_cat(parts, 2, 0, &t), DEVICESHIM_SHAPE_MISMATCH);
    CHECK_STATUS(deviceshim_tensor_stack(parts, 2, 0, &t), DEVICESHIM_SHAPE_MISMATCH);
    RELEASE(b);
    RELEASE(bias);

    CHECK_STATUS(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, square, 2, "cuda:x", &t), DEVICESHIM_INVALID_DEVICE);
    CHECK_STATUS(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, square, 2, "tpu", &t), DEVICESHIM_INVALID_DEVICE);
    CHECK_STATUS(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, square, 2, "", &t), DEVICESHIM_INVALID_DEVICE);
    CHECK_STATUS(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, square, 2, "cuda:7", &t), DEVICESHIM_INVALID_DEVICE);
    CHECK_STATUS(deviceshim_tensor_to(a, "cuda:x", &t), DEVICESHIM_INVALID_DEVICE);
    CHECK_OK(deviceshim_tensor_zeros(DEVICESHIM_FLOAT32, matrix_shape, 2, "cpu", &b));
    if (strcmp(real_device, "cpu:0") != 0) {
        CHECK_STATUS(deviceshim_tensor_add(a, b, &t), DEVICESHIM_DEVICE_MISMATCH);
    } else {
        CHECK_OK(deviceshim_tensor_add(a, b, &t));
        RELEASE(t);
    }
    RELEASE(b);

    float values[7];
    for (int i = 0; i < 7; i++) values[i] = -1;
    CHECK_STATUS(deviceshim_tensor_copy_to_host(a, values, 5 * sizeof(float)), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_copy_to_host(a, values, 7 * sizeof(float)), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_copy_to_host(a, values, 6 * sizeof(float) - 1), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_copy_to_host(a, values, 0), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_copy_to_host(a, values, (size_t)-1), DEVICESHIM_INVALID_ARGUMENT);
    CHECK(strstr(deviceshim_last_error(), "24 bytes") != NULL, "the message gives the right count (%s)", deviceshim_last_error());
    int untouched = 1;
    for (int i = 0; i < 7; i++) untouched &= values[i] == -1;
    CHECK(untouched, "a refused copy writes nothing");
    CHECK_STATUS(deviceshim_tensor_copy_to_host(a, NULL, 6 * sizeof(float)), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_copy_from_host(a, values, 5 * sizeof(float)), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_STATUS(deviceshim_tensor_copy_from_host(a, NULL, 6 * sizeof(float)), DEVICESHIM_INVALID_ARGUMENT);
    CHECK_FLOATS(a, 0, "refused copies leave the tensor as it was", 1, 2, 3, 4, 5, 6);
}

static void check_status_strings(void) {
    for (int status = DEVICESHIM_OK; status <= DEVICESHIM_UNSUPPORTED; status++) {
        const char *text = deviceshim_status_string((deviceshim_status)status);
        CHECK(text != NULL && strlen(text) > 5 && strcmp(text, "unknown deviceshim_status") != 0,
              "deviceshim_status_string(%d) is \"%s\"", status, text ? text : "(null)");
    }
    CHECK_STR(deviceshim_status_string((deviceshim_status)99), "unknown deviceshim_status", "an unknown status");
}

static void check_errors(deviceshim_tensor a) {
    check_argument_errors(a);
    check_handle_errors(a);
    check_shape_device_and_size_errors(a);
    check_status_strings();
    /* A successful call leaves the last error as it was. */
    const char *before = deviceshim_last_error();
    char copy[512];
    snprintf(copy, sizeof copy, "%s", before);
    int rank = 0;
    CHECK_OK(deviceshim_tensor_rank(a, &rank));
    CHECK_STR(deviceshim_last_error(), copy, "the last error after a successful call");
}

/* --- Threads ----------------------------------------------------------------------------- */

enum { thread_count = 4, iterations = 30, race_handles = 64 };

struct worker {
    int index;
    deviceshim_tensor shared;
    deviceshim_tensor made[iterations * 3];
    const deviceshim_tensor *race;
    atomic_int *freed_once;
};

/* Each thread makes, computes with and frees its own tensors while reading one tensor all
 * threads share, fails a call of its own and sees its own message, and races the others to
 * free the same handles: each handle is freed exactly once. */
static void *worker_thread(void *argument) {
    struct worker *self = argument;
    CHECK_STR(deviceshim_last_error(), "", "a new thread has no last error");
    for (int i = 0; i < iterations; i++) {
        float k = (float)(self->index * 100 + i);
        deviceshim_tensor x = 0, y = 0, s = 0;
        CHECK_OK(deviceshim_tensor_full(k, DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", &x));
        CHECK_OK(deviceshim_tensor_add(x, self->shared, &y));
        CHECK_OK(deviceshim_tensor_reduce(y, DEVICESHIM_SUM, NULL, 0, 0, &s));
        float total = 0;
        CHECK_OK(deviceshim_tensor_copy_to_host(s, &total, sizeof total));
        CHECK(total == 21 + 6 * k, "thread %d: sum (got %g, want %g)", self->index, total, 21 + 6 * k);
        self->made[3 * i] = x;
        self->made[3 * i + 1] = y;
        self->made[3 * i + 2] = s;
        RELEASE(x);
        RELEASE(y);
        RELEASE(s);
        deviceshim_tensor bogus = 1000000000 + (deviceshim_tensor)self->index;
        CHECK_STATUS(deviceshim_tensor_free(bogus), DEVICESHIM_INVALID_HANDLE);
        char want[32];
        snprintf(want, sizeof want, "%llu", (unsigned long long)bogus);
        CHECK(strstr(deviceshim_last_error(), want) != NULL, "thread %d sees its own last error (%s)", self->index, deviceshim_last_error());
    }
    for (int i = 0; i < race_handles; i++) {
        deviceshim_tensor t = self->race[(i + self->index * 16) % race_handles];
        deviceshim_status status = deviceshim_tensor_free(t);
        if (status == DEVICESHIM_OK) atomic_fetch_add(&self->freed_once[(i + self->index * 16) % race_handles], 1);
        else CHECK_INT(status, DEVICESHIM_INVALID_HANDLE, "a lost race to free is DEVICESHIM_INVALID_HANDLE");
    }
    return NULL;
}

static int compare_handles(const void *lhs, const void *rhs) {
    deviceshim_tensor a = *(const deviceshim_tensor *)lhs, b = *(const deviceshim_tensor *)rhs;
    return (a > b) - (a < b);
}

static void check_threads(deviceshim_tensor a) {
    static struct worker workers[thread_count];
    static deviceshim_tensor race[race_handles];
    static atomic_int freed_once[race_handles];
    pthread_t threads[thread_count];
    for (int i = 0; i < race_handles; i++) {
        CHECK_OK(deviceshim_tensor_ones(DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", &race[i]));
        atomic_store(&freed_once[i], 0);
    }
    for (int i = 0; i < thread_count; i++) {
        workers[i] = (struct worker){.index = i, .shared = a, .race = race, .freed_once = freed_once};
        CHECK_INT(pthread_create(&threads[i], NULL, worker_thread, &workers[i]), 0, "pthread_create");
    }
    for (int i = 0; i < thread_count; i++) pthread_join(threads[i], NULL);
    int exactly_once = 1;
    for (int i = 0; i < race_handles; i++) exactly_once &= atomic_load(&freed_once[i]) == 1;
    CHECK(exactly_once, "each raced handle was freed by exactly one thread");
    static deviceshim_tensor all[thread_count * iterations * 3];
    size_t count = 0;
    for (int i = 0; i < thread_count; i++)
        for (int j = 0; j < iterations * 3; j++) all[count++] = workers[i].made[j];
    qsort(all, count, sizeof all[0], compare_handles);
    int distinct = all[0] != 0;
    for (size_t i = 1; i < count; i++) distinct &= all[i] != all[i - 1];
    CHECK(distinct, "handles made on %d threads are all distinct and never reused", thread_count);
    CHECK_FLOATS(a, 0, "the shared tensor is unchanged", 1, 2, 3, 4, 5, 6);
}

/* --- Changing the policy ------------------------------------------------------------------- */

static void check_policy_switch(deviceshim_tensor a) {
    deviceshim_tensor later = 0, moved = 0, t = 0;
    char real[DEVICESHIM_DEVICE_STRING_SIZE] = "";
    choose_policy("cuda=cpu");
    CHECK_OK(deviceshim_tensor_ones(DEVICESHIM_FLOAT32, matrix_shape, 2, "cuda", &later));
    CHECK_OK(deviceshim_tensor_device(later, real, sizeof real));
    CHECK_STR(real, "cpu:0", "a tensor made after the new policy follows it");
    CHECK_OK(deviceshim_tensor_device(a, real, sizeof real));
    CHECK_STR(real, real_device, "a tensor made before keeps its placement");
    CHECK_STATUS(deviceshim_tensor_add(a, later, &t), DEVICESHIM_DEVICE_MISMATCH);
    CHECK_OK(deviceshim_tensor_to(a, "cuda", &moved));
    CHECK_OK(deviceshim_tensor_device(moved, real, sizeof real));
    CHECK_STR(real, "cpu:0", "to brings an earlier tensor under the new policy");
    CHECK_OK(deviceshim_tensor_add(moved, later, &t));
    CHECK_FLOATS(t, 0, "and it combines with the later ones", 2, 3, 4, 5, 6, 7);
    RELEASE(t);
    RELEASE(moved);
    RELEASE(later);
    CHECK_FLOATS(a, 0, "the earlier tensor still works", 1, 2, 3, 4, 5, 6);
    choose_policy("");
}

int main(int argc, char **argv) {
    check_start(300);
    if (argc != 3) {
        printf("FATAL: usage: %s BACKEND REAL_DEVICE (e.g. opencl opencl:0)\n", argv[0]);
        return 2;
    }
    backend = argv[1];
    real_device = argv[2];
    char policy[64];
    snprintf(policy, sizeof policy, "cuda=%s,cpu", backend);
    choose_policy(policy);
    deviceshim_tensor a = upload_matrix();
    check_placement(a);
    check_creation();
    check_copies_and_views(a);
    check_elementwise(a);
    check_unary();
    check_linear_algebra_and_reductions(a);
    check_indexing(a);
    check_shapes(a);
    check_errors(a);
    check_threads(a);
    check_policy_switch(a);
    release(a);
    return check_finish();
}
