/* The CUDA runtime and cuBLAS C ABI as a CUDA program sees it, each case timed next to a
 * peer in the same process: the program is built against NVIDIA's headers and linked
 * against NVIDIA's libcudart.so.12 and libcublas.so.12, and `scripts/benchmark.sh cuda` runs
 * it under preload/deviceshim-run, so the calls land in libdeviceshim.so.
 *
 *   calls   a no-op call (cudaGetDevice; cudaGetDeviceCount; cudaStreamQuery on an idle created
 *           stream), ns/call, against a plain C function called through a function pointer;
 *           target <= 100 ns. cudaPointerGetAttributes of a cudaMalloc pointer, no target.
 *   copies  cudaMemcpy host->device and device->host (pageable malloc memory, pinned
 *           cudaMallocHost memory, and pinned cudaMemcpyAsync batches), GB/s, against plain
 *           memcpy of the same size from/to the same host buffer; target >= 0.9x
 *   gemm    cublasSgemm_v2 + cudaDeviceSynchronize against cblas_sgemm (OpenBLAS) on host
 *           copies of the same matrices, GFLOP/s; target >= 0.95x. Device copies are timed
 *           in neither.
 *
 * Usage: cuda_abi_bench [calls] [copies] [gemm]   (no argument: all three)
 * Environment: BENCH_ROUNDS (default 7) rounds per case; the two sides take turns in every
 * round (this VM's memory bandwidth drifts within minutes); BENCH_COPY_SIZES_KIB and
 * BENCH_GEMM_SIZES (comma-separated) replace the default sizes.
 *
 * Every case reports median [min-max] over the rounds for both sides; the ratio is
 * DeviceShim's median against the peer's median (above 1: DeviceShim is faster), and the
 * note adds best against best. A call that
 * fails is reported on its case's line, and the program goes on with the next case.
 *
 * Build: gcc -O2 -I third_party/cuda/include cuda_abi_bench.c -o cuda_abi_bench \
 *          third_party/cuda/lib/libcudart.so.12 third_party/cuda/lib/libcublas.so.12 -lopenblas -ldl */
#define _GNU_SOURCE
#include <cblas.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int rounds = 7;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---- statistics ---------------------------------------------------------------------- */

typedef struct {
    double median, min, max;
} summary;

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static summary summarize(const double *values, int count) {
    double sorted[count];
    memcpy(sorted, values, sizeof sorted);
    qsort(sorted, (size_t)count, sizeof *sorted, compare_doubles);
    double median = count % 2 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2]);
    return (summary){median, sorted[0], sorted[count - 1]};
}

static void *page_aligned(size_t bytes) { return aligned_alloc(4096, (bytes + 4095) / 4096 * 4096); }

/* ---- naming what answered ------------------------------------------------------------ */

static const char *cuda_error_text(cudaError_t error) {
    switch (error) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInitializationError: return "cudaErrorInitializationError";
    case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver (CUDA driver version is insufficient)";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
    case cudaErrorNotReady: return "cudaErrorNotReady";
    case cudaErrorNotSupported: return "cudaErrorNotSupported";
    default: return "another cudaError_t";
    }
}

static const char *cublas_status_text(cublasStatus_t status) {
    switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
    default: return "another cublasStatus_t";
    }
}

/* The shared object whose definition of `function` the dynamic linker bound this program to:
 * libdeviceshim.so when it is preloaded and exports the symbol, else NVIDIA's library. */
static const char *served_by(void *function) {
    Dl_info info;
    if (!function || !dladdr(function, &info) || !info.dli_fname) return "?";
    const char *slash = strrchr(info.dli_fname, '/');
    return slash ? slash + 1 : info.dli_fname;
}

static int is_deviceshim(void *function) { return strstr(served_by(function), "deviceshim") != NULL; }

static int count_openblas(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    if (info->dlpi_name && strstr(info->dlpi_name, "libopenblas")) ++*(int *)data;
    return 0;
}

/* Where the loader found the libraries the program was linked against: NVIDIA's files, or
 * the launcher's drop-in names for libdeviceshim.so. */
static int print_cuda_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    if (info->dlpi_name && (strstr(info->dlpi_name, "libcudart") || strstr(info->dlpi_name, "libcublas"))) {
        printf("#   loaded: %s\n", info->dlpi_name);
        ++*(int *)data;
    }
    return 0;
}

