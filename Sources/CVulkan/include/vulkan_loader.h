// The Vulkan loader (libvulkan.so.1), opened privately at first use.
//
// libvulkan is never linked: it is opened with dlopen(RTLD_NOW | RTLD_LOCAL) the first time a
// backend asks for it, so a machine without it simply has no Vulkan devices, and a program
// DeviceShim is preloaded into never sees Vulkan symbols it did not load itself. Only
// vkGetInstanceProcAddr comes from dlsym; every other entry point is asked of it, in two
// tables: global functions (no instance) and functions of one instance.
//
// <vulkan/vulkan.h> is included with VK_NO_PROTOTYPES: types, constants and PFN_ typedefs only.
#ifndef DEVICESHIM_VULKAN_LOADER_H
#define DEVICESHIM_VULKAN_LOADER_H

#ifndef VK_NO_PROTOTYPES
#define VK_NO_PROTOTYPES
#endif
#include <vulkan/vulkan.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The soname `ds_vulkan_load` opens.
#define DS_VULKAN_LIBRARY "libvulkan.so.1"

/// Global entry points (vkGetInstanceProcAddr(NULL, name)), one X(name) each. Loading fails
/// if a required one is missing; an optional one is NULL in the table when missing
/// (vkEnumerateInstanceVersion is absent from 1.0 loaders).
#define DS_VULKAN_REQUIRED_GLOBAL_ENTRY_POINTS(X) \
    X(vkCreateInstance)                           \
    X(vkEnumerateInstanceExtensionProperties)
#define DS_VULKAN_OPTIONAL_GLOBAL_ENTRY_POINTS(X) X(vkEnumerateInstanceVersion)

/// Instance entry points (vkGetInstanceProcAddr(instance, name)). Discovery needs these; the
/// compute backend adds its own here (vkCreateDevice, vkGetDeviceProcAddr, ...) and a device
/// table filled from vkGetDeviceProcAddr in the same style.
#define DS_VULKAN_INSTANCE_ENTRY_POINTS(X)      \
    X(vkDestroyInstance)                        \
    X(vkEnumeratePhysicalDevices)               \
    X(vkEnumerateDeviceExtensionProperties)     \
    X(vkGetPhysicalDeviceProperties)            \
    X(vkGetPhysicalDeviceProperties2)           \
    X(vkGetPhysicalDeviceFeatures2)             \
    X(vkGetPhysicalDeviceMemoryProperties)      \
    X(vkGetPhysicalDeviceQueueFamilyProperties) \
    X(vkCreateDevice)                           \
    X(vkGetDeviceProcAddr)

/// The loader's vkGetInstanceProcAddr and the global functions.
typedef struct ds_vulkan_functions {
    PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr;
#define DS_VULKAN_TABLE_FIELD(name) PFN_##name name;
    DS_VULKAN_REQUIRED_GLOBAL_ENTRY_POINTS(DS_VULKAN_TABLE_FIELD)
    DS_VULKAN_OPTIONAL_GLOBAL_ENTRY_POINTS(DS_VULKAN_TABLE_FIELD)
#undef DS_VULKAN_TABLE_FIELD
} ds_vulkan_functions;

/// One VkInstance and its functions.
typedef struct ds_vulkan_instance {
    VkInstance instance;
    /// The API version the instance was created with.
    uint32_t api_version;
    /// Set when creation failed because the loader lacks an instance entry point.
    const char *missing_entry_point;
#define DS_VULKAN_TABLE_FIELD(name) PFN_##name name;
    DS_VULKAN_INSTANCE_ENTRY_POINTS(DS_VULKAN_TABLE_FIELD)
#undef DS_VULKAN_TABLE_FIELD
} ds_vulkan_instance;

/// Opens libvulkan.so.1 once (thread-safe; later calls return the first result) and fills
/// the process-wide table. Returns 0 on success, -1 when the library or an entry point is
/// missing; `ds_vulkan_error()` then says which.
int ds_vulkan_load(void);

