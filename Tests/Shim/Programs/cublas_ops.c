/* cuBLAS through its C API (cublas_v2.h), each result checked against a plain-C reference
 * computed in double from the very values the library was given (rounded to float or half
 * first). Matrices are column-major with leading dimensions larger than the matrix, and the
 * padding outside the matrix must come back unchanged.
 *
 * Tolerance: |got - reference| <= tol * scale, where scale is the sum of the magnitudes of the
 * terms (|alpha| sum |a||b| + |beta||c| for a GEMM element), tol 1e-4 for float results and
 * 1e-10 for double: relative to the size of the computation, so that cancellation to a value
 * near zero is not held to a relative bound nothing can meet. */
#include <cublas_v2.h>

#include "cuda_check.h"

/* --- values --- */

static uint32_t random_state = 12345;

/* A value in [-1, 1) from a fixed sequence. */
static double random_value(void) {
    random_state = random_state * 1664525u + 1013904223u;
    return (double)(random_state >> 8) / (double)(1u << 23) - 1.0;
}

/* IEEE binary16 from float, rounding to nearest even (finite values in half's range). */
static uint16_t float_to_half(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint32_t sign = (bits >> 16) & 0x8000u;
    int exponent = (int)((bits >> 23) & 0xff) - 127 + 15;
    uint32_t mantissa = bits & 0x7fffffu;
    if (exponent <= 0) {                       /* subnormal half (or zero) */
        if (exponent < -10) return (uint16_t)sign;
        mantissa |= 0x800000u;
        int shift = 14 - exponent;
        uint32_t half = mantissa >> shift, rest = mantissa & ((1u << shift) - 1), halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t half = ((uint32_t)exponent << 10) | (mantissa >> 13), rest = mantissa & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1))) half++;
    return (uint16_t)(sign | half);
}

static float half_to_float(uint16_t half) {
    uint32_t sign = (uint32_t)(half & 0x8000u) << 16, exponent = (half >> 10) & 0x1f, mantissa = half & 0x3ffu;
    float magnitude;
    if (exponent == 0) magnitude = ldexpf((float)mantissa, -24);
    else magnitude = ldexpf((float)(mantissa | 0x400u), (int)exponent - 25);
    uint32_t bits;
    memcpy(&bits, &magnitude, sizeof bits);
    bits |= sign;
    memcpy(&magnitude, &bits, sizeof bits);
    return magnitude;
}

/* --- device buffers --- */

static void *to_device(const void *host, size_t bytes) {
    void *device = NULL;
    if (!CHECK_OK(cudaMalloc(&device, bytes))) return NULL;
    if (!CHECK_OK(cudaMemcpy(device, host, bytes, cudaMemcpyHostToDevice))) {
        cudaFree(device);
        return NULL;
    }
    return device;
}

static void from_device(void *host, const void *device, size_t bytes) {
    CHECK_OK(cudaMemcpy(host, device, bytes, cudaMemcpyDeviceToHost));
}

/* --- the handle --- */

static void check_handle(cublasHandle_t handle) {
    int version = 0;
    if (CHECK_BLAS_OK(cublasGetVersion(handle, &version)))
        CHECK(version >= 120000 && version < 130000, "cublasGetVersion (got %d, want cuBLAS 12: 120000..129999)", version);

    cudaStream_t stream = (cudaStream_t)0x1, created;
    if (CHECK_BLAS_OK(cublasGetStream(handle, &stream))) CHECK_PTR(stream, NULL, "cublasGetStream of a new handle (the default stream)");
    if (CHECK_OK(cudaStreamCreate(&created))) {
        CHECK_BLAS_OK(cublasSetStream(handle, created));
        if (CHECK_BLAS_OK(cublasGetStream(handle, &stream))) CHECK_PTR(stream, created, "cublasGetStream after cublasSetStream");
        CHECK_BLAS_OK(cublasSetStream(handle, 0));
        if (CHECK_BLAS_OK(cublasGetStream(handle, &stream))) CHECK_PTR(stream, NULL, "cublasGetStream after cublasSetStream(0)");
        CHECK_OK(cudaStreamDestroy(created));
    }

    cublasPointerMode_t mode = (cublasPointerMode_t)7;
    if (CHECK_BLAS_OK(cublasGetPointerMode(handle, &mode))) CHECK_INT(mode, CUBLAS_POINTER_MODE_HOST, "default pointer mode");
    CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_DEVICE));
    if (CHECK_BLAS_OK(cublasGetPointerMode(handle, &mode))) CHECK_INT(mode, CUBLAS_POINTER_MODE_DEVICE, "pointer mode after set");
    CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_HOST));

    cublasMath_t math = (cublasMath_t)77;
    if (CHECK_BLAS_OK(cublasGetMathMode(handle, &math))) CHECK_INT(math, CUBLAS_DEFAULT_MATH, "default math mode");
    static const cublasMath_t modes[] = {CUBLAS_TF32_TENSOR_OP_MATH, CUBLAS_PEDANTIC_MATH, CUBLAS_DEFAULT_MATH};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        CHECK_BLAS_OK(cublasSetMathMode(handle, modes[i]));
        if (CHECK_BLAS_OK(cublasGetMathMode(handle, &math))) CHECK_INT(math, modes[i], "math mode after cublasSetMathMode");
    }
}

