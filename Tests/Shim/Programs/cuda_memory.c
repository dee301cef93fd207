/* Memory through the CUDA runtime C API: copies in every direction with pageable and pinned host
 * memory from 1 byte to 64 MiB (checked byte for byte), interior pointers, 2D copies and
 * memsets with pitches, managed memory, stream-ordered allocation, pointer attributes, mapped
 * host memory and prefetching, checked against CUDA's documented behaviour (cuda_runtime_api.h
 * of CUDA 12.9).
 *
 * Note: a cudaMemcpy from device to device, a cudaMemset on device memory and a cudaMemcpy from
 * pageable host memory to device memory may return before the device has finished ("API
 * synchronization behavior"), so the host reads what they wrote only after a synchronizing call
 * (a device-to-host cudaMemcpy on the same stream, or cudaDeviceSynchronize). */
#include "cuda_check.h"

enum host_kind { PAGEABLE, MALLOC_HOST, HOST_ALLOC, REGISTERED, HOST_KINDS };
static const char *const host_kind_names[HOST_KINDS] = {"malloc", "cudaMallocHost", "cudaHostAlloc", "cudaHostRegister"};

static const size_t page = 4096;

static size_t rounded_to_pages(size_t size) { return (size + page - 1) / page * page; }

/* Host memory of `kind`; NULL (after a FAIL line) if it could not be had. */
static void *host_alloc(enum host_kind kind, size_t size) {
    void *pointer = NULL;
    switch (kind) {
    case PAGEABLE:
        pointer = malloc(size);
        CHECK(pointer != NULL, "malloc(%zu) (got NULL, want memory)", size);
        break;
    case MALLOC_HOST:
        if (!CHECK_OK(cudaMallocHost(&pointer, size))) pointer = NULL;
        break;
    case HOST_ALLOC:
        if (!CHECK_OK(cudaHostAlloc(&pointer, size, cudaHostAllocDefault))) pointer = NULL;
        break;
    case REGISTERED:
        pointer = aligned_alloc(page, rounded_to_pages(size));
        if (!CHECK(pointer != NULL, "aligned_alloc(%zu) (got NULL, want memory)", size)) break;
        if (!CHECK_OK(cudaHostRegister(pointer, rounded_to_pages(size), cudaHostRegisterDefault))) {
            free(pointer);
            pointer = NULL;
        }
        break;
    default:
        break;
    }
    return pointer;
}

static void host_free(enum host_kind kind, void *pointer) {
    if (pointer == NULL) return;
    switch (kind) {
    case PAGEABLE: free(pointer); break;
    case MALLOC_HOST:
    case HOST_ALLOC: CHECK_OK(cudaFreeHost(pointer)); break;
    case REGISTERED:
        CHECK_OK(cudaHostUnregister(pointer));
        free(pointer);
        break;
    default: break;
    }
}

/* One size with one kind of host memory: H2D, D2D, D2H, H2H, each again with cudaMemcpyDefault,
 * and a cudaMemcpyAsync round trip on a stream. */
