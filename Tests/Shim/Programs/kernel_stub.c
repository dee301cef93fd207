/* What nvcc's generated host code does for one kernel, written out by hand (CUDA's legacy
 * launch path, __NV_LEGACY_LAUNCH): register the fat binary and the kernel before main, launch
 * through the kernel's host stub, unregister at exit. Built with gcc against NVIDIA's headers
 * and linked to NVIDIA's libcudart.so.12, it calls only the registration and launch functions
 * plus cudaGetLastError, so every call it makes is one DeviceShim exports.
 *
 *   kernel_stub          register, launch addKernel and an unregistered function
 *   kernel_stub cuda12   launch addKernel as CUDA 12's default launch code does
 *   kernel_stub null     every entry point with NULL where a pointer goes
 *
 * Lines marked "CALL:" are where the tests expect records' file:line to point. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cuda_runtime_api.h>

/* crt/host_runtime.h and crt/device_functions.h declare these for C++ only. */
extern void **__cudaRegisterFatBinary(void *fatCubin);
extern void __cudaRegisterFatBinaryEnd(void **fatCubinHandle);
extern void __cudaUnregisterFatBinary(void **fatCubinHandle);
extern void __cudaRegisterFunction(void **fatCubinHandle, const char *hostFun, char *deviceFun, const char *deviceName,
                                   int thread_limit, uint3 *tid, uint3 *bid, dim3 *bDim, dim3 *gDim, int *wSize);
extern void __cudaRegisterVar(void **fatCubinHandle, char *hostVar, char *deviceAddress, const char *deviceName, int ext,
                              size_t size, int constant, int global);
extern unsigned __cudaPushCallConfiguration(dim3 gridDim, dim3 blockDim, size_t sharedMem, struct CUstream_st *stream);
extern cudaError_t __cudaPopCallConfiguration(dim3 *gridDim, dim3 *blockDim, size_t *sharedMem, void *stream);
extern cudaError_t __cudaGetKernel(cudaKernel_t *kernel, const void *func);
extern cudaError_t __cudaLaunchKernel(cudaKernel_t kernel, dim3 gridDim, dim3 blockDim, void **args, size_t sharedMem,
                                      cudaStream_t stream);

/* The fat binary: its header (magic, version 1, 16-byte header, 32 bytes of payload) and the
 * wrapper nvcc puts in .nvFatBinSegment. */
static const unsigned long long fatbinData[] = {0x00100001ba55ed50ull, 32, 0, 0, 0, 0};
typedef struct {
    int magic;
    int version;
    const unsigned long long *data;
    void *filename_or_fatbins;
} __fatBinC_Wrapper_t;
static const __fatBinC_Wrapper_t __fatDeviceText __attribute__((aligned(8))) = {0x466243b1, 1, fatbinData, NULL};
static void **__cudaFatCubinHandle;

/* A __constant__ variable's host shadow. */
static float scale;

/* The host stub: pops the launch configuration and launches, as __cudaLaunch does. */
void __device_stub__Z9addKernelPfPKfS1_i(float *c, const float *a, const float *b, int n);
void _Z9addKernelPfPKfS1_i(float *c, const float *a, const float *b, int n) {
    __device_stub__Z9addKernelPfPKfS1_i(c, a, b, n);
}

void __device_stub__Z9addKernelPfPKfS1_i(float *c, const float *a, const float *b, int n) {
    void *args[] = {&c, &a, &b, &n};
    dim3 grid, block;
    size_t shared;
    cudaStream_t stream;
    cudaError_t popped = __cudaPopCallConfiguration(&grid, &block, &shared, &stream);
    printf("pop %d grid %u,%u,%u block %u,%u,%u shared %zu stream %p\n", (int)popped, grid.x, grid.y, grid.z, block.x,
           block.y, block.z, shared, (void *)stream);
    if (popped != cudaSuccess) return;
    cudaError_t launched = cudaLaunchKernel((const void *)_Z9addKernelPfPKfS1_i, grid, block, args, shared, stream); /* CALL: launch */
    printf("launch %d\n", (int)launched);
}

int main(int argc, char **argv);

/* The same stub as CUDA 12's __cudaLaunch writes it (without __NV_LEGACY_LAUNCH): a kernel
 * handle looked up once, then __cudaLaunchKernel. */
