/* A small CUDA program for the redirection-record tests: each CUDA or cuBLAS call sits in its
 * own function on a line marked "CALL: <api>", where the tests expect the record's caller
 * (symbol and file:line) to point. Calls are not wrapped in macros, so the line of the call is
 * the line of the marker. The program checks its own results like the other programs. */
#include <cublas_v2.h>

#include "cuda_check.h"

enum { n = 4 };

static void choose_device(void) {
    cudaError_t status = cudaSetDevice(0); /* CALL: cudaSetDevice */
    CHECK_CUDA(status, cudaSuccess);
}

static float *allocate_matrix(void) {
    void *pointer = NULL;
    cudaError_t status = cudaMalloc(&pointer, n * n * sizeof(float)); /* CALL: cudaMalloc */
    CHECK_CUDA(status, cudaSuccess);
    return pointer;
}

static void upload_weights(float *device, const float *host) {
    cudaError_t status = cudaMemcpy(device, host, n * n * sizeof(float), cudaMemcpyHostToDevice); /* CALL: cudaMemcpy */
    CHECK_CUDA(status, cudaSuccess);
}

static cudaStream_t make_stream(void) {
    cudaStream_t stream = NULL;
    cudaError_t status = cudaStreamCreate(&stream); /* CALL: cudaStreamCreate */
    CHECK_CUDA(status, cudaSuccess);
    return stream;
}

static void multiply(cublasHandle_t handle, const float *a, const float *b, float *c) {
    const float alpha = 1, beta = 0;
    cublasStatus_t status = cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, a, n, b, n, &beta, c, n); /* CALL: cublasSgemm_v2 */
    CHECK_BLAS(status, CUBLAS_STATUS_SUCCESS);
}

static void download_result(float *host, const float *device, cudaStream_t stream) {
    cudaError_t status = cudaMemcpyAsync(host, device, n * n * sizeof(float), cudaMemcpyDeviceToHost, stream); /* CALL: cudaMemcpyAsync */
    CHECK_CUDA(status, cudaSuccess);
}

static void wait_for(cudaStream_t stream) {
    cudaError_t status = cudaStreamSynchronize(stream); /* CALL: cudaStreamSynchronize */
    CHECK_CUDA(status, cudaSuccess);
}

static void release_matrix(float *device) {
    cudaError_t status = cudaFree(device); /* CALL: cudaFree */
    CHECK_CUDA(status, cudaSuccess);
}

int main(void) {
    check_start(60);
    choose_device();
    float identity[n * n] = {0}, weights[n * n], result[n * n];
    for (int i = 0; i < n; i++) identity[i * n + i] = 1;
    for (int i = 0; i < n * n; i++) weights[i] = (float)(i * 3 - 7);

    float *a = allocate_matrix(), *b = allocate_matrix(), *c = allocate_matrix();
    if (a == NULL || b == NULL || c == NULL) return check_finish();
    upload_weights(a, identity);
    upload_weights(b, weights);
    cudaStream_t stream = make_stream();
    cublasHandle_t handle = NULL;
    if (CHECK_BLAS(cublasCreate(&handle), CUBLAS_STATUS_SUCCESS)) {
        CHECK_BLAS(cublasSetStream(handle, stream), CUBLAS_STATUS_SUCCESS);
        multiply(handle, a, b, c);
        memset(result, 0, sizeof result);
        download_result(result, c, stream);
        wait_for(stream);
        CHECK_BYTES(result, weights, sizeof result, "identity times weights");
        CHECK_BLAS(cublasDestroy(handle), CUBLAS_STATUS_SUCCESS);
    }
    CHECK_CUDA(cudaStreamDestroy(stream), cudaSuccess);
    release_matrix(a);
    release_matrix(b);
    release_matrix(c);
    return check_finish();
}
