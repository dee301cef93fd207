// Placeholder: the OpenCL/Vulkan helper replaces this with the OpenCL loader.
#ifndef DEVICESHIM_OPENCL_LOADER_H
#define DEVICESHIM_OPENCL_LOADER_H
#endif
