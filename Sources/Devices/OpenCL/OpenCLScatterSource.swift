/// OpenCL C for `scatter` (`torch.scatter`, `scatter_add`): one program per dtype
/// (`scatter_float32`) with the kernels `scatter_assign` and `scatter_add`.
///
/// One work-item per fiber (the index elements that differ only along the axis), in a
/// grid-stride loop over the fibers of `Layout`: operand 0 is the output, 1 the index
/// (`long`), 2 the source, each at the fiber's first element (the output where position 0
/// would be). The work-item walks its `n` elements in order, so where a fiber names one
/// position twice the later element lands last, and since fibers write into distinct fibers
/// of the output no atomics are needed. A position outside `0..<length` writes nothing and
/// sets `flag[word]` to 1 once the fiber is done, unless `word` is -1 (no flag), as a gather
/// does.
///
/// `scatter_assign` moves elements as unsigned integers of their width, as the CPU does.
/// `scatter_add` reads both elements into the compute type and adds them as the `add`
/// element-wise kernel does (float16 and bfloat16 in float, rounded back after each
/// addition; integers through the unsigned type, so they wrap; bool as a logical OR).
enum OpenCLScatterSource {
    static func programName(_ dtype: DType) -> String {
        "scatter_\(dtype)"
    }

    static func kernelName(_ mode: ScatterMode) -> String {
        "scatter_\(mode.rawValue)"
    }

    static func source(_ dtype: DType, hasFloat64: Bool) -> String {
        let addition = OpenCLElementwiseSource.binaryExpression(dtype == .bool ? .logicalOr : .add, dtype: dtype)
        return OpenCLKernelSource.preamble(hasFloat64: hasFloat64) + OpenCLKernelSource.dtypeMacros(dtype)
            + "typedef \(OpenCLSelectionSource.elementType(width: dtype.byteSize)) E;\n\n"
            + kernel(.assign, element: "E", combine: "out[t] = src[f];")
            + kernel(.add, element: "S", combine: "C x = LOAD(out, t); C y = LOAD(src, f); STORE(out, t, (\(addition)));")
    }

    /// The kernel of `mode` over elements of type `element`; `combine` updates `out[t]` with
    /// `src[f]`.
    private static func kernel(_ mode: ScatterMode, element: String, combine: String) -> String {
        """
        __kernel void \(kernelName(mode))(__global \(element) *out, __global const long *index, __global const \(element) *src,
                                         Layout L, long n, long indexStride, long sourceStride, long length, long outStride,
                                         __global uint *flag, long word) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                int missed = 0;
                for (long j = 0; j < n; j++) {
                    long position = index[o[1] + j * indexStride];
                    if (position < 0 || position >= length) { missed = 1; continue; }
                    long t = o[0] + position * outStride, f = o[2] + j * sourceStride;
                    \(combine)
                }
                if (missed && word >= 0) flag[word] = 1u;
            }
        }

        """
    }
}
