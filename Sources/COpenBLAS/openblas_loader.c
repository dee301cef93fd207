// OpenBLAS, loaded privately with dlopen (see openblas_loader.h).
#define _GNU_SOURCE
#include "openblas_loader.h"

#include <cblas.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(sizeof(blasint) == sizeof(int), "DeviceShim expects OpenBLAS's 32-bit integer interface");

typedef void (*sgemm_function)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE, const enum CBLAS_TRANSPOSE,
                               const blasint, const blasint, const blasint, const float, const float *, const blasint,
                               const float *, const blasint, const float, float *, const blasint);
typedef void (*dgemm_function)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE, const enum CBLAS_TRANSPOSE,
                               const blasint, const blasint, const blasint, const double, const double *, const blasint,
                               const double *, const blasint, const double, double *, const blasint);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *load_error = "OpenBLAS was not loaded";
static char error_text[512];
static char core_note[256];
static sgemm_function sgemm_pointer;
static dgemm_function dgemm_pointer;
static void (*set_threads_pointer)(int);
static int (*get_threads_pointer)(void);
static char *(*get_config_pointer)(void);

static const char *library_name = "libopenblas.so.0";

// The OPENBLAS_CORETYPE whose kernels this CPU runs, or NULL for none better than the fallback.
static const char *best_core_type(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    return NULL;
}

// A DYNAMIC_ARCH OpenBLAS that does not recognise the CPU (a model newer than the release)
// runs its Prescott (SSE3) kernels, several times slower than the CPU can. If the library
// is ours alone (not already loaded by the host) and the user did not choose a core type,
// reopen it with the core type the CPU's features support.
static void *open_with_best_core(void *handle) {
    const char *(*corename)(void) = (const char *(*)(void))dlsym(handle, "openblas_get_corename");
    const char *core = best_core_type();
    if (!corename || !core || strcmp(corename(), "Prescott") != 0 || getenv("OPENBLAS_CORETYPE")) return handle;
    dlclose(handle);
    void *still_loaded = dlopen(library_name, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (still_loaded) return still_loaded;
    // OpenBLAS reads the variable while it is being loaded; it is removed again at once. (This
    // happens once, at the CPU device's first use; setenv is not safe against another thread
    // reading the environment at that moment.)
    setenv("OPENBLAS_CORETYPE", core, 0);
    void *reopened = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    unsetenv("OPENBLAS_CORETYPE");
    snprintf(core_note, sizeof core_note,
             "OpenBLAS did not recognise this CPU and chose its Prescott kernels; reopened with OPENBLAS_CORETYPE=%s",
             core);
    return reopened;
}

static void load(void) {
    int already_loaded = dlopen(library_name, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD) != NULL;
    void *handle = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (handle && !already_loaded) handle = open_with_best_core(handle);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(error_text, sizeof error_text, "%s could not be loaded: %s", library_name, reason ? reason : "unknown error");
        load_error = error_text;
        return;
    }
    sgemm_pointer = (sgemm_function)dlsym(handle, "cblas_sgemm");
    dgemm_pointer = (dgemm_function)dlsym(handle, "cblas_dgemm");
    set_threads_pointer = (void (*)(int))dlsym(handle, "openblas_set_num_threads");
    get_threads_pointer = (int (*)(void))dlsym(handle, "openblas_get_num_threads");
    get_config_pointer = (char *(*)(void))dlsym(handle, "openblas_get_config");
    if (!sgemm_pointer || !dgemm_pointer || !set_threads_pointer || !get_threads_pointer || !get_config_pointer) {
        snprintf(error_text, sizeof error_text, "%s lacks cblas_sgemm, cblas_dgemm or the openblas_* thread and config functions",
                 library_name);
        load_error = error_text;
        sgemm_pointer = NULL;
        dgemm_pointer = NULL;
        return;
    }
    // One OpenBLAS thread per online core, unless the user chose a count in the environment
    // or the host program loaded OpenBLAS itself (its settings are the host's to make).
    if (!already_loaded && !getenv("OPENBLAS_NUM_THREADS") && !getenv("GOTO_NUM_THREADS") && !getenv("OMP_NUM_THREADS")) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (cores > 0) set_threads_pointer((int)cores);
    }
    load_error = NULL;
}

const char *ds_openblas_load(void) {
    pthread_once(&load_once, load);
    return load_error;
}

const char *ds_openblas_config(void) {
    return ds_openblas_load() ? NULL : get_config_pointer();
}

const char *ds_openblas_core_note(void) {
    pthread_once(&load_once, load);
    return core_note[0] ? core_note : NULL;
}

int ds_openblas_threads(void) {
    return ds_openblas_load() ? 0 : get_threads_pointer();
}

static enum CBLAS_TRANSPOSE transpose(int flag) { return flag ? CblasTrans : CblasNoTrans; }

void ds_openblas_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, float beta, float *c, int ldc) {
    sgemm_pointer(CblasColMajor, transpose(transpose_a), transpose(transpose_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void ds_openblas_dgemm(int transpose_a, int transpose_b, int m, int n, int k, double alpha, const double *a, int lda,
                       const double *b, int ldb, double beta, double *c, int ldc) {
    dgemm_pointer(CblasColMajor, transpose(transpose_a), transpose(transpose_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