static void check_round_trips(enum host_kind kind, size_t size, unsigned seed, cudaStream_t stream) {
    char what[160];
    unsigned char *source = host_alloc(kind, size), *target = host_alloc(kind, size);
    void *first = NULL, *second = NULL;
    if (source == NULL || target == NULL) goto done;
    if (!CHECK_OK(cudaMalloc(&first, size)) || !CHECK_OK(cudaMalloc(&second, size))) goto done;

    fill_pattern(source, size, seed);
    memset(target, 0, size);
    CHECK_OK(cudaMemcpy(first, source, size, cudaMemcpyHostToDevice));
    CHECK_OK(cudaMemcpy(second, first, size, cudaMemcpyDeviceToDevice));
    CHECK_OK(cudaMemcpy(target, second, size, cudaMemcpyDeviceToHost));
    snprintf(what, sizeof what, "%s, %zu bytes: H2D, D2D, D2H", host_kind_names[kind], size);
    CHECK_BYTES(target, source, size, what);

    memset(target, 0, size);
    CHECK_OK(cudaMemcpy(target, source, size, cudaMemcpyHostToHost));
    snprintf(what, sizeof what, "%s, %zu bytes: H2H", host_kind_names[kind], size);
    CHECK_BYTES(target, source, size, what);

    /* cudaMemcpyDefault: the direction comes from the pointers (unified addressing). */
    fill_pattern(source, size, seed + 1);
    memset(target, 0, size);
    CHECK_OK(cudaMemcpy(first, source, size, cudaMemcpyDefault));
    CHECK_OK(cudaMemcpy(second, first, size, cudaMemcpyDefault));
    CHECK_OK(cudaMemcpy(target, second, size, cudaMemcpyDefault));
    snprintf(what, sizeof what, "%s, %zu bytes: cudaMemcpyDefault H2D, D2D, D2H", host_kind_names[kind], size);
    CHECK_BYTES(target, source, size, what);
    memset(target, 0, size);
    CHECK_OK(cudaMemcpy(target, source, size, cudaMemcpyDefault));
    snprintf(what, sizeof what, "%s, %zu bytes: cudaMemcpyDefault H2H", host_kind_names[kind], size);
    CHECK_BYTES(target, source, size, what);

    fill_pattern(source, size, seed + 2);
    memset(target, 0, size);
    CHECK_OK(cudaMemcpyAsync(first, source, size, cudaMemcpyHostToDevice, stream));
    CHECK_OK(cudaMemcpyAsync(second, first, size, cudaMemcpyDeviceToDevice, stream));
    CHECK_OK(cudaMemcpyAsync(target, second, size, cudaMemcpyDeviceToHost, stream));
    CHECK_OK(cudaStreamSynchronize(stream));
    snprintf(what, sizeof what, "%s, %zu bytes: cudaMemcpyAsync H2D, D2D, D2H", host_kind_names[kind], size);
    CHECK_BYTES(target, source, size, what);

done:
    if (first) CHECK_OK(cudaFree(first));
    if (second) CHECK_OK(cudaFree(second));
    host_free(kind, source);
    host_free(kind, target);
}

static void check_all_directions(void) {
    static const size_t sizes[] = {1, 2, 7, 4096, 65539, (1u << 20) + 5, 64u << 20};
    cudaStream_t stream;
    if (!CHECK_OK(cudaStreamCreate(&stream))) return;
    unsigned seed = 1;
    for (int kind = 0; kind < HOST_KINDS; kind++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            /* 64 MiB with pageable and cudaMallocHost memory only: enough to cross any staging
             * buffer, without holding half a gigabyte of pinned memory. */
            if (sizes[i] == (64u << 20) && kind != PAGEABLE && kind != MALLOC_HOST) continue;
            check_round_trips((enum host_kind)kind, sizes[i], seed, stream);
            seed += 3;
        }
    }
    CHECK_OK(cudaStreamDestroy(stream));
}

