/* DeviceShim's own C API, for C programs that link libdeviceshim.so (or run under it).
 * The CUDA runtime and cuBLAS APIs come from NVIDIA's headers; this header holds what is
 * DeviceShim's: its version, its redirection log, the redirect policy, and tensors.
 *
 * Every call is a `debug` record in the log naming its caller (function, object, file:line
 * where the caller has debug information); a failed call is a `warn` record with the reason.
 * Every call that can fail returns a deviceshim_status; deviceshim_last_error() then says why.
 * Bad input (NULL pointers, freed or bogus handles, wrong sizes) never crashes the program. */
#ifndef DEVICESHIM_H
#define DEVICESHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every DeviceShim C call. */
typedef enum deviceshim_status {
    DEVICESHIM_OK = 0,
    /** An argument is missing (NULL) or not one of the accepted values: an unknown dtype or op,
     *  a negative size, a byte count that is not the tensor's, a buffer too small. */
    DEVICESHIM_INVALID_ARGUMENT = 1,
    /** A tensor handle is 0, was freed, or was never returned by DeviceShim. */
    DEVICESHIM_INVALID_HANDLE = 2,
    /** Shapes that do not fit together: broadcasting, matmul sizes, cat, reshape. */
    DEVICESHIM_SHAPE_MISMATCH = 3,
    /** A dimension or index outside its range (dims count from the end when negative). */
    DEVICESHIM_INDEX_OUT_OF_RANGE = 4,
    /** The tensors of one call live on different real devices, or were made under different
     *  policies (deviceshim_set_policy came between): move one with deviceshim_tensor_to. */
    DEVICESHIM_DEVICE_MISMATCH = 5,
    /** A device string that does not parse ("cuda:x"), or that no device can serve under the
     *  policy ("cuda:7" with one device, "opencl" without an OpenCL driver). */
    DEVICESHIM_INVALID_DEVICE = 6,
    /** The device failed: lost, a driver call failed, a kernel did not compile. */
    DEVICESHIM_DEVICE_ERROR = 7,
    /** The device (or the host, for values staged there) has not enough memory. */
    DEVICESHIM_OUT_OF_MEMORY = 8,
    /** No device the policy allows has a kernel for the operation and dtype. */
    DEVICESHIM_UNSUPPORTED = 9,
} deviceshim_status;

/** A readable sentence saying why the calling thread's last failed DeviceShim call failed,
 *  prefixed with the call's name, e.g. "deviceshim_tensor_add: shape mismatch: ...". It is ""
 *  when no call on this thread has failed; a successful call leaves it as it is. The string
 *  is the thread's: it stays valid until the thread's next failed call or its exit. */
const char *deviceshim_last_error(void);

/** A readable sentence for a status. The string lives as long as the process. */
const char *deviceshim_status_string(deviceshim_status status);

/** DeviceShim's version, e.g. "0.1.0". */
const char *deviceshim_version(void);

/** Sets the log level by name: "off", "error", "warn", "info", "debug" or "trace"
 *  (case-insensitive). An unknown name or NULL leaves the level as it is, logs a warning
 *  and returns DEVICESHIM_INVALID_ARGUMENT. */
deviceshim_status deviceshim_set_log_level(const char *level);

/** The log level in force, as its name. */
const char *deviceshim_log_level(void);

/* ---------------------------------------------------------------------------------------
 * The redirect policy
 * ------------------------------------------------------------------------------------- */

/** Sets the policy that tensors made from now on are placed by, in the syntax of the
 *  DEVICESHIM_POLICY variable: rules `request=target,target,...` separated by `;`, e.g.
 *  "cuda=opencl,cpu; mps=vulkan,cpu". Requests the text has no rule for keep the built-in
 *  rules. Later targets of a rule also serve as per-op fallbacks.
 *
 *  Tensors made before keep their placement, and ops on them (fallbacks included) follow
 *  the policy they were made under; a call cannot mix them with tensors made after
 *  (DEVICESHIM_DEVICE_MISMATCH). deviceshim_tensor_to always places by the policy in force,
 *  so it brings an earlier tensor under this one.
 *  An empty string returns to the process's policy (DEVICESHIM_POLICY, DEVICESHIM_CONFIG).
 *  Text that does not parse leaves the policy as it is and returns
 *  DEVICESHIM_INVALID_ARGUMENT; deviceshim_last_error() says where it is wrong. */
