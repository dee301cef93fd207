/* A native program that knows nothing of DeviceShim at link time: under
 * preload/deviceshim-run it finds DeviceShim's C API and calls it from two functions, so
 * the log shows each call's native caller. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

typedef const char *(*version_function)(void);
typedef int (*set_level_function)(const char *);

static void report_version(version_function version) {
    printf("log_demo: DeviceShim %s is preloaded\n", version());
}

static void try_a_bad_level(set_level_function set_level) {
    printf("log_demo: set_log_level(\"shout\") -> %d\n", set_level("shout"));
}

int main(void) {
    version_function version = (version_function)dlsym(RTLD_DEFAULT, "deviceshim_version");
    set_level_function set_level = (set_level_function)dlsym(RTLD_DEFAULT, "deviceshim_set_log_level");
    if (!version || !set_level) {
        printf("log_demo: DeviceShim is not preloaded (run it under preload/deviceshim-run)\n");
        return 1;
    }
    report_version(version);
    try_a_bad_level(set_level);
    return 0;
}
