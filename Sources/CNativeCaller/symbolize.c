// Address -> symbol+offset, object path (dladdr) and source file:line (elfutils libdw).
#define _GNU_SOURCE
#include "native_caller.h"

#include <dlfcn.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <pthread.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
#include <unistd.h>

// libdw entry points, looked up once from a private dlopen of libdw.so.1.
static struct {
    Dwfl *(*begin)(const Dwfl_Callbacks *);
    void (*report_begin)(Dwfl *);
    int (*report_end)(Dwfl *, int (*)(Dwfl_Module *, void *, const char *, Dwarf_Addr, void *), void *);
    int (*linux_proc_report)(Dwfl *, pid_t);
    Dwfl_Module *(*addrmodule)(Dwfl *, Dwarf_Addr);
    Dwfl_Line *(*module_getsrc)(Dwfl_Module *, Dwarf_Addr);
    const char *(*lineinfo)(Dwfl_Line *, Dwarf_Addr *, int *, int *, Dwarf_Word *, Dwarf_Word *);
    const char *(*module_addrinfo)(Dwfl_Module *, GElf_Addr, GElf_Off *, GElf_Sym *, GElf_Word *, Elf **, Dwarf_Addr *);
    Dwarf_Die *(*module_nextcu)(Dwfl_Module *, Dwarf_Die *, Dwarf_Addr *);
    int (*haspc)(Dwarf_Die *, Dwarf_Addr);
    Dwarf_Line *(*getsrc_die)(Dwarf_Die *, Dwarf_Addr);
    int (*lineno)(Dwarf_Line *, int *);
    const char *(*linesrc)(Dwarf_Line *, Dwarf_Word *, Dwarf_Word *);
} dw;

static pthread_once_t dwarf_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t dwarf_lock = PTHREAD_MUTEX_INITIALIZER;  // Dwfl is not thread-safe.
static Dwfl_Callbacks dwarf_callbacks;
static Dwfl *session;

#define LOOK_UP(handle, field, name) (*(void **)&dw.field = dlsym(handle, name))

static void load_dwarf(void) {
    void *handle = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
    void *find_elf = dlsym(handle, "dwfl_linux_proc_find_elf");
    void *find_debuginfo = dlsym(handle, "dwfl_standard_find_debuginfo");
    int complete = find_elf && find_debuginfo
        && LOOK_UP(handle, begin, "dwfl_begin") && LOOK_UP(handle, report_begin, "dwfl_report_begin")
        && LOOK_UP(handle, report_end, "dwfl_report_end")
        && LOOK_UP(handle, linux_proc_report, "dwfl_linux_proc_report")
        && LOOK_UP(handle, addrmodule, "dwfl_addrmodule") && LOOK_UP(handle, module_getsrc, "dwfl_module_getsrc")
        && LOOK_UP(handle, lineinfo, "dwfl_lineinfo") && LOOK_UP(handle, module_addrinfo, "dwfl_module_addrinfo")
        && LOOK_UP(handle, module_nextcu, "dwfl_module_nextcu") && LOOK_UP(handle, haspc, "dwarf_haspc")
        && LOOK_UP(handle, getsrc_die, "dwarf_getsrc_die") && LOOK_UP(handle, lineno, "dwarf_lineno")
        && LOOK_UP(handle, linesrc, "dwarf_linesrc");
    if (!complete) return;
    *(void **)&dwarf_callbacks.find_elf = find_elf;
    *(void **)&dwarf_callbacks.find_debuginfo = find_debuginfo;
    session = dw.begin(&dwarf_callbacks);
}

int ds_dwarf_available(void) {
    pthread_once(&dwarf_once, load_dwarf);
    return session != NULL;
}

// Reads /proc/self/maps again: objects loaded since the last report (dlopen) become known.
static void report_loaded_objects(void) {
    dw.report_begin(session);
    dw.linux_proc_report(session, getpid());
    dw.report_end(session, NULL, NULL);
}

static Dwfl_Module *module_for(uintptr_t address) {
    static int reported;
    if (!reported) {
        report_loaded_objects();
        reported = 1;
    }
    Dwfl_Module *module = dw.addrmodule(session, address);
    if (!module) {
        report_loaded_objects();
        module = dw.addrmodule(session, address);
    }
    return module;
}

