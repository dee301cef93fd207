// The Vulkan loader, opened with a private dlopen; instances and device descriptions.
#include "vulkan_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_error(char *error, size_t capacity, const char *format, const char *first, const char *second) {
    if (error && capacity > 0) snprintf(error, capacity, format, first, second);
}

int ds_vulkan_load_library(const char *library, ds_vulkan_functions *functions, char *error, size_t error_capacity) {
    memset(functions, 0, sizeof *functions);
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        write_error(error, error_capacity, "cannot open %s: %s", library, reason ? reason : "unknown dlopen error");
        return -1;
    }
    ds_vulkan_functions loaded = {0};
    *(void **)&loaded.vkGetInstanceProcAddr = dlsym(handle, "vkGetInstanceProcAddr");
    if (!loaded.vkGetInstanceProcAddr) {
        write_error(error, error_capacity, "%s has no %s", library, "vkGetInstanceProcAddr");
        dlclose(handle);
        return -1;
    }
#define DS_VULKAN_LOOK_UP_REQUIRED(name)                                                       \
    loaded.name = (PFN_##name)loaded.vkGetInstanceProcAddr(NULL, #name);                       \
    if (!loaded.name) {                                                                        \
        write_error(error, error_capacity, "%s has no %s", library, #name);                    \
        dlclose(handle);                                                                       \
        return -1;                                                                             \
    }
#define DS_VULKAN_LOOK_UP_OPTIONAL(name) loaded.name = (PFN_##name)loaded.vkGetInstanceProcAddr(NULL, #name);
    DS_VULKAN_REQUIRED_GLOBAL_ENTRY_POINTS(DS_VULKAN_LOOK_UP_REQUIRED)
    DS_VULKAN_OPTIONAL_GLOBAL_ENTRY_POINTS(DS_VULKAN_LOOK_UP_OPTIONAL)
#undef DS_VULKAN_LOOK_UP_REQUIRED
#undef DS_VULKAN_LOOK_UP_OPTIONAL
    *functions = loaded;
    return 0;
}

// The process-wide table: written once under pthread_once, read-only afterwards.
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static ds_vulkan_functions table;
static int load_status = -1;
static char load_error[512];

static void load_default_library(void) {
    load_status = ds_vulkan_load_library(DS_VULKAN_LIBRARY, &table, load_error, sizeof load_error);
}

int ds_vulkan_load(void) {
    pthread_once(&load_once, load_default_library);
    return load_status;
}

const char *ds_vulkan_error(void) {
    return load_error[0] ? load_error : NULL;
}

const ds_vulkan_functions *ds_vulkan(void) {
    return ds_vulkan_load() == 0 ? &table : NULL;
}

uint32_t ds_vulkan_instance_version(const ds_vulkan_functions *functions) {
    uint32_t version = VK_API_VERSION_1_0;
    if (functions->vkEnumerateInstanceVersion && functions->vkEnumerateInstanceVersion(&version) != VK_SUCCESS) {
        version = VK_API_VERSION_1_0;
    }
    return version;
}

// Whether `name` is among `count` extension properties.
static int has_extension(const VkExtensionProperties *extensions, uint32_t count, const char *name) {
    for (uint32_t index = 0; index < count; index++) {
        if (strcmp(extensions[index].extensionName, name) == 0) return 1;
    }
    return 0;
}

static int loader_offers_portability_enumeration(const ds_vulkan_functions *functions) {
    uint32_t count = 0;
    if (functions->vkEnumerateInstanceExtensionProperties(NULL, &count, NULL) != VK_SUCCESS || count == 0) return 0;
    VkExtensionProperties *extensions = calloc(count, sizeof *extensions);
    if (!extensions) return 0;
    int offered = functions->vkEnumerateInstanceExtensionProperties(NULL, &count, extensions) >= VK_SUCCESS
        && has_extension(extensions, count, VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
    free(extensions);
    return offered;
}

VkResult ds_vulkan_create_instance(const ds_vulkan_functions *functions, uint32_t api_version,
                                   const char *application_name, ds_vulkan_instance *instance) {
    memset(instance, 0, sizeof *instance);
    const char *portability = VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME;
    int enumerate_portability = loader_offers_portability_enumeration(functions);
    VkApplicationInfo application = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = application_name,
        .pEngineName = "DeviceShim",
        .apiVersion = api_version,
    };
    VkInstanceCreateInfo create_info = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .flags = enumerate_portability ? VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR : 0,
        .pApplicationInfo = &application,
        .enabledExtensionCount = enumerate_portability ? 1 : 0,
        .ppEnabledExtensionNames = enumerate_portability ? &portability : NULL,
    };
    VkInstance created = VK_NULL_HANDLE;
    VkResult result = functions->vkCreateInstance(&create_info, NULL, &created);
    if (result != VK_SUCCESS) return result;

    ds_vulkan_instance loaded = {.instance = created, .api_version = api_version};
#define DS_VULKAN_LOOK_UP_INSTANCE(name)                                                        \
    loaded.name = (PFN_##name)functions->vkGetInstanceProcAddr(created, #name);                 \
    if (!loaded.name) {                                                                         \
        PFN_vkDestroyInstance destroy =                                                         \
            (PFN_vkDestroyInstance)functions->vkGetInstanceProcAddr(created, "vkDestroyInstance"); \
        if (destroy) destroy(created, NULL);                                                    \
        instance->missing_entry_point = #name;                                                  \
        return VK_ERROR_INITIALIZATION_FAILED;                                                  \
    }
    DS_VULKAN_INSTANCE_ENTRY_POINTS(DS_VULKAN_LOOK_UP_INSTANCE)
#undef DS_VULKAN_LOOK_UP_INSTANCE
    *instance = loaded;
    return VK_SUCCESS;
}

void ds_vulkan_destroy_instance(ds_vulkan_instance *instance) {
    if (instance->instance && instance->vkDestroyInstance) instance->vkDestroyInstance(instance->instance, NULL);
    memset(instance, 0, sizeof *instance);
}

// Appends `structure` (whose first members are sType and pNext) to a pNext chain.
static void chain(void ***tail, void *structure, VkStructureType type) {
    VkBaseOutStructure *base = structure;
    base->sType = type;
    base->pNext = NULL;
    **tail = structure;
    *tail = (void **)&base->pNext;
}

static void describe_queues(const ds_vulkan_instance *instance, VkPhysicalDevice device,
                            ds_vulkan_device_description *description) {
    uint32_t count = 0;
    instance->vkGetPhysicalDeviceQueueFamilyProperties(device, &count, NULL);
    VkQueueFamilyProperties *families = count ? calloc(count, sizeof *families) : NULL;
    if (!families) return;
    instance->vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families);
    description->queue_family_count = count;
    for (uint32_t index = 0; index < count; index++) {
        if (families[index].queueFlags & VK_QUEUE_COMPUTE_BIT) description->compute_queue_family_count++;
    }
    free(families);
}

