/* Streams and events through the CUDA runtime C API, ordered across streams and pthreads,
 * checked against CUDA's documented behaviour (cuda_runtime_api.h of CUDA 12.9).
 *
 * Work is held back with "gates": host functions (cudaLaunchHostFunc) that block until the
 * main thread opens them, or give up after GATE_TIMEOUT_MS so that a wrong implementation
 * fails a check instead of hanging. Host functions make no CUDA calls (CUDA forbids it), and
 * no host function waits for another stream's host function: CUDA says host functions of
 * independent streams "may be serialized", so only the main thread opens gates. */
#include <pthread.h>

#include "cuda_check.h"

#define GATE_TIMEOUT_MS 5000

enum gate_state { GATE_NOT_STARTED, GATE_WAITING, GATE_RELEASED, GATE_TIMED_OUT };
static const char *const gate_state_names[] = {"not started", "waiting", "released", "timed out"};

struct gate {
    atomic_int open;
    atomic_int state;
};

static void gate_init(struct gate *gate) {
    atomic_store(&gate->open, 0);
    atomic_store(&gate->state, GATE_NOT_STARTED);
}

static void gate_open(struct gate *gate) { atomic_store(&gate->open, 1); }

/* A host function: waits until the gate is opened (or the timeout). */
static void CUDART_CB gate_wait(void *argument) {
    struct gate *gate = argument;
    atomic_store(&gate->state, GATE_WAITING);
    double deadline = now_seconds() + GATE_TIMEOUT_MS / 1000.0;
    while (!atomic_load(&gate->open)) {
        if (now_seconds() > deadline) {
            atomic_store(&gate->state, GATE_TIMED_OUT);
            return;
        }
        sleep_milliseconds(1);
    }
    atomic_store(&gate->state, GATE_RELEASED);
}

/* Waits (up to the timeout) until a host function has started waiting on the gate. */
static int gate_wait_until_waiting(struct gate *gate) {
    double deadline = now_seconds() + GATE_TIMEOUT_MS / 1000.0;
    while (atomic_load(&gate->state) == GATE_NOT_STARTED && now_seconds() < deadline) sleep_milliseconds(1);
    return atomic_load(&gate->state) == GATE_WAITING;
}

#define CHECK_GATE(gate, want, what)                                                               \
    CHECK(atomic_load(&(gate)->state) == (want), "%s (got gate %s, want %s)", what,                \
          gate_state_names[atomic_load(&(gate)->state)], gate_state_names[want])

/* --- an ordered log of host functions and callbacks --- */

struct order_log {
    atomic_int count;
    int entries[64];
    cudaError_t statuses[64];
    cudaStream_t streams[64];
};

struct order_entry {
    struct order_log *log;
    int value;
    int sleep_ms;
    struct gate *observed;      /* when set, the gate's state is logged instead of `value` */
};

static void order_append(struct order_entry *entry, cudaError_t status, cudaStream_t stream) {
    if (entry->sleep_ms > 0) sleep_milliseconds(entry->sleep_ms);
    int index = atomic_fetch_add(&entry->log->count, 1);
    if (index >= 64) return;
    entry->log->entries[index] = entry->observed ? atomic_load(&entry->observed->state) : entry->value;
    entry->log->statuses[index] = status;
    entry->log->streams[index] = stream;
}

static void CUDART_CB order_host_function(void *argument) {
    order_append(argument, cudaSuccess, NULL);
}

static void CUDART_CB order_callback(cudaStream_t stream, cudaError_t status, void *argument) {
    order_append(argument, status, stream);
}

static void order_init(struct order_log *log) {
    memset(log, 0, sizeof *log);
    atomic_store(&log->count, 0);
}

/* --- a value set by a host function after a sleep, read by another host function --- */

struct handoff {
    atomic_int value;
    atomic_int seen;
    int sleep_ms;
    int to_set;
};