static void cuda12_stub_addKernel(float *c, const float *a, const float *b, int n) {
    void *args[] = {&c, &a, &b, &n};
    static cudaKernel_t handle = 0;
    cudaError_t found = __cudaGetKernel(&handle, (const void *)_Z9addKernelPfPKfS1_i);
    printf("get kernel %d %s\n", (int)found, handle == (cudaKernel_t)(void *)_Z9addKernelPfPKfS1_i ? "host function" : "other");
    dim3 grid, block;
    size_t shared;
    cudaStream_t stream;
    if (__cudaPopCallConfiguration(&grid, &block, &shared, &stream) != cudaSuccess) return;
    printf("launch %d\n", (int)__cudaLaunchKernel(handle, grid, block, args, shared, stream)); /* CALL: cuda12 launch */
    cudaKernel_t unknown = 0;
    printf("get unregistered %d\n", (int)__cudaGetKernel(&unknown, (const void *)main));
}

static void __cudaUnregisterBinaryUtil(void) {
    __cudaUnregisterFatBinary(__cudaFatCubinHandle);
}

/* nvcc's static initialiser (__sti____cudaRegisterAll), run before main. */
__attribute__((constructor)) static void __sti____cudaRegisterAll(void) {
    __cudaFatCubinHandle = __cudaRegisterFatBinary((void *)&__fatDeviceText);
    __cudaRegisterFunction(__cudaFatCubinHandle, (const char *)_Z9addKernelPfPKfS1_i, (char *)"_Z9addKernelPfPKfS1_i",
                           "_Z9addKernelPfPKfS1_i", -1, NULL, NULL, NULL, NULL, NULL);
    __cudaRegisterVar(__cudaFatCubinHandle, (char *)&scale, (char *)"scale", "scale", 0, sizeof scale, 1, 0);
    __cudaRegisterFatBinaryEnd(__cudaFatCubinHandle);
    atexit(__cudaUnregisterBinaryUtil);
}

/* A function nobody registered, launched as a kernel. */
static void not_a_kernel(void) {}

/* Which file provides `symbol` to this program, and which file the loader loaded for `soname`. */
static void print_providers(void) {
    Dl_info info;
    const char *provider = dladdr((void *)cudaLaunchKernel, &info) && info.dli_fname ? info.dli_fname : "?";
    printf("cudaLaunchKernel from %s\n", provider);
    void *cudart = dlopen("libcudart.so.12", RTLD_NOW | RTLD_NOLOAD);
    struct link_map *map = NULL;
    if (cudart && dlinfo(cudart, RTLD_DI_LINKMAP, &map) == 0 && map)
        printf("libcudart.so.12 is %s\n", map->l_name);
    else
        printf("libcudart.so.12 is not loaded\n");
}

static int with_nulls(void) {
    void **handle = __cudaRegisterFatBinary(NULL);
    printf("register NULL -> %s\n", handle ? "handle" : "NULL");
    __cudaRegisterFunction(NULL, NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL);
    __cudaRegisterFunction(handle, (const char *)not_a_kernel, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL);
    __cudaRegisterVar(NULL, NULL, NULL, NULL, 0, 0, 0, 0);
    __cudaRegisterFatBinaryEnd(NULL);
    __cudaUnregisterFatBinary(NULL);
    __cudaUnregisterFatBinary(handle);
    __cudaUnregisterFatBinary(handle); /* a second time: an unknown handle now */
    printf("pop empty %d\n", (int)__cudaPopCallConfiguration(NULL, NULL, NULL, NULL));
    dim3 one = {1, 1, 1};
    printf("push %u\n", __cudaPushCallConfiguration(one, one, 0, NULL));
    printf("pop into NULL %d\n", (int)__cudaPopCallConfiguration(NULL, NULL, NULL, NULL));
    printf("launch NULL %d\n", (int)cudaLaunchKernel(NULL, one, one, NULL, 0, NULL));
    printf("last %d\n", (int)cudaGetLastError());
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "null") == 0) return with_nulls();
    if (argc > 1 && strcmp(argv[1], "cuda12") == 0) {
        dim3 grid = {8, 2, 1}, block = {128, 1, 1};
        if (__cudaPushCallConfiguration(grid, block, 64, NULL) == 0) cuda12_stub_addKernel(NULL, NULL, NULL, 0);
        printf("last %d\n", (int)cudaGetLastError());
        return 0;
    }
    print_providers();
    float *a = NULL, *b = NULL, *c = NULL;
    /* addKernel<<<4, 256>>>(c, a, b, 1024); */
    dim3 grid = {4, 1, 1}, block = {256, 1, 1};
    printf("push %u\n", __cudaPushCallConfiguration(grid, block, 0, NULL));
    _Z9addKernelPfPKfS1_i(c, a, b, 1024);
    printf("last %d\n", (int)cudaGetLastError());
    printf("last %d\n", (int)cudaGetLastError());
    dim3 one = {1, 1, 1};
    printf("unregistered %p launch %d\n", (void *)not_a_kernel, (int)cudaLaunchKernel((const void *)not_a_kernel, one, one, NULL, 0, NULL));
    printf("last %d\n", (int)cudaGetLastError());
    return 0;
}
