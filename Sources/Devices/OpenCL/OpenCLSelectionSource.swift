/// OpenCL C for `select` (`torch.where`) and `gather`: one program per element width
/// (`selection_4byte`). Both move whole elements, so, as the CPU's `SelectionKernels`, they
/// run on unsigned integers of the element's width whatever the dtype (float64 bits too,
/// without `cl_khr_fp64`). Each op has `<op>_s` over a strided `Layout` (a grid-stride loop)
/// and `<op>_c` for operands dense from their offsets.
///
/// select walks the output, the condition (bool bytes: any nonzero byte is true), the value
/// where true and the value where false. gather walks the output, the index (`long`) and the
/// input with its stride along the axis zeroed, then steps `stride` elements per index value;
/// an index outside `0..<n` writes zero, reads nothing and sets `flag[word]` to 1 (every
/// work-item that misses writes the same value, so they need no atomics). A gather without an
/// out-of-range flag passes `word` -1 and any buffer of the context: the flag is then never
/// touched.
enum OpenCLSelectionSource {
    /// The program name for elements `width` bytes wide (1, 2, 4 or 8).
    static func programName(width: Int) -> String {
        "selection_\(width)byte"
    }

    static func source(width: Int) -> String {
        OpenCLKernelSource.preamble(hasFloat64: false) + """
        typedef \(elementType(width: width)) E;

        __kernel void select_s(__global E *out, __global const uchar *condition, __global const E *whenTrue,
                               __global const E *whenFalse, Layout L) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                out[o[0]] = condition[o[1]] != 0 ? whenTrue[o[2]] : whenFalse[o[3]];
            }
        }
        __kernel void select_c(__global E *out, __global const uchar *condition, __global const E *whenTrue,
                               __global const E *whenFalse, long count, long off0, long off1, long off2, long off3) {
            long i = get_global_id(0);
            if (i >= count) return;
            out[off0 + i] = condition[off1 + i] != 0 ? whenTrue[off2 + i] : whenFalse[off3 + i];
        }

        /* The input element `position` steps of `stride` from `base`; for a position outside 0..<n,
           zero, after setting the out-of-range flag (if there is one: `word` >= 0). */
        inline E ds_gathered(__global const E *in, long base, long position, long n, long stride,
                             __global uint *flag, long word) {
            if (position >= 0 && position < n) return in[base + position * stride];
            if (word >= 0) flag[word] = 1u;
            return (E)0;
        }
        __kernel void gather_s(__global E *out, __global const long *index, __global const E *in, Layout L,
                               long n, long stride, __global uint *flag, long word) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                out[o[0]] = ds_gathered(in, o[2], index[o[1]], n, stride, flag, word);
            }
        }
        __kernel void gather_c(__global E *out, __global const long *index, __global const E *in, long count,
                               long off0, long off1, long off2, long n, long stride, __global uint *flag, long word) {
            long i = get_global_id(0);
            if (i >= count) return;
            out[off0 + i] = ds_gathered(in, off2 + i, index[off1 + i], n, stride, flag, word);
        }

        """
    }

    /// The OpenCL C unsigned integer `width` bytes wide.
    static func elementType(width: Int) -> String {
        switch width {
        case 1: "uchar"
        case 2: "ushort"
        case 4: "uint"
        default: "ulong"
        }
    }
}