static void CUDART_CB handoff_set(void *argument) {
    struct handoff *handoff = argument;
    sleep_milliseconds(handoff->sleep_ms);
    atomic_store(&handoff->value, handoff->to_set);
}

static void CUDART_CB handoff_read(void *argument) {
    struct handoff *handoff = argument;
    atomic_store(&handoff->seen, atomic_load(&handoff->value));
}

static void CUDART_CB sleep_host_function(void *argument) {
    sleep_milliseconds(*(const int *)argument);
}

static void CUDART_CB set_flag(void *argument) {
    atomic_store((atomic_int *)argument, 1);
}

/* ------------------------------------------------------------------------------------------ */

static void check_creation_flags_and_priorities(void) {
    cudaStream_t stream;
    unsigned flags = 99;
    int priority = 99;
    if (CHECK_OK(cudaStreamCreate(&stream))) {
        if (CHECK_OK(cudaStreamGetFlags(stream, &flags))) CHECK_INT(flags, cudaStreamDefault, "cudaStreamCreate flags");
        if (CHECK_OK(cudaStreamGetPriority(stream, &priority))) CHECK_INT(priority, 0, "cudaStreamCreate priority");
        CHECK_OK(cudaStreamQuery(stream));   /* a stream with no work is complete */
        CHECK_OK(cudaStreamDestroy(stream));
    }
    if (CHECK_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking))) {
        if (CHECK_OK(cudaStreamGetFlags(stream, &flags))) CHECK_INT(flags, cudaStreamNonBlocking, "cudaStreamNonBlocking flags");
        CHECK_OK(cudaStreamDestroy(stream));
    }
    /* "If the specified priority is outside the numerical range returned by
     * cudaDeviceGetStreamPriorityRange, it will automatically be clamped"; cudaStreamGetPriority
     * "returns the clamped priority". The range is [-5, 0]. */
    static const struct { unsigned flags; int asked, want; } cases[] = {
        {cudaStreamDefault, -3, -3}, {cudaStreamDefault, -100, -5}, {cudaStreamDefault, 100, 0},
        {cudaStreamNonBlocking, -1, -1}, {cudaStreamNonBlocking, -5, -5}, {cudaStreamDefault, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!CHECK_OK(cudaStreamCreateWithPriority(&stream, cases[i].flags, cases[i].asked))) continue;
        char what[96];
        snprintf(what, sizeof what, "cudaStreamGetPriority after priority %d", cases[i].asked);
        if (CHECK_OK(cudaStreamGetPriority(stream, &priority))) CHECK_INT(priority, cases[i].want, what);
        snprintf(what, sizeof what, "cudaStreamGetFlags after priority %d", cases[i].asked);
        if (CHECK_OK(cudaStreamGetFlags(stream, &flags))) CHECK_INT(flags, cases[i].flags, what);
        CHECK_OK(cudaStreamDestroy(stream));
    }
    /* Flags other than cudaStreamDefault / cudaStreamNonBlocking: "::cudaErrorInvalidValue". */
    CHECK_CUDA(cudaStreamCreateWithFlags(&stream, 0x8), cudaErrorInvalidValue);
    CHECK_CUDA(cudaStreamCreate(NULL), cudaErrorInvalidValue);
    cudaGetLastError();
}

/* cudaStreamQuery: "cudaErrorNotReady" while a host function is pending, cudaSuccess after. */
static void check_query_while_pending(void) {
    cudaStream_t stream;
    struct gate gate;
    gate_init(&gate);
    if (!CHECK_OK(cudaStreamCreate(&stream))) return;
    CHECK_OK(cudaLaunchHostFunc(stream, gate_wait, &gate));
    CHECK_CUDA(cudaStreamQuery(stream), cudaErrorNotReady);
    CHECK(gate_wait_until_waiting(&gate), "the host function runs (got gate %s, want waiting)",
          gate_state_names[atomic_load(&gate.state)]);
    CHECK_CUDA(cudaStreamQuery(stream), cudaErrorNotReady);
    gate_open(&gate);
    CHECK_OK(cudaStreamSynchronize(stream));
    CHECK_GATE(&gate, GATE_RELEASED, "host function after cudaStreamSynchronize");
    CHECK_OK(cudaStreamQuery(stream));
    CHECK_OK(cudaStreamDestroy(stream));
    cudaGetLastError();
}