static void check_status_strings(void) {
    static const struct { cublasStatus_t status; const char *name, *string; } table[] = {
        {CUBLAS_STATUS_SUCCESS, "CUBLAS_STATUS_SUCCESS", "success"},
        {CUBLAS_STATUS_NOT_INITIALIZED, "CUBLAS_STATUS_NOT_INITIALIZED", "the library was not initialized"},
        {CUBLAS_STATUS_ALLOC_FAILED, "CUBLAS_STATUS_ALLOC_FAILED", "the resource allocation failed"},
        {CUBLAS_STATUS_INVALID_VALUE, "CUBLAS_STATUS_INVALID_VALUE", "an unsupported value or parameter was passed to the function"},
        {CUBLAS_STATUS_EXECUTION_FAILED, "CUBLAS_STATUS_EXECUTION_FAILED", "the function failed to launch on the GPU"},
        {CUBLAS_STATUS_NOT_SUPPORTED, "CUBLAS_STATUS_NOT_SUPPORTED", "the requested functionality is not supported"},
        {(cublasStatus_t)99, "unrecognized status", "unrecognized status"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char what[96];
        snprintf(what, sizeof what, "cublasGetStatusName(%d)", (int)table[i].status);
        CHECK_STR(cublasGetStatusName(table[i].status), table[i].name, what);
        snprintf(what, sizeof what, "cublasGetStatusString(%d)", (int)table[i].status);
        CHECK_STR(cublasGetStatusString(table[i].status), table[i].string, what);
    }
}

/* --- Set/Get Vector and Matrix --- */

static void check_vector_and_matrix_transfers(cublasHandle_t handle) {
    enum { n = 50, rows = 13, cols = 11, host_ld = 17, device_ld = 20, back_ld = 15 };
    float host[2 * n], back[n], device_copy[3 * n];
    float *device = NULL;
    cudaStream_t stream;
    (void)handle;
    for (int i = 0; i < 2 * n; i++) host[i] = (float)random_value();

    /* cublasSetVector copies n elements from stride incx to stride incy, nothing in between. */
    if (!CHECK_OK(cudaMalloc((void **)&device, sizeof device_copy))) return;
    if (!CHECK_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking))) return;
    for (int async = 0; async < 2; async++) {
        const char *form = async ? "cublasSetVectorAsync" : "cublasSetVector";
        CHECK_OK(cudaMemset(device, 0xFF, sizeof device_copy));
        /* cudaMemset is asynchronous and `stream` is non-blocking: nothing orders them but this. */
        CHECK_OK(cudaDeviceSynchronize());
        if (async) {
            CHECK_BLAS_OK(cublasSetVectorAsync(n, sizeof(float), host, 2, device, 3, stream));
            CHECK_OK(cudaStreamSynchronize(stream));
        } else {
            CHECK_BLAS_OK(cublasSetVector(n, sizeof(float), host, 2, device, 3));
        }
        from_device(device_copy, device, sizeof device_copy);
        int wrong = -1;
        for (int i = 0; i < 3 * n && wrong < 0; i++) {
            uint32_t bits;
            memcpy(&bits, &device_copy[i], sizeof bits);
            if (i % 3 == 0 ? device_copy[i] != host[2 * (i / 3)] : bits != 0xFFFFFFFFu) wrong = i;
        }
        CHECK(wrong < 0, "%s(incx 2 -> incy 3) (got a wrong element at device index %d, want x[2i] at 3i and the rest untouched)",
              form, wrong);

        memset(back, 0, sizeof back);
        if (async) {
            CHECK_BLAS_OK(cublasGetVectorAsync(n, sizeof(float), device, 3, back, 1, stream));
            CHECK_OK(cudaStreamSynchronize(stream));
        } else {
            CHECK_BLAS_OK(cublasGetVector(n, sizeof(float), device, 3, back, 1));
        }
        wrong = -1;
        for (int i = 0; i < n && wrong < 0; i++)
            if (back[i] != host[2 * i]) wrong = i;
        CHECK(wrong < 0, "%s: cublasGetVector(incx 3 -> incy 1) (got a wrong element at %d)", form, wrong);
    }
    CHECK_OK(cudaFree(device));

    /* cublasSetMatrix copies a rows x cols block between leading dimensions. */
    double source[host_ld * cols];
    float host_matrix[host_ld * cols], device_matrix[device_ld * cols], back_matrix[back_ld * cols];
    for (int i = 0; i < host_ld * cols; i++) host_matrix[i] = (float)(source[i] = random_value());
    if (!CHECK_OK(cudaMalloc((void **)&device, sizeof device_matrix))) return;
    for (int async = 0; async < 2; async++) {
        const char *form = async ? "cublasSetMatrixAsync" : "cublasSetMatrix";
        CHECK_OK(cudaMemset(device, 0xFF, sizeof device_matrix));
        /* cudaMemset is asynchronous and `stream` is non-blocking: nothing orders them but this. */
        CHECK_OK(cudaDeviceSynchronize());
        if (async) {
            CHECK_BLAS_OK(cublasSetMatrixAsync(rows, cols, sizeof(float), host_matrix, host_ld, device, device_ld, stream));
            CHECK_OK(cudaStreamSynchronize(stream));
        } else {
            CHECK_BLAS_OK(cublasSetMatrix(rows, cols, sizeof(float), host_matrix, host_ld, device, device_ld));
        }
        from_device(device_matrix, device, sizeof device_matrix);
        int wrong = -1;
        for (int j = 0; j < cols && wrong < 0; j++) {
            for (int i = 0; i < device_ld && wrong < 0; i++) {
                uint32_t bits;
                memcpy(&bits, &device_matrix[i + j * device_ld], sizeof bits);
                if (i < rows ? device_matrix[i + j * device_ld] != host_matrix[i + j * host_ld] : bits != 0xFFFFFFFFu)
                    wrong = i + j * device_ld;
            }
        }
        CHECK(wrong < 0, "%s(13x11, lda 17 -> ldb 20) (got a wrong element at device index %d)", form, wrong);

        for (int i = 0; i < back_ld * cols; i++) back_matrix[i] = -7.0f;
        if (async) {
            CHECK_BLAS_OK(cublasGetMatrixAsync(rows, cols, sizeof(float), device, device_ld, back_matrix, back_ld, stream));
            CHECK_OK(cudaStreamSynchronize(stream));
        } else {
            CHECK_BLAS_OK(cublasGetMatrix(rows, cols, sizeof(float), device, device_ld, back_matrix, back_ld));
        }
        wrong = -1;
        for (int j = 0; j < cols && wrong < 0; j++)
            for (int i = 0; i < back_ld && wrong < 0; i++)
                if (back_matrix[i + j * back_ld] != (i < rows ? host_matrix[i + j * host_ld] : -7.0f)) wrong = i + j * back_ld;
        CHECK(wrong < 0, "%s: cublasGetMatrix(ldb 20 -> 15) (got a wrong element at host index %d)", form, wrong);
    }
    CHECK_OK(cudaFree(device));
    CHECK_OK(cudaStreamDestroy(stream));
}

