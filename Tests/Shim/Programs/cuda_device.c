/* Device management, versions, errors and the per-thread last error through the CUDA runtime
 * C API, checked against CUDA's documented behaviour (cuda_runtime_api.h of CUDA 12.9).
 *
 * usage: cuda_device [MAJOR.MINOR]   the compute capability expected (default 8.6; the test
 *                                    passes 7.5 together with DEVICESHIM_CC=7.5) */
#include <pthread.h>

#include "cuda_check.h"

static void check_versions(void) {
    int driver = 0, runtime = 0;
    CHECK_OK(cudaDriverGetVersion(&driver));
    CHECK(driver >= 12000, "cudaDriverGetVersion (got %d, want >= 12000)", driver);
    CHECK_OK(cudaRuntimeGetVersion(&runtime));
    CHECK(runtime >= 12000, "cudaRuntimeGetVersion (got %d, want >= 12000)", runtime);
    /* Documented: "::cudaErrorInvalidValue is returned" for a NULL pointer (cudaDriverGetVersion,
     * cudaRuntimeGetVersion). */
    CHECK_CUDA(cudaDriverGetVersion(NULL), cudaErrorInvalidValue);
    CHECK_CUDA(cudaRuntimeGetVersion(NULL), cudaErrorInvalidValue);
    cudaGetLastError();
}

static void check_current_device(int count) {
    int device = -1;
    CHECK_OK(cudaGetDevice(&device));
    CHECK_INT(device, 0, "cudaGetDevice before any cudaSetDevice");
    CHECK_OK(cudaSetDevice(0));
    /* Valid ordinals are 0 to cudaGetDeviceCount() - 1; any other is cudaErrorInvalidDevice and
     * the current device stays as it was. */
    CHECK_CUDA(cudaSetDevice(count), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaSetDevice(-1), cudaErrorInvalidDevice);
    device = -1;
    CHECK_OK(cudaGetDevice(&device));
    CHECK_INT(device, 0, "cudaGetDevice after cudaSetDevice(invalid)");
    CHECK_CUDA(cudaGetDevice(NULL), cudaErrorInvalidValue);
    cudaGetLastError();
}

static void check_properties(int major, int minor, struct cudaDeviceProp *prop) {
    memset(prop, 0, sizeof *prop);
    if (!CHECK_OK(cudaGetDeviceProperties(prop, 0))) return;
    CHECK(prop->name[0] != '\0', "cudaDeviceProp.name (got \"\", want a name)");
    CHECK(memchr(prop->name, '\0', sizeof prop->name) != NULL, "cudaDeviceProp.name (got no NUL in 256 bytes, want a C string)");
    CHECK(prop->totalGlobalMem > 0, "cudaDeviceProp.totalGlobalMem (got %zu, want > 0)", prop->totalGlobalMem);
    CHECK(prop->multiProcessorCount > 0, "cudaDeviceProp.multiProcessorCount (got %d, want > 0)", prop->multiProcessorCount);
    CHECK_INT(prop->major, major, "cudaDeviceProp.major");
    CHECK_INT(prop->minor, minor, "cudaDeviceProp.minor");
    /* CUDA documents warpSize as "warp size in threads" (32 on NVIDIA GPUs); DeviceShim reports
     * its device's width, so only its consistency is checked. */
    CHECK(prop->warpSize > 0, "cudaDeviceProp.warpSize (got %d, want > 0)", prop->warpSize);
    CHECK(prop->maxThreadsPerBlock > 0, "cudaDeviceProp.maxThreadsPerBlock (got %d, want > 0)", prop->maxThreadsPerBlock);
    /* 64-bit processes always have unified addressing, which cudaMemcpyDefault relies on. */
    CHECK_INT(prop->unifiedAddressing, 1, "cudaDeviceProp.unifiedAddressing");
    CHECK_INT(prop->managedMemory, 1, "cudaDeviceProp.managedMemory");

    struct cudaDeviceProp other;
    int count = 0;
    cudaGetDeviceCount(&count);
    CHECK_CUDA(cudaGetDeviceProperties(&other, count), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaGetDeviceProperties(&other, -1), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaGetDeviceProperties(NULL, 0), cudaErrorInvalidValue);
    cudaGetLastError();
}