/* Copies into and out of `base + offset` touch exactly those bytes. */
static void check_interior_pointers(void) {
    enum { total = 8192, length = 1000 };
    static const size_t offsets[] = {1, 3, 4097, total - length};
    unsigned char *device = NULL, *other = NULL;
    unsigned char source[length], back[total], expected[total];
    if (!CHECK_OK(cudaMalloc((void **)&device, total)) || !CHECK_OK(cudaMalloc((void **)&other, total))) goto done;
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        size_t offset = offsets[i];
        char what[128];
        fill_pattern(source, length, 100 + (unsigned)i);
        CHECK_OK(cudaMemset(device, 0xAB, total));
        CHECK_OK(cudaMemcpy(device + offset, source, length, cudaMemcpyHostToDevice));
        CHECK_OK(cudaMemcpy(back, device, total, cudaMemcpyDeviceToHost));
        memset(expected, 0xAB, total);
        memcpy(expected + offset, source, length);
        snprintf(what, sizeof what, "H2D into d + %zu leaves the bytes around it", offset);
        CHECK_BYTES(back, expected, total, what);

        memset(back, 0, length);
        CHECK_OK(cudaMemcpy(back, device + offset, length, cudaMemcpyDeviceToHost));
        snprintf(what, sizeof what, "D2H from d + %zu", offset);
        CHECK_BYTES(back, source, length, what);

        /* Interior to interior, device to device. */
        CHECK_OK(cudaMemset(other, 0x11, total));
        CHECK_OK(cudaMemcpy(other + 7, device + offset, length, cudaMemcpyDeviceToDevice));
        CHECK_OK(cudaMemcpy(back, other, total, cudaMemcpyDeviceToHost));
        memset(expected, 0x11, total);
        memcpy(expected + 7, source, length);
        snprintf(what, sizeof what, "D2D from d + %zu into e + 7", offset);
        CHECK_BYTES(back, expected, total, what);
    }
done:
    if (device) CHECK_OK(cudaFree(device));
    if (other) CHECK_OK(cudaFree(other));
}

/* cudaMemcpy2D / cudaMemcpy2DAsync between pitched device memory and host rows of other pitches. */
static void check_2d_copies(void) {
    enum { width = 100, height = 33, source_pitch = 123, target_pitch = 111 };
    unsigned char *device = NULL, *device2 = NULL;
    size_t pitch = 0, pitch2 = 0;
    unsigned char source[source_pitch * height], target[target_pitch * height], expected[target_pitch * height];
    cudaStream_t stream = NULL;
    if (!CHECK_OK(cudaMallocPitch((void **)&device, &pitch, width, height))) return;
    CHECK(pitch >= width, "cudaMallocPitch pitch (got %zu, want >= %d)", pitch, width);
    if (!CHECK_OK(cudaMallocPitch((void **)&device2, &pitch2, width, height))) goto done;
    CHECK(pitch2 >= width, "cudaMallocPitch pitch (got %zu, want >= %d)", pitch2, width);

    fill_pattern(source, sizeof source, 200);
    CHECK_OK(cudaMemset(device, 0x5C, pitch * height));
    CHECK_OK(cudaMemcpy2D(device, pitch, source, source_pitch, width, height, cudaMemcpyHostToDevice));

    /* The device rows hold the source rows; the padding of each device row is untouched. */
    unsigned char *whole = malloc(pitch * height), *whole_expected = malloc(pitch * height);
    if (CHECK(whole != NULL && whole_expected != NULL, "malloc (got NULL, want memory)")) {
        CHECK_OK(cudaMemcpy(whole, device, pitch * height, cudaMemcpyDeviceToHost));
        memset(whole_expected, 0x5C, pitch * height);
        for (int row = 0; row < height; row++) memcpy(whole_expected + row * pitch, source + row * source_pitch, width);
        CHECK_BYTES(whole, whole_expected, pitch * height, "cudaMemcpy2D H2D rows land at the device pitch");
    }
    free(whole);
    free(whole_expected);

    memset(target, 0xEE, sizeof target);
    CHECK_OK(cudaMemcpy2D(target, target_pitch, device, pitch, width, height, cudaMemcpyDeviceToHost));
    memset(expected, 0xEE, sizeof expected);
    for (int row = 0; row < height; row++) memcpy(expected + row * target_pitch, source + row * source_pitch, width);
    CHECK_BYTES(target, expected, sizeof target, "cudaMemcpy2D D2H into pitch 111, padding untouched");

    /* Device to device, then back with cudaMemcpyDefault. */
    CHECK_OK(cudaMemcpy2D(device2, pitch2, device, pitch, width, height, cudaMemcpyDeviceToDevice));
    memset(target, 0xEE, sizeof target);
    CHECK_OK(cudaMemcpy2D(target, target_pitch, device2, pitch2, width, height, cudaMemcpyDefault));
    CHECK_BYTES(target, expected, sizeof target, "cudaMemcpy2D D2D then cudaMemcpyDefault D2H");

    /* The same through cudaMemcpy2DAsync on a stream, with a new pattern. */
    if (!CHECK_OK(cudaStreamCreate(&stream))) goto done;
    fill_pattern(source, sizeof source, 201);
    memset(target, 0xEE, sizeof target);
    CHECK_OK(cudaMemcpy2DAsync(device, pitch, source, source_pitch, width, height, cudaMemcpyHostToDevice, stream));
    CHECK_OK(cudaMemcpy2DAsync(device2, pitch2, device, pitch, width, height, cudaMemcpyDeviceToDevice, stream));
    CHECK_OK(cudaMemcpy2DAsync(target, target_pitch, device2, pitch2, width, height, cudaMemcpyDeviceToHost, stream));
    CHECK_OK(cudaStreamSynchronize(stream));
    memset(expected, 0xEE, sizeof expected);
    for (int row = 0; row < height; row++) memcpy(expected + row * target_pitch, source + row * source_pitch, width);
    CHECK_BYTES(target, expected, sizeof target, "cudaMemcpy2DAsync H2D, D2D, D2H");
    CHECK_OK(cudaStreamDestroy(stream));

done:
    if (device) CHECK_OK(cudaFree(device));
    if (device2) CHECK_OK(cudaFree(device2));
}

