/* SGEMM on the software OpenCL device (PoCL, through CLBlast) and on the CPU (OpenBLAS),
 * on the same cores, for the claim behind DeviceShim's default policy: software devices
 * are slower than the native CPU backend. Prints one line per size:
 *   N  clblast_gflops  openblas_gflops
 * Build: gcc -O2 software_device_gemm.c -o software_device_gemm -lclblast -lOpenCL -lopenblas */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <cblas.h>
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
    fprintf(stderr, "software_device_gemm: %s failed (%d)\n", what, code);
    return 1;
}

int main(int argc, char **argv) {
    cl_platform_id platform;
    cl_device_id device;
    cl_int status = clGetPlatformIDs(1, &platform, NULL);
    if (status != CL_SUCCESS) return fail("clGetPlatformIDs", status);
    status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL);
    if (status != CL_SUCCESS) return fail("clGetDeviceIDs", status);
    char name[256];
    clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof name, name, NULL);
    printf("# OpenCL device: %s\n", name);
    cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &status);
    if (status != CL_SUCCESS) return fail("clCreateContext", status);
    cl_command_queue queue = clCreateCommandQueueWithProperties(context, device, NULL, &status);
    if (status != CL_SUCCESS) return fail("clCreateCommandQueue", status);

    for (int arg = 1; arg < argc; arg++) {
        size_t n = (size_t)atoi(argv[arg]);
        size_t count = n * n;
        float *a = malloc(count * sizeof *a), *b = malloc(count * sizeof *b), *c = malloc(count * sizeof *c);
        for (size_t i = 0; i < count; i++) {
            a[i] = (float)(i % 7) * 0.25f;
            b[i] = (float)(i % 5) * 0.5f;
        }
        cl_mem da = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, count * 4, a, &status);
        cl_mem db = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, count * 4, b, &status);
        cl_mem dc = clCreateBuffer(context, CL_MEM_READ_WRITE, count * 4, NULL, &status);
        int repeats = n <= 512 ? 5 : 2;
        double best_clblast = 1e30, best_openblas = 1e30;
        for (int r = 0; r <= repeats; r++) { /* the first run compiles kernels: not timed */
            double start = now();
            CLBlastStatusCode code = CLBlastSgemm(CLBlastLayoutColMajor, CLBlastTransposeNo, CLBlastTransposeNo, n, n, n,
                                                  1.0f, da, 0, n, db, 0, n, 0.0f, dc, 0, n, &queue, NULL);
            if (code != CLBlastSuccess) return fail("CLBlastSgemm", code);
            clFinish(queue);
            double elapsed = now() - start;
            if (r > 0 && elapsed < best_clblast) best_clblast = elapsed;
        }
        for (int r = 0; r <= repeats; r++) {
            double start = now();
            cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
            double elapsed = now() - start;
            if (r > 0 && elapsed < best_openblas) best_openblas = elapsed;
        }
        double flops = 2.0 * n * n * n;
        printf("%zu %.2f %.2f\n", n, flops / best_clblast * 1e-9, flops / best_openblas * 1e-9);
        fflush(stdout);
        clReleaseMemObject(da);
        clReleaseMemObject(db);
        clReleaseMemObject(dc);
        free(a);
        free(b);
        free(c);
    }
    return 0;
}