deviceshim_status deviceshim_set_policy(const char *policy_text);

/* ---------------------------------------------------------------------------------------
 * Tensors
 *
 * A tensor is an n-dimensional array of one dtype on one device, as a PyTorch tensor is.
 * Programs hold them by handle. Every call that makes a tensor returns a new handle in
 * `*out` (and sets `*out` to 0 when it fails); each handle is freed with
 * deviceshim_tensor_free. Handles are never reused and may be used from any thread.
 *
 * Results of reshape, transpose, permute and contiguous, and of to / to_dtype when nothing
 * changes, may share elements with their input, as PyTorch's views do: a later
 * deviceshim_tensor_copy_from_host into one shows in the other. Freeing one handle never
 * affects another.
 *
 * Devices are strings: "cuda", "cuda:1", "mps", "cpu", "opencl:0", "vulkan", "gpu". The policy
 * says which real device serves each; deviceshim_tensor_device names it.
 *
 * Shapes are arrays of `rank` sizes (0 <= rank <= DEVICESHIM_MAX_RANK; NULL is allowed when
 * rank is 0, a scalar). Elements are in row-major order in host memory; bool is one byte
 * (0 or 1), float16 and bfloat16 are their 16-bit patterns.
 *
 * Work runs asynchronously and in order on one queue per device; copying elements to the
 * host waits for it, and reports a device failure that happened while it ran.
 * ------------------------------------------------------------------------------------- */

/** A tensor handle: a 64-bit id, never 0 for a tensor. */
typedef uint64_t deviceshim_tensor;

/** The largest rank a call accepts. */
#define DEVICESHIM_MAX_RANK 64

/** Bytes enough for any device string deviceshim_tensor_device writes, with its NUL. */
#define DEVICESHIM_DEVICE_STRING_SIZE 32

/** Element types. */
typedef enum deviceshim_dtype {
    DEVICESHIM_FLOAT32 = 0,
    DEVICESHIM_FLOAT64 = 1,
    DEVICESHIM_FLOAT16 = 2,  /**< IEEE 754 half precision */
    DEVICESHIM_BFLOAT16 = 3, /**< the upper 16 bits of a float32 */
    DEVICESHIM_INT32 = 4,
    DEVICESHIM_INT64 = 5,
    DEVICESHIM_UINT8 = 6,
    DEVICESHIM_BOOL = 7,     /**< one byte, 0 or 1 */
} deviceshim_dtype;

/* --- Making and freeing ----------------------------------------------------------------- */

/** A tensor of `dtype` and `shape` on `device` holding the elements at `data` (exactly
 *  numel × element size bytes; NULL only when the shape has no elements). The bytes are
 *  copied before the call returns. */
deviceshim_status deviceshim_tensor_from_data(const void *data, deviceshim_dtype dtype, const int64_t *shape, int rank,
                                              const char *device, deviceshim_tensor *out);

/** A tensor filled with 0 (torch.zeros). */
deviceshim_status deviceshim_tensor_zeros(deviceshim_dtype dtype, const int64_t *shape, int rank, const char *device,
                                          deviceshim_tensor *out);

/** A tensor filled with 1 (torch.ones). */
deviceshim_status deviceshim_tensor_ones(deviceshim_dtype dtype, const int64_t *shape, int rank, const char *device,
                                         deviceshim_tensor *out);

/** A tensor filled with `value`, converted to `dtype` (floats to integers truncate toward 0;
 *  anything nonzero is true) (torch.full). */