/* --- GEMM --- */

enum element { F32, F64, F16 };
static size_t element_size(enum element e) { return e == F64 ? 8 : e == F32 ? 4 : 2; }

/* Values in `bytes` (of `e`) as doubles, exactly. */
static double element_at(const void *bytes, enum element e, size_t index) {
    switch (e) {
    case F32: return ((const float *)bytes)[index];
    case F64: return ((const double *)bytes)[index];
    default: return half_to_float(((const uint16_t *)bytes)[index]);
    }
}

/* `count` random values of `e`. */
static void *random_elements(enum element e, size_t count) {
    void *bytes = malloc(element_size(e) * count);
    if (!CHECK(bytes != NULL, "malloc (got NULL, want memory)")) return NULL;
    for (size_t i = 0; i < count; i++) {
        double value = random_value();
        if (e == F32) ((float *)bytes)[i] = (float)value;
        else if (e == F64) ((double *)bytes)[i] = value;
        else ((uint16_t *)bytes)[i] = float_to_half((float)(2.0 * value));
    }
    return bytes;
}

static const char *operation_name(cublasOperation_t op) { return op == CUBLAS_OP_N ? "N" : op == CUBLAS_OP_T ? "T" : "C"; }

/* One GEMM problem: C (m x n, ldc) = alpha op(A) op(B) + beta C, all host copies. */
struct gemm_problem {
    cublasOperation_t transa, transb;
    int m, n, k, lda, ldb, ldc;
    enum element ab, c;        /* element types of A and B, and of C */
    double alpha, beta;
    void *a, *b, *c_before;    /* host copies of the inputs */
};

static int rows_of_a(const struct gemm_problem *p) { return p->transa == CUBLAS_OP_N ? p->m : p->k; }
static int cols_of_a(const struct gemm_problem *p) { return p->transa == CUBLAS_OP_N ? p->k : p->m; }
static int rows_of_b(const struct gemm_problem *p) { return p->transb == CUBLAS_OP_N ? p->k : p->n; }
static int cols_of_b(const struct gemm_problem *p) { return p->transb == CUBLAS_OP_N ? p->n : p->k; }
static size_t a_count(const struct gemm_problem *p) { return (size_t)p->lda * (size_t)cols_of_a(p); }
static size_t b_count(const struct gemm_problem *p) { return (size_t)p->ldb * (size_t)cols_of_b(p); }
static size_t c_count(const struct gemm_problem *p) { return (size_t)p->ldc * (size_t)p->n; }

static struct gemm_problem gemm_problem(cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k,
                                        int padding, enum element ab, enum element c) {
    struct gemm_problem p = {transa, transb, m, n, k, 0, 0, m + padding, ab, c, 1.25, -0.75, NULL, NULL, NULL};
    p.lda = rows_of_a(&p) + padding;
    p.ldb = rows_of_b(&p) + padding;
    p.a = random_elements(ab, a_count(&p));
    p.b = random_elements(ab, b_count(&p));
    p.c_before = random_elements(c, c_count(&p));
    return p;
}

static void gemm_problem_free(struct gemm_problem *p) {
    free(p->a);
    free(p->b);
    free(p->c_before);
}

/* Checks `c_after` (host copy of the result) against the reference; padding rows m..ldc-1 must
 * be bit-for-bit what they were. */