static void print_setup(void) {
    const char *(*version)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "deviceshim_version");
    const char *(*log_level)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "deviceshim_log_level");
    if (version)
        printf("# DeviceShim %s preloaded, log level %s\n", version(), log_level ? log_level() : "?");
    else
        printf("# DeviceShim is NOT preloaded: every call goes to NVIDIA's libraries\n");
    printf("# cudaGetDevice -> %s, cudaMemcpy -> %s, cublasSgemm_v2 -> %s\n", served_by((void *)cudaGetDevice),
           served_by((void *)cudaMemcpy), served_by((void *)cublasSgemm_v2));
    int nvidia_objects = 0;
    dl_iterate_phdr(print_cuda_object, &nvidia_objects);
    if (!nvidia_objects)
        printf("#   no libcudart/libcublas object is loaded: their sonames resolved to libdeviceshim.so "
               "(the launcher's drop-in links)\n");
    printf("# peer: %s, core %s, %d threads; OPENBLAS_CORETYPE=%s OPENBLAS_NUM_THREADS=%s; rounds per case: %d\n",
           openblas_get_config(), openblas_get_corename(), openblas_get_num_threads(),
           getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "(unset)",
           getenv("OPENBLAS_NUM_THREADS") ? getenv("OPENBLAS_NUM_THREADS") : "(unset)", rounds);
}

/* ---- calls ----------------------------------------------------------------------------- */

/* The peers: what a call costs when it does nothing, through a pointer the compiler cannot
 * see through (as a call through the PLT is). */
__attribute__((noinline)) static int plain_get_device(int *device) {
    *device = 0;
    return 0;
}

__attribute__((noinline)) static int plain_stream_query(void *stream) {
    __asm__ volatile("" : : "r"(stream) : "memory");
    return 0;
}

static int (*volatile peer_get_device)(int *) = plain_get_device;
static int (*volatile peer_stream_query)(void *) = plain_stream_query;

typedef enum {
    CALL_GET_DEVICE, CALL_GET_DEVICE_COUNT, CALL_STREAM_QUERY, CALL_POINTER_ATTRIBUTES,
    CALL_PEER_GET_DEVICE, CALL_PEER_STREAM_QUERY
} call_kind;

/* The device pointer CALL_POINTER_ATTRIBUTES asks about. */
static void *attribute_pointer;

/* Seconds for `count` calls; a result other than success is returned in *failure. */
static double time_calls(call_kind kind, long count, cudaStream_t stream, int *failure) {
    int device = 0, bad = 0;
    double start = now();
    switch (kind) {
    case CALL_GET_DEVICE:
        for (long i = 0; i < count; i++) bad |= cudaGetDevice(&device);
        break;
    case CALL_GET_DEVICE_COUNT:
        for (long i = 0; i < count; i++) bad |= cudaGetDeviceCount(&device);
        break;
    case CALL_STREAM_QUERY:
        for (long i = 0; i < count; i++) bad |= cudaStreamQuery(stream);
        break;
    case CALL_POINTER_ATTRIBUTES: {
        struct cudaPointerAttributes attributes;
        for (long i = 0; i < count; i++) bad |= cudaPointerGetAttributes(&attributes, attribute_pointer);
        break;
    }
    case CALL_PEER_GET_DEVICE:
        for (long i = 0; i < count; i++) bad |= peer_get_device(&device);
        break;
    case CALL_PEER_STREAM_QUERY:
        for (long i = 0; i < count; i++) bad |= peer_stream_query(stream);
        break;
    }
    double elapsed = now() - start;
    *failure = bad;
    return elapsed;
}

