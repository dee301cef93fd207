/* Bad input to the CUDA runtime and cuBLAS C APIs returns the documented status, and the
 * process keeps working: after every bad call a good host-device round trip still succeeds.
 *
 * Where CUDA documents a status, the comment quotes it (cuda_runtime_api.h of CUDA 12.9, the
 * cuBLAS 12 documentation). Where CUDA calls the input undefined behaviour (a stale or made-up
 * handle, pointers that contradict the copy kind) NVIDIA's libraries may crash; DeviceShim's
 * rule is that bad input never crashes and gets the status CUDA uses for that kind of mistake,
 * and the comment says so. */
#include <cublas_v2.h>
#include <stdint.h>

#include "cuda_check.h"

enum { block = 4096 };
static unsigned char *device_block;   /* block bytes of device memory for the good copies */
static unsigned good_seed = 1;

/* A good H2D + D2H round trip (synchronous and on the legacy stream), checked. */
#define GOOD_COPY() good_round_trip(__LINE__)

static void good_round_trip(int line) {
    unsigned char out[block], in[block];
    fill_pattern(out, block, good_seed++);
    memset(in, 0, block);
    cudaError_t up = cudaMemcpy(device_block, out, block, cudaMemcpyHostToDevice);
    cudaError_t down = cudaMemcpy(in, device_block, block, cudaMemcpyDeviceToHost);
    int equal = memcmp(in, out, block) == 0;
    if (up == cudaSuccess && down == cudaSuccess && equal) {
        check_report(1, line, "a good round trip");
        return;
    }
    check_report(0, line, "a good round trip after the bad call (got H2D %d %s, D2H %d %s, bytes %s; want cudaSuccess and equal bytes)",
                 (int)up, cudaGetErrorName(up), (int)down, cudaGetErrorName(down), equal ? "equal" : "different");
}

