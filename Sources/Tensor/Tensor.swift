@_exported import DeviceShimDevices

// The Tensor layer: the tensor engine over the backend contract (see DESIGN.md). Its
// contents arrive with the tensor-engine issue; the module fixes the layer order now.
