// A plain CUDA program, written for NVIDIA's runtime and cuBLAS and built against NVIDIA's
// headers and libraries: it knows nothing of DeviceShim. Under preload/deviceshim-run the
// same binary runs on whatever compute the machine has, and every call is logged.
//
//   cuda=third_party/cuda
//   gcc -I $cuda/include Examples/cuda_demo.c $cuda/lib/libcudart.so.12 $cuda/lib/libcublas.so.12 -lm -o cuda_demo
//   DEVICESHIM_LOG=info preload/deviceshim-run ./cuda_demo
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define CUDA_CHECK(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) { \
    fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(e_)); return 1; } } while (0)
#define CUBLAS_CHECK(call) do { cublasStatus_t s_ = (call); if (s_ != CUBLAS_STATUS_SUCCESS) { \
    fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cublasGetStatusString(s_)); return 1; } } while (0)

enum { N = 512 };

int main(void) {
    struct cudaDeviceProp properties;
    CUDA_CHECK(cudaGetDeviceProperties(&properties, 0));
    printf("cuda_demo: device 0 is \"%s\", compute capability %d.%d, %d multiprocessors\n",
           properties.name, properties.major, properties.minor, properties.multiProcessorCount);

    size_t bytes = sizeof(float) * N * N;
    float *a, *b, *c, *da, *db, *dc;
    CUDA_CHECK(cudaMallocHost((void **)&a, bytes));
    CUDA_CHECK(cudaMallocHost((void **)&b, bytes));
    CUDA_CHECK(cudaMallocHost((void **)&c, bytes));
    for (int i = 0; i < N * N; i++) {
        a[i] = (float)(i % 17) / 17.0f;
        b[i] = (float)(i % 13) / 13.0f;
    }
    CUDA_CHECK(cudaMalloc((void **)&da, bytes));
    CUDA_CHECK(cudaMalloc((void **)&db, bytes));
    CUDA_CHECK(cudaMalloc((void **)&dc, bytes));

    cudaStream_t stream;
    cudaEvent_t start, stop;
    CUDA_CHECK(cudaStreamCreate(&stream));
    CUDA_CHECK(cudaEventCreate(&start));
    CUDA_CHECK(cudaEventCreate(&stop));
    cublasHandle_t handle;
    CUBLAS_CHECK(cublasCreate(&handle));
    CUBLAS_CHECK(cublasSetStream(handle, stream));

    CUDA_CHECK(cudaMemcpyAsync(da, a, bytes, cudaMemcpyHostToDevice, stream));
    CUDA_CHECK(cudaMemcpyAsync(db, b, bytes, cudaMemcpyHostToDevice, stream));
    const float one = 1.0f, zero = 0.0f;
    CUDA_CHECK(cudaEventRecord(start, stream));
    CUBLAS_CHECK(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, N, N, N, &one, da, N, db, N, &zero, dc, N));
    CUDA_CHECK(cudaEventRecord(stop, stream));
    CUDA_CHECK(cudaMemcpyAsync(c, dc, bytes, cudaMemcpyDeviceToHost, stream));
    CUDA_CHECK(cudaStreamSynchronize(stream));
    float milliseconds = 0;
    CUDA_CHECK(cudaEventElapsedTime(&milliseconds, start, stop));

    // Check a few entries against the host.
    double worst = 0;
    for (int check = 0; check < 64; check++) {
        int row = (check * 37) % N, column = (check * 91) % N;
        double expected = 0;
        for (int p = 0; p < N; p++) expected += (double)a[row + p * N] * b[p + column * N];
        worst = fmax(worst, fabs(expected - c[row + column * N]) / (1 + fabs(expected)));
    }
    printf("cuda_demo: SGEMM %dx%d in %.2f ms (%.1f GFLOP/s by the device's clock), worst relative error %.1e: %s\n",
           N, N, milliseconds, 2.0 * N * N * N / (milliseconds * 1e6), worst, worst < 1e-4 ? "correct" : "WRONG");

    // A mistake CUDA reports rather than crashes on: a copy past the end of an allocation.
    cudaError_t status = cudaMemcpy(dc, c, bytes * 2, cudaMemcpyHostToDevice);
    printf("cuda_demo: copying past the end of an allocation: %s (\"%s\")\n", cudaGetErrorName(status), cudaGetErrorString(status));
    cudaGetLastError();

    CUBLAS_CHECK(cublasDestroy(handle));
    CUDA_CHECK(cudaEventDestroy(start));
    CUDA_CHECK(cudaEventDestroy(stop));
    CUDA_CHECK(cudaStreamDestroy(stream));
    CUDA_CHECK(cudaFree(da));
    CUDA_CHECK(cudaFree(db));
    CUDA_CHECK(cudaFree(dc));
    CUDA_CHECK(cudaFreeHost(a));
    CUDA_CHECK(cudaFreeHost(b));
    CUDA_CHECK(cudaFreeHost(c));
    return worst < 1e-4 ? 0 : 1;
}