static void check_memsets(void) {
    enum { size = 70001, width = 90, height = 17 };
    unsigned char *device = NULL, *host = malloc(size), *expected = malloc(size);
    cudaStream_t stream = NULL;
    if (!CHECK(host != NULL && expected != NULL, "malloc (got NULL, want memory)")) goto done;
    if (!CHECK_OK(cudaMalloc((void **)&device, size))) goto done;

    CHECK_OK(cudaMemset(device, 0x5A, size));
    CHECK_OK(cudaMemcpy(host, device, size, cudaMemcpyDeviceToHost));
    CHECK_FILLED(host, 0x5A, size, "cudaMemset 0x5A");

    /* "Fills ... with the constant byte value value": only the low byte of the int counts. */
    CHECK_OK(cudaMemset(device, 0x1A5, size));
    CHECK_OK(cudaMemcpy(host, device, size, cudaMemcpyDeviceToHost));
    CHECK_FILLED(host, 0xA5, size, "cudaMemset 0x1A5 sets bytes 0xA5");

    /* A range in the middle, nothing around it. */
    CHECK_OK(cudaMemset(device + 10, 0x11, 50));
    CHECK_OK(cudaMemcpy(host, device, size, cudaMemcpyDeviceToHost));
    memset(expected, 0xA5, size);
    memset(expected + 10, 0x11, 50);
    CHECK_BYTES(host, expected, size, "cudaMemset(d + 10, 0x11, 50)");

    if (CHECK_OK(cudaStreamCreate(&stream))) {
        CHECK_OK(cudaMemsetAsync(device, 0x3C, size, stream));
        CHECK_OK(cudaMemcpyAsync(host, device, size, cudaMemcpyDeviceToHost, stream));
        CHECK_OK(cudaStreamSynchronize(stream));
        CHECK_FILLED(host, 0x3C, size, "cudaMemsetAsync 0x3C");
    }

    /* cudaMemset2D sets `width` bytes of each of `height` rows, not the padding. */
    unsigned char *pitched = NULL;
    size_t pitch = 0;
    if (CHECK_OK(cudaMallocPitch((void **)&pitched, &pitch, width, height))) {
        unsigned char *rows = malloc(pitch * height), *rows_expected = malloc(pitch * height);
        if (CHECK(rows != NULL && rows_expected != NULL, "malloc (got NULL, want memory)")) {
            CHECK_OK(cudaMemset(pitched, 0x11, pitch * height));
            CHECK_OK(cudaMemset2D(pitched, pitch, 0x22, width, height));
            CHECK_OK(cudaMemcpy(rows, pitched, pitch * height, cudaMemcpyDeviceToHost));
            memset(rows_expected, 0x11, pitch * height);
            for (int row = 0; row < height; row++) memset(rows_expected + row * pitch, 0x22, width);
            CHECK_BYTES(rows, rows_expected, pitch * height, "cudaMemset2D: rows set, padding untouched");

            if (stream != NULL) {
                CHECK_OK(cudaMemset2DAsync(pitched, pitch, 0x33, width - 10, height - 2, stream));
                CHECK_OK(cudaMemcpyAsync(rows, pitched, pitch * height, cudaMemcpyDeviceToHost, stream));
                CHECK_OK(cudaStreamSynchronize(stream));
                for (int row = 0; row < height - 2; row++) memset(rows_expected + row * pitch, 0x33, width - 10);
                CHECK_BYTES(rows, rows_expected, pitch * height, "cudaMemset2DAsync of a sub-rectangle");
            }
        }
        free(rows);
        free(rows_expected);
        CHECK_OK(cudaFree(pitched));
    }
    if (stream != NULL) CHECK_OK(cudaStreamDestroy(stream));
done:
    if (device) CHECK_OK(cudaFree(device));
    free(host);
    free(expected);
}

