// OpenBLAS for DeviceShim's CPU backend, opened with dlopen at first use.
//
// libopenblas.so.0 is loaded with dlopen(RTLD_LOCAL), never linked: a program DeviceShim is
// preloaded into must not find BLAS symbols (sgemm_, cblas_sgemm, ...) in its global scope,
// where they would take the place of the BLAS it was linked against. A missing library is
// an error string, not a crash: the CPU backend then reports GEMM as unsupported.
//
// The header names only plain C types, so Swift does not need <cblas.h> to import it.
#ifndef DEVICESHIM_OPENBLAS_LOADER_H
#define DEVICESHIM_OPENBLAS_LOADER_H

#ifdef __cplusplus
extern "C" {
#endif

/// Loads OpenBLAS once (later calls return the first result). Returns NULL when it is
/// usable, or a description of why not (a static string).
const char *ds_openblas_load(void);

/// OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX
/// MAX_THREADS=64", or NULL when it is not loaded.
const char *ds_openblas_config(void);

/// What the loader changed, if anything: OpenBLAS releases that do not know a CPU fall back
/// to their slowest x86-64 kernels ("Prescott"); the loader then reopens the library with
/// OPENBLAS_CORETYPE naming the kernels the CPU's features support and says so here.
/// NULL when nothing was changed.
const char *ds_openblas_core_note(void);

/// The number of threads OpenBLAS uses (one per online core unless OPENBLAS_NUM_THREADS,
/// GOTO_NUM_THREADS or OMP_NUM_THREADS says otherwise), or 0 when it is not loaded.
int ds_openblas_threads(void);

/// Column-major C = alpha * op(A) * op(B) + beta * C through cblas_sgemm. The caller has
/// loaded OpenBLAS and validated every argument (OpenBLAS prints to stderr on bad ones).
void ds_openblas_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, float beta, float *c, int ldc);

/// As `ds_openblas_sgemm`, in double precision (cblas_dgemm).
void ds_openblas_dgemm(int transpose_a, int transpose_b, int m, int n, int k, double alpha, const double *a, int lda,
                       const double *b, int ldb, double beta, double *c, int ldc);

#ifdef __cplusplus
}
#endif
#endif
