/// OpenCL C for reductions: one program per input dtype (`reduce_float32`), each op two
/// kernels. `<op>_rows`: one work-item per output walks the axis. `<op>_groups`: one
/// work-group per output, each work-item folding every G-th element, then a tree in local
/// memory. Both fold in blocks of 128 (a block's state, then the block into the total), so
/// float sums of long axes keep float32 accuracy; states combine so that ties pick the
/// first index and NaN wins, as the CPU's `ReductionFunctions` do.
enum OpenCLReductionSource {
    static let blockLength = 128

    static func source(_ dtype: DType, hasFloat64: Bool) -> String {
        var text = OpenCLKernelSource.preamble(hasFloat64: hasFloat64) + OpenCLKernelSource.dtypeMacros(dtype)
        for op in ReductionOp.allCases where OpenCLSupport.supports(.reduce(op), dtype, hasFloat64: true) {
            text += kernels(op, recipe(op, dtype: dtype), output: outputType(op))
        }
        return text
    }

    /// The state type, its identity, how an element `x` at `j` folds into `(s, si)`, how a
    /// later state `(t, ti)` folds in, and the result written at `out[k]`.
    private struct Recipe {
        var state: String
        var identity: String
        var accumulate: String
        var combine: String
        var store: String
    }

    private static func outputType(_ op: ReductionOp) -> String {
        switch op {
        case .argmax, .argmin: "long"
        case .any, .all: "uchar"
        default: "S"
        }
    }

    private static func recipe(_ op: ReductionOp, dtype: DType) -> Recipe {
        let float = dtype.isFloatingPoint
        switch op {
        case .sum, .prod:
            let sign = op == .sum ? "+" : "*"
            let identity = op == .sum ? "0" : "1"
            if float {
                return Recipe(state: "ACC", identity: "(ACC)\(identity)", accumulate: "s = s \(sign) (ACC)x;",
                              combine: "s = s \(sign) t;", store: "STORE(out, k, (C)s);")
            }
            return Recipe(state: "U", identity: "(U)\(identity)", accumulate: "s = (U)(s \(sign) (U)x);",
                          combine: "s = (U)(s \(sign) t);", store: "STORE(out, k, (C)s);")
        case .sumOfSquares:  // floating point only (OpenCLSupport)
            return Recipe(state: "ACC", identity: "(ACC)0", accumulate: "s = s + (ACC)x * (ACC)x;",
                          combine: "s = s + t;", store: "STORE(out, k, (C)s);")
        case .max, .min:
            let compare = op == .max ? ">" : "<"
            let fold = { (v: String) in "if (!ISNAN(s) && (ISNAN(\(v)) || \(v) \(compare) s)) s = \(v);" }
            return Recipe(state: "C", identity: op == .max ? "(C)LOWEST" : "(C)HIGHEST", accumulate: fold("x"),
                          combine: fold("t"), store: "STORE(out, k, s);")
        case .argmax, .argmin:
            let compare = op == .argmax ? ">" : "<"
            let accumulate = "if (si < 0 || (!ISNAN(s) && (ISNAN(x) || x \(compare) s))) { s = x; si = j; }"
            let combine = """
            if (ti >= 0) { int take;
                if (si < 0) take = 1;
                else if (ISNAN(s) && ISNAN(t)) take = ti < si;
                else if (ISNAN(s)) take = 0;
                else if (ISNAN(t)) take = 1;
                else take = (t \(compare) s) || (t == s && ti < si);
                if (take) { s = t; si = ti; } }
            """
            return Recipe(state: "C", identity: "(C)0", accumulate: accumulate, combine: combine, store: "out[k] = si;")
        case .any:
            return Recipe(state: "int", identity: "0", accumulate: "s = s || (x != 0);", combine: "s = s || t;",
                          store: "out[k] = (uchar)(s != 0);")
        case .all:
            return Recipe(state: "int", identity: "1", accumulate: "s = s && (x != 0);", combine: "s = s && t;",
                          store: "out[k] = (uchar)(s != 0);")
        }
    }

    private static func kernels(_ op: ReductionOp, _ r: Recipe, output: String) -> String {
        let name = op.rawValue
        return """
        /* Folds elements [from, to) with step `step` of the axis into (s, si), in blocks. */
        inline void \(name)_fold(__global const S *in, long base, long axisStride, long from, long to, long step,
                                   \(r.state) *sp, long *sip) {
            \(r.state) s = *sp; long si = *sip;
            for (long b = from; b < to; b += \(blockLength) * step) {
                \(r.state) t = \(r.identity); long ti = -1;
                long end = min(to, b + \(blockLength) * step);
                { \(r.state) s = t; long si = ti;
                  for (long j = b; j < end; j += step) { C x = LOAD(in, base + j * axisStride); \(r.accumulate) }
                  t = s; ti = si; }
                \(r.combine)
            }
            *sp = s; *sip = si;
        }
        __kernel void \(name)_rows(__global \(output) *out, __global const S *in, Layout L, long n, long axisStride) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                \(r.state) s = \(r.identity); long si = -1;
                \(name)_fold(in, o[1], axisStride, 0, n, 1, &s, &si);
                long k = o[0];
                \(r.store)
            }
        }
        __kernel void \(name)_groups(__global \(output) *out, __global const S *in, Layout L, long n, long axisStride,
                                     __local \(r.state) *states, __local long *indices) {
            long lid = get_local_id(0), G = get_local_size(0);
            for (long e = get_group_id(0); e < L.count; e += get_num_groups(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                \(r.state) s = \(r.identity); long si = -1;
                \(name)_fold(in, o[1], axisStride, lid, n, G, &s, &si);
                states[lid] = s; indices[lid] = si;
                barrier(CLK_LOCAL_MEM_FENCE);
                for (long w = G / 2; w > 0; w >>= 1) {
                    if (lid < w) {
                        s = states[lid]; si = indices[lid];
                        \(r.state) t = states[lid + w]; long ti = indices[lid + w];
                        \(r.combine)
                        states[lid] = s; indices[lid] = si;
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                if (lid == 0) { s = states[0]; si = indices[0]; long k = o[0]; \(r.store) }
                barrier(CLK_LOCAL_MEM_FENCE);
            }
        }

        """
    }
}
