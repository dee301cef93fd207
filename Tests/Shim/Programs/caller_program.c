/* A native program that calls DeviceShim's C API, for the caller-capture tests. Lines
 * marked "CALL:" are where the tests expect the records' file:line to point. */
#include <stdio.h>
#include <string.h>
#include "deviceshim.h"

static void load_weights(void) {
    const char *version = deviceshim_version(); /* CALL: version */
    printf("version %s\n", version);
}

int main(int argc, char **argv) {
    load_weights();
    if (argc > 1 && strcmp(argv[1], "bad-level") == 0) {
        deviceshim_status status = deviceshim_set_log_level("loud"); /* CALL: bad level */
        printf("status %d: %s\n", (int)status, deviceshim_status_string(status));
        printf("level %s\n", deviceshim_log_level());
    }
    return 0;
}
