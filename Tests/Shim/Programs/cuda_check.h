/* Checks for the self-checking CUDA test programs (cuda_*.c, cublas_*.c).
 *
 * Each CHECK counts one check. A failed check prints one line
 *     FAIL <line>: <what> (got X, want Y)
 * and the program goes on where that is safe (every CHECK_* evaluates to 1 when it passed, so
 * `if (!CHECK_OK(...)) return;` skips what depends on it). `check_finish()` prints
 * `ok <N> checks` and returns 0 when every check passed, else `FAILED <F> of <N> checks` and 1.
 *
 * `check_start()` makes stdout line-buffered, arms a watchdog (a hung stream is a FATAL line and
 * exit 124, never a hung test) and asks the runtime for its devices first: when the CUDA runtime
 * answering is not usable (NVIDIA's libcudart without a driver answers
 * cudaErrorInsufficientDriver, 35) nothing else is meaningful, so it prints a FATAL line and
 * exits with that error code.
 *
 * Include <cublas_v2.h> before this header to get CHECK_BLAS. Checks may run on any thread. */
#ifndef DEVICESHIM_CUDA_CHECK_H
#define DEVICESHIM_CUDA_CHECK_H

#include <time.h>

#include <cuda_runtime_api.h>

#include "check_core.h"

/* A CUDA runtime call that must return `want`. The names of the codes are looked up only for
 * a failure, so a passing check makes no CUDA call of its own. */
#define CHECK_CUDA(call, want) ({                                                              \
    cudaError_t got_ = (call), want_ = (want);                                                 \
    got_ == want_ ? check_report(1, __LINE__, "%s", #call)                                     \
                  : check_report(0, __LINE__, "%s (got %d %s, want %d %s)", #call, (int)got_,  \
                                 cudaGetErrorName(got_), (int)want_, cudaGetErrorName(want_)); \
})
#define CHECK_OK(call) CHECK_CUDA(call, cudaSuccess)

#define CHECK_PTR(got, want, what) ({                                                          \
    const void *got_ = (const void *)(got), *want_ = (const void *)(want);                     \
    check_report(got_ == want_, __LINE__, "%s (got %p, want %p)", what, got_, want_);          \
})

/* `count` bytes at `got` equal those at `want`; a mismatch names the first differing byte. */
#define CHECK_BYTES(got, want, count, what) check_bytes_equal(__LINE__, got, want, count, what)

__attribute__((unused))
static int check_bytes_equal(int line, const void *got, const void *want, size_t count, const char *what) {
    const unsigned char *g = got, *w = want;
    if (memcmp(g, w, count) == 0) return check_report(1, line, "%s", what);
    size_t i = 0, differing = 0;
    while (i < count && g[i] == w[i]) i++;
    for (size_t j = i; j < count; j++) differing += g[j] != w[j];
    return check_report(0, line, "%s (got 0x%02x at byte %zu of %zu, %zu bytes differ; want 0x%02x)",
                        what, g[i], i, count, differing, w[i]);
}

/* `count` bytes at `got` all equal `value`. */
#define CHECK_FILLED(got, value, count, what) check_bytes_filled(__LINE__, got, value, count, what)

__attribute__((unused))
static int check_bytes_filled(int line, const void *got, unsigned char value, size_t count, const char *what) {
    const unsigned char *g = got;
    for (size_t i = 0; i < count; i++) {
        if (g[i] != value)
            return check_report(0, line, "%s (got 0x%02x at byte %zu of %zu, want 0x%02x)", what, g[i], i, count, value);
    }
    return check_report(1, line, "%s", what);
}

#ifdef CUBLAS_V2_H_
/* A cuBLAS call that must return `want`. */
#define CHECK_BLAS(call, want) ({                                                              \
    cublasStatus_t got_ = (call), want_ = (want);                                              \
    got_ == want_ ? check_report(1, __LINE__, "%s", #call)                                     \
                  : check_report(0, __LINE__, "%s (got %d %s, want %d %s)", #call, (int)got_,  \
                                 cublasGetStatusName(got_), (int)want_,                        \
                                 cublasGetStatusName(want_));                                  \
})
#define CHECK_BLAS_OK(call) CHECK_BLAS(call, CUBLAS_STATUS_SUCCESS)

/* A status already in hand must be CUBLAS_STATUS_SUCCESS; `what` names the call. */
#define CHECK_BLAS_SUCCESS(status, what) ({                                                    \
    cublasStatus_t got_ = (status);                                                            \
    got_ == CUBLAS_STATUS_SUCCESS                                                              \
        ? check_report(1, __LINE__, "%s", what)                                                \
        : check_report(0, __LINE__, "%s (got %d %s, want 0 CUBLAS_STATUS_SUCCESS)", what,      \
                       (int)got_, cublasGetStatusName(got_));                                  \
})
#endif

/* A byte pattern that differs between neighbouring bytes, 256-byte blocks and seeds, so a copy
 * that is shifted, truncated or taken from the wrong buffer shows. */
__attribute__((unused))
static void fill_pattern(void *buffer, size_t count, unsigned seed) {
    unsigned char *bytes = buffer;
    uint32_t state = seed * 2654435761u + 0x9e3779b9u;
    for (size_t i = 0; i < count; i++) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes[i] = (unsigned char)(state >> 11);
    }
}

/* Monotonic time in seconds. */
__attribute__((unused))
static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

__attribute__((unused))
static void sleep_milliseconds(long milliseconds) {
    struct timespec t = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {}
}

/* Call first in main. */
__attribute__((unused))
static void check_start(unsigned timeout_seconds) {
    check_arm_watchdog(timeout_seconds);
    int count = -1;
    cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        printf("FATAL: cudaGetDeviceCount returned %d %s (%s); the CUDA runtime that answered is not usable\n",
               (int)status, cudaGetErrorName(status), cudaGetErrorString(status));
        exit((int)status);
    }
}

#endif