deviceshim_status deviceshim_tensor_full(double value, deviceshim_dtype dtype, const int64_t *shape, int rank,
                                         const char *device, deviceshim_tensor *out);

/** The one-dimensional tensor start, start + step, ... up to but excluding `end`, computed in
 *  double and converted to `dtype` (torch.arange). `step` must be finite, nonzero and point
 *  from `start` toward `end`. */
deviceshim_status deviceshim_tensor_arange(double start, double end, double step, deviceshim_dtype dtype,
                                           const char *device, deviceshim_tensor *out);

/** Values uniform in [0, 1) (torch.rand) of a floating-point `dtype`, from a Philox4x32-10
 *  generator seeded with `seed`: the same seed gives the same values on every device. */
deviceshim_status deviceshim_tensor_rand(uint64_t seed, deviceshim_dtype dtype, const int64_t *shape, int rank,
                                         const char *device, deviceshim_tensor *out);

/** Frees the handle `t`; its elements go when no other tensor shares them. Freeing 0 does
 *  nothing and returns DEVICESHIM_OK; freeing a freed or bogus handle returns
 *  DEVICESHIM_INVALID_HANDLE. */
deviceshim_status deviceshim_tensor_free(deviceshim_tensor t);

/* --- Metadata --------------------------------------------------------------------------- */

/** The element type of `t`. */
deviceshim_status deviceshim_tensor_dtype(deviceshim_tensor t, deviceshim_dtype *out);

/** The number of dimensions of `t` (0 for a scalar). */
deviceshim_status deviceshim_tensor_rank(deviceshim_tensor t, int *out);

/** Writes the rank sizes of `t` into `shape`, which has room for `capacity` (at least the
 *  rank; NULL is allowed for a scalar). */
deviceshim_status deviceshim_tensor_shape(deviceshim_tensor t, int64_t *shape, int capacity);

/** The number of elements of `t`. */
deviceshim_status deviceshim_tensor_numel(deviceshim_tensor t, int64_t *out);

/** The number of bytes the elements of `t` take on the host: numel × element size. */
deviceshim_status deviceshim_tensor_nbytes(deviceshim_tensor t, size_t *out);

/** The device `t` was asked for, e.g. "cuda" or "cuda:1", as a string with its NUL in
 *  `buffer` of `size` bytes (DEVICESHIM_DEVICE_STRING_SIZE is enough). */
deviceshim_status deviceshim_tensor_requested_device(deviceshim_tensor t, char *buffer, size_t size);

/** The real device holding `t`, e.g. "opencl:0" for a tensor asked for on "cuda", in `buffer`. */
deviceshim_status deviceshim_tensor_device(deviceshim_tensor t, char *buffer, size_t size);

/* --- Elements and movement -------------------------------------------------------------- */

/** Copies the elements of `t` to `dst` in row-major order once the work on them is done.
 *  `bytes` must be exactly deviceshim_tensor_nbytes(t), else DEVICESHIM_INVALID_ARGUMENT and
 *  nothing is written. */
deviceshim_status deviceshim_tensor_copy_to_host(deviceshim_tensor t, void *dst, size_t bytes);

/** Overwrites the elements of `t` with those at `src` (row-major, exactly
 *  deviceshim_tensor_nbytes(t) bytes); tensors sharing the elements see the change. The bytes
 *  are copied before the call returns. */
deviceshim_status deviceshim_tensor_copy_from_host(deviceshim_tensor t, const void *src, size_t bytes);

/** `t` on `device` (torch.Tensor.to): a copy sharing nothing with `t` unless the request is
 *  the one `t` was made for. */
deviceshim_status deviceshim_tensor_to(deviceshim_tensor t, const char *device, deviceshim_tensor *out);

/** The elements of `t` as `dtype` (floats to integers truncate toward 0). */
deviceshim_status deviceshim_tensor_to_dtype(deviceshim_tensor t, deviceshim_dtype dtype, deviceshim_tensor *out);

