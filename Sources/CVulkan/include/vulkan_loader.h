// Placeholder: the OpenCL/Vulkan helper replaces this with the Vulkan loader.
#ifndef DEVICESHIM_VULKAN_LOADER_H
#define DEVICESHIM_VULKAN_LOADER_H
#endif
