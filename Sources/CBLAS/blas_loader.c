// The CPU backend's BLAS, MKL or OpenBLAS, loaded privately with dlopen (see blas_loader.h).
#define _GNU_SOURCE
#include "blas_loader.h"

#include <cblas.h>
#include <dlfcn.h>
#include <limits.h>
#include <strings.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(sizeof(blasint) == sizeof(int), "DeviceShim expects the 32-bit integer (LP64) interface");

typedef void (*sgemm_function)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE, const enum CBLAS_TRANSPOSE,
                               const blasint, const blasint, const blasint, const float, const float *, const blasint,
                               const float *, const blasint, const float, float *, const blasint);
typedef void (*dgemm_function)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE, const enum CBLAS_TRANSPOSE,
                               const blasint, const blasint, const blasint, const double, const double *, const blasint,
                               const double *, const blasint, const double, double *, const blasint);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *load_error = "the BLAS was not loaded";
static char error_text[512];
static char note[768];
static char mkl_version[256];
static const char *provider;
static sgemm_function sgemm_pointer;
static dgemm_function dgemm_pointer;
static int (*get_threads_pointer)(void);
static int (*set_local_threads_pointer)(int); // MKL only
static const char *config; // the library's description of itself

static const char *openblas_name = "libopenblas.so.0";
static const char *mkl_name = "libmkl_rt.so.2";

// Appends a sentence to the note: `format` holds one %s, for `detail`.
static void add_note(const char *format, const char *detail) {
    size_t used = strlen(note);
    if (used >= sizeof note - 1) return;
    snprintf(note + used, sizeof note - used, format, detail);
}

static int no_thread_count_chosen(void) {
    return !getenv("OPENBLAS_NUM_THREADS") && !getenv("GOTO_NUM_THREADS") && !getenv("OMP_NUM_THREADS") &&
           !getenv("MKL_NUM_THREADS");
}

// ---- OpenBLAS ----

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
    void *still_loaded = dlopen(openblas_name, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (still_loaded) return still_loaded;
    // OpenBLAS reads the variable while it is being loaded; it is removed again at once. (This
    // happens once, at the CPU device's first use; setenv is not safe against another thread
    // reading the environment at that moment.)
    setenv("OPENBLAS_CORETYPE", core, 0);
    void *reopened = dlopen(openblas_name, RTLD_NOW | RTLD_LOCAL);
    unsetenv("OPENBLAS_CORETYPE");
    add_note(" OpenBLAS did not recognise this CPU and chose its Prescott kernels; reopened with OPENBLAS_CORETYPE=%s.",
             core);
    return reopened;
}

static const char *load_openblas(void) {
    int already_loaded = dlopen(openblas_name, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD) != NULL;
    void *handle = dlopen(openblas_name, RTLD_NOW | RTLD_LOCAL);
    if (handle && !already_loaded) handle = open_with_best_core(handle);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(error_text, sizeof error_text, "%s could not be loaded: %s", openblas_name, reason ? reason : "unknown error");
        return error_text;
    }
    sgemm_pointer = (sgemm_function)dlsym(handle, "cblas_sgemm");
    dgemm_pointer = (dgemm_function)dlsym(handle, "cblas_dgemm");
    void (*set_threads)(int) = (void (*)(int))dlsym(handle, "openblas_set_num_threads");
    get_threads_pointer = (int (*)(void))dlsym(handle, "openblas_get_num_threads");
    char *(*get_config)(void) = (char *(*)(void))dlsym(handle, "openblas_get_config");
    if (!sgemm_pointer || !dgemm_pointer || !set_threads || !get_threads_pointer || !get_config) {
        snprintf(error_text, sizeof error_text, "%s lacks cblas_sgemm, cblas_dgemm or the openblas_* thread and config functions",
                 openblas_name);
        return error_text;
    }
    // One OpenBLAS thread per online core, unless the user chose a count in the environment
    // or the host program loaded OpenBLAS itself (its settings are the host's to make).
    if (!already_loaded && no_thread_count_chosen()) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (cores > 0) set_threads((int)cores);
    }
    config = get_config();
    provider = "openblas";
    return NULL;
}

// ---- Intel oneMKL ----

// MKL's single dynamic library (libmkl_rt) loads its other parts from its own folder, and
// ends the process when one is missing: each is checked here before MKL is asked anything.
static const char *mkl_kernel_library(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "libmkl_avx512.so.2";
    if (__builtin_cpu_supports("avx2")) return "libmkl_avx2.so.2";
    return NULL;
}

