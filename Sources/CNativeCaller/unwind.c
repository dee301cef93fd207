// Stack capture (libunwind, loaded privately), object ranges and thread ids.
#define _GNU_SOURCE
#include "native_caller.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int (*unw_backtrace_function)(void **buffer, int size);

static pthread_once_t unwinder_once = PTHREAD_ONCE_INIT;
static unw_backtrace_function unw_backtrace_pointer;

static void load_unwinder(void) {
    void *handle = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
    if (handle) unw_backtrace_pointer = (unw_backtrace_function)dlsym(handle, "unw_backtrace");
}

int ds_capture_stack(uintptr_t *addresses, int capacity) {
    if (capacity <= 0) return 0;
    pthread_once(&unwinder_once, load_unwinder);
    if (unw_backtrace_pointer) return unw_backtrace_pointer((void **)addresses, capacity);
    return backtrace((void **)addresses, capacity);
}

const char *ds_unwinder_description(void) {
    pthread_once(&unwinder_once, load_unwinder);
    return unw_backtrace_pointer ? "libunwind" : "glibc backtrace (libunwind.so.8 not found)";
}

struct range_query {
    uintptr_t address;
    uintptr_t start, end;
    int found;
};

static int find_object_range(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct range_query *query = data;
    uintptr_t low = UINTPTR_MAX, high = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD) continue;
        uintptr_t start = info->dlpi_addr + segment->p_vaddr;
        if (start < low) low = start;
        if (start + segment->p_memsz > high) high = start + segment->p_memsz;
    }
    if (query->address >= low && query->address < high) {
        query->start = low;
        query->end = high;
        query->found = 1;
        return 1;
    }
    return 0;
}

int ds_object_range(const void *address, uintptr_t *start, uintptr_t *end) {
    struct range_query query = {.address = (uintptr_t)address};
    dl_iterate_phdr(find_object_range, &query);
    if (!query.found) return -1;
    *start = query.start;
    *end = query.end;
    return 0;
}

static __thread uint64_t cached_thread_id;
static pthread_once_t fork_handler_once = PTHREAD_ONCE_INIT;

// In a forked child only the forking thread survives, with its parent's cached id.
static void forget_thread_id_in_child(void) { cached_thread_id = 0; }
static void install_fork_handler(void) { pthread_atfork(NULL, NULL, forget_thread_id_in_child); }

uint64_t ds_thread_id(void) {
    if (__builtin_expect(cached_thread_id == 0, 0)) {
        pthread_once(&fork_handler_once, install_fork_handler);
        cached_thread_id = (uint64_t)syscall(SYS_gettid);
    }
    return cached_thread_id;
}

int ds_thread_name(char *buffer, int capacity) {
    if (capacity <= 0) return -1;
    return pthread_getname_np(pthread_self(), buffer, (size_t)capacity);
}