static void check_attributes(const struct cudaDeviceProp *prop) {
    int value = -1;
    if (CHECK_OK(cudaDeviceGetAttribute(&value, cudaDevAttrMultiProcessorCount, 0)))
        CHECK_INT(value, prop->multiProcessorCount, "cudaDevAttrMultiProcessorCount = cudaDeviceProp.multiProcessorCount");
    value = -1;
    if (CHECK_OK(cudaDeviceGetAttribute(&value, cudaDevAttrWarpSize, 0)))
        CHECK_INT(value, prop->warpSize, "cudaDevAttrWarpSize = cudaDeviceProp.warpSize");
    value = -1;
    if (CHECK_OK(cudaDeviceGetAttribute(&value, cudaDevAttrComputeCapabilityMajor, 0)))
        CHECK_INT(value, prop->major, "cudaDevAttrComputeCapabilityMajor = cudaDeviceProp.major");
    value = -1;
    if (CHECK_OK(cudaDeviceGetAttribute(&value, cudaDevAttrComputeCapabilityMinor, 0)))
        CHECK_INT(value, prop->minor, "cudaDevAttrComputeCapabilityMinor = cudaDeviceProp.minor");
    value = -1;
    if (CHECK_OK(cudaDeviceGetAttribute(&value, cudaDevAttrMaxThreadsPerBlock, 0)))
        CHECK_INT(value, prop->maxThreadsPerBlock, "cudaDevAttrMaxThreadsPerBlock = cudaDeviceProp.maxThreadsPerBlock");
    value = -1;
    if (CHECK_OK(cudaDeviceGetAttribute(&value, cudaDevAttrUnifiedAddressing, 0)))
        CHECK_INT(value, 1, "cudaDevAttrUnifiedAddressing");

    int count = 0;
    cudaGetDeviceCount(&count);
    /* cudaDeviceGetAttribute: "::cudaErrorInvalidDevice, ::cudaErrorInvalidValue". */
    CHECK_CUDA(cudaDeviceGetAttribute(&value, cudaDevAttrWarpSize, count), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaDeviceGetAttribute(&value, (enum cudaDeviceAttr)99999, 0), cudaErrorInvalidValue);
    CHECK_CUDA(cudaDeviceGetAttribute(NULL, cudaDevAttrWarpSize, 0), cudaErrorInvalidValue);
    cudaGetLastError();
}

static void check_memory_info(const struct cudaDeviceProp *prop) {
    size_t free_bytes = 0, total_bytes = 0;
    if (!CHECK_OK(cudaMemGetInfo(&free_bytes, &total_bytes))) return;
    CHECK(total_bytes > 0, "cudaMemGetInfo total (got %zu, want > 0)", total_bytes);
    CHECK(free_bytes <= total_bytes, "cudaMemGetInfo free <= total (got free %zu, total %zu)", free_bytes, total_bytes);
    /* NVIDIA's runtime answers both from the same device total (cuDeviceTotalMem). */
    CHECK(total_bytes == prop->totalGlobalMem, "cudaMemGetInfo total = cudaDeviceProp.totalGlobalMem (got %zu, want %zu)",
          total_bytes, prop->totalGlobalMem);
}

static void check_peers_and_choice(int count) {
    int can = -1;
    /* A device is not its own peer: NVIDIA's runtime answers 0 for device == peerDevice
     * (cudaDeviceEnablePeerAccess of the current device is an error); HIP documents the same. */
    if (CHECK_OK(cudaDeviceCanAccessPeer(&can, 0, 0)))
        CHECK_INT(can, 0, "cudaDeviceCanAccessPeer(0, 0)");
    /* "::cudaSuccess, ::cudaErrorInvalidDevice" */
    CHECK_CUDA(cudaDeviceCanAccessPeer(&can, 0, count), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaDeviceCanAccessPeer(&can, count, 0), cudaErrorInvalidDevice);

    struct cudaDeviceProp wanted;
    memset(&wanted, 0, sizeof wanted);
    wanted.major = 8;
    wanted.minor = 0;
    int chosen = -1;
    if (CHECK_OK(cudaChooseDevice(&chosen, &wanted)))
        CHECK(chosen >= 0 && chosen < count, "cudaChooseDevice (got %d, want a device in 0..%d)", chosen, count - 1);
    /* "::cudaSuccess, ::cudaErrorInvalidValue" */
    CHECK_CUDA(cudaChooseDevice(&chosen, NULL), cudaErrorInvalidValue);
    CHECK_CUDA(cudaChooseDevice(NULL, &wanted), cudaErrorInvalidValue);
    cudaGetLastError();
}

