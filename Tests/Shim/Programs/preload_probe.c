/* Not linked to DeviceShim: finds deviceshim_version only if the launcher preloaded it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    const char *(*version)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "deviceshim_version");
    if (!version) {
        printf("not preloaded\n");
        return 1;
    }
    printf("preloaded %s\n", version()); /* CALL: version */
    const char *value = getenv("PROBE_VALUE");
    printf("PROBE_VALUE=%s\n", value ? value : "(unset)");
    return 0;
}
