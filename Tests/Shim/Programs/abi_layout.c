// Compares the offsets and sizes of DeviceShim's declarations of the CUDA ABI types
// (Sources/CCudaABI/include/cuda_abi.h) with NVIDIA's CUDA 12 headers, field by field.
// Prints "ok N fields" and exits 0 when all agree.
#include <cuda_runtime_api.h>
#include <stddef.h>
#include <stdio.h>
#include "cuda_abi.h"

static int checked, failed;

#define SAME(theirs, ours, field) do { checked++; \
    if (offsetof(theirs, field) != offsetof(ours, field) || sizeof(((theirs *)0)->field) != sizeof(((ours *)0)->field)) { \
        failed++; printf("FAIL %s.%s: NVIDIA offset %zu size %zu, ours %zu size %zu\n", #theirs, #field, \
               offsetof(theirs, field), sizeof(((theirs *)0)->field), offsetof(ours, field), sizeof(((ours *)0)->field)); } } while (0)

int main(void) {
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, name);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, uuid);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, luid);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, luidDeviceNodeMask);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, totalGlobalMem);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, sharedMemPerBlock);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, regsPerBlock);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, warpSize);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, memPitch);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxThreadsPerBlock);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxThreadsDim);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxGridSize);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, clockRate);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, totalConstMem);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, major);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, minor);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, textureAlignment);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, texturePitchAlignment);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, deviceOverlap);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, multiProcessorCount);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, kernelExecTimeoutEnabled);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, integrated);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, canMapHostMemory);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, computeMode);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture1D);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture1DMipmap);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture1DLinear);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture2D);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture2DMipmap);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture2DLinear);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture2DGather);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture3D);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture3DAlt);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTextureCubemap);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture1DLayered);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTexture2DLayered);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxTextureCubemapLayered);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxSurface1D);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxSurface2D);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxSurface3D);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxSurface1DLayered);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxSurface2DLayered);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxSurfaceCubemap);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxSurfaceCubemapLayered);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, surfaceAlignment);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, concurrentKernels);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, ECCEnabled);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, pciBusID);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, pciDeviceID);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, pciDomainID);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, tccDriver);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, asyncEngineCount);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, unifiedAddressing);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, memoryClockRate);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, memoryBusWidth);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, l2CacheSize);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, persistingL2CacheMaxSize);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxThreadsPerMultiProcessor);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, streamPrioritiesSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, globalL1CacheSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, localL1CacheSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, sharedMemPerMultiprocessor);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, regsPerMultiprocessor);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, managedMemory);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, isMultiGpuBoard);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, multiGpuBoardGroupID);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, hostNativeAtomicSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, singleToDoublePrecisionPerfRatio);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, pageableMemoryAccess);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, concurrentManagedAccess);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, computePreemptionSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, canUseHostPointerForRegisteredMem);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, cooperativeLaunch);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, cooperativeMultiDeviceLaunch);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, sharedMemPerBlockOptin);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, pageableMemoryAccessUsesHostPageTables);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, directManagedMemAccessFromHost);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, maxBlocksPerMultiProcessor);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, accessPolicyMaxWindowSize);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, reservedSharedMemPerBlock);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, hostRegisterSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, sparseCudaArraySupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, hostRegisterReadOnlySupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, timelineSemaphoreInteropSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, memoryPoolsSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, gpuDirectRDMASupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, gpuDirectRDMAFlushWritesOptions);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, gpuDirectRDMAWritesOrdering);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, memoryPoolSupportedHandleTypes);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, deferredMappingCudaArraySupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, ipcEventSupported);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, clusterLaunch);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, unifiedFunctionPointers);
    SAME(struct cudaDeviceProp, ds_cuda_device_prop, reserved);
    SAME(struct cudaPointerAttributes, ds_cuda_pointer_attributes, type);
    SAME(struct cudaPointerAttributes, ds_cuda_pointer_attributes, device);
    SAME(struct cudaPointerAttributes, ds_cuda_pointer_attributes, devicePointer);
    SAME(struct cudaPointerAttributes, ds_cuda_pointer_attributes, hostPointer);
    SAME(dim3, ds_dim3, x);
    SAME(dim3, ds_dim3, y);
    SAME(dim3, ds_dim3, z);
    checked++;
    if (sizeof(struct cudaDeviceProp) != sizeof(ds_cuda_device_prop)) { failed++; printf("FAIL sizeof cudaDeviceProp\n"); }
    if (failed == 0) printf("ok %d fields\n", checked);
    return failed != 0;
}