static void check_managed(void) {
    enum { size = 300007 };
    unsigned char *managed = NULL, *device = NULL;
    unsigned char *source = malloc(size), *back = malloc(size);
    if (!CHECK(source != NULL && back != NULL, "malloc (got NULL, want memory)")) goto done;
    if (!CHECK_OK(cudaMallocManaged((void **)&managed, size, cudaMemAttachGlobal))) goto done;
    if (!CHECK_OK(cudaMalloc((void **)&device, size))) goto done;

    /* Managed memory goes with any cudaMemcpyKind: the kind says from which side it is accessed
     * (CUDA Programming Guide, "Memcpy()/Memset() Behavior With Managed Memory"), and it is freed
     * with cudaFree (cudaFree: "must have been returned by ... cudaMallocManaged()").
     * The host writes managed memory directly; the device copies it; the host reads the copy. */
    fill_pattern(managed, size, 300);
    fill_pattern(source, size, 300);
    CHECK_OK(cudaMemcpy(device, managed, size, cudaMemcpyDeviceToDevice));
    CHECK_OK(cudaMemcpy(back, device, size, cudaMemcpyDeviceToHost));
    CHECK_BYTES(back, source, size, "host-written managed memory copied by the device");

    /* The device writes managed memory; after synchronizing, the host reads it directly. */
    fill_pattern(source, size, 301);
    CHECK_OK(cudaMemcpy(device, source, size, cudaMemcpyHostToDevice));
    CHECK_OK(cudaMemcpy(managed, device, size, cudaMemcpyDeviceToDevice));
    CHECK_OK(cudaDeviceSynchronize());
    CHECK_BYTES(managed, source, size, "device-written managed memory read by the host");

    CHECK_OK(cudaMemset(managed + 5, 0x3C, 1000));
    CHECK_OK(cudaDeviceSynchronize());
    memset(source + 5, 0x3C, 1000);
    CHECK_BYTES(managed, source, size, "cudaMemset on managed memory read by the host");

    fill_pattern(source, size, 302);
    CHECK_OK(cudaMemcpy(managed, source, size, cudaMemcpyDefault));
    CHECK_OK(cudaDeviceSynchronize());
    CHECK_BYTES(managed, source, size, "cudaMemcpyDefault into managed memory");

    /* Prefetching: to the CPU always; to a device only where cudaDevAttrConcurrentManagedAccess
     * is non-zero ("If dstDevice is a GPU, then the device attribute
     * cudaDevAttrConcurrentManagedAccess must be non-zero"), else cudaErrorInvalidDevice. */
    int concurrent = 0;
    CHECK_OK(cudaDeviceGetAttribute(&concurrent, cudaDevAttrConcurrentManagedAccess, 0));
    cudaStream_t stream;
    if (CHECK_OK(cudaStreamCreate(&stream))) {
        CHECK_CUDA(cudaMemPrefetchAsync(managed, size, 0, stream), concurrent ? cudaSuccess : cudaErrorInvalidDevice);
        CHECK_OK(cudaMemPrefetchAsync(managed, size, cudaCpuDeviceId, stream));
        CHECK_OK(cudaStreamSynchronize(stream));
        CHECK_BYTES(managed, source, size, "managed memory after prefetches");
        CHECK_OK(cudaStreamDestroy(stream));
    }
    cudaGetLastError();
done:
    if (managed) CHECK_OK(cudaFree(managed));
    if (device) CHECK_OK(cudaFree(device));
    free(source);
    free(back);
}