static void check_device_flags(void) {
    unsigned flags = 0xdeadbeef;
    /* "Records flags as the flags for the current device. If the current device has been set and
     * that device has already been initialized, the previous flags are overwritten." */
    CHECK_OK(cudaSetDeviceFlags(cudaDeviceScheduleBlockingSync));
    if (CHECK_OK(cudaGetDeviceFlags(&flags)))
        /* cudaGetDeviceFlags may add cudaDeviceMapHost ("implicit in runtime API flags"). */
        CHECK_INT(flags & cudaDeviceScheduleMask, cudaDeviceScheduleBlockingSync, "cudaGetDeviceFlags & cudaDeviceScheduleMask");
    CHECK_OK(cudaSetDeviceFlags(cudaDeviceScheduleAuto));
    flags = 0xdeadbeef;
    if (CHECK_OK(cudaGetDeviceFlags(&flags)))
        CHECK_INT(flags & cudaDeviceScheduleMask, cudaDeviceScheduleAuto, "cudaGetDeviceFlags & cudaDeviceScheduleMask after ScheduleAuto");
    /* Bits outside cudaDeviceMask are invalid: "::cudaErrorInvalidValue". */
    CHECK_CUDA(cudaSetDeviceFlags(0x10000u), cudaErrorInvalidValue);
    CHECK_CUDA(cudaGetDeviceFlags(NULL), cudaErrorInvalidValue);
    cudaGetLastError();
}

static void check_priority_range(void) {
    int least = 99, greatest = 99;
    if (CHECK_OK(cudaDeviceGetStreamPriorityRange(&least, &greatest))) {
        CHECK_INT(least, 0, "cudaDeviceGetStreamPriorityRange least");
        CHECK_INT(greatest, -5, "cudaDeviceGetStreamPriorityRange greatest");
    }
    /* "A NULL may be passed in for *leastPriority or *greatestPriority if the value is not desired." */
    least = 99;
    if (CHECK_OK(cudaDeviceGetStreamPriorityRange(&least, NULL))) CHECK_INT(least, 0, "least with greatest NULL");
    greatest = 99;
    if (CHECK_OK(cudaDeviceGetStreamPriorityRange(NULL, &greatest))) CHECK_INT(greatest, -5, "greatest with least NULL");
}

/* --- the last error: per host thread; peek keeps it, get returns and clears it --- */

struct thread_errors {
    cudaError_t seen_first;   /* cudaPeekAtLastError when the thread starts */
    cudaError_t failed;       /* what the thread's bad call returned */
    cudaError_t peeked;
    cudaError_t got;
    cudaError_t got_again;
};

static void *thread_with_its_own_error(void *argument) {
    struct thread_errors *errors = argument;
    errors->seen_first = cudaPeekAtLastError();
    errors->failed = cudaSetDevice(99);
    errors->peeked = cudaPeekAtLastError();
    errors->got = cudaGetLastError();
    errors->got_again = cudaGetLastError();
    return NULL;
}

static void check_last_error(void) {
    cudaGetLastError();
    CHECK_CUDA(cudaPeekAtLastError(), cudaSuccess);
    CHECK_CUDA(cudaSetDevice(99), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaPeekAtLastError(), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaPeekAtLastError(), cudaErrorInvalidDevice);   /* peek does not clear */
    CHECK_CUDA(cudaGetLastError(), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaGetLastError(), cudaSuccess);                 /* get did */
    CHECK_CUDA(cudaPeekAtLastError(), cudaSuccess);

    /* A successful call does not clear a recorded error; a later failure replaces it. */
    CHECK_CUDA(cudaMalloc(NULL, 16), cudaErrorInvalidValue);
    int device = -1;
    CHECK_OK(cudaGetDevice(&device));
    CHECK_CUDA(cudaPeekAtLastError(), cudaErrorInvalidValue);
    CHECK_CUDA(cudaSetDevice(-7), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaGetLastError(), cudaErrorInvalidDevice);
    CHECK_CUDA(cudaGetLastError(), cudaSuccess);

    /* "Returns the last error that has been produced by any of the runtime calls in the same
     * instance of the CUDA Runtime library in the host thread": another thread's error is not
     * seen here, and this thread's error is not seen there. */
    CHECK_CUDA(cudaMalloc(NULL, 16), cudaErrorInvalidValue);
    struct thread_errors errors;
    memset(&errors, 0x7f, sizeof errors);
    pthread_t thread;
    if (!CHECK_INT(pthread_create(&thread, NULL, thread_with_its_own_error, &errors), 0, "pthread_create")) return;
    pthread_join(thread, NULL);
    CHECK_CUDA(errors.seen_first, cudaSuccess);
    CHECK_CUDA(errors.failed, cudaErrorInvalidDevice);
    CHECK_CUDA(errors.peeked, cudaErrorInvalidDevice);
    CHECK_CUDA(errors.got, cudaErrorInvalidDevice);
    CHECK_CUDA(errors.got_again, cudaSuccess);
    CHECK_CUDA(cudaGetLastError(), cudaErrorInvalidValue);       /* this thread's own, untouched */
    CHECK_CUDA(cudaGetLastError(), cudaSuccess);
}

