@_exported import DeviceShimTensor

// The Mocks layer: CUDA and MPS semantics answered by real devices — errors, device
// properties, memory accounting, the pointer registry, streams and events — and the Swift
// `Cuda` / `Mps` faces. The C ABI (Shim) and Swift programs both stand on it.
