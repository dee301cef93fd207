/* Checks for tensor_api.c, the self-checking program of DeviceShim's tensor C API.
 *
 * The counting, CHECK, CHECK_INT, CHECK_STR, the watchdog and check_finish() are check_core.h's;
 * this header adds checks of DeviceShim statuses, last errors and tensor contents. */
#ifndef DEVICESHIM_TENSOR_CHECK_H
#define DEVICESHIM_TENSOR_CHECK_H

#include "check_core.h"
#include "deviceshim.h"

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

/* Call first in main. */
static void check_start(unsigned timeout_seconds) { check_arm_watchdog(timeout_seconds); }

#endif
