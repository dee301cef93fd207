// Compute devices: feature queries and logical device creation (pNext chains are C's job).
#include "vulkan_compute.h"

#include <stdlib.h>
#include <string.h>

void ds_vulkan_query_compute_support(const ds_vulkan_instance *instance, VkPhysicalDevice device,
                                     ds_vulkan_compute_support *support) {
    memset(support, 0, sizeof *support);
    support->queue_family = UINT32_MAX;
    VkPhysicalDeviceProperties core;
    instance->vkGetPhysicalDeviceProperties(device, &core);
    support->limits = core.limits;
    support->timestamp_period = core.limits.timestampPeriod;
    instance->vkGetPhysicalDeviceMemoryProperties(device, &support->memory);
    support->api_1_2 = core.apiVersion >= VK_API_VERSION_1_2 && instance->api_version >= VK_API_VERSION_1_2;

    uint32_t count = 0;
    instance->vkGetPhysicalDeviceQueueFamilyProperties(device, &count, NULL);
    VkQueueFamilyProperties *families = count ? calloc(count, sizeof *families) : NULL;
    if (families) {
        instance->vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families);
        // A compute-only family runs beside graphics work on GPUs; otherwise any compute family.
        for (int pass = 0; pass < 2 && support->queue_family == UINT32_MAX; pass++) {
            for (uint32_t index = 0; index < count; index++) {
                VkQueueFlags flags = families[index].queueFlags;
                if (!(flags & VK_QUEUE_COMPUTE_BIT)) continue;
                if (pass == 0 && (flags & VK_QUEUE_GRAPHICS_BIT)) continue;
                support->queue_family = index;
                support->timestamp_valid_bits = families[index].timestampValidBits;
                break;
            }
        }
        free(families);
    }
    if (!support->api_1_2) return;

    VkPhysicalDeviceSubgroupProperties subgroup = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceProperties2 properties = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &subgroup};
    instance->vkGetPhysicalDeviceProperties2(device, &properties);
    support->subgroup_size = subgroup.subgroupSize;
    support->subgroup_compute = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) != 0;
    support->subgroup_operations = subgroup.supportedOperations;

    VkPhysicalDeviceVulkan12Features features12 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan11Features features11 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES, .pNext = &features12};
    VkPhysicalDeviceFeatures2 features = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &features11};
    instance->vkGetPhysicalDeviceFeatures2(device, &features);
    support->buffer_device_address = features12.bufferDeviceAddress;
    support->timeline_semaphore = features12.timelineSemaphore;
    support->storage_buffer_8bit = features12.storageBuffer8BitAccess;
    support->storage_buffer_16bit = features11.storageBuffer16BitAccess;
    support->shader_int64 = features.features.shaderInt64;
    support->shader_float64 = features.features.shaderFloat64;
}

VkResult ds_vulkan_create_compute_device(const ds_vulkan_instance *instance, VkPhysicalDevice physical,
                                         const ds_vulkan_compute_support *support, VkBool32 enable_wide,
                                         VkDevice *device, ds_vulkan_device_functions *functions,
                                         const char **missing) {
    *device = VK_NULL_HANDLE;
    *missing = NULL;
    memset(functions, 0, sizeof *functions);
    float priority = 1.0f;
    VkDeviceQueueCreateInfo queue = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = support->queue_family,
        .queueCount = 1,
        .pQueuePriorities = &priority,
    };
    VkPhysicalDeviceVulkan12Features features12 = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
        .bufferDeviceAddress = VK_TRUE,
        .timelineSemaphore = VK_TRUE,
        .storageBuffer8BitAccess = VK_TRUE,
    };
    VkPhysicalDeviceVulkan11Features features11 = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
        .pNext = &features12,
        .storageBuffer16BitAccess = VK_TRUE,
    };
    VkPhysicalDeviceFeatures2 features = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &features11};
    features.features.shaderInt64 = enable_wide;
    features.features.shaderFloat64 = enable_wide;
    VkDeviceCreateInfo create = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .pNext = &features,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &queue,
    };
    VkDevice created = VK_NULL_HANDLE;
    VkResult result = instance->vkCreateDevice(physical, &create, NULL, &created);
    if (result != VK_SUCCESS) return result;
    ds_vulkan_device_functions loaded = {0};
#define DS_VULKAN_LOOK_UP_DEVICE(name)                                                  \
    loaded.name = (PFN_##name)instance->vkGetDeviceProcAddr(created, #name);            \
    if (!loaded.name) *missing = *missing ? *missing : #name;
    DS_VULKAN_DEVICE_ENTRY_POINTS(DS_VULKAN_LOOK_UP_DEVICE)
#undef DS_VULKAN_LOOK_UP_DEVICE
    if (*missing) {
        PFN_vkDestroyDevice destroy = (PFN_vkDestroyDevice)instance->vkGetDeviceProcAddr(created, "vkDestroyDevice");
        if (destroy) destroy(created, NULL);
        return VK_ERROR_INITIALIZATION_FAILED;
    }
    *device = created;
    *functions = loaded;
    return VK_SUCCESS;
}