static char *demangled(const char *name) {
    typedef char *(*cxa_demangle_function)(const char *, char *, size_t *, int *);
    typedef char *(*swift_demangle_function)(const char *, size_t, char *, size_t *, uint32_t);
    if (strncmp(name, "_Z", 2) == 0) {
        cxa_demangle_function demangle = (cxa_demangle_function)dlsym(RTLD_DEFAULT, "__cxa_demangle");
        int status = -1;
        char *result = demangle ? demangle(name, NULL, NULL, &status) : NULL;
        if (result && status == 0) return result;
        free(result);
    } else if (strncmp(name, "$s", 2) == 0) {
        swift_demangle_function demangle = (swift_demangle_function)dlsym(RTLD_DEFAULT, "swift_demangle");
        char *result = demangle ? demangle(name, strlen(name), NULL, NULL, 0) : NULL;
        if (result) return result;
    }
    return strdup(name);
}

// libdw before 0.191 finds a compile unit by address only through .debug_aranges, which
// gcc emits and clang does not: for clang-built code, ask each unit whether it has the pc.
static const char *line_by_scanning_units(Dwfl_Module *module, uintptr_t address, int *line_number) {
    Dwarf_Addr bias = 0;
    for (Dwarf_Die *unit = dw.module_nextcu(module, NULL, &bias); unit; unit = dw.module_nextcu(module, unit, &bias)) {
        if (dw.haspc(unit, address - bias) != 1) continue;
        Dwarf_Line *line = dw.getsrc_die(unit, address - bias);
        if (line && dw.lineno(line, line_number) == 0) return dw.linesrc(line, NULL, NULL);
    }
    return NULL;
}

static void symbolize_with_dwarf(uintptr_t call_site, uintptr_t return_address, ds_symbol_info *info) {
    Dwfl_Module *module = module_for(call_site);
    if (!module) return;
    if (!info->symbol) {
        GElf_Off offset = 0;
        GElf_Sym symbol;
        const char *name = dw.module_addrinfo(module, call_site, &offset, &symbol, NULL, NULL, NULL);
        if (name) {
            info->symbol = demangled(name);
            info->offset = offset + (return_address - call_site);
        }
    }
    Dwfl_Line *line = dw.module_getsrc(module, call_site);
    int line_number = 0;
    const char *file = line ? dw.lineinfo(line, NULL, &line_number, NULL, NULL, NULL) : NULL;
    if (!file) file = line_by_scanning_units(module, call_site, &line_number);
    if (file) {
        info->file = strdup(file);
        info->line = line_number;
    }
}

// glibc's dladdr names the main program by argv[0], which may be relative: use its real path.
static char *object_path(const Dl_info *loaded) {
    if (!loaded->dli_fname || !loaded->dli_fname[0] || loaded->dli_fname[0] == '/') {
        return (loaded->dli_fname && loaded->dli_fname[0]) ? strdup(loaded->dli_fname) : NULL;
    }
    Dl_info main_program;
    char path[PATH_MAX];
    if (dladdr((void *)getauxval(AT_PHDR), &main_program) && main_program.dli_fbase == loaded->dli_fbase) {
        ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
        if (length > 0) {
            path[length] = '\0';
            return strdup(path);
        }
    }
    return realpath(loaded->dli_fname, path) ? strdup(path) : strdup(loaded->dli_fname);
}

int ds_symbolize(uintptr_t return_address, ds_symbol_info *info) {
    memset(info, 0, sizeof *info);
    if (return_address == 0) return -1;
    // A return address points after the call; the call itself is one byte earlier.
    uintptr_t call_site = return_address - 1;
    Dl_info loaded;
    uintptr_t base = 0;
    if (dladdr((void *)call_site, &loaded)) {
        info->object = object_path(&loaded);
        base = (uintptr_t)loaded.dli_fbase;
        if (loaded.dli_sname) {
            info->symbol = demangled(loaded.dli_sname);
            info->offset = return_address - (uintptr_t)loaded.dli_saddr;
        }
    }
    if (ds_dwarf_available()) {
        pthread_mutex_lock(&dwarf_lock);
        symbolize_with_dwarf(call_site, return_address, info);
        pthread_mutex_unlock(&dwarf_lock);
    }
    if (!info->symbol && base) info->offset = return_address - base;
    return (info->symbol || info->object || info->file) ? 0 : -1;
}

void ds_symbol_info_free(ds_symbol_info *info) {
    free(info->symbol);
    free(info->object);
    free(info->file);
    memset(info, 0, sizeof *info);
}
