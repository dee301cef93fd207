// The C types of the CUDA 12 runtime and cuBLAS ABIs that DeviceShim's exports take or fill,
// declared with the layouts of NVIDIA's CUDA 12 headers (field order and types as there;
// sizes are checked in cuda_abi.c, and a test compares offsets with NVIDIA's own headers).
// DeviceShim builds without NVIDIA's headers, so it declares these itself.
#ifndef DEVICESHIM_CUDA_ABI_H
#define DEVICESHIM_CUDA_ABI_H

#include <stddef.h>

/// `dim3`: grid and block sizes of a kernel launch.
typedef struct ds_dim3 {
    unsigned int x, y, z;
} ds_dim3;

/// `cudaUUID_t`.
typedef struct ds_cuda_uuid {
    char bytes[16];
} ds_cuda_uuid;

/// `struct cudaDeviceProp` (CUDA 12, 1032 bytes), filled by `cudaGetDeviceProperties_v2`.
typedef struct ds_cuda_device_prop {
    char name[256];
    ds_cuda_uuid uuid;
    char luid[8];
    unsigned int luidDeviceNodeMask;
    size_t totalGlobalMem;
    size_t sharedMemPerBlock;
    int regsPerBlock;
    int warpSize;
    size_t memPitch;
    int maxThreadsPerBlock;
    int maxThreadsDim[3];
    int maxGridSize[3];
    int clockRate;
    size_t totalConstMem;
    int major;
    int minor;
    size_t textureAlignment;
    size_t texturePitchAlignment;
    int deviceOverlap;
    int multiProcessorCount;
    int kernelExecTimeoutEnabled;
    int integrated;
    int canMapHostMemory;
    int computeMode;
    int maxTexture1D;
    int maxTexture1DMipmap;
    int maxTexture1DLinear;
    int maxTexture2D[2];
    int maxTexture2DMipmap[2];
    int maxTexture2DLinear[3];
    int maxTexture2DGather[2];
    int maxTexture3D[3];
    int maxTexture3DAlt[3];
    int maxTextureCubemap;
    int maxTexture1DLayered[2];
    int maxTexture2DLayered[3];
    int maxTextureCubemapLayered[2];
    int maxSurface1D;
    int maxSurface2D[2];
    int maxSurface3D[3];
    int maxSurface1DLayered[2];
    int maxSurface2DLayered[3];
    int maxSurfaceCubemap;
    int maxSurfaceCubemapLayered[2];
    size_t surfaceAlignment;
    int concurrentKernels;
    int ECCEnabled;
    int pciBusID;
    int pciDeviceID;
    int pciDomainID;
    int tccDriver;
    int asyncEngineCount;
    int unifiedAddressing;
    int memoryClockRate;
    int memoryBusWidth;
    int l2CacheSize;
    int persistingL2CacheMaxSize;
    int maxThreadsPerMultiProcessor;
    int streamPrioritiesSupported;
    int globalL1CacheSupported;
    int localL1CacheSupported;
    size_t sharedMemPerMultiprocessor;
    int regsPerMultiprocessor;
    int managedMemory;
    int isMultiGpuBoard;
    int multiGpuBoardGroupID;
    int hostNativeAtomicSupported;
    int singleToDoublePrecisionPerfRatio;
    int pageableMemoryAccess;
    int concurrentManagedAccess;
    int computePreemptionSupported;
    int canUseHostPointerForRegisteredMem;
    int cooperativeLaunch;
    int cooperativeMultiDeviceLaunch;
    size_t sharedMemPerBlockOptin;
    int pageableMemoryAccessUsesHostPageTables;
    int directManagedMemAccessFromHost;
    int maxBlocksPerMultiProcessor;
    int accessPolicyMaxWindowSize;
    size_t reservedSharedMemPerBlock;
    int hostRegisterSupported;
    int sparseCudaArraySupported;
    int hostRegisterReadOnlySupported;
    int timelineSemaphoreInteropSupported;
    int memoryPoolsSupported;
    int gpuDirectRDMASupported;
    unsigned int gpuDirectRDMAFlushWritesOptions;
    int gpuDirectRDMAWritesOrdering;
    unsigned int memoryPoolSupportedHandleTypes;
    int deferredMappingCudaArraySupported;
    int ipcEventSupported;
    int clusterLaunch;
    int unifiedFunctionPointers;
    int reserved[63];
} ds_cuda_device_prop;

/// `struct cudaPointerAttributes` (CUDA 11+), filled by `cudaPointerGetAttributes`.
typedef struct ds_cuda_pointer_attributes {
    int type;  // cudaMemoryType: 0 unregistered, 1 host, 2 device, 3 managed
    int device;
    void *devicePointer;
    void *hostPointer;
} ds_cuda_pointer_attributes;

/// A host function queued with `cudaLaunchHostFunc`.
typedef void (*ds_cuda_host_fn)(void *userData);
/// A callback queued with `cudaStreamAddCallback`: (stream, status, userData).
typedef void (*ds_cuda_stream_callback)(void *stream, int status, void *userData);

#endif