static void describe_memory(const ds_vulkan_instance *instance, VkPhysicalDevice device,
                            ds_vulkan_device_description *description) {
    VkPhysicalDeviceMemoryProperties memory;
    memset(&memory, 0, sizeof memory);
    instance->vkGetPhysicalDeviceMemoryProperties(device, &memory);
    for (uint32_t index = 0; index < memory.memoryHeapCount && index < VK_MAX_MEMORY_HEAPS; index++) {
        if (memory.memoryHeaps[index].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) {
            description->device_local_bytes += memory.memoryHeaps[index].size;
        }
    }
}

void ds_vulkan_describe_device(const ds_vulkan_instance *instance, VkPhysicalDevice device,
                               ds_vulkan_device_description *description) {
    memset(description, 0, sizeof *description);
    instance->vkGetPhysicalDeviceProperties(device, &description->properties);
    uint32_t device_version = description->properties.apiVersion;
    uint32_t version = device_version < instance->api_version ? device_version : instance->api_version;
    // VK_API_VERSION_MAJOR/MINOR, ignoring the patch level and variant.
    version = VK_MAKE_API_VERSION(0, VK_API_VERSION_MAJOR(version), VK_API_VERSION_MINOR(version), 0);
    description->queried_api_version = version;

    uint32_t extension_count = 0;
    VkExtensionProperties *extensions = NULL;
    if (instance->vkEnumerateDeviceExtensionProperties(device, NULL, &extension_count, NULL) == VK_SUCCESS && extension_count) {
        extensions = calloc(extension_count, sizeof *extensions);
        if (!extensions || instance->vkEnumerateDeviceExtensionProperties(device, NULL, &extension_count, extensions) < VK_SUCCESS) {
            extension_count = 0;
        }
    }
#define DS_HAS(extension) (extensions && has_extension(extensions, extension_count, extension))
    int core_1_1 = version >= VK_API_VERSION_1_1;
    int has_driver = version >= VK_API_VERSION_1_2 || DS_HAS(VK_KHR_DRIVER_PROPERTIES_EXTENSION_NAME);
    int has_size_control = version >= VK_API_VERSION_1_3 || DS_HAS(VK_EXT_SUBGROUP_SIZE_CONTROL_EXTENSION_NAME);
    int has_float16 = version >= VK_API_VERSION_1_2 || DS_HAS(VK_KHR_SHADER_FLOAT16_INT8_EXTENSION_NAME);
    int has_nv_sm = DS_HAS(VK_NV_SHADER_SM_BUILTINS_EXTENSION_NAME);
    int has_amd_core = DS_HAS(VK_AMD_SHADER_CORE_PROPERTIES_EXTENSION_NAME);
    int has_arm_core = DS_HAS(VK_ARM_SHADER_CORE_BUILTINS_EXTENSION_NAME);
#undef DS_HAS
    free(extensions);

    // Properties: one pNext chain of what the device makes valid.
    VkPhysicalDeviceProperties2 properties = {0};
    VkPhysicalDeviceSubgroupProperties subgroup = {0};
    VkPhysicalDeviceSubgroupSizeControlProperties size_control = {0};
    VkPhysicalDeviceDriverProperties driver = {0};
    VkPhysicalDeviceShaderSMBuiltinsPropertiesNV nv_sm = {0};
    VkPhysicalDeviceShaderCorePropertiesAMD amd_core = {0};
    VkPhysicalDeviceShaderCoreBuiltinsPropertiesARM arm_core = {0};
    properties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    void **tail = &properties.pNext;
    if (core_1_1) chain(&tail, &subgroup, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES);
    if (has_size_control) chain(&tail, &size_control, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES);
    if (has_driver) chain(&tail, &driver, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES);
    if (has_nv_sm) chain(&tail, &nv_sm, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV);
    if (has_amd_core) chain(&tail, &amd_core, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD);
    if (has_arm_core) chain(&tail, &arm_core, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_BUILTINS_PROPERTIES_ARM);
    instance->vkGetPhysicalDeviceProperties2(device, &properties);

    description->subgroup_size = subgroup.subgroupSize;
    description->min_subgroup_size = size_control.minSubgroupSize;
    description->max_subgroup_size = size_control.maxSubgroupSize;
    if (has_driver) {
        description->has_driver_properties = VK_TRUE;
        description->driver_id = driver.driverID;
        memcpy(description->driver_name, driver.driverName, sizeof description->driver_name);
        memcpy(description->driver_info, driver.driverInfo, sizeof description->driver_info);
        description->driver_name[VK_MAX_DRIVER_NAME_SIZE - 1] = '\0';
        description->driver_info[VK_MAX_DRIVER_INFO_SIZE - 1] = '\0';
    }
    if (has_nv_sm) {
        description->compute_units = nv_sm.shaderSMCount;
    } else if (has_amd_core) {
        description->compute_units = amd_core.shaderEngineCount * amd_core.shaderArraysPerEngineCount
            * amd_core.computeUnitsPerShaderArray;
    } else if (has_arm_core) {
        description->compute_units = arm_core.shaderCoreCount;
    }

    // Features: core shaderFloat64, and shaderFloat16 where its structure is valid.
    VkPhysicalDeviceFeatures2 features = {0};
    VkPhysicalDeviceShaderFloat16Int8Features float16 = {0};
    features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
    tail = &features.pNext;
    if (has_float16) chain(&tail, &float16, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES);
    instance->vkGetPhysicalDeviceFeatures2(device, &features);
    description->shader_float64 = features.features.shaderFloat64;
    description->shader_float16 = float16.shaderFloat16;

    describe_memory(instance, device, description);
    describe_queues(instance, device, description);
}