/* Host functions and cudaStreamAddCallback callbacks run in stream order, between copies. */
static void check_stream_order(void) {
    enum { size = 1 << 16, steps = 12 };
    cudaStream_t stream;
    struct order_log log;
    struct order_entry entries[steps];
    unsigned char *source = NULL, *back = NULL, *device = NULL;
    order_init(&log);
    if (!CHECK_OK(cudaStreamCreate(&stream))) return;
    if (!CHECK_OK(cudaMallocHost((void **)&source, size)) || !CHECK_OK(cudaMallocHost((void **)&back, size)) ||
        !CHECK_OK(cudaMalloc((void **)&device, size)))
        goto done;
    fill_pattern(source, size, 700);
    memset(back, 0, size);
    for (int i = 0; i < steps; i++) {
        /* The first ones sleep, so a later one running early would log first. */
        entries[i] = (struct order_entry){&log, i + 1, i < 3 ? 20 - 5 * i : 0, NULL};
        if (i % 2 == 0)
            CHECK_OK(cudaLaunchHostFunc(stream, order_host_function, &entries[i]));
        else
            CHECK_OK(cudaStreamAddCallback(stream, order_callback, &entries[i], 0));
        if (i == 5) CHECK_OK(cudaMemcpyAsync(device, source, size, cudaMemcpyHostToDevice, stream));
        if (i == 8) CHECK_OK(cudaMemcpyAsync(back, device, size, cudaMemcpyDeviceToHost, stream));
    }
    CHECK_OK(cudaStreamSynchronize(stream));
    CHECK_INT(atomic_load(&log.count), steps, "host functions and callbacks that ran");
    for (int i = 0; i < steps && i < atomic_load(&log.count); i++) {
        char what[96];
        snprintf(what, sizeof what, "entry %d of the stream order", i);
        CHECK_INT(log.entries[i], i + 1, what);
        if (log.entries[i] % 2 == 0) {   /* a callback: cudaSuccess and its stream */
            snprintf(what, sizeof what, "callback %d status", log.entries[i]);
            CHECK_INT(log.statuses[i], cudaSuccess, what);
            snprintf(what, sizeof what, "callback %d stream", log.entries[i]);
            CHECK_PTR(log.streams[i], stream, what);
        }
    }
    CHECK_BYTES(back, source, size, "copies between host functions");
done:
    CHECK_OK(cudaStreamDestroy(stream));
    if (source) CHECK_OK(cudaFreeHost(source));
    if (back) CHECK_OK(cudaFreeHost(back));
    if (device) CHECK_OK(cudaFree(device));
}

struct recorder_thread {
    cudaEvent_t event;
    struct handoff *handoff;
    cudaError_t status;
};

/* Records an event in its own stream, behind a host function that sets a value after a sleep. */
static void *record_in_another_thread(void *argument) {
    struct recorder_thread *recorder = argument;
    cudaStream_t stream;
    recorder->status = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
    if (recorder->status != cudaSuccess) return NULL;
    if ((recorder->status = cudaLaunchHostFunc(stream, handoff_set, recorder->handoff)) != cudaSuccess) return NULL;
    if ((recorder->status = cudaEventRecord(recorder->event, stream)) != cudaSuccess) return NULL;
    /* Destroying the stream with work pending lets the work finish. */
    recorder->status = cudaStreamDestroy(stream);
    return NULL;
}

/* cudaStreamWaitEvent: "Makes all future work submitted to stream wait for all work captured in
 * event", for events recorded on another stream and on another thread. */
