// The OpenCL ICD loader (ocl-icd's libOpenCL.so.1), opened privately at first use.
//
// libOpenCL is never linked: it is opened with dlopen(RTLD_NOW | RTLD_LOCAL) the first time
// a backend asks for it, so a machine without it simply has no OpenCL devices, and a program
// DeviceShim is preloaded into never sees OpenCL symbols it did not load itself. Every call
// goes through `ds_opencl_functions`, a table of function pointers looked up with dlsym.
//
// <CL/cl.h> is included for its types and constants only: its function declarations have no
// definition in the process (nothing links libOpenCL), so calling one directly fails to link.
#ifndef DEVICESHIM_OPENCL_LOADER_H
#define DEVICESHIM_OPENCL_LOADER_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 300
#endif
#include <CL/cl.h>
#include <CL/cl_ext.h>
#include <CL/cl_icd.h>  // cl_api_<name>: the function pointer type of each entry point.
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The soname `ds_opencl_load` opens.
#define DS_OPENCL_LIBRARY "libOpenCL.so.1"

/// The entry points the table holds, one X(name) each. Loading fails if one is missing.
/// Discovery needs the first four; the compute backend (Sources/Devices/OpenCL) the rest, all
/// of OpenCL 1.2, which every ICD loader exports.
#define DS_OPENCL_REQUIRED_ENTRY_POINTS(X) \
    X(clGetPlatformIDs)                    \
    X(clGetPlatformInfo)                   \
    X(clGetDeviceIDs)                      \
    X(clGetDeviceInfo)                     \
    X(clCreateContext)                     \
    X(clReleaseContext)                    \
    X(clCreateCommandQueue)                \
    X(clReleaseCommandQueue)               \
    X(clFlush)                             \
    X(clFinish)                            \
    X(clCreateBuffer)                      \
    X(clReleaseMemObject)                  \
    X(clEnqueueWriteBuffer)                \
    X(clEnqueueReadBuffer)                 \
    X(clEnqueueCopyBuffer)                 \
    X(clEnqueueFillBuffer)                 \
    X(clEnqueueMarkerWithWaitList)         \
    X(clEnqueueBarrierWithWaitList)        \
    X(clEnqueueNDRangeKernel)              \
    X(clCreateUserEvent)                   \
    X(clSetUserEventStatus)                \
    X(clSetEventCallback)                  \
    X(clWaitForEvents)                     \
    X(clGetEventInfo)                      \
    X(clGetEventProfilingInfo)             \
    X(clRetainEvent)                       \
    X(clReleaseEvent)                      \
    X(clCreateProgramWithSource)           \
    X(clCreateProgramWithBinary)           \
    X(clBuildProgram)                      \
    X(clGetProgramInfo)                    \
    X(clGetProgramBuildInfo)               \
    X(clReleaseProgram)                    \
    X(clCreateKernel)                      \
    X(clSetKernelArg)                      \
    X(clReleaseKernel)

/// Entry points a loader may lack (newer OpenCL versions): NULL in the table when missing.
#define DS_OPENCL_OPTIONAL_ENTRY_POINTS(X) \
    X(clCreateCommandQueueWithProperties)

/// One function pointer per entry point, named as the OpenCL function it points to.
typedef struct ds_opencl_functions {
#define DS_OPENCL_TABLE_FIELD(name) cl_api_##name name;
    DS_OPENCL_REQUIRED_ENTRY_POINTS(DS_OPENCL_TABLE_FIELD)
    DS_OPENCL_OPTIONAL_ENTRY_POINTS(DS_OPENCL_TABLE_FIELD)
#undef DS_OPENCL_TABLE_FIELD
} ds_opencl_functions;

/// Opens libOpenCL.so.1 once (thread-safe; later calls return the first result) and fills
/// the process-wide table. Returns 0 on success, -1 when the library or an entry point is
/// missing; `ds_opencl_error()` then says which.
int ds_opencl_load(void);

/// Why `ds_opencl_load` failed, or NULL if it succeeded or was not called.
const char *ds_opencl_error(void);

/// The process-wide table once `ds_opencl_load()` returned 0; NULL otherwise.
const ds_opencl_functions *ds_opencl(void);

/// Opens `library` (a soname or path) privately and fills `functions` from it: for another
/// ICD loader, or a test pointing at a library that does not exist. The library stays open
/// for the life of the process. Returns 0 on success; on failure -1, with the reason written
/// to `error` (NUL-terminated, truncated to `error_capacity`) when `error` is not NULL.
int ds_opencl_load_library(const char *library, ds_opencl_functions *functions, char *error, size_t error_capacity);

/// The name of an OpenCL status code ("CL_DEVICE_NOT_FOUND"), or "unknown OpenCL error".
const char *ds_opencl_status_name(cl_int status);

#ifdef __cplusplus
}
#endif
#endif
