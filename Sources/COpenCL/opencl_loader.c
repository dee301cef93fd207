// The OpenCL ICD loader, opened with a private dlopen and called through a function table.
#include "opencl_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void write_error(char *error, size_t capacity, const char *format, const char *first, const char *second) {
    if (error && capacity > 0) snprintf(error, capacity, format, first, second);
}

int ds_opencl_load_library(const char *library, ds_opencl_functions *functions, char *error, size_t error_capacity) {
    memset(functions, 0, sizeof *functions);
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        write_error(error, error_capacity, "cannot open %s: %s", library, reason ? reason : "unknown dlopen error");
        return -1;
    }
    ds_opencl_functions loaded = {0};
#define DS_OPENCL_LOOK_UP_REQUIRED(name)                                                    \
    *(void **)&loaded.name = dlsym(handle, #name);                                          \
    if (!loaded.name) {                                                                     \
        write_error(error, error_capacity, "%s has no %s", library, #name);                 \
        dlclose(handle);                                                                    \
        return -1;                                                                          \
    }
#define DS_OPENCL_LOOK_UP_OPTIONAL(name) *(void **)&loaded.name = dlsym(handle, #name);
    DS_OPENCL_REQUIRED_ENTRY_POINTS(DS_OPENCL_LOOK_UP_REQUIRED)
    DS_OPENCL_OPTIONAL_ENTRY_POINTS(DS_OPENCL_LOOK_UP_OPTIONAL)
#undef DS_OPENCL_LOOK_UP_REQUIRED
#undef DS_OPENCL_LOOK_UP_OPTIONAL
    *functions = loaded;
    return 0;
}

// The process-wide table: written once under pthread_once, read-only afterwards.
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static ds_opencl_functions table;
static int load_status = -1;
static char load_error[512];

static void load_default_library(void) {
    load_status = ds_opencl_load_library(DS_OPENCL_LIBRARY, &table, load_error, sizeof load_error);
}

int ds_opencl_load(void) {
    pthread_once(&load_once, load_default_library);
    return load_status;
}

const char *ds_opencl_error(void) {
    return load_error[0] ? load_error : NULL;
}

const ds_opencl_functions *ds_opencl(void) {
    return ds_opencl_load() == 0 ? &table : NULL;
}

const char *ds_opencl_status_name(cl_int status) {
    switch (status) {
#define DS_OPENCL_STATUS(name) \
    case name:                 \
        return #name;
        DS_OPENCL_STATUS(CL_SUCCESS)
        DS_OPENCL_STATUS(CL_DEVICE_NOT_FOUND)
        DS_OPENCL_STATUS(CL_DEVICE_NOT_AVAILABLE)
        DS_OPENCL_STATUS(CL_COMPILER_NOT_AVAILABLE)
        DS_OPENCL_STATUS(CL_MEM_OBJECT_ALLOCATION_FAILURE)
        DS_OPENCL_STATUS(CL_OUT_OF_RESOURCES)
        DS_OPENCL_STATUS(CL_OUT_OF_HOST_MEMORY)
        DS_OPENCL_STATUS(CL_PROFILING_INFO_NOT_AVAILABLE)
        DS_OPENCL_STATUS(CL_MEM_COPY_OVERLAP)
        DS_OPENCL_STATUS(CL_IMAGE_FORMAT_MISMATCH)
        DS_OPENCL_STATUS(CL_IMAGE_FORMAT_NOT_SUPPORTED)
        DS_OPENCL_STATUS(CL_BUILD_PROGRAM_FAILURE)
        DS_OPENCL_STATUS(CL_MAP_FAILURE)
        DS_OPENCL_STATUS(CL_MISALIGNED_SUB_BUFFER_OFFSET)
        DS_OPENCL_STATUS(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
        DS_OPENCL_STATUS(CL_COMPILE_PROGRAM_FAILURE)
        DS_OPENCL_STATUS(CL_LINKER_NOT_AVAILABLE)
        DS_OPENCL_STATUS(CL_LINK_PROGRAM_FAILURE)
        DS_OPENCL_STATUS(CL_DEVICE_PARTITION_FAILED)
        DS_OPENCL_STATUS(CL_KERNEL_ARG_INFO_NOT_AVAILABLE)
        DS_OPENCL_STATUS(CL_INVALID_VALUE)
        DS_OPENCL_STATUS(CL_INVALID_DEVICE_TYPE)
        DS_OPENCL_STATUS(CL_INVALID_PLATFORM)
        DS_OPENCL_STATUS(CL_INVALID_DEVICE)
        DS_OPENCL_STATUS(CL_INVALID_CONTEXT)
        DS_OPENCL_STATUS(CL_INVALID_QUEUE_PROPERTIES)
        DS_OPENCL_STATUS(CL_INVALID_COMMAND_QUEUE)
        DS_OPENCL_STATUS(CL_INVALID_HOST_PTR)
        DS_OPENCL_STATUS(CL_INVALID_MEM_OBJECT)
        DS_OPENCL_STATUS(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
        DS_OPENCL_STATUS(CL_INVALID_IMAGE_SIZE)
        DS_OPENCL_STATUS(CL_INVALID_SAMPLER)
        DS_OPENCL_STATUS(CL_INVALID_BINARY)
        DS_OPENCL_STATUS(CL_INVALID_BUILD_OPTIONS)
        DS_OPENCL_STATUS(CL_INVALID_PROGRAM)
        DS_OPENCL_STATUS(CL_INVALID_PROGRAM_EXECUTABLE)
        DS_OPENCL_STATUS(CL_INVALID_KERNEL_NAME)
        DS_OPENCL_STATUS(CL_INVALID_KERNEL_DEFINITION)
        DS_OPENCL_STATUS(CL_INVALID_KERNEL)
        DS_OPENCL_STATUS(CL_INVALID_ARG_INDEX)
        DS_OPENCL_STATUS(CL_INVALID_ARG_VALUE)
        DS_OPENCL_STATUS(CL_INVALID_ARG_SIZE)
        DS_OPENCL_STATUS(CL_INVALID_KERNEL_ARGS)
        DS_OPENCL_STATUS(CL_INVALID_WORK_DIMENSION)
        DS_OPENCL_STATUS(CL_INVALID_WORK_GROUP_SIZE)
        DS_OPENCL_STATUS(CL_INVALID_WORK_ITEM_SIZE)
        DS_OPENCL_STATUS(CL_INVALID_GLOBAL_OFFSET)
        DS_OPENCL_STATUS(CL_INVALID_EVENT_WAIT_LIST)
        DS_OPENCL_STATUS(CL_INVALID_EVENT)
        DS_OPENCL_STATUS(CL_INVALID_OPERATION)
        DS_OPENCL_STATUS(CL_INVALID_GL_OBJECT)
        DS_OPENCL_STATUS(CL_INVALID_BUFFER_SIZE)
        DS_OPENCL_STATUS(CL_INVALID_MIP_LEVEL)
        DS_OPENCL_STATUS(CL_INVALID_GLOBAL_WORK_SIZE)
        DS_OPENCL_STATUS(CL_INVALID_PROPERTY)
        DS_OPENCL_STATUS(CL_INVALID_IMAGE_DESCRIPTOR)
        DS_OPENCL_STATUS(CL_INVALID_COMPILER_OPTIONS)
        DS_OPENCL_STATUS(CL_INVALID_LINKER_OPTIONS)
        DS_OPENCL_STATUS(CL_INVALID_DEVICE_PARTITION_COUNT)
        DS_OPENCL_STATUS(CL_INVALID_PIPE_SIZE)
        DS_OPENCL_STATUS(CL_INVALID_DEVICE_QUEUE)
        DS_OPENCL_STATUS(CL_INVALID_SPEC_ID)
        DS_OPENCL_STATUS(CL_MAX_SIZE_RESTRICTION_EXCEEDED)
        DS_OPENCL_STATUS(CL_PLATFORM_NOT_FOUND_KHR)
#undef DS_OPENCL_STATUS
    default:
        return "unknown OpenCL error";
    }
}
