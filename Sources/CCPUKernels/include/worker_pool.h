// The CPU backend's worker threads: one per core but the caller's, kept awake for a while
// after each job, as OpenMP runtimes keep theirs.
//
// Handing parts of a kernel to Dispatch's pool wakes a sleeping thread for each job. On this
// project's VMs that took 7 µs back to back and 19 µs after a 400 µs pause (the core had
// halted), which is 2-5 % of a memory-bound op over 16 MB. These workers spin for
// `DS_POOL_SPIN_NANOSECONDS` after their last part before they sleep, so ops that follow
// each other start on all cores at once. One job runs at a time; another caller meanwhile
// is told to use its own way (the Swift side falls back to Dispatch).
//
// A worker woken after a pause can land on its caller's CPU. On the 2-vCPU KVM machines
// (kernel 6.18) a sleeping worker woken by the caller was put on the caller's busy CPU,
// not its own idle one, in most 300 ms pauses, and stayed there for milliseconds: the two
// took turns on one core and a 16 MB sum took 230-700 µs instead of 110-130 µs. So a worker
// that starts a job on the caller's CPU moves itself off it (`ds_pool_leave_cpu`), and a
// caller that finished its first part before any worker claimed one yields its CPU once,
// so that a worker queued behind it gets to run (and move). In a C harness of 8 rounds (a
// 300 ms pause, then 14 sums), 5 and 6 rounds of two runs stayed on one CPU for most of
// their sums before; with both, every round had the worker on the other CPU within its
// first five sums.
#ifndef DEVICESHIM_WORKER_POOL_H
#define DEVICESHIM_WORKER_POOL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How long an idle worker waits for the next job with the core held (pausing), before it
/// sleeps until woken: long enough to span the gap between two ops of a program, short
/// enough that a core is given back soon after a program stops computing.
#define DS_POOL_SPIN_NANOSECONDS 200000

/// The parts one job may have at most.
#define DS_POOL_MAXIMUM_PARTS 0xffff

/// The groups one job's parts are split into at most (more are taken as this many).
#define DS_POOL_MAXIMUM_GROUPS 256

/// Runs `part(context, index)` for every `index < parts`, on the calling thread and the
/// pool's workers (each index once, in no set order), and returns 0 when all have returned.
/// Returns nonzero without running any when it cannot: the pool is running another caller's
/// job (or this call is made from inside a part), it has no workers (one core, or threads
/// could not be made), or `parts` exceeds `DS_POOL_MAXIMUM_PARTS`. Workers are made at the
/// first call, with every signal blocked, so the host program's handlers never run on them.
///
/// The indices are split into `groups` runs of consecutive indices (group g holds
/// `g·parts/groups ..< (g+1)·parts/groups`), one per core when the caller lays its data out
/// that way. A thread takes the parts of its CPU's group from the front (the n-th allowed
/// CPU's is group n mod `groups`), then the others' from their backs. So the same CPU reads
/// the same memory op after op, while its caches still hold it. Over a 16 MB sum (in L3)
/// on the 2-vCPU EPYC VM, two pinned threads each summing the same half every time took
/// 87-98 µs, and swapping halves 106-113 µs.
int ds_pool_run(size_t parts, size_t groups, void (*part)(void *context, size_t index), void *context);

/// Sends the workers that are spinning for a job to sleep now. Called before work that runs
/// its own threads (a BLAS library's) on the same cores, which a spinning worker would slow:
/// a 256³ MKL GEMM right after a pool job took 25-30 % longer than after a pause. Best
/// effort: a worker that starts spinning as this is called may spin out its time.
void ds_pool_rest(void);

/// Moves the calling thread off `cpu` when it is running there and may run elsewhere: narrows
/// its affinity mask to its other allowed CPUs (the kernel moves it before the call
/// returns), then restores the mask, so the thread may come back later. Returns 1 when it
/// moved the thread; 0 when it did not (not on `cpu`, no other CPU allowed, or an error).
int ds_pool_leave_cpu(int cpu);

/// The CPU the calling thread is running on (`sched_getcpu`), or -1 when unknown.
int ds_pool_current_cpu(void);

/// The pool's workers (the cores it runs a job on, less the caller's), made now if not yet:
/// 0 on one core, or when no thread could be made.
int ds_pool_worker_count(void);

#ifdef __cplusplus
}
#endif
#endif
