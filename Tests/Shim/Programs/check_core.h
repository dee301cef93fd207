/* What every self-checking test program shares (cuda_check.h, tensor_check.h build on it).
 *
 * Each CHECK counts one check. A failed check prints one line
 *     FAIL <line>: <what> (got X, want Y)
 * and the program goes on; every CHECK_* evaluates to 1 when it passed. `check_finish()`
 * prints `ok <N> checks` and returns 0 when every check passed, else `FAILED <F> of <N>
 * checks` and 1. `check_arm_watchdog()` turns a hang into a FATAL line and exit 124. Checks
 * may run on any thread. */
#ifndef DEVICESHIM_CHECK_CORE_H
#define DEVICESHIM_CHECK_CORE_H

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int check_count;
static atomic_int check_failures;

/* Counts a check; when it failed, prints "FAIL <line>: " and the formatted text. Returns `passed`. */
__attribute__((format(printf, 3, 4), unused))
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

/* A condition; the text says what was checked with its (got X, want Y). */
#define CHECK(condition, ...) check_report((condition) ? 1 : 0, __LINE__, __VA_ARGS__)

/* Integers (any integer type, compared as long long). */
#define CHECK_INT(got, want, what) ({                                                          \
    long long got_ = (long long)(got), want_ = (long long)(want);                              \
    check_report(got_ == want_, __LINE__, "%s (got %lld, want %lld)", what, got_, want_);      \
})

#define CHECK_STR(got, want, what) ({                                                          \
    const char *got_ = (got), *want_ = (want);                                                 \
    check_report(got_ != NULL && strcmp(got_, want_) == 0, __LINE__,                           \
                 "%s (got \"%s\", want \"%s\")", what, got_ ? got_ : "(null)", want_);        \
})

static void check_watchdog(int signal_number) {
    (void)signal_number;
    static const char text[] = "FATAL: timed out (a stream or call never finished)\n";
    ssize_t written = write(STDOUT_FILENO, text, sizeof text - 1);
    (void)written;
    _exit(124);
}

/* Makes stdout line-buffered and arms the watchdog: after `timeout_seconds`, FATAL and exit 124. */
__attribute__((unused))
static void check_arm_watchdog(unsigned timeout_seconds) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGALRM, check_watchdog);
    alarm(timeout_seconds);
}

/* Call last in main: `return check_finish();`. */
__attribute__((unused))
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