static void check_wait_event(void) {
    enum { size = 1 << 18 };
    cudaStream_t first, second;
    cudaEvent_t event;
    unsigned char *source = NULL, *back = NULL, *device = NULL;
    if (!CHECK_OK(cudaStreamCreateWithFlags(&first, cudaStreamNonBlocking))) return;
    if (!CHECK_OK(cudaStreamCreateWithFlags(&second, cudaStreamNonBlocking))) return;
    if (!CHECK_OK(cudaEventCreateWithFlags(&event, cudaEventDisableTiming))) return;

    struct handoff handoff = {.sleep_ms = 50, .to_set = 42};
    atomic_store(&handoff.value, 0);
    atomic_store(&handoff.seen, -1);
    CHECK_OK(cudaLaunchHostFunc(first, handoff_set, &handoff));
    CHECK_OK(cudaEventRecord(event, first));
    CHECK_OK(cudaStreamWaitEvent(second, event, 0));
    CHECK_OK(cudaLaunchHostFunc(second, handoff_read, &handoff));
    CHECK_OK(cudaStreamSynchronize(second));
    CHECK_INT(atomic_load(&handoff.seen), 42, "stream B's host function sees stream A's value");

    /* Data: A copies in after a sleep, B copies out after waiting for A's event. */
    if (CHECK_OK(cudaMallocHost((void **)&source, size)) && CHECK_OK(cudaMallocHost((void **)&back, size)) &&
        CHECK_OK(cudaMalloc((void **)&device, size))) {
        static const int sleep_ms = 30;
        fill_pattern(source, size, 800);
        memset(back, 0, size);
        CHECK_OK(cudaMemset(device, 0, size));
        CHECK_OK(cudaDeviceSynchronize());
        CHECK_OK(cudaLaunchHostFunc(first, sleep_host_function, (void *)&sleep_ms));
        CHECK_OK(cudaMemcpyAsync(device, source, size, cudaMemcpyHostToDevice, first));
        CHECK_OK(cudaEventRecord(event, first));
        CHECK_OK(cudaStreamWaitEvent(second, event, 0));
        CHECK_OK(cudaMemcpyAsync(back, device, size, cudaMemcpyDeviceToHost, second));
        CHECK_OK(cudaStreamSynchronize(second));
        CHECK_BYTES(back, source, size, "stream B copies out what stream A copied in");
    }

    /* An event recorded by another thread on its own stream. */
    struct handoff other = {.sleep_ms = 50, .to_set = 7};
    atomic_store(&other.value, 0);
    atomic_store(&other.seen, -1);
    struct recorder_thread recorder = {.handoff = &other, .status = cudaErrorUnknown};
    pthread_t thread;
    if (CHECK_OK(cudaEventCreateWithFlags(&recorder.event, cudaEventDisableTiming)) &&
        CHECK_INT(pthread_create(&thread, NULL, record_in_another_thread, &recorder), 0, "pthread_create")) {
        pthread_join(thread, NULL);
        CHECK_CUDA(recorder.status, cudaSuccess);
        CHECK_OK(cudaStreamWaitEvent(second, recorder.event, 0));
        CHECK_OK(cudaLaunchHostFunc(second, handoff_read, &other));
        CHECK_OK(cudaStreamSynchronize(second));
        CHECK_INT(atomic_load(&other.seen), 7, "host function after waiting for another thread's event");
        CHECK_OK(cudaEventSynchronize(recorder.event));
        CHECK_OK(cudaEventDestroy(recorder.event));
    }

    CHECK_OK(cudaEventDestroy(event));
    CHECK_OK(cudaStreamDestroy(first));
    CHECK_OK(cudaStreamDestroy(second));
    if (source) CHECK_OK(cudaFreeHost(source));
    if (back) CHECK_OK(cudaFreeHost(back));
    if (device) CHECK_OK(cudaFree(device));
}

