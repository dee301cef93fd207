/* Checks for tensor_api.c, the self-checking program of DeviceShim's tensor C API.
 *
 * As cuda_check.h for the CUDA programs: each CHECK counts one check, a failed check prints
 * one line `FAIL <line>: <what> (got X, want Y)` and the program goes on; check_finish()
 * prints `ok <N> checks` (exit 0) or `FAILED <F> of <N> checks` (exit 1). Checks may run on
 * any thread. A watchdog makes a hang a FATAL line and exit 124. */
#ifndef DEVICESHIM_TENSOR_CHECK_H
#define DEVICESHIM_TENSOR_CHECK_H

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deviceshim.h"

static atomic_int check_count;
static atomic_int check_failures;

__attribute__((format(printf, 3, 4)))
static int check_report(int passed, int line, const char *format, ...) {
    atomic_fetch_add(&check_count, 1);
    if (passed) return 1;
    atomic_fetch_add(&check_failures, 1);
    char text[1024];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(text, sizeof text, format, arguments);
    va_end(arguments);
    printf("FAIL %d: %s\n", line, text);
    return 0;
}

#define CHECK(condition, ...) check_report((condition) ? 1 : 0, __LINE__, __VA_ARGS__)

#define CHECK_INT(got, want, what) ({                                                          \
    long long got_ = (long long)(got), want_ = (long long)(want);                              \
    check_report(got_ == want_, __LINE__, "%s (got %lld, want %lld)", what, got_, want_);      \
})

#define CHECK_STR(got, want, what) ({                                                          \
    const char *got_ = (got), *want_ = (want);                                                 \
    check_report(got_ != NULL && strcmp(got_, want_) == 0, __LINE__,                           \
                 "%s (got \"%s\", want \"%s\")", what, got_ ? got_ : "(null)", want_);        \
})

/* A DeviceShim call that must return `want`. When `want` is a failure, the calling thread's
 * deviceshim_last_error() must name the call ("deviceshim_tensor_add: ...") and say more. */
#define CHECK_STATUS(call, want) check_status(__LINE__, #call, (call), (want))
#define CHECK_OK(call) CHECK_STATUS(call, DEVICESHIM_OK)
/* The same for a status already in hand, returned by `api` (a string literal). */
#define CHECK_STATUS_OF(api, status, want) check_status(__LINE__, api "(...)", (status), (want))

static int check_status(int line, const char *text, deviceshim_status got, deviceshim_status want) {
    if (got != want)
        return check_report(0, line, "%s (got %d \"%s\", want %d \"%s\"; last error \"%s\")", text, (int)got,
                            deviceshim_status_string(got), (int)want, deviceshim_status_string(want), deviceshim_last_error());
    if (want != DEVICESHIM_OK) {
        const char *message = deviceshim_last_error();
        size_t name = strcspn(text, "(");
        if (message == NULL || strncmp(message, text, name) != 0 || message[name] != ':' || strlen(message) < name + 5)
            return check_report(0, line, "%s: deviceshim_last_error() is \"%s\", want \"%.*s: <why>\"", text,
                                message ? message : "(null)", (int)name, text);
    }
    return check_report(1, line, "%s", text);
}

/* The float32 elements of `t` equal the listed values within a relative `tolerance`. */
#define CHECK_FLOATS(t, tolerance, what, ...) ({                                               \
    const float want_[] = {__VA_ARGS__};                                                       \
    check_floats(__LINE__, t, want_, sizeof want_ / sizeof want_[0], tolerance, what);        \
})

