// Native caller capture for DeviceShim's redirection log.
//
// A C entry point of DeviceShim (cudaMalloc, deviceshim_version, ...) wants to name the
// native code that called it. These functions unwind the calling thread's stack with
// libunwind, tell which loaded object an address belongs to, and turn a return address
// into symbol+offset, object path and (where DWARF exists) source file:line.
//
// libunwind and libdw are opened with dlopen(RTLD_LOCAL) on first use rather than linked:
// Debian's libunwind.so.8 exports `_Unwind_*` and a weak `backtrace`, which would take the
// place of libgcc_s's unwinder (C++ exceptions) in every program DeviceShim is preloaded
// into. Missing libraries degrade: glibc's backtrace() unwinds, dladdr alone symbolises.
#ifndef DEVICESHIM_NATIVE_CALLER_H
#define DEVICESHIM_NATIVE_CALLER_H

#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes up to `capacity` return addresses of the calling thread, innermost first.
/// Returns how many were written.
int ds_capture_stack(uintptr_t *addresses, int capacity);

/// Which unwinder `ds_capture_stack` uses: "libunwind" or "glibc backtrace (libunwind.so.8 not found)".
const char *ds_unwinder_description(void);

/// The lowest and one-past-highest address of the loadable segments of the object that
/// contains `address`. Returns 0 on success, -1 when no loaded object contains it.
int ds_object_range(const void *address, uintptr_t *start, uintptr_t *end);

/// What is known about one code address. Strings are heap copies owned by the struct.
typedef struct ds_symbol_info {
    char *symbol;      ///< Function name (demangled where possible), or NULL.
    uintptr_t offset;  ///< Address minus the symbol's start; minus the object's base without a symbol.
    char *object;      ///< Path of the loaded object, or NULL.
    char *file;        ///< Source file from DWARF line tables, or NULL.
    int line;          ///< Source line, or 0.
} ds_symbol_info;

/// Symbolises a return address (its call site's line is looked up at address - 1).
/// Returns 0 when anything was found. Thread-safe; free the result with ds_symbol_info_free.
int ds_symbolize(uintptr_t return_address, ds_symbol_info *info);

/// Frees the strings of a `ds_symbol_info` and zeroes it.
void ds_symbol_info_free(ds_symbol_info *info);

/// Whether DWARF line lookups are available (libdw.so.1 could be loaded).
int ds_dwarf_available(void);

/// The kernel thread id of the calling thread, cached per thread (reset in a forked child).
uint64_t ds_thread_id(void);

/// Monotonic time in nanoseconds (CLOCK_MONOTONIC).
static inline uint64_t ds_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/// The name the calling thread was given (pthread_setname_np), into `buffer`; 0 on success.
int ds_thread_name(char *buffer, int capacity);

#ifdef __cplusplus
}
#endif
#endif
