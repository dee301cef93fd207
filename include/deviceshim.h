/* DeviceShim's own C API, for C programs that link libdeviceshim.so (or run under it).
 * The CUDA runtime and cuBLAS APIs come from NVIDIA's headers; this header holds what is
 * DeviceShim's: its version and its redirection log (and, later, devices and tensors).
 * Every call is a `debug` record in the log naming its caller. */
#ifndef DEVICESHIM_H
#define DEVICESHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every DeviceShim C call. */
typedef enum deviceshim_status {
    DEVICESHIM_OK = 0,
    /** An argument is missing (NULL) or not one of the accepted values. */
    DEVICESHIM_INVALID_ARGUMENT = 1,
} deviceshim_status;

/** A readable sentence for a status. The string lives as long as the process. */
const char *deviceshim_status_string(deviceshim_status status);

/** DeviceShim's version, e.g. "0.1.0". */
const char *deviceshim_version(void);

/** Sets the log level by name: "off", "error", "warn", "info", "debug" or "trace"
 *  (case-insensitive). An unknown name or NULL leaves the level as it is, logs a warning
 *  and returns DEVICESHIM_INVALID_ARGUMENT. */
deviceshim_status deviceshim_set_log_level(const char *level);

/** The log level in force, as its name. */
const char *deviceshim_log_level(void);

#ifdef __cplusplus
}
#endif
#endif