static int check_floats(int line, deviceshim_tensor t, const float *want, size_t count, double tolerance, const char *what) {
    float *got = calloc(count + 1, sizeof(float));
    deviceshim_status status = deviceshim_tensor_copy_to_host(t, got, count * sizeof(float));
    int passed = status == DEVICESHIM_OK;
    if (!passed) {
        check_report(0, line, "%s: copy_to_host of %zu floats returned %d (%s)", what, count, (int)status, deviceshim_last_error());
    }
    for (size_t i = 0; passed && i < count; i++) {
        if (!(fabs((double)got[i] - (double)want[i]) <= tolerance * (1 + fabs((double)want[i])))) {
            check_report(0, line, "%s (got %.7g at element %zu, want %.7g)", what, (double)got[i], i, (double)want[i]);
            passed = 0;
        }
    }
    free(got);
    return passed ? check_report(1, line, "%s", what) : 0;
}

/* The int64 elements of `t` are exactly the listed values. */
#define CHECK_INT64S(t, what, ...) ({                                                          \
    const int64_t want_[] = {__VA_ARGS__};                                                     \
    check_int64s(__LINE__, t, want_, sizeof want_ / sizeof want_[0], what);                   \
})

static int check_int64s(int line, deviceshim_tensor t, const int64_t *want, size_t count, const char *what) {
    int64_t got[64] = {0};
    if (count > 64) return check_report(0, line, "%s: at most 64 values", what);
    deviceshim_status status = deviceshim_tensor_copy_to_host(t, got, count * sizeof(int64_t));
    if (status != DEVICESHIM_OK)
        return check_report(0, line, "%s: copy_to_host of %zu int64 returned %d (%s)", what, count, (int)status, deviceshim_last_error());
    for (size_t i = 0; i < count; i++) {
        if (got[i] != want[i])
            return check_report(0, line, "%s (got %lld at element %zu, want %lld)", what, (long long)got[i], i, (long long)want[i]);
    }
    return check_report(1, line, "%s", what);
}

/* `t` has the listed shape (rank = the number of sizes listed; CHECK_SHAPE(t, ...) with no
 * size is not allowed, use CHECK_SCALAR for rank 0). */
#define CHECK_SHAPE(t, what, ...) ({                                                           \
    const int64_t want_[] = {__VA_ARGS__};                                                     \
    check_shape(__LINE__, t, want_, (int)(sizeof want_ / sizeof want_[0]), what);             \
})
#define CHECK_SCALAR(t, what) check_shape(__LINE__, t, NULL, 0, what)

static int check_shape(int line, deviceshim_tensor t, const int64_t *want, int rank, const char *what) {
    int got_rank = -1;
    int64_t got[DEVICESHIM_MAX_RANK] = {0};
    if (deviceshim_tensor_rank(t, &got_rank) != DEVICESHIM_OK || got_rank != rank)
        return check_report(0, line, "%s: rank (got %d, want %d; %s)", what, got_rank, rank, deviceshim_last_error());
    if (deviceshim_tensor_shape(t, got, DEVICESHIM_MAX_RANK) != DEVICESHIM_OK)
        return check_report(0, line, "%s: deviceshim_tensor_shape failed: %s", what, deviceshim_last_error());
    for (int i = 0; i < rank; i++) {
        if (got[i] != want[i])
            return check_report(0, line, "%s: size %d (got %lld, want %lld)", what, i, (long long)got[i], (long long)want[i]);
    }
    return check_report(1, line, "%s", what);
}

/* Frees `t`, which must succeed. */
#define RELEASE(t) CHECK_OK(deviceshim_tensor_free(t))

static void check_watchdog(int signal_number) {
    (void)signal_number;
    static const char text[] = "FATAL: timed out (a call never returned)\n";
    ssize_t written = write(STDOUT_FILENO, text, sizeof text - 1);
    (void)written;
    _exit(124);
}

/* Call first in main. */
static void check_start(unsigned timeout_seconds) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGALRM, check_watchdog);
    alarm(timeout_seconds);
}

/* Call last in main: `return check_finish();`. */
static int check_finish(void) {
    int count = atomic_load(&check_count), failures = atomic_load(&check_failures);
    if (failures == 0) {
        printf("ok %d checks\n", count);
        return 0;
    }
    printf("FAILED %d of %d checks\n", failures, count);
    return 1;
}

#endif