static void check_memory_errors(void) {
    unsigned char host[2 * block];
    fill_pattern(host, sizeof host, 9);

    /* cudaMalloc: "::cudaErrorInvalidValue" for a NULL devPtr. */
    CHECK_CUDA(cudaMalloc(NULL, 64), cudaErrorInvalidValue);
    GOOD_COPY();

    /* cudaMemcpy with a NULL source or destination: "::cudaErrorInvalidValue". */
    CHECK_CUDA(cudaMemcpy(device_block, NULL, 64, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
    GOOD_COPY();
    CHECK_CUDA(cudaMemcpy(NULL, device_block, 64, cudaMemcpyDeviceToHost), cudaErrorInvalidValue);
    GOOD_COPY();
    CHECK_CUDA(cudaMemcpy(NULL, host, 64, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
    GOOD_COPY();

    /* A copy past the end of an allocation: the device range is not memory CUDA gave out,
     * "::cudaErrorInvalidValue" (NVIDIA's runtime checks device ranges against allocations). */
    unsigned char *small = NULL;
    if (CHECK_OK(cudaMalloc((void **)&small, 1024))) {
        CHECK_CUDA(cudaMemcpy(small, host, 2048, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
        GOOD_COPY();
        CHECK_CUDA(cudaMemcpy(host, small + 512, 1024, cudaMemcpyDeviceToHost), cudaErrorInvalidValue);
        GOOD_COPY();
        CHECK_CUDA(cudaMemcpy(small + 1000, device_block, 25, cudaMemcpyDeviceToDevice), cudaErrorInvalidValue);
        GOOD_COPY();
        /* cudaMemset past the end: "::cudaErrorInvalidValue". */
        CHECK_CUDA(cudaMemset(small + 1, 0, 1024), cudaErrorInvalidValue);
        GOOD_COPY();
        /* A 2D range whose later rows leave the allocation: CUDA checks the range as a whole
         * ("::cudaErrorInvalidValue"), so no row is copied or set. */
        unsigned char first_row[64], marks[64];
        memset(marks, 0x5a, sizeof marks);
        CHECK_OK(cudaMemset(small, 0x5a, 1024));
        CHECK_CUDA(cudaMemcpy2D(small, 512, host, 64, 64, 3, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
        CHECK_CUDA(cudaMemset2D(small, 512, 0, 64, 3), cudaErrorInvalidValue);
        CHECK_OK(cudaMemcpy(first_row, small, sizeof first_row, cudaMemcpyDeviceToHost));
        CHECK_BYTES(first_row, marks, sizeof marks, "the first row after the rejected 2D calls");
        /* A pitch whose last row no pointer can reach (2^62 over three rows). */
        CHECK_CUDA(cudaMemcpy2D(small, (size_t)1 << 62, host, 64, 64, 3, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
        CHECK_CUDA(cudaMemset2D(small, (size_t)1 << 62, 0, 64, 3), cudaErrorInvalidValue);
        GOOD_COPY();
        /* The allocation itself is intact: a full-size copy still works. */
        unsigned char back[1024];
        CHECK_OK(cudaMemcpy(small, host, 1024, cudaMemcpyHostToDevice));
        CHECK_OK(cudaMemcpy(back, small, 1024, cudaMemcpyDeviceToHost));
        CHECK_BYTES(back, host, 1024, "the small allocation after the bad copies");
    }

    /* A direction that is not a cudaMemcpyKind (0..4): "::cudaErrorInvalidMemcpyDirection". */
    CHECK_CUDA(cudaMemcpy(device_block, host, 64, (enum cudaMemcpyKind)7), cudaErrorInvalidMemcpyDirection);
    GOOD_COPY();
    CHECK_CUDA(cudaMemcpyAsync(device_block, host, 64, (enum cudaMemcpyKind)7, 0), cudaErrorInvalidMemcpyDirection);
    GOOD_COPY();

    /* Kind DeviceToHost with the pointers the wrong way round (destination is device memory,
     * source is pageable host memory). CUDA: "Calling cudaMemcpy() with dst and src pointers that
     * do not match the direction of the copy results in an undefined behavior." The "device"
     * source is no device allocation, so the status is "::cudaErrorInvalidValue", as NVIDIA's
     * runtime answers for a source that is not device memory. */
    CHECK_CUDA(cudaMemcpy(device_block, host, 64, cudaMemcpyDeviceToHost), cudaErrorInvalidValue);
    GOOD_COPY();

    /* cudaFree: "If cudaFree(devPtr) has already been called before, an error is returned. If
     * devPtr is 0, no operation is performed. cudaFree() returns cudaErrorValue in case of
     * failure." (the status is cudaErrorInvalidValue). */
    if (small != NULL) {
        CHECK_OK(cudaFree(small));
        CHECK_CUDA(cudaFree(small), cudaErrorInvalidValue);
        GOOD_COPY();
    }
    CHECK_OK(cudaFree(NULL));
    GOOD_COPY();
    /* A host pointer was not returned by cudaMalloc: "::cudaErrorInvalidValue". */
    void *plain = malloc(64);
    CHECK_CUDA(cudaFree(plain), cudaErrorInvalidValue);
    free(plain);
    GOOD_COPY();
    /* An interior device pointer is not an allocation either. */
    CHECK_CUDA(cudaFree(device_block + 16), cudaErrorInvalidValue);
    GOOD_COPY();
    /* The last address a pointer can hold (garbage, say all bits set) is no allocation: a
     * copy naming it as device memory is cudaErrorInvalidValue, cudaFree of it too. */
    void *all_ones = (void *)UINTPTR_MAX;
    unsigned char bytes[64] = {0};
    CHECK_CUDA(cudaMemcpy(all_ones, bytes, sizeof bytes, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
    CHECK_CUDA(cudaMemcpy(bytes, all_ones, sizeof bytes, cudaMemcpyDeviceToHost), cudaErrorInvalidValue);
    CHECK_CUDA(cudaFree(all_ones), cudaErrorInvalidValue);
    GOOD_COPY();
    cudaGetLastError();
}

static void check_handle_errors(void) {
    unsigned char host[64];
    fill_pattern(host, sizeof host, 10);
    cudaStream_t bogus_stream = (cudaStream_t)0x1234;
    cudaEvent_t bogus_event = (cudaEvent_t)0x5678;

    /* A stream handle CUDA never made: undefined for NVIDIA's runtime (it dereferences handles);
     * DeviceShim validates every handle and answers "::cudaErrorInvalidResourceHandle", the status
     * cudaStreamSynchronize, cudaStreamQuery and cudaStreamDestroy document for a bad handle. */
    CHECK_CUDA(cudaStreamSynchronize(bogus_stream), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaStreamQuery(bogus_stream), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaMemcpyAsync(device_block, host, sizeof host, cudaMemcpyHostToDevice, bogus_stream), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaMemsetAsync(device_block, 0, 64, bogus_stream), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaStreamDestroy(bogus_stream), cudaErrorInvalidResourceHandle);
    GOOD_COPY();

    /* A destroyed stream ("\note_destroy_ub": use after destroy is undefined): the same. */
    cudaStream_t destroyed;
    if (CHECK_OK(cudaStreamCreate(&destroyed))) {
        CHECK_OK(cudaStreamDestroy(destroyed));
        CHECK_CUDA(cudaStreamSynchronize(destroyed), cudaErrorInvalidResourceHandle);
        GOOD_COPY();
        CHECK_CUDA(cudaMemcpyAsync(device_block, host, sizeof host, cudaMemcpyHostToDevice, destroyed), cudaErrorInvalidResourceHandle);
        GOOD_COPY();
    }

    /* Event handles: cudaEventRecord, cudaEventQuery, cudaEventSynchronize, cudaEventElapsedTime,
     * cudaEventDestroy and cudaStreamWaitEvent list "::cudaErrorInvalidResourceHandle". */
    cudaEvent_t good;
    float milliseconds;
    CHECK_CUDA(cudaEventRecord(bogus_event, 0), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaEventQuery(bogus_event), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaEventSynchronize(bogus_event), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaStreamWaitEvent(0, bogus_event, 0), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    if (CHECK_OK(cudaEventCreate(&good))) {
        CHECK_OK(cudaEventRecord(good, 0));
        CHECK_OK(cudaEventSynchronize(good));
        CHECK_CUDA(cudaEventElapsedTime(&milliseconds, good, bogus_event), cudaErrorInvalidResourceHandle);
        GOOD_COPY();
        CHECK_OK(cudaEventDestroy(good));
        CHECK_CUDA(cudaEventQuery(good), cudaErrorInvalidResourceHandle);   /* destroyed */
        GOOD_COPY();
    }
    CHECK_CUDA(cudaEventDestroy(bogus_event), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    cudaGetLastError();
}

static void check_device_errors(void) {
    /* Valid device ordinals are 0 to cudaGetDeviceCount() - 1: "::cudaErrorInvalidDevice". */
    CHECK_CUDA(cudaSetDevice(99), cudaErrorInvalidDevice);
    GOOD_COPY();
    int device = -1;
    CHECK_OK(cudaGetDevice(&device));
    CHECK_INT(device, 0, "the current device after cudaSetDevice(99)");

    /* cudaGetLastError "Returns the last error that has been produced by any of the runtime calls
     * ... and resets it to cudaSuccess": the last failure, then cudaSuccess. The good copies in
     * between do not clear it. */
    cudaGetLastError();
    CHECK_CUDA(cudaMalloc(NULL, 64), cudaErrorInvalidValue);
    GOOD_COPY();
    CHECK_CUDA(cudaStreamSynchronize((cudaStream_t)0x1234), cudaErrorInvalidResourceHandle);
    GOOD_COPY();
    CHECK_CUDA(cudaSetDevice(99), cudaErrorInvalidDevice);
    GOOD_COPY();
    CHECK_CUDA(cudaPeekAtLastError(), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaGetLastError(), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaGetLastError(), cudaSuccess);
}

/* A 2 x 2 SGEMM that must give the right answer, on `handle`. */
static void good_gemm(int line, cublasHandle_t handle) {
    float a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4] = {1, 1, 1, 1}, alpha = 1, beta = 2;
    /* Column-major: A = [1 3; 2 4], B = [5 7; 6 8]; A B = [23 31; 34 46]; + 2. */
    const float want[4] = {25, 36, 33, 48};
    float *d = NULL;
    if (!check_report(cudaMalloc((void **)&d, sizeof a * 3) == cudaSuccess, line, "cudaMalloc for a good SGEMM")) return;
    cudaMemcpy(d, a, sizeof a, cudaMemcpyHostToDevice);
    cudaMemcpy(d + 4, b, sizeof b, cudaMemcpyHostToDevice);
    cudaMemcpy(d + 8, c, sizeof c, cudaMemcpyHostToDevice);
    cublasStatus_t status = cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, &alpha, d, 2, d + 4, 2, &beta, d + 8, 2);
    cudaMemcpy(c, d + 8, sizeof c, cudaMemcpyDeviceToHost);
    if (status == CUBLAS_STATUS_SUCCESS && memcmp(c, want, sizeof c) == 0)
        check_report(1, line, "a good SGEMM");
    else
        check_report(0, line, "a good SGEMM after the bad call (got %d %s, C = [%g %g; %g %g]; want CUBLAS_STATUS_SUCCESS, C = [25 33; 36 48])",
                     (int)status, cublasGetStatusName(status), c[0], c[2], c[1], c[3]);
    cudaFree(d);
}
#define GOOD_GEMM(handle) do { good_gemm(__LINE__, handle); GOOD_COPY(); } while (0)

static void check_cublas_errors(void) {
    enum { m = 8, n = 6, k = 5 };
    float alpha = 1, beta = 0;
    float *a = NULL, *b = NULL, *c = NULL, *x = NULL;
    cublasHandle_t handle = NULL;

    /* cublasCreate: "CUBLAS_STATUS_INVALID_VALUE: handle == NULL". */
    CHECK_BLAS(cublasCreate(NULL), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_COPY();
    if (!CHECK_BLAS_OK(cublasCreate(&handle))) return;
    if (!CHECK_OK(cudaMalloc((void **)&a, 64 * 64 * 4)) || !CHECK_OK(cudaMalloc((void **)&b, 64 * 64 * 4)) ||
        !CHECK_OK(cudaMalloc((void **)&c, 64 * 64 * 4)) || !CHECK_OK(cudaMalloc((void **)&x, 64 * 4)))
        goto done;
    CHECK_OK(cudaMemset(a, 0, 64 * 64 * 4));
    CHECK_OK(cudaMemset(b, 0, 64 * 64 * 4));
    CHECK_OK(cudaMemset(c, 0, 64 * 64 * 4));
    CHECK_OK(cudaMemset(x, 0, 64 * 4));

    /* A NULL handle: "CUBLAS_STATUS_NOT_INITIALIZED: the library was not initialized". */
    CHECK_BLAS(cublasSgemm(NULL, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k, &beta, c, m), CUBLAS_STATUS_NOT_INITIALIZED);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSetStream(NULL, 0), CUBLAS_STATUS_NOT_INITIALIZED);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSaxpy(NULL, n, &alpha, x, 1, x, 1), CUBLAS_STATUS_NOT_INITIALIZED);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasDestroy(NULL), CUBLAS_STATUS_NOT_INITIALIZED);
    GOOD_GEMM(handle);

    /* cublas<t>gemm: "CUBLAS_STATUS_INVALID_VALUE: If m < 0 or n < 0 or k < 0, or if transa,
     * transb != CUBLAS_OP_N, CUBLAS_OP_C, CUBLAS_OP_T, or if lda < max(1, m) if transa ==
     * CUBLAS_OP_N and lda < max(1, k) otherwise, or if ldb < max(1, k) if transb == CUBLAS_OP_N
     * and ldb < max(1, n) otherwise, or if ldc < max(1, m), or if alpha, beta == NULL ..." */
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, -1, n, k, &alpha, a, m, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, -1, k, &alpha, a, m, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, -1, &alpha, a, m, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m - 1, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, a, k - 1, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k - 1, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_T, m, n, k, &alpha, a, m, b, n - 1, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k, &beta, c, m - 1), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, (cublasOperation_t)9, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, (cublasOperation_t)9, m, n, k, &alpha, a, m, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    /* max(1, m): with m = 0, lda = 0 is still too small. */
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 0, n, k, &alpha, a, 0, b, k, &beta, c, 1), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, NULL, a, m, b, k, &beta, c, m), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    /* The same rules for cublasDgemm, cublasGemmEx and the batched forms. */
    double alpha_d = 1, beta_d = 0;
    CHECK_BLAS(cublasDgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha_d, (double *)a, m - 1, (double *)b, k, &beta_d, (double *)c, m),
               CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, -2, n, k, &alpha, a, CUDA_R_32F, m, b, CUDA_R_32F, k, &beta, c, CUDA_R_32F, m,
                            CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
               CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, m * k, b, k, k * n, &beta, c, m - 1, m * n, 2),
               CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    /* batchCount < 0: "CUBLAS_STATUS_INVALID_VALUE ... batchCount < 0". */
    CHECK_BLAS(cublasSgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, m * k, b, k, k * n, &beta, c, m, m * n, -1),
               CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);

    /* An empty problem is not an error: m = 0 returns at once, C untouched. */
    CHECK_BLAS_OK(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 0, n, k, &alpha, a, 1, b, k, &beta, c, 1));
    GOOD_GEMM(handle);

    /* cublas<t>gemv: "CUBLAS_STATUS_INVALID_VALUE: the parameters m,n<0 or incx,incy=0". */
    CHECK_BLAS(cublasSgemv(handle, CUBLAS_OP_N, -1, n, &alpha, a, m, x, 1, &beta, x, 1), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSgemv(handle, CUBLAS_OP_N, m, n, &alpha, a, m, x, 0, &beta, x + 32, 1), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);

    /* cublasSetVector / cublasGetVector: "CUBLAS_STATUS_INVALID_VALUE: the parameters incx, incy,
     * elemSize<=0"; cublasSetMatrix: "the parameters rows, cols<0 or elemSize, lda, ldb<=0". */
    float host[64] = {0};
    CHECK_BLAS(cublasSetVector(8, sizeof(float), host, 0, x, 1), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasGetVector(8, sizeof(float), x, 1, host, 0), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSetVector(8, 0, host, 1, x, 1), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSetMatrix(-1, 2, sizeof(float), host, 4, x, 4), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);
    CHECK_BLAS(cublasSetMatrix(4, 2, sizeof(float), host, 0, x, 4), CUBLAS_STATUS_INVALID_VALUE);
    GOOD_GEMM(handle);

    /* A handle after cublasDestroy: using it is undefined for NVIDIA's library; DeviceShim
     * validates handles and answers CUBLAS_STATUS_NOT_INITIALIZED, as for a handle never made. */
    cublasHandle_t destroyed = NULL;
    if (CHECK_BLAS_OK(cublasCreate(&destroyed))) {
        CHECK_BLAS_OK(cublasDestroy(destroyed));
        CHECK_BLAS(cublasSgemm(destroyed, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k, &beta, c, m), CUBLAS_STATUS_NOT_INITIALIZED);
        GOOD_GEMM(handle);
        CHECK_BLAS(cublasSetPointerMode(destroyed, CUBLAS_POINTER_MODE_HOST), CUBLAS_STATUS_NOT_INITIALIZED);
        GOOD_GEMM(handle);
        CHECK_BLAS(cublasDestroy(destroyed), CUBLAS_STATUS_NOT_INITIALIZED);
        GOOD_GEMM(handle);
    }
    CHECK_BLAS(cublasSgemm((cublasHandle_t)0x4321, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k, &beta, c, m),
               CUBLAS_STATUS_NOT_INITIALIZED);
    GOOD_GEMM(handle);

done:
    cudaFree(a);
    cudaFree(b);
    cudaFree(c);
    cudaFree(x);
    CHECK_BLAS_OK(cublasDestroy(handle));
    cudaGetLastError();
}

/* After everything, the runtime still does ordinary work: a stream, an event, copies. */
static void check_still_working(void) {
    enum { size = 1 << 20 };
    unsigned char *out = NULL, *in = NULL, *device = NULL;
    cudaStream_t stream;
    cudaEvent_t done;
    if (!CHECK_OK(cudaMallocHost((void **)&out, size)) || !CHECK_OK(cudaMallocHost((void **)&in, size)) ||
        !CHECK_OK(cudaMalloc((void **)&device, size)) || !CHECK_OK(cudaStreamCreate(&stream)) || !CHECK_OK(cudaEventCreate(&done)))
        return;
    fill_pattern(out, size, 4242);
    memset(in, 0, size);
    CHECK_OK(cudaMemcpyAsync(device, out, size, cudaMemcpyHostToDevice, stream));
    CHECK_OK(cudaMemcpyAsync(in, device, size, cudaMemcpyDeviceToHost, stream));
    CHECK_OK(cudaEventRecord(done, stream));
    CHECK_OK(cudaEventSynchronize(done));
    CHECK_BYTES(in, out, size, "a stream round trip at the end");
    CHECK_OK(cudaEventDestroy(done));
    CHECK_OK(cudaStreamDestroy(stream));
    CHECK_OK(cudaFree(device));
    CHECK_OK(cudaFreeHost(out));
    CHECK_OK(cudaFreeHost(in));
    CHECK_CUDA(cudaGetLastError(), cudaSuccess);
}

int main(void) {
    check_start(120);
    if (!CHECK_OK(cudaMalloc((void **)&device_block, block))) return check_finish();
    check_memory_errors();
    check_handle_errors();
    check_device_errors();
    check_cublas_errors();
    check_still_working();
    CHECK_OK(cudaFree(device_block));
    return check_finish();
}