static void check_stream_ordered_allocation(void) {
    enum { size = 1 << 20 };
    unsigned char *source = NULL, *back = NULL;
    cudaStream_t stream;
    if (!CHECK_OK(cudaMallocHost((void **)&source, size)) || !CHECK_OK(cudaMallocHost((void **)&back, size))) goto done;
    if (!CHECK_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking))) goto done;
    for (int round = 0; round < 3; round++) {
        void *device = NULL;
        fill_pattern(source, size, 400 + (unsigned)round);
        memset(back, 0, size);
        if (!CHECK_OK(cudaMallocAsync(&device, size, stream))) break;
        CHECK(device != NULL, "cudaMallocAsync pointer (got NULL, want memory)");
        CHECK_OK(cudaMemcpyAsync(device, source, size, cudaMemcpyHostToDevice, stream));
        CHECK_OK(cudaMemcpyAsync(back, device, size, cudaMemcpyDeviceToHost, stream));
        CHECK_OK(cudaFreeAsync(device, stream));
        CHECK_OK(cudaStreamSynchronize(stream));
        CHECK_BYTES(back, source, size, "cudaMallocAsync, copies, cudaFreeAsync on one stream");
    }
    CHECK_OK(cudaStreamDestroy(stream));

    /* On the legacy default stream too. */
    void *device = NULL;
    fill_pattern(source, size, 410);
    if (CHECK_OK(cudaMallocAsync(&device, size, 0))) {
        CHECK_OK(cudaMemcpyAsync(device, source, size, cudaMemcpyHostToDevice, 0));
        CHECK_OK(cudaMemcpyAsync(back, device, size, cudaMemcpyDeviceToHost, 0));
        CHECK_OK(cudaFreeAsync(device, 0));
        CHECK_OK(cudaStreamSynchronize(0));
        CHECK_BYTES(back, source, size, "cudaMallocAsync on stream 0");
    }
done:
    if (source) CHECK_OK(cudaFreeHost(source));
    if (back) CHECK_OK(cudaFreeHost(back));
}

#define CHECK_ATTRIBUTES(pointer, want_type, want_device_pointer, want_host_pointer, what) do {        \
    struct cudaPointerAttributes a_;                                                                  \
    memset(&a_, 0x5A, sizeof a_);                                                                     \
    if (CHECK_OK(cudaPointerGetAttributes(&a_, (pointer)))) {                                         \
        CHECK_INT(a_.type, want_type, what ": type");                                                 \
        if ((want_type) != cudaMemoryTypeUnregistered) {                                              \
            CHECK_INT(a_.device, 0, what ": device");                                                 \
            CHECK_PTR(a_.devicePointer, want_device_pointer, what ": devicePointer");                 \
            CHECK_PTR(a_.hostPointer, want_host_pointer, what ": hostPointer");                       \
        }                                                                                             \
    }                                                                                                 \
} while (0)