static void check_gemm_result(const struct gemm_problem *p, const void *c_after, const char *what) {
    double tol = p->c == F64 ? 1e-10 : 1e-4, worst = 0;
    int bad = 0, first_i = -1, first_j = -1;
    double first_got = 0, first_want = 0;
    for (int j = 0; j < p->n; j++) {
        for (int i = 0; i < p->m; i++) {
            double sum = 0, scale = 0;
            for (int l = 0; l < p->k; l++) {
                double a = element_at(p->a, p->ab, p->transa == CUBLAS_OP_N ? (size_t)i + (size_t)l * p->lda : (size_t)l + (size_t)i * p->lda);
                double b = element_at(p->b, p->ab, p->transb == CUBLAS_OP_N ? (size_t)l + (size_t)j * p->ldb : (size_t)j + (size_t)l * p->ldb);
                sum += a * b;
                scale += fabs(a * b);
            }
            double c = element_at(p->c_before, p->c, (size_t)i + (size_t)j * p->ldc);
            double want = p->alpha * sum + p->beta * c;
            scale = fabs(p->alpha) * scale + fabs(p->beta * c);
            double got = element_at(c_after, p->c, (size_t)i + (size_t)j * p->ldc);
            double error = fabs(got - want) / (scale > 0 ? scale : 1);
            if (!(error <= tol)) {
                if (bad++ == 0) { first_i = i; first_j = j; first_got = got; first_want = want; }
            }
            if (error > worst) worst = error;
        }
    }
    CHECK(bad == 0, "%s: %d of %d elements off, first C[%d,%d] (got %.17g, want %.17g; worst relative error %.3g, tolerance %.0e)",
          what, bad, p->m * p->n, first_i, first_j, first_got, first_want, worst, tol);
    size_t size = element_size(p->c);
    int padding_changed = 0;
    for (int j = 0; j < p->n; j++)
        for (int i = p->m; i < p->ldc; i++) {
            size_t index = (size_t)i + (size_t)j * p->ldc;
            padding_changed += memcmp((const char *)c_after + index * size, (const char *)p->c_before + index * size, size) != 0;
        }
    CHECK(padding_changed == 0, "%s: padding rows m..ldc-1 of C (got %d elements changed, want 0)", what, padding_changed);
}

/* cublasSgemm / cublasDgemm / cublasGemmEx on one problem, scalars from the host. */
static void check_gemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, enum element ab,
                       enum element c, int use_gemm_ex) {
    struct gemm_problem p = gemm_problem(transa, transb, 37, 29, 41, 7, ab, c);
    void *da = NULL, *db = NULL, *dc = NULL, *c_after = malloc(c_count(&p) * element_size(c));
    char what[128];
    snprintf(what, sizeof what, "%s %s/%s %s->%s m=37 n=29 k=41 ld+7", use_gemm_ex ? "cublasGemmEx" : c == F64 ? "cublasDgemm" : "cublasSgemm",
             operation_name(transa), operation_name(transb), ab == F16 ? "16F" : ab == F32 ? "32F" : "64F", c == F64 ? "64F" : "32F");
    if (!p.a || !p.b || !p.c_before || !c_after) goto done;
    if (!(da = to_device(p.a, a_count(&p) * element_size(ab))) || !(db = to_device(p.b, b_count(&p) * element_size(ab))) ||
        !(dc = to_device(p.c_before, c_count(&p) * element_size(c))))
        goto done;
    cublasStatus_t status;
    if (use_gemm_ex) {
        float alpha = (float)p.alpha, beta = (float)p.beta;
        status = cublasGemmEx(handle, transa, transb, p.m, p.n, p.k, &alpha, da, ab == F16 ? CUDA_R_16F : CUDA_R_32F, p.lda, db,
                              ab == F16 ? CUDA_R_16F : CUDA_R_32F, p.ldb, &beta, dc, CUDA_R_32F, p.ldc, CUBLAS_COMPUTE_32F,
                              CUBLAS_GEMM_DEFAULT);
    } else if (c == F64) {
        status = cublasDgemm(handle, transa, transb, p.m, p.n, p.k, &p.alpha, da, p.lda, db, p.ldb, &p.beta, dc, p.ldc);
    } else {
        float alpha = (float)p.alpha, beta = (float)p.beta;
        status = cublasSgemm(handle, transa, transb, p.m, p.n, p.k, &alpha, da, p.lda, db, p.ldb, &beta, dc, p.ldc);
    }
    if (CHECK_BLAS_SUCCESS(status, what)) {
        from_device(c_after, dc, c_count(&p) * element_size(c));
        check_gemm_result(&p, c_after, what);
    }
done:
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
    free(c_after);
    gemm_problem_free(&p);
}

/* cublasSgemm with alpha and beta in device memory (CUBLAS_POINTER_MODE_DEVICE), on a stream. */
static void check_gemm_device_scalars(cublasHandle_t handle) {
    struct gemm_problem p = gemm_problem(CUBLAS_OP_T, CUBLAS_OP_N, 37, 29, 41, 7, F32, F32);
    float scalars[2] = {(float)p.alpha, (float)p.beta}, *dscalars = NULL;
    void *da = NULL, *db = NULL, *dc = NULL, *c_after = malloc(c_count(&p) * sizeof(float));
    cudaStream_t stream = NULL;
    if (!p.a || !p.b || !p.c_before || !c_after) goto done;
    if (!CHECK_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking))) goto done;
    if (!(da = to_device(p.a, a_count(&p) * 4)) || !(db = to_device(p.b, b_count(&p) * 4)) || !(dc = to_device(p.c_before, c_count(&p) * 4)) ||
        !(dscalars = to_device(scalars, sizeof scalars)))
        goto done;
    CHECK_BLAS_OK(cublasSetStream(handle, stream));
    CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_DEVICE));
    int passed = CHECK_BLAS_OK(cublasSgemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, p.m, p.n, p.k, dscalars, da, p.lda, db, p.ldb,
                                           dscalars + 1, dc, p.ldc));
    CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_HOST));
    if (passed) {
        CHECK_OK(cudaMemcpyAsync(c_after, dc, c_count(&p) * 4, cudaMemcpyDeviceToHost, stream));
        CHECK_OK(cudaStreamSynchronize(stream));
        check_gemm_result(&p, c_after, "cublasSgemm T/N, alpha and beta in device memory, on a stream");
    }
    CHECK_BLAS_OK(cublasSetStream(handle, 0));
