// bfloat16 GEMMs on the calling thread, on CPUs with AVX512-BF16 (Zen 4, Intel from Cooper
// Lake and Sapphire Rapids on).
//
// Why: without it the CPU backend widened each batch to float32, multiplied with the BLAS
// and rounded back: `bmm` of 64 × 128³ took 5.5–8.2 ms on two Zen 4 cores, where PyTorch
// (oneDNN's AVX512-BF16 kernels) took 0.73–0.85 ms.
//
// How: `vdpbf16ps` multiplies 16 pairs of bfloat16 by 16 pairs and adds each pair's two
// products to a float32 lane. op(A) is copied, 64 rows at a time, into a panel whose entry
// (pair q, row r) is the 32 bits A[r, 2q] | A[r, 2q+1] << 16. op(B)'s column j supplies the
// pairs B[2q, j] | B[2q+1, j] << 16: read in place when its elements are contiguous and k is
// even (a column then is its pairs, in order), copied otherwise into strips of six columns
// (zero past k and past the last column). A register tile of 64 rows × 6 columns of C (24
// vectors of 16 float32 sums) adds, for each pair q, the panel's four vectors times each
// column's pair, broadcast. On one Zen 4 core, batches of 128³ ran at 94–98 billion
// multiply-adds a second, packing included (C harness, medians); two cores took 0.74–0.76 ms
// for 64 of them.
//
// Numbers: each element is alpha · Σₚ A[i,p]·B[p,j] + beta · C, summed in float32 (every
// product of two bfloat16 is exact in float32; the sums round to nearest even) and rounded
// to bfloat16 once, to nearest even, NaN kept quiet. As PyTorch's oneDNN kernels, which use
// the same instruction: subnormal bfloat16 inputs count as zero, and subnormal float32
// sums become zero (`vdpbf16ps` ignores MXCSR). C is not read when beta is 0; with alpha 0
// (or k 0) A and B are not read, as the BLAS reference defines.
#ifndef DEVICESHIM_BFLOAT16_GEMM_H
#define DEVICESHIM_BFLOAT16_GEMM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Nonzero when this CPU has AVX512-BF16, which `ds_bfloat16_gemm_batch` needs.
int ds_bfloat16_gemm_supported(void);

/// For `b` in `0..<batch_count`, columns `column_begin ..< column_end` of column-major
/// C_b = alpha·op(A_b)·op(B_b) + beta·C_b, where A_b starts at `a + b·a_stride` (likewise B_b,
/// C_b), op transposes when the flag is nonzero, C is m × n, op(A) m × k, op(B) k × n, and
/// `lda`, `ldb`, `ldc` are the leading dimensions, as `cblas_sgemm` takes them; elements are
/// bfloat16 bit patterns. The caller has checked every argument and that
/// `0 <= column_begin <= column_end <= n` (n itself is not needed). Returns 0; -1 when its scratch (about
/// 2·(70 + column_end − column_begin)·(k + 1) bytes) could not be allocated; -2 when the CPU
/// lacks AVX512-BF16. Nothing is written when it fails.
int ds_bfloat16_gemm_batch(int transpose_a, int transpose_b, int m, int k, float alpha, const uint16_t *a,
                           int lda, ptrdiff_t a_stride, const uint16_t *b, int ldb, ptrdiff_t b_stride, float beta,
                           uint16_t *c, int ldc, ptrdiff_t c_stride, int batch_count, int column_begin,
                           int column_end);

#ifdef __cplusplus
}
#endif
#endif