// MKL's threading layers: MKL's code for each, and the OpenMP or TBB runtime it runs on.
static const struct threading_layer {
    const char *name, *part, *runtime;
    int code; // MKL_THREADING_*
} threading_layers[] = {
    {"GNU", "libmkl_gnu_thread.so.2", "libgomp.so.1", 3},
    {"INTEL", "libmkl_intel_thread.so.2", "libiomp5.so", 0},
    {"SEQUENTIAL", "libmkl_sequential.so.2", NULL, 1},
    {"TBB", "libmkl_tbb_thread.so.2", "libtbb.so.12", 4},
};

// Loads a layer's runtime: from MKL's folder if it is there (as pip's intel-openmp wheel puts
// Intel's OpenMP beside MKL), else by the loader's search path.
static void *load_runtime(const char *folder, const char *runtime) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", folder, runtime);
    void *loaded = access(path, R_OK) == 0 ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
    return loaded ? loaded : dlopen(runtime, RTLD_NOW | RTLD_LOCAL);
}

// Checks that MKL's parts for this CPU and threading layer are beside libmkl_rt and loads the
// layer's runtime; returns the layer, or NULL with the reason in *problem.
static const struct threading_layer *prepare_mkl(void *handle, const char **problem) {
    char folder[PATH_MAX];
    if (dlinfo(handle, RTLD_DI_ORIGIN, folder) != 0) {
        *problem = "its folder could not be read";
        return NULL;
    }
    // GNU OpenMP unless the user chose a layer: a program that links GNU OpenMP itself would
    // otherwise hold two OpenMP runtimes, and MKL's calls to omp_get_thread_num would find GNU's
    // first in the global scope while its threads ran on Intel's (wrong products). See
    // `ds_blas_sgemm` for what GNU OpenMP asks of the caller at fork.
    const char *chosen = getenv("MKL_THREADING_LAYER");
    const struct threading_layer *layer = NULL;
    for (size_t i = 0; i < sizeof threading_layers / sizeof threading_layers[0]; i++) {
        if (strcasecmp(chosen ? chosen : "GNU", threading_layers[i].name) == 0) layer = &threading_layers[i];
    }
    if (!layer) {
        *problem = "MKL_THREADING_LAYER names no layer DeviceShim knows (GNU, INTEL, SEQUENTIAL, TBB)";
        return NULL;
    }
    if (layer->code == 0 && dlopen("libgomp.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD)) {
        snprintf(error_text, sizeof error_text, "MKL_THREADING_LAYER=%s in a program with GNU OpenMP loaded: MKL's "
                 "threads would take GNU's thread numbers and compute wrong products", chosen);
        *problem = error_text;
        return NULL;
    }
    const char *parts[] = {"libmkl_core.so.2", "libmkl_intel_lp64.so.2", layer->part, mkl_kernel_library()};
    if (!parts[3]) {
        *problem = "this CPU has neither AVX2 nor AVX-512, for which DeviceShim sets up MKL";
        return NULL;
    }
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s", folder, parts[i]);
        if (access(path, R_OK) != 0) {
            snprintf(error_text, sizeof error_text, "%s is missing", path);
            *problem = error_text;
            return NULL;
        }
    }
    if (layer->runtime && !load_runtime(folder, layer->runtime)) {
        snprintf(error_text, sizeof error_text, "%s, which MKL's %s threading layer runs on, could not be loaded",
                 layer->runtime, layer->name);
        *problem = error_text;
        return NULL;
    }
    return layer;
}