done:
    if (stream) CHECK_OK(cudaStreamDestroy(stream));
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
    cudaFree(dscalars);
    free(c_after);
    gemm_problem_free(&p);
}

/* cublasSgemmStridedBatched and cublasSgemmBatched: three problems, each checked; the gaps
 * between strided C matrices stay as they were. */
static void check_batched_gemm(cublasHandle_t handle) {
    enum { batch = 3, m = 19, n = 23, k = 17, padding = 3, gap = 13 };
    struct gemm_problem problems[batch];
    for (int b = 0; b < batch; b++) problems[b] = gemm_problem(CUBLAS_OP_N, CUBLAS_OP_T, m, n, k, padding, F32, F32);
    const struct gemm_problem *p0 = &problems[0];
    long long stride_a = (long long)a_count(p0) + gap, stride_b = (long long)b_count(p0) + gap, stride_c = (long long)c_count(p0) + gap;
    size_t total_a = (size_t)stride_a * batch, total_b = (size_t)stride_b * batch, total_c = (size_t)stride_c * batch;
    float *a = calloc(total_a, 4), *b = calloc(total_b, 4), *c = malloc(total_c * 4), *c_after = malloc(total_c * 4);
    float alpha = (float)p0->alpha, beta = (float)p0->beta;
    void *da = NULL, *db = NULL, *dc = NULL;
    if (!CHECK(a && b && c && c_after, "calloc (got NULL, want memory)")) goto done;
    for (size_t i = 0; i < total_c; i++) c[i] = -3.5f;   /* the gaps */
    for (int i = 0; i < batch; i++) {
        memcpy(a + i * stride_a, problems[i].a, a_count(p0) * 4);
        memcpy(b + i * stride_b, problems[i].b, b_count(p0) * 4);
        memcpy(c + i * stride_c, problems[i].c_before, c_count(p0) * 4);
    }
    if (!(da = to_device(a, total_a * 4)) || !(db = to_device(b, total_b * 4)) || !(dc = to_device(c, total_c * 4))) goto done;
    if (CHECK_BLAS_OK(cublasSgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_T, m, n, k, &alpha, da, p0->lda, stride_a, db,
                                                p0->ldb, stride_b, &beta, dc, p0->ldc, stride_c, batch))) {
        from_device(c_after, dc, total_c * 4);
        for (int i = 0; i < batch; i++) {
            char what[96];
            snprintf(what, sizeof what, "cublasSgemmStridedBatched N/T problem %d of %d", i, batch);
            check_gemm_result(&problems[i], c_after + i * stride_c, what);
        }
        int gaps_changed = 0;
        for (int i = 0; i < batch; i++)
            for (int g = 0; g < gap; g++) gaps_changed += c_after[(size_t)i * stride_c + c_count(p0) + g] != -3.5f;
        CHECK(gaps_changed == 0, "cublasSgemmStridedBatched: the gaps between C matrices (got %d changed, want 0)", gaps_changed);
    }

    /* cublasSgemmBatched takes device arrays of device pointers; point them into the same buffers
     * in reverse order, so each problem must use its own pointers. */
    CHECK_OK(cudaMemcpy(dc, c, total_c * 4, cudaMemcpyHostToDevice));
    const float *a_pointers[batch], *b_pointers[batch];
    float *c_pointers[batch];
    for (int i = 0; i < batch; i++) {
        a_pointers[i] = (const float *)da + i * stride_a;
        b_pointers[i] = (const float *)db + i * stride_b;
        c_pointers[i] = (float *)dc + i * stride_c;
    }
    const float **da_array = NULL, **db_array = NULL;
    float **dc_array = NULL;
    if ((da_array = to_device(a_pointers, sizeof a_pointers)) && (db_array = to_device(b_pointers, sizeof b_pointers)) &&
        (dc_array = to_device(c_pointers, sizeof c_pointers))) {
        if (CHECK_BLAS_OK(cublasSgemmBatched(handle, CUBLAS_OP_N, CUBLAS_OP_T, m, n, k, &alpha, da_array, p0->lda, db_array, p0->ldb,
                                             &beta, dc_array, p0->ldc, batch))) {
            from_device(c_after, dc, total_c * 4);
            for (int i = 0; i < batch; i++) {
                char what[96];
                snprintf(what, sizeof what, "cublasSgemmBatched N/T problem %d of %d", i, batch);
                check_gemm_result(&problems[i], c_after + i * stride_c, what);
            }
        }
    }
    cudaFree(da_array);
    cudaFree(db_array);
    cudaFree(dc_array);
done:
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
    free(a);
    free(b);
    free(c);
    free(c_after);
    for (int i = 0; i < batch; i++) gemm_problem_free(&problems[i]);
}

/* --- GEMV --- */

