/// A Vulkan handle (or handles) passed between threads and out of locks. Handles are plain
/// values; whoever owns the object keeps Vulkan's external-synchronisation rules.
struct VulkanHandle: @unchecked Sendable {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }
}

struct VulkanHandles: @unchecked Sendable {
    let raw: [OpaquePointer]

    init(_ raw: [OpaquePointer]) { self.raw = raw }
}