/* `target`: the most ns a call may take, or 0 for none. */
static void calls_case(const char *name, call_kind kind, call_kind peer, cudaStream_t stream, double target) {
    char target_text[16];
    snprintf(target_text, sizeof target_text, target > 0 ? "<= %.0f" : "-", target);
    int failure = 0;
    /* Warm up (the first call sets the runtime up) and size a round to about 50 ms. */
    long count = 1000;
    double elapsed = time_calls(kind, count, stream, &failure);
    while (!failure && elapsed < 0.05 && count < (1L << 30)) {
        count *= 2;
        elapsed = time_calls(kind, count, stream, &failure);
    }
    if (failure) {
        printf("%-40s  %-22s  %-22s  %-8s  %-6s  %s\n", name, "-", "-", target_text, "-",
               "error: a call returned an error (see the first call's result above)");
        return;
    }
    double shim[rounds], plain[rounds];
    for (int r = 0; r < rounds; r++) {
        shim[r] = time_calls(kind, count, stream, &failure) / (double)count * 1e9;
        plain[r] = time_calls(peer, count, stream, &failure) / (double)count * 1e9;
    }
    summary s = summarize(shim, rounds), p = summarize(plain, rounds);
    char shim_text[64], peer_text[64];
    snprintf(shim_text, sizeof shim_text, "%.1f [%.1f-%.1f]", s.median, s.min, s.max);
    snprintf(peer_text, sizeof peer_text, "%.2f [%.2f-%.2f]", p.median, p.min, p.max);
    printf("%-40s  %-22s  %-22s  %-8s  %-6s  %ld calls per round\n", name, shim_text, peer_text, target_text,
           target <= 0 ? "-" : s.median <= target ? "yes" : "NO", count);
}

static void run_calls(void) {
    printf("\n== calls: ns per call with DEVICESHIM_LOG=%s (lower is better)\n",
           getenv("DEVICESHIM_LOG") ? getenv("DEVICESHIM_LOG") : "(unset)");
    int device = -1;
    cudaError_t first = cudaGetDevice(&device);
    printf("# cudaGetDevice -> %s, device %d\n", cuda_error_text(first), device);
    cudaStream_t stream = NULL;
    cudaError_t created = cudaStreamCreate(&stream);
    cudaError_t idle = created == cudaSuccess ? cudaStreamQuery(stream) : created;
    printf("# cudaStreamCreate -> %s; cudaStreamQuery on it -> %s\n", cuda_error_text(created), cuda_error_text(idle));
    printf("%-40s  %-22s  %-22s  %-8s  %-6s  %s\n", "case", "DeviceShim ns", "peer ns (fn pointer)", "target", "met",
           "note");
    if (first == cudaSuccess) {
        calls_case("cudaGetDevice", CALL_GET_DEVICE, CALL_PEER_GET_DEVICE, NULL, 100);
        calls_case("cudaGetDeviceCount", CALL_GET_DEVICE_COUNT, CALL_PEER_GET_DEVICE, NULL, 100);
    } else {
        printf("%-40s  %-22s  %-22s  %-8s  %-6s  error: %s\n", "cudaGetDevice", "-", "-", "<= 100", "-",
               cuda_error_text(first));
    }
    if (created == cudaSuccess && idle == cudaSuccess)
        calls_case("cudaStreamQuery (idle created stream)", CALL_STREAM_QUERY, CALL_PEER_STREAM_QUERY, stream, 100);
    else
        printf("%-40s  %-22s  %-22s  %-8s  %-6s  error: %s\n", "cudaStreamQuery (idle created stream)", "-", "-",
               "<= 100", "-", cuda_error_text(idle));
    if (created == cudaSuccess) cudaStreamDestroy(stream);
    cudaError_t allocated = cudaMalloc(&attribute_pointer, 256);
    if (allocated == cudaSuccess) {
        calls_case("cudaPointerGetAttributes (device memory)", CALL_POINTER_ATTRIBUTES, CALL_PEER_STREAM_QUERY, NULL, 0);
        cudaFree(attribute_pointer);
    } else {
        printf("%-40s  %-22s  %-22s  %-8s  %-6s  error: %s\n", "cudaPointerGetAttributes (device memory)", "-", "-", "-",
               "-", cuda_error_text(allocated));
    }
}

/* ---- copies ---------------------------------------------------------------------------- */

typedef enum { COPY_SYNC, COPY_ASYNC_BATCH } copy_mode;

/* Seconds for `count` copies of `size` bytes through the CUDA ABI (dst/src as given); the
 * first error is returned in *error. Async batches are synchronised once, at the end. */
static double time_cuda_copies(void *dst, const void *src, size_t size, enum cudaMemcpyKind kind, copy_mode mode,
                               cudaStream_t stream, long count, cudaError_t *error) {
    cudaError_t first = cudaSuccess;
    double start = now();
    for (long i = 0; i < count; i++) {
        cudaError_t status =
            mode == COPY_SYNC ? cudaMemcpy(dst, src, size, kind) : cudaMemcpyAsync(dst, src, size, kind, stream);
        if (status != cudaSuccess && first == cudaSuccess) first = status;
    }
    if (mode == COPY_ASYNC_BATCH) {
        cudaError_t status = cudaStreamSynchronize(stream);
        if (status != cudaSuccess && first == cudaSuccess) first = status;
    }
    double elapsed = now() - start;
    *error = first;
    return elapsed;
}

