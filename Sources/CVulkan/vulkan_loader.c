// Placeholder: replaced by the Vulkan loader.
