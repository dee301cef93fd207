// Small float32 and float64 GEMMs computed on the calling thread, for batches the CPU backend
// splits across its cores (a batched matmul of many small matrices).
//
// Why not the BLAS: OpenBLAS (0.3.21, Debian 12) runs each call on all its threads and has
// no per-thread setting, so a batch of 64 GEMMs of 128³ made 64 fork-joins over 2 cores:
// 2.2 ms, where the same GEMMs split between two threads of one core each took 1.8 ms (C
// harness, medians). MKL can compute alone on a thread (MKL_Set_Num_Threads_Local); the CPU
// backend uses that instead when MKL is its BLAS.
//
// How: op(A) is copied, 64 rows at a time, into a panel whose k-th column is 64 consecutive
// floats (zero past the last row); a register tile of 64 rows × 6 columns of C (24 vectors
// of 16 floats) adds panel column p times B's element (p, j), broadcast, for p in order. On
// one Zen 4 core, 128³ GEMMs ran at 68–75 GFLOP/s, packing included, and OpenBLAS's own
// single-threaded kernels at 66–73 in the same runs (the tile alone: 77–85; a 32 × 8 tile:
// 68). Rows past the last multiple of 64 use 16-row panels; columns past the last multiple
// of 6 are copied into a zero-padded strip. The double tile (gemm_tile.inc built for
// double) has the same shape in vectors of 8 doubles: 32 rows × 6 columns, 15–17 billion
// multiply-adds a second on one core for 128³.
//
// Each element of C is alpha · Σₚ op(A)[i,p]·op(B)[p,j], summed in order of p with fused
// multiply-adds in the element type (as BLAS kernels do), plus beta · C; C is not read when
// beta is 0, and with alpha 0 (or k 0) A and B are not read, as the BLAS reference defines.
#ifndef DEVICESHIM_GEMM_KERNELS_H
#define DEVICESHIM_GEMM_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Nonzero when `ds_float_gemm_batch` runs its vector tile here: an x86-64 CPU with
/// AVX-512F (its 32 vector registers hold the 24-vector tile). Elsewhere the kernel still
/// computes correctly, but the CPU backend leaves those GEMMs to the BLAS.
int ds_float_gemm_vectorised(void);

/// For `b` in `0..<batch_count`: column-major C_b = alpha·op(A_b)·op(B_b) + beta·C_b, where
/// A_b starts at `a + b·a_stride` (likewise B_b, C_b), op transposes when the flag is
/// nonzero, C is m × n, op(A) m × k, op(B) k × n, and `lda`, `ldb`, `ldc` are the leading
/// dimensions, as `cblas_sgemm` with CblasColMajor takes them. The caller has checked every
/// argument. Returns 0, or -1 when its scratch (about 280 bytes per unit of k) could not be
/// allocated, before any C is written.
int ds_float_gemm_batch(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                        ptrdiff_t a_stride, const float *b, int ldb, ptrdiff_t b_stride, float beta, float *c, int ldc,
                        ptrdiff_t c_stride, int batch_count);

/// `ds_float_gemm_batch` in double precision (`cblas_dgemm`'s arguments): panels of 32 rows
/// (8 for the last rows), scratch about 304 bytes per unit of k.
int ds_double_gemm_batch(int transpose_a, int transpose_b, int m, int n, int k, double alpha, const double *a, int lda,
                         ptrdiff_t a_stride, const double *b, int ldb, ptrdiff_t b_stride, double beta, double *c,
                         int ldc, ptrdiff_t c_stride, int batch_count);

#ifdef __cplusplus
}
#endif
#endif
