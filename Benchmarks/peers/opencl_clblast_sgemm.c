/* CLBlast's SGEMM on the first OpenCL device, the peer of `deviceshim-benchmarks opencl`.
 * Prints "N GFLOP/s" per N given (column-major N×N×N, no transposes, best of 5 after a
 * warm-up that includes CLBlast's own kernel compilation).
 * Build: gcc -O2 opencl_clblast_sgemm.c -o opencl_clblast_sgemm -lclblast -lOpenCL */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <clblast_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int fail(const char *what, int code) {
    fprintf(stderr, "opencl_clblast_sgemm: %s failed (%d)\n", what, code);
    return 1;
}

int main(int argc, char **argv) {
    cl_platform_id platform;
    cl_device_id device;
    cl_int status;
    if ((status = clGetPlatformIDs(1, &platform, NULL)) != CL_SUCCESS) return fail("clGetPlatformIDs", status);
    if ((status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL)) != CL_SUCCESS) return fail("clGetDeviceIDs", status);
    char name[256] = {0};
    clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof name - 1, name, NULL);
    printf("# CLBlast SGEMM on %s\n", name);
    cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &status);
    if (status != CL_SUCCESS) return fail("clCreateContext", status);
    cl_command_queue queue = clCreateCommandQueue(context, device, 0, &status);
    if (status != CL_SUCCESS) return fail("clCreateCommandQueue", status);
    for (int arg = 1; arg < argc; ++arg) {
        size_t n = (size_t)atol(argv[arg]);
        size_t bytes = n * n * sizeof(float);
        float *host = malloc(bytes);
        for (size_t i = 0; i < n * n; ++i) host[i] = (float)(i % 7) * 0.25f;
        cl_mem a = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes, host, &status);
        cl_mem b = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes, host, &status);
        cl_mem c = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes, host, &status);
        double best = 1e30;
        for (int repeat = 0; repeat < 6; ++repeat) {
            double start = now();
            CLBlastStatusCode code = CLBlastSgemm(CLBlastLayoutColMajor, CLBlastTransposeNo, CLBlastTransposeNo, n, n, n,
                                                  1.0f, a, 0, n, b, 0, n, 0.0f, c, 0, n, &queue, NULL);
            if (code != CLBlastSuccess) return fail("CLBlastSgemm", code);
            clFinish(queue);
            double elapsed = now() - start;
            if (repeat > 0 && elapsed < best) best = elapsed;
        }
        printf("%zu %.2f\n", n, 2.0 * n * n * n / best * 1e-9);
        clReleaseMemObject(a);
        clReleaseMemObject(b);
        clReleaseMemObject(c);
        free(host);
    }
    clReleaseCommandQueue(queue);
    clReleaseContext(context);
    return 0;
}