/** `t` with its elements dense in row-major order: `t`'s elements when they already are,
 *  else a copy (torch.Tensor.contiguous). */
deviceshim_status deviceshim_tensor_contiguous(deviceshim_tensor t, deviceshim_tensor *out);

/* --- Operations --------------------------------------------------------------------------
 * Element-wise operations broadcast their operands as NumPy and PyTorch do and promote their
 * dtypes as PyTorch does (int32 + float32 is float32). All tensors of a call must be on one
 * device. Ops a device has no kernel for fall back to the next target of the policy's rule,
 * which the log records. */

/** a + b, element-wise. */
deviceshim_status deviceshim_tensor_add(deviceshim_tensor a, deviceshim_tensor b, deviceshim_tensor *out);
/** a - b, element-wise. */
deviceshim_status deviceshim_tensor_sub(deviceshim_tensor a, deviceshim_tensor b, deviceshim_tensor *out);
/** a × b, element-wise. */
deviceshim_status deviceshim_tensor_mul(deviceshim_tensor a, deviceshim_tensor b, deviceshim_tensor *out);
/** a / b, element-wise true division: integer operands give float32 (torch.div). */
deviceshim_status deviceshim_tensor_div(deviceshim_tensor a, deviceshim_tensor b, deviceshim_tensor *out);

/** t + value. An integral value keeps an integer tensor's dtype; a fractional one makes it
 *  float32. */
deviceshim_status deviceshim_tensor_add_scalar(deviceshim_tensor t, double value, deviceshim_tensor *out);
/** t × value, with add_scalar's dtype rule. */
deviceshim_status deviceshim_tensor_mul_scalar(deviceshim_tensor t, double value, deviceshim_tensor *out);

/** Element-wise functions of one tensor. Those defined for floating point only compute
 *  integer and bool tensors in float32, as PyTorch does. */
typedef enum deviceshim_unary_op {
    DEVICESHIM_NEG = 0,
    DEVICESHIM_ABS = 1,
    DEVICESHIM_SIGN = 2,
    DEVICESHIM_SQUARE = 3,
    DEVICESHIM_RELU = 4,
    DEVICESHIM_EXP = 5,
    DEVICESHIM_LOG = 6,
    DEVICESHIM_SQRT = 7,
    DEVICESHIM_RSQRT = 8,
    DEVICESHIM_RECIPROCAL = 9,
    DEVICESHIM_SIN = 10,
    DEVICESHIM_COS = 11,
    DEVICESHIM_TANH = 12,
    DEVICESHIM_SIGMOID = 13,
    DEVICESHIM_GELU = 14,        /**< exact (erf) form */
    DEVICESHIM_ERF = 15,
    DEVICESHIM_FLOOR = 16,
    DEVICESHIM_CEIL = 17,
    DEVICESHIM_ROUND = 18,       /**< halves to even */
    DEVICESHIM_TRUNC = 19,
    DEVICESHIM_LOGICAL_NOT = 20, /**< bool result */
} deviceshim_unary_op;

/** `op` applied to every element of `t`. */
deviceshim_status deviceshim_tensor_unary(deviceshim_tensor t, deviceshim_unary_op op, deviceshim_tensor *out);

/** The matrix product as torch.matmul: vectors, matrices and batches (batch dimensions broadcast). */
deviceshim_status deviceshim_tensor_matmul(deviceshim_tensor a, deviceshim_tensor b, deviceshim_tensor *out);

/** Reductions. */
typedef enum deviceshim_reduction {
    DEVICESHIM_SUM = 0,    /**< integers and bools sum to int64 */
    DEVICESHIM_MEAN = 1,   /**< floating-point tensors only */
    DEVICESHIM_MAX = 2,    /**< torch.amax: NaN wins */
    DEVICESHIM_MIN = 3,    /**< torch.amin */
    DEVICESHIM_PROD = 4,
    DEVICESHIM_ARGMAX = 5, /**< int64 index of the first largest; one dim or none (flattened) */
    DEVICESHIM_ARGMIN = 6,
} deviceshim_reduction;