static void check_pointer_attributes(void) {
    int host_pointer_usable = 0;
    CHECK_OK(cudaDeviceGetAttribute(&host_pointer_usable, cudaDevAttrCanUseHostPointerForRegisteredMem, 0));

    /* Device memory: the device alias is the pointer itself, no host alias. */
    unsigned char *device = NULL;
    if (CHECK_OK(cudaMalloc((void **)&device, 4096))) {
        CHECK_ATTRIBUTES(device, cudaMemoryTypeDevice, device, NULL, "cudaMalloc pointer");
        CHECK_ATTRIBUTES(device + 100, cudaMemoryTypeDevice, device + 100, NULL, "cudaMalloc pointer + 100");
        CHECK_OK(cudaFree(device));
    }

    /* Pinned host memory from cudaMallocHost / cudaHostAlloc is mapped and portable under unified
     * addressing, at the same address on host and device. */
    unsigned char *pinned = NULL;
    if (CHECK_OK(cudaMallocHost((void **)&pinned, 4096))) {
        CHECK_ATTRIBUTES(pinned, cudaMemoryTypeHost, pinned, pinned, "cudaMallocHost pointer");
        CHECK_ATTRIBUTES(pinned + 5, cudaMemoryTypeHost, pinned + 5, pinned + 5, "cudaMallocHost pointer + 5");
        CHECK_OK(cudaFreeHost(pinned));
    }

    unsigned char *managed = NULL;
    if (CHECK_OK(cudaMallocManaged((void **)&managed, 4096, cudaMemAttachGlobal))) {
        CHECK_ATTRIBUTES(managed, cudaMemoryTypeManaged, managed, managed, "cudaMallocManaged pointer");
        CHECK_ATTRIBUTES(managed + 64, cudaMemoryTypeManaged, managed + 64, managed + 64, "cudaMallocManaged pointer + 64");
        CHECK_OK(cudaFree(managed));
    }

    /* "In CUDA 11.0 forward passing host pointer will return cudaMemoryTypeUnregistered in
     * cudaPointerAttributes::type and call will return cudaSuccess." */
    unsigned char *plain = aligned_alloc(page, 2 * page);
    if (CHECK(plain != NULL, "aligned_alloc (got NULL, want memory)")) {
        CHECK_ATTRIBUTES(plain, cudaMemoryTypeUnregistered, NULL, NULL, "malloc pointer");
        if (CHECK_OK(cudaHostRegister(plain, 2 * page, cudaHostRegisterDefault))) {
            /* Registered memory: the device alias is the host pointer where the device can use
             * host pointers (cudaDevAttrCanUseHostPointerForRegisteredMem), else another address. */
            struct cudaPointerAttributes a;
            memset(&a, 0, sizeof a);
            if (CHECK_OK(cudaPointerGetAttributes(&a, plain + 10))) {
                CHECK_INT(a.type, cudaMemoryTypeHost, "registered pointer + 10: type");
                CHECK_PTR(a.hostPointer, plain + 10, "registered pointer + 10: hostPointer");
                if (host_pointer_usable)
                    CHECK_PTR(a.devicePointer, plain + 10, "registered pointer + 10: devicePointer");
                else
                    CHECK(a.devicePointer != NULL, "registered pointer + 10: devicePointer (got NULL, want an alias)");
            }
            /* "::cudaErrorHostMemoryAlreadyRegistered" for a range registered already. */
            CHECK_CUDA(cudaHostRegister(plain, 2 * page, cudaHostRegisterDefault), cudaErrorHostMemoryAlreadyRegistered);
            CHECK_OK(cudaHostUnregister(plain));
            CHECK_ATTRIBUTES(plain, cudaMemoryTypeUnregistered, NULL, NULL, "malloc pointer after cudaHostUnregister");
            /* "::cudaErrorHostMemoryNotRegistered" once it is not. */
            CHECK_CUDA(cudaHostUnregister(plain), cudaErrorHostMemoryNotRegistered);
        }
        free(plain);
    }
    CHECK_CUDA(cudaPointerGetAttributes(NULL, &host_pointer_usable), cudaErrorInvalidValue);
    cudaGetLastError();
}

