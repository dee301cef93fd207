/// OpenCL C for the `AxisOp` kernels: one program per dtype (`axis_float32`), each op's
/// kernels over the lanes of `Layout` (operand 0 the output's first element of each lane,
/// operand 1 the input's), the axis given by its length `n` and the two element strides.
///
/// `<op>_rows`: one work-item per lane walks it. `<op>_groups`: one work-group per lane.
/// Softmax there has each work-item fold every G-th element, a tree in local memory for the
/// maximum, then one for the sum, then each work-item writes its elements; a scan splits the
/// lane into G contiguous chunks, totals each, scans the totals in local memory, then each
/// work-item runs through its chunk from its prefix. The program also holds the vector
/// kernels of `OpenCLAxisVectorSource` (`_vectors`) and `OpenCLAxisLanesSource` (`_lanes`).
///
/// Softmax computes in float (double for float64): the maximum skips NaN, so a NaN, a +inf
/// or a lane of only -inf turns `x - max`, hence the sum and every output, NaN. Its sums go in
/// blocks of 128 as the reductions' do. Float running totals accumulate in double where the
/// device has it (as the CPU does), else in float; integer ones in the unsigned type, so
/// they wrap.
enum OpenCLAxisSource {
    static let blockLength = 128

    static func source(_ dtype: DType, hasFloat64: Bool) -> String {
        var text = OpenCLKernelSource.preamble(hasFloat64: hasFloat64) + OpenCLKernelSource.dtypeMacros(dtype)
        if dtype.isFloatingPoint {
            text += softmaxHelpers
            text += softmaxKernels("softmax", log: false) + softmaxKernels("logSoftmax", log: true)
        }
        if dtype != .bool {
            text += scanMacros(dtype, hasFloat64: hasFloat64)
            text += scanKernels("cumsum", identity: "0", combine: "+") + scanKernels("cumprod", identity: "1", combine: "*")
        }
        text += OpenCLAxisVectorSource.source(dtype) + OpenCLAxisLanesSource.source(dtype, hasFloat64: hasFloat64)
        return text
    }

    // MARK: - Softmax

    private static let softmaxHelpers = """
    /* The maximum of elements [from, to) with step `step` of a lane; NaN is skipped here but
       reaches the sum through exp(NaN - max). */
    inline C ax_max(__global const S *in, long base, long stride, long from, long to, long step) {
        C m = LOWEST;
        for (long j = from; j < to; j += step) { C x = LOAD(in, base + j * stride); if (x > m) m = x; }
        return m;
    }
    /* The sum of exp(x - m) over the same elements, in blocks. */
    inline ACC ax_expsum(__global const S *in, long base, long stride, long from, long to, long step, C m) {
        ACC s = (ACC)0;
        for (long b = from; b < to; b += \(blockLength) * step) {
            ACC t = (ACC)0;
            long end = min(to, b + \(blockLength) * step);
            for (long j = b; j < end; j += step) t += (ACC)exp(LOAD(in, base + j * stride) - m);
            s += t;
        }
        return s;
    }
    /* Writes softmax (or log-softmax) of the same elements, read again, from the lane's
       maximum and sum: so the output may be the input. */
    inline void ax_softmax_write(__global S *out, long outBase, long outStride, __global const S *in, long base,
                                 long stride, long from, long to, long step, C m, ACC s, int logOutput) {
        if (logOutput) {
            C shift = (C)log(s);
            for (long j = from; j < to; j += step) STORE(out, outBase + j * outStride, (LOAD(in, base + j * stride) - m) - shift);
        } else {
            ACC scale = (ACC)1 / s;
            for (long j = from; j < to; j += step) STORE(out, outBase + j * outStride, (C)(exp(LOAD(in, base + j * stride) - m) * scale));
        }
    }

    """

