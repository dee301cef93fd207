@_exported import DeviceShimTensor

// The Mocks layer: CUDA and MPS semantics answered by real devices (properties, memory
// accounting, streams, events, errors) and the Swift `Cuda` / `Mps` faces. Its contents
// arrive with the Mocks issue; the module fixes the layer order now.