static void check_gemv(cublasHandle_t handle, int is_double, cublasOperation_t trans, int incx, int incy) {
    enum { m = 37, n = 29, lda = m + 7 };
    enum element e = is_double ? F64 : F32;
    size_t size = element_size(e);
    int x_length = trans == CUBLAS_OP_N ? n : m, y_length = trans == CUBLAS_OP_N ? m : n;
    size_t x_count = (size_t)x_length * incx, y_count = (size_t)y_length * incy;
    void *a = random_elements(e, (size_t)lda * n), *x = random_elements(e, x_count), *y = random_elements(e, y_count);
    void *y_after = malloc(y_count * size), *da = NULL, *dx = NULL, *dy = NULL;
    double alpha = 0.75, beta = 1.5;
    char what[96];
    snprintf(what, sizeof what, "cublas%cgemv %s incx %d incy %d", is_double ? 'D' : 'S', operation_name(trans), incx, incy);
    if (!a || !x || !y || !y_after) goto done;
    if (!(da = to_device(a, (size_t)lda * n * size)) || !(dx = to_device(x, x_count * size)) || !(dy = to_device(y, y_count * size))) goto done;
    cublasStatus_t status;
    if (is_double) {
        status = cublasDgemv(handle, trans, m, n, &alpha, da, lda, dx, incx, &beta, dy, incy);
    } else {
        float alpha_f = (float)alpha, beta_f = (float)beta;
        status = cublasSgemv(handle, trans, m, n, &alpha_f, da, lda, dx, incx, &beta_f, dy, incy);
    }
    if (!CHECK_BLAS_SUCCESS(status, what))
        goto done;
    from_device(y_after, dy, y_count * size);
    double tol = is_double ? 1e-10 : 1e-4;
    int bad = 0, untouched_changed = 0, first = -1;
    for (int i = 0; i < y_length; i++) {
        double sum = 0, scale = 0;
        for (int l = 0; l < x_length; l++) {
            double av = element_at(a, e, trans == CUBLAS_OP_N ? (size_t)i + (size_t)l * lda : (size_t)l + (size_t)i * lda);
            double xv = element_at(x, e, (size_t)l * incx);
            sum += av * xv;
            scale += fabs(av * xv);
        }
        double yv = element_at(y, e, (size_t)i * incy);
        double want = alpha * sum + beta * yv, got = element_at(y_after, e, (size_t)i * incy);
        scale = fabs(alpha) * scale + fabs(beta * yv);
        if (!(fabs(got - want) <= tol * (scale > 0 ? scale : 1)) && bad++ == 0) first = i;
        for (int g = 1; g < incy; g++)
            untouched_changed += memcmp((char *)y_after + ((size_t)i * incy + g) * size, (char *)y + ((size_t)i * incy + g) * size, size) != 0;
    }
    CHECK(bad == 0, "%s: %d of %d elements off, first y[%d]", what, bad, y_length, first);
    CHECK(untouched_changed == 0, "%s: elements between the incy strides (got %d changed, want 0)", what, untouched_changed);
done:
    cudaFree(da);
    cudaFree(dx);
    cudaFree(dy);
    free(a);
    free(x);
    free(y);
    free(y_after);
}

/* --- Level 1 --- */

#define L1N 101

struct vectors {
    enum element e;
    int incx, incy;
    void *x, *y;          /* host, L1N * inc elements */
    void *dx, *dy;        /* device copies */
};

static int vectors_make(struct vectors *v, enum element e, int incx, int incy) {
    v->e = e;
    v->incx = incx;
    v->incy = incy;
    v->x = random_elements(e, (size_t)L1N * incx);
    v->y = random_elements(e, (size_t)L1N * incy);
    v->dx = v->dy = NULL;
    if (!v->x || !v->y) return 0;
    v->dx = to_device(v->x, (size_t)L1N * incx * element_size(e));
    v->dy = to_device(v->y, (size_t)L1N * incy * element_size(e));
    return v->dx && v->dy;
}

static void vectors_free(struct vectors *v) {
    free(v->x);
    free(v->y);
    cudaFree(v->dx);
    cudaFree(v->dy);
}

static void check_close(int line, double got, double want, double scale, double tol, const char *what) {
    check_report(fabs(got - want) <= tol * (scale > 0 ? scale : 1), line, "%s (got %.17g, want %.17g)", what, got, want);
}
#define CHECK_CLOSE(got, want, scale, tol, what) check_close(__LINE__, got, want, scale, tol, what)

/* The device vector `device` (inc `inc`, L1N elements) equals `want(i)` at each stride and is
 * unchanged (equal to `before`) in between. */
static void check_device_vector(int line, const void *device, const void *before, enum element e, int inc, const double *want,
                                double tol, const char *what) {
    size_t size = element_size(e), count = (size_t)L1N * inc;
    char *after = malloc(count * size);
    if (!check_report(after != NULL, line, "malloc (got NULL, want memory)")) return;
    if (!check_report(cudaMemcpy(after, device, count * size, cudaMemcpyDeviceToHost) == cudaSuccess, line, "%s: read back", what)) {
        free(after);
        return;
    }
    int bad = 0, first = -1, between = 0;
    for (int i = 0; i < L1N; i++) {
        double got = element_at(after, e, (size_t)i * inc);
        if (!(fabs(got - want[i]) <= tol * (fabs(want[i]) > 1 ? fabs(want[i]) : 1)) && bad++ == 0) first = i;
        for (int g = 1; g < inc; g++)
            between += memcmp(after + ((size_t)i * inc + g) * size, (const char *)before + ((size_t)i * inc + g) * size, size) != 0;
    }
    check_report(bad == 0, line, "%s: %d of %d elements off, first at %d (got %.17g, want %.17g)", what, bad, L1N, first,
                 first >= 0 ? element_at(after, e, (size_t)first * inc) : 0.0, first >= 0 ? want[first] : 0.0);
    check_report(between == 0, line, "%s: elements between the strides (got %d changed, want 0)", what, between);
    free(after);
}