/** `op` over the `dim_count` dimensions in `dims` (negative dims count from the end), or over
 *  all of them when `dim_count` is 0 (`dims` may then be NULL); the reduced dimensions stay as
 *  size 1 when `keepdim` is nonzero. */
deviceshim_status deviceshim_tensor_reduce(deviceshim_tensor t, deviceshim_reduction op, const int64_t *dims, int dim_count,
                                           int keepdim, deviceshim_tensor *out);

/** exp(t) / sum(exp(t)) along `dim`, computed stably; integer tensors give float32. */
deviceshim_status deviceshim_tensor_softmax(deviceshim_tensor t, int64_t dim, deviceshim_tensor *out);

/* --- Indexing and sorting ---------------------------------------------------------------- */

/** out[..., i, ...] = t[..., index[..., i, ...], ...] along `dim` (torch.gather). `index` is
 *  int64 or int32 with t's rank, no larger than t outside `dim`; `out` has index's shape. An
 *  index outside t's `dim` is DEVICESHIM_INDEX_OUT_OF_RANGE. */
deviceshim_status deviceshim_tensor_gather(deviceshim_tensor t, int64_t dim, deviceshim_tensor index, deviceshim_tensor *out);

/** A copy of `t` with src[..., i, ...] written at position index[..., i, ...] along `dim`
 *  (torch.scatter), or added there when `add` is nonzero (torch.scatter_add). `index` is
 *  int64 with t's rank, no larger than `src` and, outside `dim`, than `t`; `src` has t's dtype.
 *  Where an index names one position twice, the element later along `dim` is written (or
 *  added) last. An index outside t's `dim` is DEVICESHIM_INDEX_OUT_OF_RANGE. */
deviceshim_status deviceshim_tensor_scatter(deviceshim_tensor t, int64_t dim, deviceshim_tensor index, deviceshim_tensor src,
                                            int add, deviceshim_tensor *out);

/** The int64 positions along `dim` that sort `t`, ascending or (`descending` nonzero)
 *  descending, stably: equal elements keep their order; NaN sorts above every number
 *  (torch.argsort(stable=True)). deviceshim_tensor_gather with them gives the sorted values. */
deviceshim_status deviceshim_tensor_argsort(deviceshim_tensor t, int64_t dim, int descending, deviceshim_tensor *out);

/* --- Shapes and joining ------------------------------------------------------------------ */

/** `t` with `shape` (one size may be -1, inferred): a view of its elements when their layout
 *  allows, else a copy (torch.reshape). */
deviceshim_status deviceshim_tensor_reshape(deviceshim_tensor t, const int64_t *shape, int rank, deviceshim_tensor *out);

/** `t` with dimensions `dim0` and `dim1` swapped, as a view (torch.transpose). */
deviceshim_status deviceshim_tensor_transpose(deviceshim_tensor t, int64_t dim0, int64_t dim1, deviceshim_tensor *out);

/** `t` with its dimensions reordered, as a view: dimension i of the result is `dims[i]` of `t`;
 *  `rank` must be t's (torch.permute). */
deviceshim_status deviceshim_tensor_permute(deviceshim_tensor t, const int64_t *dims, int rank, deviceshim_tensor *out);

/** The `count` tensors of `tensors` joined along `dim` (torch.cat); their dtypes promote and
 *  their other dimensions must match. */
deviceshim_status deviceshim_tensor_cat(const deviceshim_tensor *tensors, int count, int64_t dim, deviceshim_tensor *out);

/** The `count` tensors of `tensors`, all of one shape, stacked along a new dimension `dim`
 *  (torch.stack). */
deviceshim_status deviceshim_tensor_stack(const deviceshim_tensor *tensors, int count, int64_t dim, deviceshim_tensor *out);

#ifdef __cplusplus
}
#endif
#endif
