// The CPU backend's worker threads (see worker_pool.h).
//
// A job is published by storing its generation in `state`. Its parts are split into groups,
// and each group's unclaimed parts are one 64-bit word: the job's generation in the high 32
// bits, then the group's first and one-past-last unclaimed part (16 bits each). Threads
// claim a part by compare-and-swap of that word, so a thread holding a stale generation can
// never claim a part of a newer job; and while any part of a job is claimed but unfinished,
// the caller is still waiting, so the job's fields (written before its generation was
// stored) cannot change under the thread running it.
#define _GNU_SOURCE
#include "worker_pool.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

typedef void (*part_function)(void *context, size_t index);

static struct {
    // The current job's generation, in the high 32 bits: alone on its cache line.
    _Alignas(64) _Atomic uint64_t state;
    // The job's fields, stored before its generation is published (atomics only so that a
    // thread reading them for a job that has just ended races with nothing undefined).
    _Alignas(64) _Atomic(part_function) part;
    _Atomic(void *) context;
    _Atomic uint32_t groups;
    _Atomic size_t finished;
    // Parts of the job claimed so far, by any thread.
    _Atomic size_t claimed;
    // Taken by a caller for the whole of its job.
    _Atomic int busy;
    // Workers asleep (or about to be) on `wake`.
    _Atomic int sleepers;
    // Workers spinning for the next job, and the count of `ds_pool_rest` calls that cut that short.
    _Atomic int spinning;
    _Atomic uint64_t rests;
    // The CPU the job's caller was on when it published the job (-1 when sched_getcpu failed).
    _Atomic int caller_cpu;
    int workers;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    // Each group's unclaimed parts (see the top of this file), one cache line each.
    struct {
        _Alignas(64) _Atomic uint64_t unclaimed;
    } group[DS_POOL_MAXIMUM_GROUPS];
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static pthread_once_t pool_started = PTHREAD_ONCE_INIT;

// Each CPU's position among the CPUs the process was allowed when the pool started (-1 for
// the others), so that a process allowed CPUs 4 and 6 still spreads its groups over both.
static int16_t cpu_slot[CPU_SETSIZE];

static uint64_t generation_of(uint64_t state) { return state >> 32; }

static uint64_t monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

// The group a thread on the current CPU starts with.
static uint32_t home_group(uint32_t groups) {
    int cpu = sched_getcpu();
    if (cpu < 0) return 0;
    int slot = cpu < CPU_SETSIZE && cpu_slot[cpu] >= 0 ? cpu_slot[cpu] : cpu;
    return (uint32_t)slot % groups;
}

// Claims a part of job `generation`: the first unclaimed part of group `home`, else the last
// unclaimed part of the next group that has one. Returns -1 when none is left, or when a
// newer job has begun.
static int64_t claim_part(uint64_t generation, uint32_t home, uint32_t groups) {
    for (uint32_t step = 0; step < groups; step++) {
        _Atomic uint64_t *word = &pool.group[(home + step) % groups].unclaimed;
        uint64_t unclaimed = atomic_load_explicit(word, memory_order_acquire);
        for (;;) {
            if (generation_of(unclaimed) != generation) return -1;
            uint32_t first = (uint32_t)(unclaimed >> 16) & 0xffff, end = (uint32_t)unclaimed & 0xffff;
            if (first >= end) break;
            uint64_t rest = step == 0 ? unclaimed + (1u << 16) : unclaimed - 1;
            if (atomic_compare_exchange_weak_explicit(word, &unclaimed, rest, memory_order_acquire,
                                                      memory_order_acquire))
                return step == 0 ? first : end - 1;
        }
    }
    return -1;
}

// Claims and runs parts of job `generation` until none are left (or a newer job began).
// `caller`: the thread is the job's caller, which gives its CPU away once if no worker has
// claimed a part by the time it finished its first (see `ds_pool_run`).
static void run_parts(uint64_t generation, int caller) {
    uint32_t groups = atomic_load_explicit(&pool.groups, memory_order_relaxed);
    uint32_t home = home_group(groups);
    for (size_t mine = 0;; mine++) {
        if (caller && mine == 1 && atomic_load_explicit(&pool.claimed, memory_order_relaxed) == 1) {
            caller = 0;
            sched_yield();
        }
        int64_t index = claim_part(generation, home, groups);
        if (index < 0) return;
        atomic_fetch_add_explicit(&pool.claimed, 1, memory_order_relaxed);
        // Part `index` of this generation is ours: the caller waits for it, so the fields hold.
        part_function part = atomic_load_explicit(&pool.part, memory_order_relaxed);
        part(atomic_load_explicit(&pool.context, memory_order_relaxed), (size_t)index);
        atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
    }
}

int ds_pool_current_cpu(void) { return sched_getcpu(); }

// Moves the calling thread off `cpu` (see worker_pool.h).
int ds_pool_leave_cpu(int cpu) {
    cpu_set_t allowed, others;
    if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getcpu() != cpu || sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return 0;
    others = allowed;
    CPU_CLR(cpu, &others);
    if (!CPU_ISSET(cpu, &allowed) || CPU_COUNT(&others) == 0) return 0;
    // The kernel moves a thread off a CPU its mask no longer allows before the call returns;
    // the full mask again then lets it go anywhere later.
    if (sched_setaffinity(0, sizeof others, &others) != 0) return 0;
    sched_setaffinity(0, sizeof allowed, &allowed);
    return 1;
}

// Spins until a job newer than `seen` is published (returning its generation), the spin
// time is over, or `ds_pool_rest` is called (returning `seen`).
static uint64_t spin_for_job(uint64_t seen) {
    uint64_t rests = atomic_load_explicit(&pool.rests, memory_order_relaxed);
    atomic_fetch_add_explicit(&pool.spinning, 1, memory_order_relaxed);
    uint64_t deadline = monotonic_nanoseconds() + DS_POOL_SPIN_NANOSECONDS, generation;
    for (unsigned spins = 1;; spins++) {
        generation = generation_of(atomic_load_explicit(&pool.state, memory_order_acquire));
        if (generation != seen || atomic_load_explicit(&pool.rests, memory_order_relaxed) != rests) break;
        CPU_RELAX();
        if (spins % 64 == 0 && monotonic_nanoseconds() > deadline) break;
    }
    atomic_fetch_sub_explicit(&pool.spinning, 1, memory_order_relaxed);
    return generation;
}

// Returns the generation of the first job newer than `seen`: spinning, then asleep.
static uint64_t next_generation(uint64_t seen) {
    uint64_t spun = spin_for_job(seen);
    if (spun != seen) return spun;
    // A caller stores the new generation, then reads `sleepers`; this thread counts itself
    // in `sleepers`, then reads the generation (both sequentially consistent): one of the two
    // sees the other's write, so either the caller wakes this thread or it does not sleep.
    pthread_mutex_lock(&pool.lock);
    atomic_fetch_add(&pool.sleepers, 1);
    uint64_t generation;
    while ((generation = generation_of(atomic_load(&pool.state))) == seen) pthread_cond_wait(&pool.wake, &pool.lock);
    atomic_fetch_sub(&pool.sleepers, 1);
    pthread_mutex_unlock(&pool.lock);
    return generation;
}

// `first` is the generation when the worker was made, before the job that made it was
// published: the worker takes part in that job too.
static void *worker_main(void *first) {
    pthread_setname_np(pthread_self(), "deviceshim-cpu");
    uint64_t seen = (uint64_t)(uintptr_t)first;
    for (;;) {
        seen = next_generation(seen);
        // Woken onto the caller's CPU, this thread would only take turns with the caller there.
        ds_pool_leave_cpu(atomic_load_explicit(&pool.caller_cpu, memory_order_relaxed));
        run_parts(seen, 0);
    }
    return NULL;
}

// Fills `cpu_slot` from the process's affinity mask.
static void number_cpus(void) {
    cpu_set_t allowed;
    int have_mask = sched_getaffinity(0, sizeof allowed, &allowed) == 0;
    for (int cpu = 0, slot = 0; cpu < CPU_SETSIZE; cpu++)
        cpu_slot[cpu] = have_mask && CPU_ISSET(cpu, &allowed) ? (int16_t)slot++ : -1;
}

static void start_workers(void) {
    number_cpus();
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    void *first = (void *)(uintptr_t)generation_of(atomic_load(&pool.state));
    for (long made = 0; made < cores - 1; made++) {
        pthread_t thread;
        if (pthread_create(&thread, &attributes, worker_main, first) != 0) break;
        pool.workers++;
    }
    pthread_attr_destroy(&attributes);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
}

void ds_pool_rest(void) {
    if (atomic_load_explicit(&pool.spinning, memory_order_relaxed) > 0)
        atomic_fetch_add_explicit(&pool.rests, 1, memory_order_relaxed);
}

int ds_pool_worker_count(void) {
    pthread_once(&pool_started, start_workers);
    return pool.workers;
}

int ds_pool_run(size_t parts, size_t groups, part_function part, void *context) {
    if (parts > DS_POOL_MAXIMUM_PARTS || atomic_exchange_explicit(&pool.busy, 1, memory_order_acquire)) return 1;
    pthread_once(&pool_started, start_workers);
    if (pool.workers == 0) {
        atomic_store_explicit(&pool.busy, 0, memory_order_release);
        return 1;
    }
    groups = groups > parts ? parts : groups > DS_POOL_MAXIMUM_GROUPS ? DS_POOL_MAXIMUM_GROUPS : groups;
    groups = groups == 0 ? 1 : groups;
    atomic_store_explicit(&pool.part, part, memory_order_relaxed);
    atomic_store_explicit(&pool.context, context, memory_order_relaxed);
    atomic_store_explicit(&pool.groups, (uint32_t)groups, memory_order_relaxed);
    atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
    atomic_store_explicit(&pool.claimed, 0, memory_order_relaxed);
    atomic_store_explicit(&pool.caller_cpu, sched_getcpu(), memory_order_relaxed);
    // Generations wrap after 2^32 jobs; workers only ever compare them for equality.
    uint64_t generation = (generation_of(atomic_load_explicit(&pool.state, memory_order_relaxed)) + 1) & 0xffffffffu;
    for (size_t group = 0; group < groups; group++) {
        uint64_t first = group * parts / groups, end = (group + 1) * parts / groups;
        atomic_store_explicit(&pool.group[group].unclaimed, generation << 32 | first << 16 | end, memory_order_relaxed);
    }
    atomic_store(&pool.state, generation << 32);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.lock);
    }
    run_parts(generation, 1);
    // The rest are running on workers. Should one have lost its core to another process,
    // give ours away too after a while instead of pausing on it.
    uint64_t deadline = 0;
    for (unsigned spins = 1; atomic_load_explicit(&pool.finished, memory_order_acquire) < parts; spins++) {
        CPU_RELAX();
        if (spins % 64 != 0) continue;
        uint64_t now = monotonic_nanoseconds();
        if (deadline == 0) deadline = now + DS_POOL_SPIN_NANOSECONDS;
        else if (now > deadline) sched_yield();
    }
    atomic_store_explicit(&pool.busy, 0, memory_order_release);
    return 0;
}