static void check_events(void) {
    cudaStream_t stream;
    cudaEvent_t start, end, never, untimed, blocking;
    if (!CHECK_OK(cudaStreamCreate(&stream))) return;
    if (!CHECK_OK(cudaEventCreate(&start)) || !CHECK_OK(cudaEventCreate(&end)) || !CHECK_OK(cudaEventCreate(&never)) ||
        !CHECK_OK(cudaEventCreateWithFlags(&untimed, cudaEventDisableTiming)) ||
        !CHECK_OK(cudaEventCreateWithFlags(&blocking, cudaEventBlockingSync | cudaEventDisableTiming)))
        return;

    /* "Before the first call to cudaEventRecord(), an event represents an empty set of work, so
     * for example cudaEventQuery() would return cudaSuccess." */
    CHECK_OK(cudaEventQuery(never));
    CHECK_OK(cudaEventSynchronize(never));

    /* Pending work: query is cudaErrorNotReady; the elapsed time is cudaErrorNotReady ("If
     * cudaEventRecord() has been called on both events but one or both of them has not yet been
     * completed"). */
    struct gate gate;
    gate_init(&gate);
    CHECK_OK(cudaEventRecord(start, stream));
    CHECK_OK(cudaLaunchHostFunc(stream, gate_wait, &gate));
    CHECK_OK(cudaEventRecord(end, stream));
    CHECK_OK(cudaEventRecordWithFlags(blocking, stream, cudaEventRecordDefault));
    CHECK_OK(cudaEventSynchronize(start));
    CHECK_CUDA(cudaEventQuery(end), cudaErrorNotReady);
    CHECK_CUDA(cudaEventQuery(blocking), cudaErrorNotReady);
    float milliseconds = -1;
    CHECK_CUDA(cudaEventElapsedTime(&milliseconds, start, end), cudaErrorNotReady);
    gate_open(&gate);
    CHECK_OK(cudaEventSynchronize(end));
    CHECK_OK(cudaEventSynchronize(blocking));
    CHECK_GATE(&gate, GATE_RELEASED, "host function before the event");
    CHECK_OK(cudaEventQuery(end));
    CHECK_OK(cudaEventQuery(blocking));

    /* Elapsed time over a host function that sleeps 20 ms between the two records. */
    static const int sleep_ms = 20;
    CHECK_OK(cudaEventRecord(start, stream));
    CHECK_OK(cudaLaunchHostFunc(stream, sleep_host_function, (void *)&sleep_ms));
    CHECK_OK(cudaEventRecord(end, stream));
    CHECK_OK(cudaEventSynchronize(end));
    milliseconds = -1;
    if (CHECK_OK(cudaEventElapsedTime(&milliseconds, start, end)))
        CHECK(milliseconds >= 20.0f && milliseconds < 5000.0f,
              "cudaEventElapsedTime over a 20 ms sleep (got %.3f ms, want >= 20 ms)", milliseconds);

    /* Recording again overwrites: an event re-recorded on an idle stream is complete even while
     * its previous capture is still pending. */
    gate_init(&gate);
    cudaStream_t idle;
    if (CHECK_OK(cudaStreamCreateWithFlags(&idle, cudaStreamNonBlocking))) {
        CHECK_OK(cudaLaunchHostFunc(stream, gate_wait, &gate));
        /* The host function starts on another thread; wait until it holds the stream. */
        gate_wait_until_waiting(&gate);
        CHECK_OK(cudaEventRecord(untimed, stream));
        CHECK_CUDA(cudaEventQuery(untimed), cudaErrorNotReady);
        CHECK_OK(cudaEventRecord(untimed, idle));
        CHECK_OK(cudaEventSynchronize(untimed));
        CHECK_GATE(&gate, GATE_WAITING, "cudaEventSynchronize of the re-recorded event did not wait for the gate");
        gate_open(&gate);
        CHECK_OK(cudaStreamSynchronize(stream));
        CHECK_OK(cudaStreamDestroy(idle));
    }

    /* The error cases of cudaEventElapsedTime: "If cudaEventRecord() has not been called on either
     * event, then cudaErrorInvalidResourceHandle is returned." "If either event was created with
     * the cudaEventDisableTiming flag, then this function will return
     * cudaErrorInvalidResourceHandle." */
    CHECK_CUDA(cudaEventElapsedTime(&milliseconds, start, never), cudaErrorInvalidResourceHandle);
    CHECK_CUDA(cudaEventElapsedTime(&milliseconds, never, end), cudaErrorInvalidResourceHandle);
    CHECK_CUDA(cudaEventElapsedTime(&milliseconds, start, untimed), cudaErrorInvalidResourceHandle);
    CHECK_CUDA(cudaEventElapsedTime(&milliseconds, untimed, end), cudaErrorInvalidResourceHandle);
    /* Flags other than those cudaEventCreateWithFlags lists: "::cudaErrorInvalidValue". */
    cudaEvent_t bad;
    CHECK_CUDA(cudaEventCreateWithFlags(&bad, 0x100), cudaErrorInvalidValue);
    CHECK_CUDA(cudaEventCreate(NULL), cudaErrorInvalidValue);

    /* Events on the legacy default stream. */
    CHECK_OK(cudaEventRecord(start, 0));
    CHECK_OK(cudaLaunchHostFunc(0, sleep_host_function, (void *)&sleep_ms));
    CHECK_OK(cudaEventRecord(end, 0));
    CHECK_OK(cudaEventSynchronize(end));
    milliseconds = -1;
    if (CHECK_OK(cudaEventElapsedTime(&milliseconds, start, end)))
        CHECK(milliseconds >= 20.0f && milliseconds < 5000.0f,
              "cudaEventElapsedTime on stream 0 over a 20 ms sleep (got %.3f ms, want >= 20 ms)", milliseconds);

    CHECK_OK(cudaEventDestroy(start));
    CHECK_OK(cudaEventDestroy(end));
    CHECK_OK(cudaEventDestroy(never));
    CHECK_OK(cudaEventDestroy(untimed));
    CHECK_OK(cudaEventDestroy(blocking));
    CHECK_OK(cudaStreamDestroy(stream));
    cudaGetLastError();
}

