// What the compute backend needs beyond discovery: which features a physical device has for
// DeviceShim's shaders, a logical device with those features and one compute queue, and the
// device-level function table (vkGetDeviceProcAddr).
#ifndef DEVICESHIM_VULKAN_COMPUTE_H
#define DEVICESHIM_VULKAN_COMPUTE_H

#include "vulkan_loader.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Device entry points the compute backend calls, one X(name) each.
#define DS_VULKAN_DEVICE_ENTRY_POINTS(X)  \
    X(vkDestroyDevice)                    \
    X(vkDeviceWaitIdle)                   \
    X(vkGetDeviceQueue)                   \
    X(vkQueueSubmit)                      \
    X(vkAllocateMemory)                   \
    X(vkFreeMemory)                       \
    X(vkMapMemory)                        \
    X(vkUnmapMemory)                      \
    X(vkCreateBuffer)                     \
    X(vkDestroyBuffer)                    \
    X(vkGetBufferMemoryRequirements)      \
    X(vkBindBufferMemory)                 \
    X(vkGetBufferDeviceAddress)           \
    X(vkCreateCommandPool)                \
    X(vkDestroyCommandPool)               \
    X(vkAllocateCommandBuffers)           \
    X(vkResetCommandBuffer)               \
    X(vkBeginCommandBuffer)               \
    X(vkEndCommandBuffer)                 \
    X(vkCmdCopyBuffer)                    \
    X(vkCmdFillBuffer)                    \
    X(vkCmdPipelineBarrier)               \
    X(vkCmdBindPipeline)                  \
    X(vkCmdPushConstants)                 \
    X(vkCmdDispatch)                      \
    X(vkCmdWriteTimestamp)                \
    X(vkCmdResetQueryPool)                \
    X(vkCreateQueryPool)                  \
    X(vkDestroyQueryPool)                 \
    X(vkGetQueryPoolResults)              \
    X(vkCreateSemaphore)                  \
    X(vkDestroySemaphore)                 \
    X(vkWaitSemaphores)                   \
    X(vkSignalSemaphore)                  \
    X(vkGetSemaphoreCounterValue)         \
    X(vkCreateShaderModule)               \
    X(vkDestroyShaderModule)              \
    X(vkCreatePipelineLayout)             \
    X(vkDestroyPipelineLayout)            \
    X(vkCreateComputePipelines)           \
    X(vkDestroyPipeline)

/// One logical device and its functions.
typedef struct ds_vulkan_device_functions {
#define DS_VULKAN_TABLE_FIELD(name) PFN_##name name;
    DS_VULKAN_DEVICE_ENTRY_POINTS(DS_VULKAN_TABLE_FIELD)
#undef DS_VULKAN_TABLE_FIELD
} ds_vulkan_device_functions;

/// What a physical device offers DeviceShim's compute shaders. Zero means absent.
typedef struct ds_vulkan_compute_support {
    /// Vulkan 1.2 (or newer) on both instance and device.
    VkBool32 api_1_2;
    VkBool32 buffer_device_address;
    VkBool32 timeline_semaphore;
    VkBool32 storage_buffer_8bit;
    VkBool32 storage_buffer_16bit;
    VkBool32 shader_int64;
    VkBool32 shader_float64;
    /// VkPhysicalDeviceSubgroupProperties for the compute stage.
    uint32_t subgroup_size;
    VkBool32 subgroup_compute;
    VkSubgroupFeatureFlags subgroup_operations;
    /// The first queue family with VK_QUEUE_COMPUTE_BIT (compute-only preferred), or UINT32_MAX.
    uint32_t queue_family;
    uint32_t timestamp_valid_bits;
    float timestamp_period;
    VkPhysicalDeviceLimits limits;
    VkPhysicalDeviceMemoryProperties memory;
} ds_vulkan_compute_support;

/// Reads what `device` offers for compute.
void ds_vulkan_query_compute_support(const ds_vulkan_instance *instance, VkPhysicalDevice device,
                                     ds_vulkan_compute_support *support);

/// Creates a logical device with one queue of `support->queue_family` and the features the
/// shaders use (buffer device address, timeline semaphores, 8/16-bit storage, and int64 /
/// float64 when `enable_wide` is set), then fills `functions`. Returns vkCreateDevice's
/// result, or VK_ERROR_INITIALIZATION_FAILED with `*missing` naming an absent entry point.
VkResult ds_vulkan_create_compute_device(const ds_vulkan_instance *instance, VkPhysicalDevice physical,
                                         const ds_vulkan_compute_support *support, VkBool32 enable_wide,
                                         VkDevice *device, ds_vulkan_device_functions *functions,
                                         const char **missing);

#ifdef __cplusplus
}
#endif
#endif
