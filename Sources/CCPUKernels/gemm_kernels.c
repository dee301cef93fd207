// Small float32 and float64 GEMMs on the calling thread (see gemm_kernels.h); the double
// tile is in gemm_kernels_double.c, both from gemm_tile.inc.
#include "gemm_kernels.h"

#define ELEMENT float
#define TILE_BATCH ds_float_gemm_batch
#include "gemm_tile.inc"

int ds_float_gemm_vectorised(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}