static double time_memcpy(void *dst, const void *src, size_t size, long count) {
    double start = now();
    for (long i = 0; i < count; i++) {
        memcpy(dst, src, size);
        __asm__ volatile("" : : "r"(dst) : "memory");
    }
    return now() - start;
}

static void print_size(char *text, size_t size, size_t bytes) {
    if (bytes >= (1u << 20))
        snprintf(text, size, "%zu MiB", bytes >> 20);
    else
        snprintf(text, size, "%zu KiB", bytes >> 10);
}

/* One line: `host` is the program's buffer (pageable or pinned), `device` from cudaMalloc,
 * `stand_in` a malloc'd buffer the peer copies to/from in the device's place. */
static void copy_case(const char *memory, int to_device, copy_mode mode, size_t size, char *host, char *device,
                      char *stand_in, cudaStream_t stream) {
    char size_text[32], name[96];
    print_size(size_text, sizeof size_text, size);
    snprintf(name, sizeof name, "%s %s %s", to_device ? "H2D" : "D2H", memory, size_text);
    enum cudaMemcpyKind kind = to_device ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToHost;
    void *dst = to_device ? (void *)device : (void *)host;
    const void *src = to_device ? (const void *)host : (const void *)device;
    void *peer_dst = to_device ? (void *)stand_in : (void *)host;
    const void *peer_src = to_device ? (const void *)host : (const void *)stand_in;
    /* About 64 MiB per timed round, at least one copy. */
    long count = (long)((64u << 20) / size);
    if (count < 1) count = 1;
    cudaError_t error;
    /* Warm-up round: both sides once. */
    time_cuda_copies(dst, src, size, kind, mode, stream, count, &error);
    time_memcpy(peer_dst, peer_src, size, count);
    if (error != cudaSuccess) {
        printf("%-28s  %-22s  %-22s  %-6s  %-7s  %-5s  error: %s\n", name, "-", "-", "-", ">= 0.9", "-",
               cuda_error_text(error));
        return;
    }
    double shim[rounds], plain[rounds];
    for (int r = 0; r < rounds; r++) {
        /* Alternate who goes first, so a drift in bandwidth does not favour one side. */
        if (r % 2) plain[r] = (double)size * (double)count / time_memcpy(peer_dst, peer_src, size, count) * 1e-9;
        shim[r] = (double)size * (double)count / time_cuda_copies(dst, src, size, kind, mode, stream, count, &error) * 1e-9;
        if (!(r % 2)) plain[r] = (double)size * (double)count / time_memcpy(peer_dst, peer_src, size, count) * 1e-9;
        if (error != cudaSuccess) {
            printf("%-28s  %-22s  %-22s  %-6s  %-7s  %-5s  error in round %d: %s\n", name, "-", "-", "-", ">= 0.9", "-",
                   r, cuda_error_text(error));
            return;
        }
    }
    summary s = summarize(shim, rounds), p = summarize(plain, rounds);
    char shim_text[64], peer_text[64], ratio_text[16];
    snprintf(shim_text, sizeof shim_text, "%.2f [%.2f-%.2f]", s.median, s.min, s.max);
    snprintf(peer_text, sizeof peer_text, "%.2f [%.2f-%.2f]", p.median, p.min, p.max);
    snprintf(ratio_text, sizeof ratio_text, "%.2fx", s.median / p.median);
    printf("%-28s  %-22s  %-22s  %-6s  %-7s  %-5s  best/best %.2fx; %ld per round\n", name, shim_text, peer_text,
           ratio_text, ">= 0.9", s.median / p.median >= 0.9 ? "yes" : "NO", s.max / p.max, count);
    fflush(stdout);
}