static const char *load_mkl(void) {
    const char *path = getenv("DEVICESHIM_MKL_LIBRARY");
    if (!path || !path[0]) path = mkl_name;
    int already_loaded = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD) != NULL;
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(error_text, sizeof error_text, "%s could not be loaded: %s", path, reason ? reason : "unknown error");
        return error_text;
    }
    // A library the host loaded has its parts; but it must use 32-bit integers, as DeviceShim does.
    const char *interface = getenv("MKL_INTERFACE_LAYER"), *problem = NULL;
    const struct threading_layer *layer = NULL;
    if (!already_loaded) {
        layer = prepare_mkl(handle, &problem);
    } else if (interface && strcasestr(interface, "ILP64")) {
        problem = "the host set it up for 64-bit integers (ILP64)";
    }
    if (problem) {
        if (problem != error_text) snprintf(error_text, sizeof error_text, "%s: %s", path, problem);
        dlclose(handle);
        return error_text;
    }
    int (*set_threading)(int) = (int (*)(int))dlsym(handle, "MKL_Set_Threading_Layer");
    int (*set_interface)(int) = (int (*)(int))dlsym(handle, "MKL_Set_Interface_Layer");
    sgemm_pointer = (sgemm_function)dlsym(handle, "cblas_sgemm");
    dgemm_pointer = (dgemm_function)dlsym(handle, "cblas_dgemm");
    get_threads_pointer = (int (*)(void))dlsym(handle, "MKL_Get_Max_Threads");
    void (*version)(char *, int) = (void (*)(char *, int))dlsym(handle, "MKL_Get_Version_String");
    set_local_threads_pointer = (int (*)(int))dlsym(handle, "MKL_Set_Num_Threads_Local");
    if (!set_threading || !set_interface || !sgemm_pointer || !dgemm_pointer || !get_threads_pointer || !version ||
        !set_local_threads_pointer) {
        snprintf(error_text, sizeof error_text, "%s lacks cblas_sgemm, cblas_dgemm or the MKL_* layer, thread and version functions",
                 path);
        sgemm_pointer = NULL;
        dgemm_pointer = NULL;
        set_local_threads_pointer = NULL;
        return error_text;
    }
    // Before any other call: the layer checked above, and 32-bit integers, as cblas.h
    // declares them. A host's own MKL keeps its settings.
    if (layer) set_threading(layer->code);
    if (!already_loaded) set_interface(0 /* MKL_INTERFACE_LP64 */);
    version(mkl_version, sizeof mkl_version - 1);
    config = mkl_version;
    provider = "mkl";
    add_note(" Intel oneMKL from %s.", path);
    return NULL;
}

// ---- choosing ----

static int is_intel_cpu(void) {
    __builtin_cpu_init();
    return __builtin_cpu_is("intel");
}

static void load(void) {
    const char *choice = getenv("DEVICESHIM_BLAS");
    int want_mkl;
    if (!choice || !choice[0] || strcmp(choice, "auto") == 0) {
        want_mkl = is_intel_cpu();
    } else if (strcmp(choice, "mkl") == 0 || strcmp(choice, "openblas") == 0) {
        want_mkl = choice[0] == 'm';
    } else {
        add_note(" DEVICESHIM_BLAS=%s is not mkl, openblas or auto; taken as auto.", choice);
        want_mkl = is_intel_cpu();
    }
    if (want_mkl) {
        const char *mkl_problem = load_mkl();
        if (!mkl_problem) {
            load_error = NULL;
            return;
        }
        add_note(" MKL not used (%s); OpenBLAS instead.", mkl_problem);
    }
    load_error = load_openblas();
}

const char *ds_blas_load(void) {
    pthread_once(&load_once, load);
    return load_error;
}

const char *ds_blas_provider(void) {
    return ds_blas_load() ? NULL : provider;
}

const char *ds_blas_config(void) {
    return ds_blas_load() ? NULL : config;
}

const char *ds_blas_note(void) {
    pthread_once(&load_once, load);
    // Each sentence starts with a space.
    return note[0] ? note + 1 : NULL;
}

int ds_blas_threads(void) {
    return ds_blas_load() ? 0 : get_threads_pointer();
}

static enum CBLAS_TRANSPOSE transpose(int flag) { return flag ? CblasTrans : CblasNoTrans; }

// MKL's threads for calls on this thread: 1 on a host thread, else the process's setting (0).
// Returns the previous value, to restore. OpenBLAS is left alone (its threads are its own).
static int limit_threads(int on_host_thread) {
    return on_host_thread && set_local_threads_pointer ? set_local_threads_pointer(1) : -1;
}

static void restore_threads(int previous) {
    if (previous >= 0) set_local_threads_pointer(previous);
}

void ds_blas_sgemm(int on_host_thread, int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a,
                   int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    int previous = limit_threads(on_host_thread);
    sgemm_pointer(CblasColMajor, transpose(transpose_a), transpose(transpose_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    restore_threads(previous);
}

void ds_blas_dgemm(int on_host_thread, int transpose_a, int transpose_b, int m, int n, int k, double alpha, const double *a,
                   int lda, const double *b, int ldb, double beta, double *c, int ldc) {
    int previous = limit_threads(on_host_thread);
    dgemm_pointer(CblasColMajor, transpose(transpose_a), transpose(transpose_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    restore_threads(previous);
}