static void check_mapped_host_memory(void) {
    enum { size = 10000 };
    int host_pointer_usable = 0;
    CHECK_OK(cudaDeviceGetAttribute(&host_pointer_usable, cudaDevAttrCanUseHostPointerForRegisteredMem, 0));
    unsigned char *mapped = NULL, *back = malloc(size), *device = NULL;
    if (!CHECK(back != NULL, "malloc (got NULL, want memory)")) return;
    if (!CHECK_OK(cudaHostAlloc((void **)&mapped, size, cudaHostAllocMapped))) goto done;
    void *alias = NULL;
    if (CHECK_OK(cudaHostGetDevicePointer(&alias, mapped, 0))) {
        CHECK(alias != NULL, "cudaHostGetDevicePointer (got NULL, want an alias)");
        /* "If all devices visible to the application have a non-zero value for the device
         * attribute, the device pointer returned by cudaHostGetDevicePointer() will match the
         * original pointer pHost." */
        if (host_pointer_usable) CHECK_PTR(alias, mapped, "cudaHostGetDevicePointer alias");
        /* The device reads and writes the host memory through the alias. */
        fill_pattern(mapped, size, 500);
        if (CHECK_OK(cudaMalloc((void **)&device, size))) {
            CHECK_OK(cudaMemcpy(device, alias, size, cudaMemcpyDefault));
            CHECK_OK(cudaMemcpy(back, device, size, cudaMemcpyDeviceToHost));
            CHECK_BYTES(back, mapped, size, "device copy from the mapped alias");
            CHECK_OK(cudaMemset(device, 0x77, size));
            CHECK_OK(cudaMemcpy(alias, device, size, cudaMemcpyDefault));
            CHECK_OK(cudaDeviceSynchronize());
            CHECK_FILLED(mapped, 0x77, size, "host memory written through the mapped alias");
        }
    }
    /* "flags provides for future releases. For now, it must be set to 0." */
    CHECK_CUDA(cudaHostGetDevicePointer(&alias, mapped, 1), cudaErrorInvalidValue);
    /* Memory neither allocated by cudaHostAlloc nor registered has no device alias. */
    CHECK_CUDA(cudaHostGetDevicePointer(&alias, back, 0), cudaErrorInvalidValue);
    cudaGetLastError();
done:
    if (mapped) CHECK_OK(cudaFreeHost(mapped));
    if (device) CHECK_OK(cudaFree(device));
    free(back);
}

/* Freed memory can be allocated again: 40 rounds of 64 MiB, each written and read at both ends. */
static void check_reuse(void) {
    enum { size = 64 << 20, probe = 4096 };
    unsigned char source[probe], back[probe];
    for (unsigned round = 0; round < 40; round++) {
        unsigned char *device = NULL;
        if (!CHECK_OK(cudaMalloc((void **)&device, size))) return;
        fill_pattern(source, probe, 600 + round);
        CHECK_OK(cudaMemcpy(device, source, probe, cudaMemcpyHostToDevice));
        CHECK_OK(cudaMemcpy(device + size - probe, source, probe, cudaMemcpyHostToDevice));
        memset(back, 0, probe);
        CHECK_OK(cudaMemcpy(back, device + size - probe, probe, cudaMemcpyDeviceToHost));
        CHECK_BYTES(back, source, probe, "the end of a reallocated 64 MiB block");
        memset(back, 0, probe);
        CHECK_OK(cudaMemcpy(back, device, probe, cudaMemcpyDeviceToHost));
        CHECK_BYTES(back, source, probe, "the start of a reallocated 64 MiB block");
        CHECK_OK(cudaFree(device));
    }
}

int main(void) {
    check_start(300);
    check_all_directions();
    check_interior_pointers();
    check_2d_copies();
    check_memsets();
    check_managed();
    check_stream_ordered_allocation();
    check_pointer_attributes();
    check_mapped_host_memory();
    check_reuse();
    CHECK_CUDA(cudaGetLastError(), cudaSuccess);
    return check_finish();
}