    private static func softmaxKernels(_ name: String, log: Bool) -> String {
        let logOutput = log ? 1 : 0
        return """
        __kernel void \(name)_rows(__global S *out, __global const S *in, Layout L, long n, long outStride, long inStride) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                C m = ax_max(in, o[1], inStride, 0, n, 1);
                ACC s = ax_expsum(in, o[1], inStride, 0, n, 1, m);
                ax_softmax_write(out, o[0], outStride, in, o[1], inStride, 0, n, 1, m, s, \(logOutput));
            }
        }
        __kernel void \(name)_groups(__global S *out, __global const S *in, Layout L, long n, long outStride, long inStride,
                                     __local ACC *partial) {
            long lid = get_local_id(0), G = get_local_size(0);
            for (long e = get_group_id(0); e < L.count; e += get_num_groups(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                partial[lid] = (ACC)ax_max(in, o[1], inStride, lid, n, G);
                barrier(CLK_LOCAL_MEM_FENCE);
                for (long w = G / 2; w > 0; w >>= 1) {
                    if (lid < w && partial[lid + w] > partial[lid]) partial[lid] = partial[lid + w];
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                C m = (C)partial[0];
                barrier(CLK_LOCAL_MEM_FENCE);
                partial[lid] = ax_expsum(in, o[1], inStride, lid, n, G, m);
                barrier(CLK_LOCAL_MEM_FENCE);
                for (long w = G / 2; w > 0; w >>= 1) {
                    if (lid < w) partial[lid] += partial[lid + w];
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                ACC s = partial[0];
                barrier(CLK_LOCAL_MEM_FENCE);
                ax_softmax_write(out, o[0], outStride, in, o[1], inStride, lid, n, G, m, s, \(logOutput));
            }
        }

        """
    }

    // MARK: - Running totals

    /// T: the accumulator; AX_IN(x): an element (compute type) as T; AX_STORE(p, i, t).
    private static func scanMacros(_ dtype: DType, hasFloat64: Bool) -> String {
        let lines: [String]
        switch dtype {
        case .float32 where hasFloat64:
            lines = ["T double", "AX_IN(x) ((double)(x))", "AX_STORE(p, i, t) STORE(p, i, (float)(t))", "AX_WRAP(t) (t)"]
        case .float16 where hasFloat64, .bfloat16 where hasFloat64:
            // Rounded to odd at float first, so the one rounding to 16 bits is exact.
            lines = ["T double", "AX_IN(x) ((double)(x))", "AX_STORE(p, i, t) STORE(p, i, ds_float_odd_from_double(t))",
                     "AX_WRAP(t) (t)"]
        case .float32, .float16, .bfloat16, .float64:
            lines = ["T ACC", "AX_IN(x) ((ACC)(x))", "AX_STORE(p, i, t) STORE(p, i, (C)(t))", "AX_WRAP(t) (t)"]
        case .int32, .int64, .uint8, .bool:
            lines = ["T U", "AX_IN(x) ((U)(x))", "AX_STORE(p, i, t) STORE(p, i, (C)(t))", "AX_WRAP(t) ((U)(t))"]
        }
        return lines.map { "#define \($0)" }.joined(separator: "\n") + "\n"
    }

    private static func scanKernels(_ name: String, identity: String, combine: String) -> String {
        let step = "t = AX_WRAP(t \(combine) AX_IN(LOAD(in, base + j * inStride)));"
        return """
        /* Runs through elements [from, to) of a lane from `t`: writes each total when `write`. */
        inline T \(name)_run(__global S *out, long outBase, long outStride, __global const S *in, long base, long inStride,
                              long from, long to, T t, int write) {
            for (long j = from; j < to; j++) { \(step) if (write) AX_STORE(out, outBase + j * outStride, t); }
            return t;
        }
        __kernel void \(name)_rows(__global S *out, __global const S *in, Layout L, long n, long outStride, long inStride) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                \(name)_run(out, o[0], outStride, in, o[1], inStride, 0, n, (T)\(identity), 1);
            }
        }
        __kernel void \(name)_groups(__global S *out, __global const S *in, Layout L, long n, long outStride, long inStride,
                                     __local T *totals) {
            long lid = get_local_id(0), G = get_local_size(0);
            long chunk = (n + G - 1) / G;
            long from = min(n, lid * chunk), to = min(n, from + chunk);
            for (long e = get_group_id(0); e < L.count; e += get_num_groups(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                totals[lid] = \(name)_run(out, o[0], outStride, in, o[1], inStride, from, to, (T)\(identity), 0);
                barrier(CLK_LOCAL_MEM_FENCE);
                if (lid == 0) {
                    T t = (T)\(identity);
                    for (long k = 0; k < G; k++) { T c = totals[k]; totals[k] = t; t = AX_WRAP(t \(combine) c); }
                }
                barrier(CLK_LOCAL_MEM_FENCE);
                \(name)_run(out, o[0], outStride, in, o[1], inStride, from, to, totals[lid], 1);
                barrier(CLK_LOCAL_MEM_FENCE);
            }
        }

        """
    }
}
