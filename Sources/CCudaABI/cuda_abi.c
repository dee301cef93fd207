// Compile-time checks that DeviceShim's declarations have the sizes of NVIDIA's CUDA 12 ABI.
#include "cuda_abi.h"

_Static_assert(sizeof(ds_dim3) == 12, "dim3 is three unsigned ints");
_Static_assert(sizeof(ds_cuda_device_prop) == 1032, "cudaDeviceProp is 1032 bytes in CUDA 12");
_Static_assert(offsetof(ds_cuda_device_prop, reserved) == 780, "cudaDeviceProp.reserved is at 780 in CUDA 12");
_Static_assert(sizeof(ds_cuda_pointer_attributes) == 24, "cudaPointerAttributes is 24 bytes");
