/// OpenCL C for softmax along a contiguous axis (both strides 1) in vectors of 8: the
/// `<op>_vectors` kernels, one work-group per lane, appended to the axis program of float32,
/// float64 and float16 (bfloat16 has no vector load). Each work-item takes every G-th
/// vector of the lane, the elements past the last whole vector go one per work-item, then
/// the trees of `OpenCLAxisSource`'s group kernels. Vector math is what lets a CPU device
/// (PoCL) keep up with its scalar loops; a GPU reads each group's lane in wide runs.
enum OpenCLAxisVectorSource {
    static let width = 8

    static func hasVectors(_ dtype: DType) -> Bool {
        dtype == .float32 || dtype == .float64 || dtype == .float16
    }

    static func source(_ dtype: DType) -> String {
        macros(dtype) + (hasVectors(dtype) ? helpers + kernel("softmax", log: false) + kernel("logSoftmax", log: true) : "")
    }

    /// CV: the compute type's vector; VLOAD(p, i) and VSTORE(p, i, v) at element i (none
    /// for bfloat16 and bool).
    private static func macros(_ dtype: DType) -> String {
        let vector: String
        switch dtype {
        case .bfloat16, .bool: return ""
        case .float16:
            return ["CV float\(width)", "VLOAD(p, i) vload_half\(width)(0, (p) + (i))",
                    "VSTORE(p, i, v) vstore_half\(width)_rte((v), 0, (p) + (i))"].map { "#define \($0)\n" }.joined()
        case .float32: vector = "float"
        case .float64: vector = "double"
        case .int32: vector = "int"
        case .int64: vector = "long"
        case .uint8: vector = "uchar"
        }
        return ["CV \(vector)\(width)", "VLOAD(p, i) vload\(width)(0, (p) + (i))",
                "VSTORE(p, i, v) vstore\(width)((v), 0, (p) + (i))"].map { "#define \($0)\n" }.joined()
    }

    private static let helpers = """
    /* The largest component of a vector (NaN never reaches it). */
    inline C axv_max(CV v) {
        C m = v.s0;
        if (v.s1 > m) m = v.s1; if (v.s2 > m) m = v.s2; if (v.s3 > m) m = v.s3;
        if (v.s4 > m) m = v.s4; if (v.s5 > m) m = v.s5; if (v.s6 > m) m = v.s6; if (v.s7 > m) m = v.s7;
        return m;
    }
    inline ACC axv_sum(CV v) { return (ACC)(((v.s0 + v.s1) + (v.s2 + v.s3)) + ((v.s4 + v.s5) + (v.s6 + v.s7))); }

    /* Folds a work-item's part of a contiguous lane at `base` (vectors lid, lid + G, ...,
       then tail elements) into the work-group's maximum and sum of exp(x - max). */
    inline void axv_stats(__global const S *in, long base, long n, long lid, long G, __local ACC *partial, C *mp, ACC *sp) {
        long vectors = n / \(width), tail = vectors * \(width);
        CV m8 = (CV)(LOWEST);
        for (long v = lid; v < vectors; v += G) { CV x = VLOAD(in, base + v * \(width)); m8 = x > m8 ? x : m8; }
        C m = axv_max(m8);
        C tailMax = ax_max(in, base, 1, tail + lid, n, G);
        partial[lid] = (ACC)(tailMax > m ? tailMax : m);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (long w = G / 2; w > 0; w >>= 1) {
            if (lid < w && partial[lid + w] > partial[lid]) partial[lid] = partial[lid + w];
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        m = (C)partial[0];
        barrier(CLK_LOCAL_MEM_FENCE);
        ACC s = ax_expsum(in, base, 1, tail + lid, n, G, m);
        for (long b = lid; b < vectors; b += \(OpenCLAxisSource.blockLength) * G) {
            CV t = (CV)(0);
            long end = min(vectors, b + \(OpenCLAxisSource.blockLength) * G);
            for (long v = b; v < end; v += G) t += exp(VLOAD(in, base + v * \(width)) - m);
            s += axv_sum(t);
        }
        partial[lid] = s;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (long w = G / 2; w > 0; w >>= 1) {
            if (lid < w) partial[lid] += partial[lid + w];
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        *mp = m; *sp = partial[0];
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    """

    private static func kernel(_ name: String, log: Bool) -> String {
        let write = log ? "VSTORE(out, o[0] + v * \(width), (VLOAD(in, o[1] + v * \(width)) - m) - shift);"
            : "VSTORE(out, o[0] + v * \(width), exp(VLOAD(in, o[1] + v * \(width)) - m) * scale);"
        return """
        __kernel void \(name)_vectors(__global S *out, __global const S *in, Layout L, long n, long outStride, long inStride,
                                      __local ACC *partial) {
            long lid = get_local_id(0), G = get_local_size(0);
            long vectors = n / \(width);
            for (long e = get_group_id(0); e < L.count; e += get_num_groups(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                C m; ACC s;
                axv_stats(in, o[1], n, lid, G, partial, &m, &s);
                C shift = (C)log(s), scale = (C)((ACC)1 / s);
                for (long v = lid; v < vectors; v += G) \(write)
                ax_softmax_write(out, o[0], 1, in, o[1], 1, vectors * \(width) + lid, n, G, m, s, \(log ? 1 : 0));
            }
        }

        """
    }
}