static void check_level1(cublasHandle_t handle, int is_double, int incx, int incy) {
    enum element e = is_double ? F64 : F32;
    double tol = is_double ? 1e-10 : 1e-4;
    char name[64], what[128];
    double want[L1N];
    snprintf(name, sizeof name, "%c incx %d incy %d", is_double ? 'D' : 'S', incx, incy);
    struct vectors v;
#define X(i) element_at(v.x, e, (size_t)(i) * incx)
#define Y(i) element_at(v.y, e, (size_t)(i) * incy)

    /* dot, nrm2, asum: results through host pointers. */
    if (vectors_make(&v, e, incx, incy)) {
        double dot = 0, dot_scale = 0, squares = 0, absolute = 0;
        for (int i = 0; i < L1N; i++) {
            dot += X(i) * Y(i);
            dot_scale += fabs(X(i) * Y(i));
            squares += X(i) * X(i);
            absolute += fabs(X(i));
        }
        double result = NAN;
        float result_f = NAN;
        snprintf(what, sizeof what, "dot %s", name);
        if (is_double ? CHECK_BLAS_OK(cublasDdot(handle, L1N, v.dx, incx, v.dy, incy, &result))
                      : CHECK_BLAS_OK(cublasSdot(handle, L1N, v.dx, incx, v.dy, incy, &result_f)))
            CHECK_CLOSE(is_double ? result : result_f, dot, dot_scale, tol, what);
        snprintf(what, sizeof what, "nrm2 %s", name);
        if (is_double ? CHECK_BLAS_OK(cublasDnrm2(handle, L1N, v.dx, incx, &result)) : CHECK_BLAS_OK(cublasSnrm2(handle, L1N, v.dx, incx, &result_f)))
            CHECK_CLOSE(is_double ? result : result_f, sqrt(squares), sqrt(squares), tol, what);
        snprintf(what, sizeof what, "asum %s", name);
        if (is_double ? CHECK_BLAS_OK(cublasDasum(handle, L1N, v.dx, incx, &result)) : CHECK_BLAS_OK(cublasSasum(handle, L1N, v.dx, incx, &result_f)))
            CHECK_CLOSE(is_double ? result : result_f, absolute, absolute, tol, what);

        /* The same results into device memory (CUBLAS_POINTER_MODE_DEVICE). */
        void *dresults = NULL;
        if (CHECK_OK(cudaMalloc(&dresults, 3 * sizeof(double)))) {
            char *base = dresults;
            size_t size = element_size(e);
            CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_DEVICE));
            int ok = is_double ? CHECK_BLAS_OK(cublasDdot(handle, L1N, v.dx, incx, v.dy, incy, (double *)base)) &&
                                     CHECK_BLAS_OK(cublasDnrm2(handle, L1N, v.dx, incx, (double *)(base + size))) &&
                                     CHECK_BLAS_OK(cublasDasum(handle, L1N, v.dx, incx, (double *)(base + 2 * size)))
                               : CHECK_BLAS_OK(cublasSdot(handle, L1N, v.dx, incx, v.dy, incy, (float *)base)) &&
                                     CHECK_BLAS_OK(cublasSnrm2(handle, L1N, v.dx, incx, (float *)(base + size))) &&
                                     CHECK_BLAS_OK(cublasSasum(handle, L1N, v.dx, incx, (float *)(base + 2 * size)));
            CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_HOST));
            double results[3];
            if (ok && CHECK_OK(cudaMemcpy(results, dresults, 3 * size, cudaMemcpyDeviceToHost))) {
                snprintf(what, sizeof what, "dot %s into device memory", name);
                CHECK_CLOSE(element_at(results, e, 0), dot, dot_scale, tol, what);
                snprintf(what, sizeof what, "nrm2 %s into device memory", name);
                CHECK_CLOSE(element_at(results, e, 1), sqrt(squares), sqrt(squares), tol, what);
                snprintf(what, sizeof what, "asum %s into device memory", name);
                CHECK_CLOSE(element_at(results, e, 2), absolute, absolute, tol, what);
            }
            cudaFree(dresults);
        }
    }
    vectors_free(&v);

    /* axpy: y = alpha x + y. */
    if (vectors_make(&v, e, incx, incy)) {
        double alpha = -1.75;
        float alpha_f = (float)alpha;
        for (int i = 0; i < L1N; i++) want[i] = alpha * X(i) + Y(i);
        snprintf(what, sizeof what, "axpy %s", name);
        if (is_double ? CHECK_BLAS_OK(cublasDaxpy(handle, L1N, &alpha, v.dx, incx, v.dy, incy))
                      : CHECK_BLAS_OK(cublasSaxpy(handle, L1N, &alpha_f, v.dx, incx, v.dy, incy)))
            check_device_vector(__LINE__, v.dy, v.y, e, incy, want, tol * 4, what);
    }
    vectors_free(&v);

    /* scal: x = alpha x. */
    if (vectors_make(&v, e, incx, incy)) {
        double alpha = 2.5;
        float alpha_f = (float)alpha;
        for (int i = 0; i < L1N; i++) want[i] = alpha * X(i);
        snprintf(what, sizeof what, "scal %s", name);
        if (is_double ? CHECK_BLAS_OK(cublasDscal(handle, L1N, &alpha, v.dx, incx)) : CHECK_BLAS_OK(cublasSscal(handle, L1N, &alpha_f, v.dx, incx)))
            check_device_vector(__LINE__, v.dx, v.x, e, incx, want, tol, what);
    }
    vectors_free(&v);

    /* copy: y = x, exactly. */
    if (vectors_make(&v, e, incx, incy)) {
        for (int i = 0; i < L1N; i++) want[i] = X(i);
        snprintf(what, sizeof what, "copy %s", name);
        if (is_double ? CHECK_BLAS_OK(cublasDcopy(handle, L1N, v.dx, incx, v.dy, incy)) : CHECK_BLAS_OK(cublasScopy(handle, L1N, v.dx, incx, v.dy, incy)))
            check_device_vector(__LINE__, v.dy, v.y, e, incy, want, 0, what);
    }
    vectors_free(&v);

    /* swap: x <-> y, exactly. */
    if (vectors_make(&v, e, incx, incy)) {
        double want_y[L1N];
        for (int i = 0; i < L1N; i++) {
            want[i] = Y(i);
            want_y[i] = X(i);
        }
        snprintf(what, sizeof what, "swap %s", name);
        if (is_double ? CHECK_BLAS_OK(cublasDswap(handle, L1N, v.dx, incx, v.dy, incy)) : CHECK_BLAS_OK(cublasSswap(handle, L1N, v.dx, incx, v.dy, incy))) {
            check_device_vector(__LINE__, v.dx, v.x, e, incx, want, 0, what);
            check_device_vector(__LINE__, v.dy, v.y, e, incy, want_y, 0, what);
        }
    }
    vectors_free(&v);

    /* iamax: the 1-based index of the first element of largest magnitude. A negative maximum at
     * 0-based 56 (so 57), then a tie with an earlier element at 0-based 10 (so 11). */
    if (vectors_make(&v, e, incx, incy)) {
        size_t size = element_size(e);
        char *x = v.x;
        double big = -5.0;
        float big_f = -5.0f;
        memcpy(x + (size_t)56 * incx * size, is_double ? (void *)&big : (void *)&big_f, size);
        CHECK_OK(cudaMemcpy(v.dx, v.x, (size_t)L1N * incx * size, cudaMemcpyHostToDevice));
        int index = -1;
        snprintf(what, sizeof what, "iamax %s (1-based)", name);
        if (is_double ? CHECK_BLAS_OK(cublasIdamax(handle, L1N, v.dx, incx, &index)) : CHECK_BLAS_OK(cublasIsamax(handle, L1N, v.dx, incx, &index)))
            CHECK_INT(index, 57, what);
        double tie = 5.0;
        float tie_f = 5.0f;
        memcpy(x + (size_t)10 * incx * size, is_double ? (void *)&tie : (void *)&tie_f, size);
        CHECK_OK(cudaMemcpy(v.dx, v.x, (size_t)L1N * incx * size, cudaMemcpyHostToDevice));
        index = -1;
        snprintf(what, sizeof what, "iamax %s with a tie (the first)", name);
        if (is_double ? CHECK_BLAS_OK(cublasIdamax(handle, L1N, v.dx, incx, &index)) : CHECK_BLAS_OK(cublasIsamax(handle, L1N, v.dx, incx, &index)))
            CHECK_INT(index, 11, what);
        /* Into device memory. */
        int *dindex = NULL;
        if (CHECK_OK(cudaMalloc((void **)&dindex, sizeof(int)))) {
            CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_DEVICE));
            int ok = is_double ? CHECK_BLAS_OK(cublasIdamax(handle, L1N, v.dx, incx, dindex)) : CHECK_BLAS_OK(cublasIsamax(handle, L1N, v.dx, incx, dindex));
            CHECK_BLAS_OK(cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_HOST));
            index = -1;
            snprintf(what, sizeof what, "iamax %s into device memory", name);
            if (ok && CHECK_OK(cudaMemcpy(&index, dindex, sizeof index, cudaMemcpyDeviceToHost))) CHECK_INT(index, 11, what);
            cudaFree(dindex);
        }
    }
    vectors_free(&v);
