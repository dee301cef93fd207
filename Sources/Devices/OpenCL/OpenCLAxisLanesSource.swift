/// OpenCL C for `AxisOp`s across 8 adjacent lanes at once (the `<op>_lanes` kernels), for
/// a strided axis whose lanes lie side by side (both operands' innermost lane stride 1, a
/// multiple of 8 lanes): a work-item walks the axis loading one vector of 8 lanes per
/// step, so each step reads one run of memory instead of 8 far-apart elements. The `Layout`
/// counts groups of 8 lanes (innermost size divided by 8, stride 8).
///
/// Softmax on float32, float64 and float16; running totals on float32, float64, int32,
/// int64 and uint8, accumulating as `OpenCLAxisSource`'s scalar kernels do (float32 in
/// double where the device has it; integers in unsigned vectors, which wrap).
enum OpenCLAxisLanesSource {
    static let width = OpenCLAxisVectorSource.width

    static func supports(_ op: AxisOp, _ dtype: DType) -> Bool {
        switch op {
        case .softmax, .logSoftmax: OpenCLAxisVectorSource.hasVectors(dtype)
        case .cumsum, .cumprod: [.float32, .float64, .int32, .int64, .uint8].contains(dtype)
        }
    }

    /// The kernels of `dtype`'s axis program, after `OpenCLAxisVectorSource`'s (whose
    /// VLOAD and VSTORE they use).
    static func source(_ dtype: DType, hasFloat64: Bool) -> String {
        var text = ""
        if supports(.softmax, dtype) { text += softmax("softmax", log: false) + softmax("logSoftmax", log: true) }
        if supports(.cumsum, dtype) {
            text += scanMacros(dtype, hasFloat64: hasFloat64) + scan("cumsum", identity: "0", combine: "+")
                + scan("cumprod", identity: "1", combine: "*")
        }
        return text
    }

    private static func softmax(_ name: String, log: Bool) -> String {
        let (block, load) = (OpenCLAxisSource.blockLength, "VLOAD(in, o[1] + j * inStride)")
        let write = log ? "CV shift = log(s); for (long j = 0; j < n; j++) VSTORE(out, o[0] + j * outStride, (\(load) - m) - shift);"
            : "CV scale = (CV)(1) / s; for (long j = 0; j < n; j++) VSTORE(out, o[0] + j * outStride, exp(\(load) - m) * scale);"
        return """
        __kernel void \(name)_lanes(__global S *out, __global const S *in, Layout L, long n, long outStride, long inStride) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                CV m = (CV)(LOWEST);
                for (long j = 0; j < n; j++) { CV x = \(load); m = x > m ? x : m; }
                CV s = (CV)(0);
                for (long b = 0; b < n; b += \(block)) {
                    CV t = (CV)(0);
                    for (long j = b; j < min(n, b + \(block)); j++) t += exp(\(load) - m);
                    s += t;
                }
                \(write)
            }
        }

        """
    }

    /// TV: the accumulator vector; AXV_IN(x): a loaded vector as TV; AXV_STORE(p, i, t).
    private static func scanMacros(_ dtype: DType, hasFloat64: Bool) -> String {
        let lines: [String] = switch dtype {
        case .float32 where hasFloat64:
            ["TV double\(width)", "AXV_IN(x) convert_double\(width)(x)", "AXV_STORE(p, i, t) VSTORE(p, i, convert_float\(width)(t))"]
        case .int32: ["TV uint\(width)", "AXV_IN(x) as_uint\(width)(x)", "AXV_STORE(p, i, t) VSTORE(p, i, as_int\(width)(t))"]
        case .int64: ["TV ulong\(width)", "AXV_IN(x) as_ulong\(width)(x)", "AXV_STORE(p, i, t) VSTORE(p, i, as_long\(width)(t))"]
        case .uint8: ["TV uchar\(width)", "AXV_IN(x) (x)", "AXV_STORE(p, i, t) VSTORE(p, i, t)"]
        default: ["TV CV", "AXV_IN(x) (x)", "AXV_STORE(p, i, t) VSTORE(p, i, t)"]
        }
        return lines.map { "#define \($0)" }.joined(separator: "\n") + "\n"
    }

    private static func scan(_ name: String, identity: String, combine: String) -> String {
        """
        __kernel void \(name)_lanes(__global S *out, __global const S *in, Layout L, long n, long outStride, long inStride) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                TV t = (TV)(\(identity));
                for (long j = 0; j < n; j++) {
                    t = t \(combine) AXV_IN(VLOAD(in, o[1] + j * inStride));
                    AXV_STORE(out, o[0] + j * outStride, t);
                }
            }
        }

        """
    }
}