/* Host -> device -> host of a pattern, to be sure the timed copies move the bytes. */
static int round_trip_ok(char *host, char *device, size_t size) {
    for (size_t i = 0; i < size; i++) host[i] = (char)(i * 131 + 7);
    if (cudaMemcpy(device, host, size, cudaMemcpyHostToDevice) != cudaSuccess) return 0;
    memset(host, 0, size);
    if (cudaMemcpy(host, device, size, cudaMemcpyDeviceToHost) != cudaSuccess) return 0;
    for (size_t i = 0; i < size; i++)
        if (host[i] != (char)(i * 131 + 7)) return 0;
    return 1;
}

static void run_copies(const size_t *sizes, int size_count) {
    size_t largest = 0;
    for (int i = 0; i < size_count; i++)
        if (sizes[i] > largest) largest = sizes[i];
    printf("\n== copies: GB/s (1e9 bytes/s), DeviceShim cudaMemcpy vs memcpy of the same bytes (higher is better)\n");
    char *device = NULL, *pinned = NULL;
    cudaError_t error = cudaMalloc((void **)&device, largest);
    if (error != cudaSuccess) {
        printf("# cudaMalloc(%zu) -> %s: copy cases skipped\n", largest, cuda_error_text(error));
        return;
    }
    cudaError_t pinned_error = cudaMallocHost((void **)&pinned, largest);
    cudaStream_t stream = NULL;
    cudaError_t stream_error = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
    /* The program's pageable buffer comes from malloc, as in a CUDA program; the peer's
     * stand-in for device memory is page-aligned, as DeviceShim's device buffers are. */
    char *pageable = malloc(largest), *stand_in = page_aligned(largest);
    if (!pageable || !stand_in) {
        printf("# malloc(%zu) failed: copy cases skipped\n", largest);
        return;
    }
    /* Touch everything once, so no side pays the first-touch page faults. */
    memset(pageable, 1, largest);
    memset(stand_in, 2, largest);
    if (pinned_error == cudaSuccess) memset(pinned, 3, largest);
    cudaMemset(device, 4, largest);
    cudaDeviceSynchronize();
    printf("# round trip of %zu bytes through the device: pageable %s, pinned %s\n", largest,
           round_trip_ok(pageable, device, largest) ? "ok" : "WRONG",
           pinned_error != cudaSuccess ? "(no pinned memory)" : round_trip_ok(pinned, device, largest) ? "ok" : "WRONG");
    printf("%-28s  %-22s  %-22s  %-6s  %-7s  %-5s  %s\n", "case", "DeviceShim GB/s", "memcpy GB/s", "ratio", "target",
           "met", "note");
    for (int to_device = 1; to_device >= 0; to_device--) {
        for (int i = 0; i < size_count; i++)
            copy_case("pageable", to_device, COPY_SYNC, sizes[i], pageable, device, stand_in, stream);
        for (int i = 0; i < size_count; i++) {
            if (pinned_error == cudaSuccess)
                copy_case("pinned", to_device, COPY_SYNC, sizes[i], pinned, device, stand_in, stream);
            else
                printf("%s pinned: cudaMallocHost -> %s\n", to_device ? "H2D" : "D2H", cuda_error_text(pinned_error));
        }
        for (int i = 0; i < size_count; i++) {
            if (pinned_error == cudaSuccess && stream_error == cudaSuccess)
                copy_case("pinned async", to_device, COPY_ASYNC_BATCH, sizes[i], pinned, device, stand_in, stream);
        }
    }
    if (stream_error == cudaSuccess) cudaStreamDestroy(stream);
    if (pinned_error == cudaSuccess) cudaFreeHost(pinned);
    cudaFree(device);
    free(pageable);
    free(stand_in);
}

/* ---- gemm ------------------------------------------------------------------------------ */

/* GFLOP/s of `calls` cblas_sgemm calls, C = A B. */
static double time_cblas(int n, const float *a, const float *b, float *c, long calls) {
    double start = now();
    for (long i = 0; i < calls; i++)
        cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    return 2.0 * n * (double)n * n * (double)calls / (now() - start) * 1e-9;
}