/* The legacy default stream (0) waits for earlier work of blocking streams and blocks their later
 * work; it does neither with cudaStreamNonBlocking streams. */
static void check_legacy_default_stream(void) {
    enum { size = 1 << 16 };
    cudaStream_t blocking, nonblocking;
    unsigned char *device = NULL, *back = NULL;
    struct gate gate;
    struct order_log log;
    if (!CHECK_OK(cudaStreamCreate(&blocking)) || !CHECK_OK(cudaStreamCreateWithFlags(&nonblocking, cudaStreamNonBlocking)))
        return;
    if (!CHECK_OK(cudaMalloc((void **)&device, size)) || !CHECK_OK(cudaMallocHost((void **)&back, size))) return;

    /* 1. Blocking stream's pending work, then stream 0: stream 0 waits for it. */
    gate_init(&gate);
    order_init(&log);
    struct order_entry observe = {&log, 0, 0, &gate};
    CHECK_OK(cudaMemset(device, 0, size));
    CHECK_OK(cudaDeviceSynchronize());
    CHECK_OK(cudaLaunchHostFunc(blocking, gate_wait, &gate));
    CHECK_OK(cudaMemsetAsync(device, 0x42, size, 0));
    CHECK_OK(cudaLaunchHostFunc(0, order_host_function, &observe));
    gate_wait_until_waiting(&gate);
    CHECK_CUDA(cudaStreamQuery(0), cudaErrorNotReady);
    gate_open(&gate);
    CHECK_OK(cudaStreamSynchronize(0));
    CHECK_INT(atomic_load(&log.count), 1, "stream 0 host function ran");
    CHECK(log.entries[0] == GATE_RELEASED, "stream 0 ran after the blocking stream's work (got gate %s when it ran, want released)",
          gate_state_names[log.entries[0]]);
    CHECK_OK(cudaMemcpy(back, device, size, cudaMemcpyDeviceToHost));
    CHECK_FILLED(back, 0x42, size, "stream 0 memset after the blocking stream");

    /* 2. Stream 0's pending work, then a blocking stream: that stream waits for stream 0. */
    gate_init(&gate);
    order_init(&log);
    CHECK_OK(cudaLaunchHostFunc(0, gate_wait, &gate));
    CHECK_OK(cudaLaunchHostFunc(blocking, order_host_function, &observe));
    gate_wait_until_waiting(&gate);
    CHECK_CUDA(cudaStreamQuery(blocking), cudaErrorNotReady);
    gate_open(&gate);
    CHECK_OK(cudaStreamSynchronize(blocking));
    CHECK_INT(atomic_load(&log.count), 1, "blocking stream host function ran");
    CHECK(log.entries[0] == GATE_RELEASED, "the blocking stream ran after stream 0's work (got gate %s when it ran, want released)",
          gate_state_names[log.entries[0]]);

    /* 3. Stream 0's pending work does not hold back a non-blocking stream. */
    gate_init(&gate);
    CHECK_OK(cudaLaunchHostFunc(0, gate_wait, &gate));
    gate_wait_until_waiting(&gate);
    CHECK_OK(cudaMemsetAsync(device, 0x17, size, nonblocking));
    CHECK_OK(cudaMemcpyAsync(back, device, size, cudaMemcpyDeviceToHost, nonblocking));
    CHECK_OK(cudaStreamSynchronize(nonblocking));
    CHECK_GATE(&gate, GATE_WAITING, "the non-blocking stream finished while stream 0 was held");
    CHECK_FILLED(back, 0x17, size, "non-blocking stream's memset and copy");
    gate_open(&gate);
    CHECK_OK(cudaStreamSynchronize(0));

    /* 4. A non-blocking stream's pending work does not hold back stream 0. */
    gate_init(&gate);
    CHECK_OK(cudaLaunchHostFunc(nonblocking, gate_wait, &gate));
    gate_wait_until_waiting(&gate);
    CHECK_OK(cudaMemsetAsync(device, 0x29, size, 0));
    CHECK_OK(cudaMemcpyAsync(back, device, size, cudaMemcpyDeviceToHost, 0));
    CHECK_OK(cudaStreamSynchronize(0));
    CHECK_GATE(&gate, GATE_WAITING, "stream 0 finished while the non-blocking stream was held");
    CHECK_FILLED(back, 0x29, size, "stream 0's memset and copy");
    gate_open(&gate);
    CHECK_OK(cudaStreamSynchronize(nonblocking));

    CHECK_OK(cudaStreamDestroy(blocking));
    CHECK_OK(cudaStreamDestroy(nonblocking));
    CHECK_OK(cudaFree(device));
    CHECK_OK(cudaFreeHost(back));
    cudaGetLastError();
}