const char *ds_vulkan_result_name(VkResult result) {
    switch (result) {
#define DS_VULKAN_RESULT(name) \
    case name:                 \
        return #name;
        DS_VULKAN_RESULT(VK_SUCCESS)
        DS_VULKAN_RESULT(VK_NOT_READY)
        DS_VULKAN_RESULT(VK_TIMEOUT)
        DS_VULKAN_RESULT(VK_EVENT_SET)
        DS_VULKAN_RESULT(VK_EVENT_RESET)
        DS_VULKAN_RESULT(VK_INCOMPLETE)
        DS_VULKAN_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
        DS_VULKAN_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        DS_VULKAN_RESULT(VK_ERROR_INITIALIZATION_FAILED)
        DS_VULKAN_RESULT(VK_ERROR_DEVICE_LOST)
        DS_VULKAN_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
        DS_VULKAN_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
        DS_VULKAN_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
        DS_VULKAN_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
        DS_VULKAN_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
        DS_VULKAN_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
        DS_VULKAN_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
        DS_VULKAN_RESULT(VK_ERROR_FRAGMENTED_POOL)
        DS_VULKAN_RESULT(VK_ERROR_UNKNOWN)
        DS_VULKAN_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
        DS_VULKAN_RESULT(VK_ERROR_INVALID_EXTERNAL_HANDLE)
        DS_VULKAN_RESULT(VK_ERROR_FRAGMENTATION)
        DS_VULKAN_RESULT(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
        DS_VULKAN_RESULT(VK_PIPELINE_COMPILE_REQUIRED)
        DS_VULKAN_RESULT(VK_ERROR_SURFACE_LOST_KHR)
        DS_VULKAN_RESULT(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
        DS_VULKAN_RESULT(VK_SUBOPTIMAL_KHR)
        DS_VULKAN_RESULT(VK_ERROR_OUT_OF_DATE_KHR)
        DS_VULKAN_RESULT(VK_ERROR_INCOMPATIBLE_DISPLAY_KHR)
        DS_VULKAN_RESULT(VK_ERROR_VALIDATION_FAILED_EXT)
        DS_VULKAN_RESULT(VK_ERROR_INVALID_SHADER_NV)
#undef DS_VULKAN_RESULT
    default:
        return "unknown VkResult";
    }
}