static void gemm_case(cublasHandle_t handle, const char *handle_problem, int n) {
    size_t count = (size_t)n * (size_t)n, bytes = count * sizeof(float);
    /* Page-aligned, as DeviceShim's device buffers are, so alignment favours neither side. */
    float *a = page_aligned(bytes), *b = page_aligned(bytes), *c = page_aligned(bytes), *from_device = malloc(bytes);
    if (!a || !b || !c || !from_device) {
        printf("%-6d  malloc failed\n", n);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        a[i] = (float)(i % 7) * 0.25f - 0.5f;
        b[i] = (float)(i % 5) * 0.5f - 1.0f;
        c[i] = 0.0f;
    }
    const float alpha = 1.0f, beta = 0.0f;
    double flops = 2.0 * n * (double)n * n;
    char problem[160] = "";
    float *da = NULL, *db = NULL, *dc = NULL;
    if (handle_problem) {
        snprintf(problem, sizeof problem, "%s", handle_problem);
    } else {
        cudaError_t error = cudaMalloc((void **)&da, bytes);
        if (error == cudaSuccess) error = cudaMalloc((void **)&db, bytes);
        if (error == cudaSuccess) error = cudaMalloc((void **)&dc, bytes);
        if (error == cudaSuccess) error = cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice);
        if (error == cudaSuccess) error = cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice);
        if (error == cudaSuccess) error = cudaMemset(dc, 0, bytes);
        if (error == cudaSuccess) error = cudaDeviceSynchronize();
        if (error != cudaSuccess) snprintf(problem, sizeof problem, "device setup: %s", cuda_error_text(error));
    }
    /* Warm up both (OpenBLAS's buffers and threads, DeviceShim's queue). */
    if (!problem[0]) {
        cublasStatus_t status =
            cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, da, n, db, n, &beta, dc, n);
        cudaError_t error = cudaDeviceSynchronize();
        if (status != CUBLAS_STATUS_SUCCESS)
            snprintf(problem, sizeof problem, "cublasSgemm_v2 -> %s (%d)", cublas_status_text(status), (int)status);
        else if (error != cudaSuccess)
            snprintf(problem, sizeof problem, "cudaDeviceSynchronize -> %s", cuda_error_text(error));
    }
    cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, alpha, a, n, b, n, beta, c, n);
    /* About 0.2 s per side and round (from the peer's second warm-up call), at least one call. */
    double warm = now();
    cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, alpha, a, n, b, n, beta, c, n);
    warm = now() - warm;
    long calls = (long)(0.2 / warm);
    if (calls < 1) calls = 1;

    double shim[rounds], plain[rounds];
    for (int r = 0; r < rounds; r++) {
        /* Alternate who goes first, as for the copies. */
        if (r % 2) plain[r] = time_cblas(n, a, b, c, calls);
        if (!problem[0]) {
            double start = now();
            for (long i = 0; i < calls && !problem[0]; i++) {
                cublasStatus_t status =
                    cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, da, n, db, n, &beta, dc, n);
                cudaError_t error = cudaDeviceSynchronize();
                if (status != CUBLAS_STATUS_SUCCESS)
                    snprintf(problem, sizeof problem, "cublasSgemm_v2 -> %s in round %d", cublas_status_text(status), r);
                else if (error != cudaSuccess)
                    snprintf(problem, sizeof problem, "cudaDeviceSynchronize -> %s in round %d", cuda_error_text(error), r);
            }
            shim[r] = flops * (double)calls / (now() - start) * 1e-9;
        }
        if (!(r % 2)) plain[r] = time_cblas(n, a, b, c, calls);
    }
    summary p = summarize(plain, rounds);
    char peer_text[64];
    snprintf(peer_text, sizeof peer_text, "%.1f [%.1f-%.1f]", p.median, p.min, p.max);
    if (problem[0]) {
        printf("%-6d  %-22s  %-22s  %-6s  %-7s  %-5s  error: %s\n", n, "-", peer_text, "-", ">= 0.95", "-", problem);
    } else {
        /* The result must be the peer's, so the timed calls did the work. */
        double worst = 0, scale = 0;
        if (cudaMemcpy(from_device, dc, bytes, cudaMemcpyDeviceToHost) == cudaSuccess) {
            for (size_t i = 0; i < count; i++) {
                double difference = fabs((double)from_device[i] - (double)c[i]);
                if (difference > worst) worst = difference;
                if (fabs((double)c[i]) > scale) scale = fabs((double)c[i]);
            }
        } else {
            worst = INFINITY;
        }
        int same = worst <= 1e-4 * (scale > 1 ? scale : 1);
        summary s = summarize(shim, rounds);
        char shim_text[64], ratio_text[16];
        snprintf(shim_text, sizeof shim_text, "%.1f [%.1f-%.1f]", s.median, s.min, s.max);
        snprintf(ratio_text, sizeof ratio_text, "%.2fx", s.median / p.median);
        printf("%-6d  %-22s  %-22s  %-6s  %-7s  %-5s  best/best %.2fx; %ld per round; C %s (max |diff| %.2g)\n", n,
               shim_text, peer_text, ratio_text, ">= 0.95", same && s.median / p.median >= 0.95 ? "yes" : "NO",
               s.max / p.max, calls, same ? "matches cblas" : "DIFFERS from cblas", worst);
    }
    fflush(stdout);
    if (da) cudaFree(da);
    if (db) cudaFree(db);
    if (dc) cudaFree(dc);
    free(a);
    free(b);
    free(c);
    free(from_device);
}