/* Several threads, each with its own stream, doing copy round trips at the same time. */
struct worker {
    int index;
    int rounds_done;
};

static void *copy_worker(void *argument) {
    enum { size = (1 << 18) + 11, rounds = 25 };
    struct worker *worker = argument;
    cudaStream_t stream;
    unsigned char *source = NULL, *back = NULL, *first = NULL, *second = NULL;
    if (!CHECK_OK(cudaStreamCreate(&stream))) return NULL;
    if (CHECK_OK(cudaMallocHost((void **)&source, size)) && CHECK_OK(cudaMallocHost((void **)&back, size)) &&
        CHECK_OK(cudaMalloc((void **)&first, size)) && CHECK_OK(cudaMalloc((void **)&second, size))) {
        for (int round = 0; round < rounds; round++) {
            fill_pattern(source, size, 1000u * (unsigned)worker->index + (unsigned)round);
            memset(back, 0, size);
            CHECK_OK(cudaMemcpyAsync(first, source, size, cudaMemcpyHostToDevice, stream));
            CHECK_OK(cudaMemcpyAsync(second, first, size, cudaMemcpyDeviceToDevice, stream));
            CHECK_OK(cudaMemcpyAsync(back, second, size, cudaMemcpyDeviceToHost, stream));
            CHECK_OK(cudaStreamSynchronize(stream));
            char what[96];
            snprintf(what, sizeof what, "thread %d round %d round trip", worker->index, round);
            if (CHECK_BYTES(back, source, size, what)) worker->rounds_done++;
        }
    }
    if (source) CHECK_OK(cudaFreeHost(source));
    if (back) CHECK_OK(cudaFreeHost(back));
    if (first) CHECK_OK(cudaFree(first));
    if (second) CHECK_OK(cudaFree(second));
    CHECK_OK(cudaStreamDestroy(stream));
    return NULL;
}