/// Why `ds_vulkan_load` failed, or NULL if it succeeded or was not called.
const char *ds_vulkan_error(void);

/// The process-wide table once `ds_vulkan_load()` returned 0; NULL otherwise.
const ds_vulkan_functions *ds_vulkan(void);

/// Opens `library` (a soname or path) privately and fills `functions` from it: for another
/// loader, or a test pointing at a library that does not exist. The library stays open for
/// the life of the process. Returns 0 on success; on failure -1, with the reason written to
/// `error` (NUL-terminated, truncated to `error_capacity`) when `error` is not NULL.
int ds_vulkan_load_library(const char *library, ds_vulkan_functions *functions, char *error, size_t error_capacity);

/// The highest instance API version the loader supports, patch level included
/// (VK_API_VERSION_1_0 for a loader without vkEnumerateInstanceVersion).
uint32_t ds_vulkan_instance_version(const ds_vulkan_functions *functions);

/// Creates an instance for `api_version` (enabling VK_KHR_portability_enumeration where the
/// loader offers it, so portability drivers are listed too) and fills its function table.
/// Returns VK_SUCCESS, vkCreateInstance's error (VK_ERROR_INCOMPATIBLE_DRIVER: no driver),
/// or VK_ERROR_INITIALIZATION_FAILED with `missing_entry_point` set.
VkResult ds_vulkan_create_instance(const ds_vulkan_functions *functions, uint32_t api_version,
                                   const char *application_name, ds_vulkan_instance *instance);

/// Destroys the instance (if any) and zeroes the struct.
void ds_vulkan_destroy_instance(ds_vulkan_instance *instance);

/// What discovery reads from one physical device. Zero means "the driver did not say".
typedef struct ds_vulkan_device_description {
    /// Core properties: deviceName, vendorID, deviceType, apiVersion, driverVersion, limits.
    VkPhysicalDeviceProperties properties;
    /// min(instance, device) API version: the version whose structures were queried.
    uint32_t queried_api_version;
    /// VkPhysicalDeviceDriverProperties (Vulkan 1.2 or VK_KHR_driver_properties), when available.
    VkBool32 has_driver_properties;
    VkDriverId driver_id;
    char driver_name[VK_MAX_DRIVER_NAME_SIZE];
    char driver_info[VK_MAX_DRIVER_INFO_SIZE];
    /// VkPhysicalDeviceSubgroupProperties.subgroupSize (Vulkan 1.1).
    uint32_t subgroup_size;
    /// VkPhysicalDeviceSubgroupSizeControlProperties (Vulkan 1.3 or VK_EXT_subgroup_size_control).
    uint32_t min_subgroup_size;
    uint32_t max_subgroup_size;
    /// From a vendor extension (VK_NV_shader_sm_builtins, VK_AMD_shader_core_properties,
    /// VK_ARM_shader_core_builtins) when the device has one; 0 otherwise.
    uint32_t compute_units;
    /// shaderFloat16 (Vulkan 1.2 or VK_KHR_shader_float16_int8) and core shaderFloat64.
    VkBool32 shader_float16;
    VkBool32 shader_float64;
    /// Sum of the DEVICE_LOCAL memory heaps.
    VkDeviceSize device_local_bytes;
    uint32_t queue_family_count;
    /// Queue families with VK_QUEUE_COMPUTE_BIT.
    uint32_t compute_queue_family_count;
} ds_vulkan_device_description;

/// Fills `description` for one physical device of `instance`, chaining only the structures
/// the device's API version or extensions make valid.
void ds_vulkan_describe_device(const ds_vulkan_instance *instance, VkPhysicalDevice device,
                               ds_vulkan_device_description *description);

/// The name of a VkResult ("VK_ERROR_INCOMPATIBLE_DRIVER"), or "unknown VkResult".
const char *ds_vulkan_result_name(VkResult result);

#ifdef __cplusplus
}
#endif
#endif