static void run_gemm(const int *sizes, int size_count) {
    printf("\n== gemm: GFLOP/s, cublasSgemm_v2 + cudaDeviceSynchronize vs cblas_sgemm, column-major NN, "
           "alpha 1, beta 0 (higher is better)\n");
    if (!is_deviceshim((void *)cublasSgemm_v2))
        printf("# cublasSgemm_v2 is served by %s, not DeviceShim: the GEMM cases do not measure DeviceShim\n",
               served_by((void *)cublasSgemm_v2));
    cublasHandle_t handle = NULL;
    cublasStatus_t status = cublasCreate(&handle);
    char problem[160];
    const char *handle_problem = NULL;
    if (status != CUBLAS_STATUS_SUCCESS) {
        snprintf(problem, sizeof problem, "cublasCreate_v2 (%s) -> %s (%d)", served_by((void *)cublasCreate_v2),
                 cublas_status_text(status), (int)status);
        handle_problem = problem;
    }
    printf("%-6s  %-22s  %-22s  %-6s  %-7s  %-5s  %s\n", "N", "DeviceShim GFLOP/s", "cblas_sgemm GFLOP/s", "ratio",
           "target", "met", "note");
    for (int i = 0; i < size_count; i++) gemm_case(handle, handle_problem, sizes[i]);
    if (!handle_problem) cublasDestroy(handle);
    /* DeviceShim opens libopenblas.so.0 with dlopen; the program linked it, so both should
     * be one library: the same build, core type and thread count on both sides. */
    int openblas_objects = 0;
    dl_iterate_phdr(count_openblas, &openblas_objects);
    printf("# OpenBLAS objects in the process: %d%s\n", openblas_objects,
           openblas_objects == 1 && is_deviceshim((void *)cublasSgemm_v2)
               ? " (DeviceShim and the peer call the same library, same threads)"
               : "");
}

/* ---- main ------------------------------------------------------------------------------ */

static int parse_list(const char *text, long *values, int capacity) {
    int count = 0;
    while (text && *text && count < capacity) {
        char *end;
        long value = strtol(text, &end, 10);
        if (end == text) break;
        if (value > 0) values[count++] = value;
        text = *end ? end + 1 : end;
    }
    return count;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (getenv("BENCH_ROUNDS") && atoi(getenv("BENCH_ROUNDS")) > 0) rounds = atoi(getenv("BENCH_ROUNDS"));
    int calls = argc == 1, copies = argc == 1, gemm = argc == 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "calls"))
            calls = 1;
        else if (!strcmp(argv[i], "copies"))
            copies = 1;
        else if (!strcmp(argv[i], "gemm"))
            gemm = 1;
        else {
            fprintf(stderr, "usage: cuda_abi_bench [calls] [copies] [gemm]\n");
            return 2;
        }
    }
    print_setup();

    if (calls) run_calls();

    if (copies) {
        long kib[16];
        int count = parse_list(getenv("BENCH_COPY_SIZES_KIB"), kib, 16);
        size_t sizes[16] = {64u << 10, 1u << 20, 16u << 20, 256u << 20};
        if (count > 0)
            for (int i = 0; i < count; i++) sizes[i] = (size_t)kib[i] << 10;
        run_copies(sizes, count > 0 ? count : 4);
    }

    if (gemm) {
        long n[16];
        int count = parse_list(getenv("BENCH_GEMM_SIZES"), n, 16);
        int sizes[16] = {256, 1024, 2048, 4096};
        if (count > 0)
            for (int i = 0; i < count; i++) sizes[i] = (int)n[i];
        run_gemm(sizes, count > 0 ? count : 4);
    }
    return 0;
}