static void check_threads(void) {
    enum { threads = 4 };
    pthread_t handles[threads];
    struct worker workers[threads];
    int started[threads];
    for (int i = 0; i < threads; i++) {
        workers[i] = (struct worker){i, 0};
        started[i] = CHECK_INT(pthread_create(&handles[i], NULL, copy_worker, &workers[i]), 0, "pthread_create");
    }
    for (int i = 0; i < threads; i++) {
        if (!started[i]) continue;
        pthread_join(handles[i], NULL);
        char what[64];
        snprintf(what, sizeof what, "thread %d rounds that round-tripped", i);
        CHECK_INT(workers[i].rounds_done, 25, what);
    }
}

/* "In case the device is still doing work in the stream stream when cudaStreamDestroy() is
 * called, the function will return immediately and the resources associated with stream will be
 * released automatically once the device has completed all work in stream." */
static void check_destroy_with_pending_work(void) {
    cudaStream_t stream;
    struct gate gate;
    atomic_int host_function_ran;
    struct order_log log;
    struct order_entry entry = {&log, 1, 0, NULL};
    gate_init(&gate);
    order_init(&log);
    atomic_store(&host_function_ran, 0);
    if (!CHECK_OK(cudaStreamCreate(&stream))) return;
    CHECK_OK(cudaLaunchHostFunc(stream, gate_wait, &gate));
    CHECK_OK(cudaLaunchHostFunc(stream, set_flag, &host_function_ran));
    CHECK_OK(cudaStreamAddCallback(stream, order_callback, &entry, 0));
    gate_wait_until_waiting(&gate);
    CHECK_OK(cudaStreamDestroy(stream));
    CHECK_GATE(&gate, GATE_WAITING, "cudaStreamDestroy returned while its work was pending");
    CHECK_INT(atomic_load(&host_function_ran), 0, "host function behind the gate before it opens");
    gate_open(&gate);
    double deadline = now_seconds() + GATE_TIMEOUT_MS / 1000.0;
    while ((!atomic_load(&host_function_ran) || atomic_load(&log.count) == 0) && now_seconds() < deadline)
        sleep_milliseconds(1);
    CHECK_INT(atomic_load(&host_function_ran), 1, "host function of a destroyed stream ran");
    CHECK_INT(atomic_load(&log.count), 1, "callback of a destroyed stream ran");
    CHECK_INT(log.statuses[0], cudaSuccess, "callback of a destroyed stream: status");
    CHECK_OK(cudaDeviceSynchronize());
}

int main(void) {
    check_start(240);
    check_creation_flags_and_priorities();
    check_query_while_pending();
    check_stream_order();
    check_wait_event();
    check_events();
    check_legacy_default_stream();
    check_threads();
    check_destroy_with_pending_work();
    return check_finish();
}
