// The CPU backend's worker threads (see worker_pool.h).
//
// A job is published in one 64-bit word, `state`: its generation in the high 32 bits, the
// next unclaimed part in the low 32. Threads claim a part by compare-and-swap of that word,
// so a thread holding a stale generation can never claim a part of a newer job; and while
// any part of a job is claimed but unfinished, the caller is still waiting, so the job's
// fields (written before its generation was stored) cannot change under the thread running it.
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
    // Written by claims and by each new job: alone on its cache line.
    _Alignas(64) _Atomic uint64_t state;
    // The job's fields, stored before its generation is published (atomics only so that a
    // thread reading them for a job that has just ended races with nothing undefined).
    _Alignas(64) _Atomic(part_function) part;
    _Atomic(void *) context;
    _Atomic uint32_t parts;
    _Atomic size_t finished;
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
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static pthread_once_t pool_started = PTHREAD_ONCE_INIT;

static uint64_t generation_of(uint64_t state) { return state >> 32; }

static uint64_t monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

// Claims and runs parts of job `generation` until none are left (or a newer job began).
// `caller`: the thread is the job's caller, which gives its CPU away once if no worker has
// claimed a part by the time it finished its first (see `ds_pool_run`).
static void run_parts(uint64_t generation, int caller) {
    uint64_t state = atomic_load_explicit(&pool.state, memory_order_acquire);
    for (uint32_t mine = 0;;) {
        if (generation_of(state) != generation) return;
        uint32_t index = (uint32_t)state;
        if (index >= atomic_load_explicit(&pool.parts, memory_order_relaxed)) return;
        if (caller && mine == 1 && index == 1) {
            caller = 0;
            sched_yield();
            state = atomic_load_explicit(&pool.state, memory_order_acquire);
            continue;
        }
        if (!atomic_compare_exchange_weak_explicit(&pool.state, &state, state + 1, memory_order_acquire,
                                                   memory_order_acquire))
            continue;
        // Part `index` of this generation is ours: the caller waits for it, so the fields hold.
        part_function part = atomic_load_explicit(&pool.part, memory_order_relaxed);
        part(atomic_load_explicit(&pool.context, memory_order_relaxed), index);
        atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
        mine++;
        state = atomic_load_explicit(&pool.state, memory_order_acquire);
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

static void start_workers(void) {
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

int ds_pool_run(size_t parts, part_function part, void *context) {
    if (parts > DS_POOL_MAXIMUM_PARTS || atomic_exchange_explicit(&pool.busy, 1, memory_order_acquire)) return 1;
    pthread_once(&pool_started, start_workers);
    if (pool.workers == 0) {
        atomic_store_explicit(&pool.busy, 0, memory_order_release);
        return 1;
    }
    atomic_store_explicit(&pool.part, part, memory_order_relaxed);
    atomic_store_explicit(&pool.context, context, memory_order_relaxed);
    atomic_store_explicit(&pool.parts, (uint32_t)parts, memory_order_relaxed);
    atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
    atomic_store_explicit(&pool.caller_cpu, sched_getcpu(), memory_order_relaxed);
    // Generations wrap after 2^32 jobs; workers only ever compare them for equality.
    uint64_t generation = (generation_of(atomic_load_explicit(&pool.state, memory_order_relaxed)) + 1) & 0xffffffffu;
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