static void check_error_strings(void) {
    /* The names and strings NVIDIA's libcudart 12 answers. */
    static const struct { cudaError_t code; const char *name, *string; } table[] = {
        {cudaSuccess, "cudaSuccess", "no error"},
        {cudaErrorInvalidValue, "cudaErrorInvalidValue", "invalid argument"},
        {cudaErrorMemoryAllocation, "cudaErrorMemoryAllocation", "out of memory"},
        {cudaErrorInvalidDevice, "cudaErrorInvalidDevice", "invalid device ordinal"},
        {cudaErrorInvalidMemcpyDirection, "cudaErrorInvalidMemcpyDirection", "invalid copy direction for memcpy"},
        {cudaErrorInvalidResourceHandle, "cudaErrorInvalidResourceHandle", "invalid resource handle"},
        {cudaErrorNotReady, "cudaErrorNotReady", "device not ready"},
        {cudaErrorInsufficientDriver, "cudaErrorInsufficientDriver", "CUDA driver version is insufficient for CUDA runtime version"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char what[128];
        snprintf(what, sizeof what, "cudaGetErrorName(%d)", (int)table[i].code);
        CHECK_STR(cudaGetErrorName(table[i].code), table[i].name, what);
        snprintf(what, sizeof what, "cudaGetErrorString(%d)", (int)table[i].code);
        CHECK_STR(cudaGetErrorString(table[i].code), table[i].string, what);
    }
    /* A code CUDA does not define. */
    CHECK_STR(cudaGetErrorName((cudaError_t)12345), "unrecognized error code", "cudaGetErrorName(12345)");
    CHECK_STR(cudaGetErrorString((cudaError_t)12345), "unrecognized error code", "cudaGetErrorString(12345)");
    cudaGetLastError();
}

static void check_synchronize_and_reset(void) {
    CHECK_OK(cudaDeviceSynchronize());
    void *before = NULL;
    CHECK_OK(cudaMalloc(&before, 4096));
    CHECK_OK(cudaDeviceReset());
    /* "Any subsequent API call to this device will reinitialize the device." */
    int device = -1;
    CHECK_OK(cudaGetDevice(&device));
    CHECK_INT(device, 0, "cudaGetDevice after cudaDeviceReset");
    void *after = NULL;
    unsigned char out[64], in[64];
    fill_pattern(out, sizeof out, 77);
    memset(in, 0, sizeof in);
    if (CHECK_OK(cudaMalloc(&after, sizeof out))) {
        CHECK_OK(cudaMemcpy(after, out, sizeof out, cudaMemcpyHostToDevice));
        CHECK_OK(cudaMemcpy(in, after, sizeof in, cudaMemcpyDeviceToHost));
        CHECK_BYTES(in, out, sizeof out, "round trip after cudaDeviceReset");
        CHECK_OK(cudaFree(after));
    }
    CHECK_OK(cudaDeviceSynchronize());
}

int main(int argc, char **argv) {
    check_start(120);
    int major = 8, minor = 6;
    if (argc > 1 && sscanf(argv[1], "%d.%d", &major, &minor) != 2) {
        printf("usage: cuda_device [MAJOR.MINOR]\n");
        return 2;
    }

    int count = -1;
    if (CHECK_OK(cudaGetDeviceCount(&count)))
        CHECK(count >= 1, "cudaGetDeviceCount (got %d, want >= 1)", count);
    if (count < 1) count = 1;
    CHECK_CUDA(cudaGetDeviceCount(NULL), cudaErrorInvalidValue);
    cudaGetLastError();

    struct cudaDeviceProp prop;
    check_versions();
    check_current_device(count);
    check_properties(major, minor, &prop);
    check_attributes(&prop);
    check_memory_info(&prop);
    check_peers_and_choice(count);
    check_device_flags();
    check_priority_range();
    check_last_error();
    check_error_strings();
    check_synchronize_and_reset();
    return check_finish();
}
