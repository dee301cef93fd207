@_exported import DeviceShimLogging

// The Devices layer: device requests ("cuda:1", "mps"), the redirect policy, the redirector
// and the backends (CPU, OpenCL, Vulkan). Its contents arrive with the Devices issue; the
// module exists now so that the layer order is fixed in Package.swift from the start.
