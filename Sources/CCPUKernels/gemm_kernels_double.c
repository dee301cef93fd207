// Small float64 GEMMs on the calling thread (see gemm_kernels.h), from gemm_tile.inc.
#include "gemm_kernels.h"

#define ELEMENT double
#define TILE_BATCH ds_double_gemm_batch
#include "gemm_tile.inc"
