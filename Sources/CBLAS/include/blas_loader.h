// The BLAS behind DeviceShim's CPU backend, opened with dlopen at first use: Intel oneMKL
// (libmkl_rt.so.2) or OpenBLAS (libopenblas.so.0).
//
// The library is loaded with dlopen(RTLD_LOCAL), never linked: a program DeviceShim is
// preloaded into must not find BLAS symbols (sgemm_, cblas_sgemm, ...) in its global scope,
// where they would take the place of the BLAS it was linked against. A missing library is
// an error string, not a crash: the CPU backend then reports GEMM as unsupported.
//
// Which one: DEVICESHIM_BLAS=mkl, openblas or auto (the default). auto takes MKL on Intel
// CPUs when it can be loaded (MKL's own kernels are Intel's; on other vendors' CPUs OpenBLAS
// is the usual choice), else OpenBLAS. MKL is found at DEVICESHIM_MKL_LIBRARY (a path to
// libmkl_rt.so.2), else by the loader's search path (LD_LIBRARY_PATH, ldconfig). MKL runs its
// threads on GNU OpenMP (libgomp), as a program built with -fopenmp does, unless
// MKL_THREADING_LAYER says otherwise. When MKL was asked for and cannot be used, OpenBLAS
// serves and `ds_blas_note` says why.
//
// The header names only plain C types, so Swift does not need <cblas.h> to import it.
#ifndef DEVICESHIM_BLAS_LOADER_H
#define DEVICESHIM_BLAS_LOADER_H

#ifdef __cplusplus
extern "C" {
#endif

/// Loads the BLAS once (later calls return the first result). Returns NULL when it is
/// usable, or a description of why not (a static string).
const char *ds_blas_load(void);

/// "mkl" or "openblas": the library loaded, or NULL when none is.
const char *ds_blas_provider(void);

/// The library's own description of itself, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY
/// SkylakeX MAX_THREADS=64" or "Intel(R) oneAPI Math Kernel Library Version 2025.2-Product
/// Build 20250620 for Intel(R) 64 architecture applications", or NULL when none is loaded.
const char *ds_blas_config(void);

/// What the loader chose and why, for the log: the library and where it came from, and
/// anything it changed or passed over (MKL asked for but not loadable; OpenBLAS reopened with
/// the kernels the CPU supports because its release did not know the CPU). NULL before loading.
const char *ds_blas_note(void);

/// The number of threads the library uses, or 0 when none is loaded: one per online core for
/// OpenBLAS (MKL: per physical core), unless OPENBLAS_NUM_THREADS, MKL_NUM_THREADS,
/// GOTO_NUM_THREADS or OMP_NUM_THREADS says otherwise or the host program loaded the library
/// itself and set its own count.
int ds_blas_threads(void);

/// Column-major C = alpha * op(A) * op(B) + beta * C through cblas_sgemm. The caller has
/// loaded the library and validated every argument (BLAS prints to stderr on bad ones).
///
/// `on_host_thread` is nonzero when the calling thread is not DeviceShim's own (the CPU queue
/// runs small GEMMs on its caller's thread). MKL then computes on that thread alone: a GNU
/// OpenMP parallel region would leave the thread a pool of OpenMP threads, which a fork does
/// not copy, and an OpenMP loop in a child forked from that thread would wait for them forever.
/// OpenBLAS's threads are its own and survive fork, so it ignores the flag.
void ds_blas_sgemm(int on_host_thread, int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

/// As `ds_blas_sgemm`, in double precision (cblas_dgemm).
void ds_blas_dgemm(int on_host_thread, int transpose_a, int transpose_b, int m, int n, int k, double alpha,
                   const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc);

#ifdef __cplusplus
}
#endif
#endif