#undef X
#undef Y
}

int main(void) {
    check_start(300);
    check_status_strings();
    cublasHandle_t handle = NULL;
    if (!CHECK_BLAS_OK(cublasCreate(&handle))) return check_finish();
    CHECK(handle != NULL, "cublasCreate handle (got NULL, want a handle)");
    check_handle(handle);
    check_vector_and_matrix_transfers(handle);

    static const cublasOperation_t operations[] = {CUBLAS_OP_N, CUBLAS_OP_T};
    for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
            check_gemm(handle, operations[a], operations[b], F32, F32, 0);
            check_gemm(handle, operations[a], operations[b], F64, F64, 0);
            check_gemm(handle, operations[a], operations[b], F32, F32, 1);
            check_gemm(handle, operations[a], operations[b], F16, F32, 1);
        }
    }
    check_gemm_device_scalars(handle);
    check_batched_gemm(handle);

    for (int is_double = 0; is_double < 2; is_double++)
        for (int t = 0; t < 2; t++)
            for (int incx = 1; incx <= 2; incx++)
                for (int incy = 1; incy <= 2; incy++) check_gemv(handle, is_double, operations[t], incx, incy);

    for (int is_double = 0; is_double < 2; is_double++) {
        check_level1(handle, is_double, 1, 1);
        check_level1(handle, is_double, 2, 3);
    }

    CHECK_BLAS_OK(cublasDestroy(handle));
    CHECK_OK(cudaDeviceSynchronize());
    return check_finish();
}
