/// The OpenCL C every program starts with, and each dtype's storage and arithmetic.
///
/// Elements are read into a compute type and written back with one rounding, as the CPU
/// does: float16 through `vload_half`/`vstore_half_rte`, bfloat16 as `ushort` bits rounded to
/// nearest even (NaN kept quiet), bool as bytes read as `!= 0`. Integer arithmetic goes
/// through the unsigned type, so it wraps instead of overflowing.
enum OpenCLKernelSource {
    /// Dimensions a strided kernel walks; more are split into several launches.
    static let maxRank = 8
    /// Operands a `Layout` walks together (a select's output, condition and two values).
    static let maxOperands = 4

    static func preamble(hasFloat64: Bool) -> String {
        (hasFloat64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "") + """
        #pragma OPENCL FP_CONTRACT OFF
        #define DS_MAX_RANK \(maxRank)
        #define DS_OPERANDS \(maxOperands)
        /* An iteration space: `count` elements over `rank` dimensions, and up to four
           operands' element strides and offsets. */
        typedef struct { long count; long rank; long shape[DS_MAX_RANK]; long stride[DS_OPERANDS][DS_MAX_RANK]; long offset[DS_OPERANDS]; } Layout;

        /* The offsets of element `i` (row-major over the shape) in operands 0 to 3 (`o` holds DS_OPERANDS). */
        inline void ds_offsets(const Layout *L, long i, long *o) {
            o[0] = L->offset[0]; o[1] = L->offset[1]; o[2] = L->offset[2]; o[3] = L->offset[3];
            if (L->rank == 1) {
                o[0] += i * L->stride[0][0]; o[1] += i * L->stride[1][0]; o[2] += i * L->stride[2][0]; o[3] += i * L->stride[3][0];
                return;
            }
            for (int d = (int)L->rank - 1; d >= 0; --d) {
                long s = L->shape[d]; long c = i % s; i /= s;
                o[0] += c * L->stride[0][d]; o[1] += c * L->stride[1][d]; o[2] += c * L->stride[2][d]; o[3] += c * L->stride[3][d];
            }
        }

        inline float ds_bf16_load(ushort b) { return as_float((uint)b << 16); }
        inline ushort ds_bf16_from_float(float v) {
            uint b = as_uint(v);
            if (isnan(v)) return (ushort)((b >> 16) | 0x40);
            return (ushort)((b + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
        }
        /* An integer as a float rounded to odd at 24 bits: enough for one exact rounding to bfloat16. */
        inline float ds_float_odd_from_long(long v) {
            ulong m = v < 0 ? (ulong)0 - (ulong)v : (ulong)v;
            float f;
            if (m < (1UL << 24)) { f = (float)m; }
            else {
                int shift = 40 - (int)clz(m);
                ulong kept = m >> shift;
                ulong sticky = (m & ((1UL << shift) - 1UL)) != 0 ? 1UL : 0UL;
                f = ldexp((float)(kept | sticky), shift);
            }
            return v < 0 ? -f : f;
        }

        """ + (hasFloat64 ? """
        /* A double as the float nearest it toward zero, lowest bit set when inexact (rounded to odd). */
        inline float ds_float_odd_from_double(double v) {
            float f = (float)v;
            if (isnan(v) || (double)f == v) return f;
            uint b = as_uint(f);
            if (fabs((double)f) > fabs(v)) b -= 1u;
            return as_float(b | 1u);
        }

        """ : "")
    }

    /// Macros for one dtype: S (storage), C (compute), U (unsigned twin of integers), LOAD,
    /// STORE, ISNAN, LOWEST, HIGHEST, IS_FLOAT, IS_SIGNED.
    static func dtypeMacros(_ dtype: DType, prefix: String = "") -> String {
        let p = prefix
        let lines: [String]
        switch dtype {
        case .float32:
            lines = ["S float", "C float", "LOAD(p, i) ((p)[i])", "STORE(p, i, v) ((p)[i] = (v))", "ISNAN(x) isnan(x)",
                     "LOWEST (-INFINITY)", "HIGHEST INFINITY", "IS_FLOAT 1", "IS_SIGNED 1", "ACC float"]
        case .float64:
            lines = ["S double", "C double", "LOAD(p, i) ((p)[i])", "STORE(p, i, v) ((p)[i] = (v))", "ISNAN(x) isnan(x)",
                     "LOWEST (-(double)INFINITY)", "HIGHEST ((double)INFINITY)", "IS_FLOAT 1", "IS_SIGNED 1", "ACC double"]
        case .float16:
            lines = ["S half", "C float", "LOAD(p, i) vload_half((i), (p))", "STORE(p, i, v) vstore_half_rte((v), (i), (p))",
                     "ISNAN(x) isnan(x)", "LOWEST (-INFINITY)", "HIGHEST INFINITY", "IS_FLOAT 1", "IS_SIGNED 1", "ACC float"]
        case .bfloat16:
            lines = ["S ushort", "C float", "LOAD(p, i) ds_bf16_load((p)[i])", "STORE(p, i, v) ((p)[i] = ds_bf16_from_float(v))",
                     "ISNAN(x) isnan(x)", "LOWEST (-INFINITY)", "HIGHEST INFINITY", "IS_FLOAT 1", "IS_SIGNED 1", "ACC float"]
        case .int32:
            lines = ["S int", "C int", "U uint", "LOAD(p, i) ((p)[i])", "STORE(p, i, v) ((p)[i] = (v))", "ISNAN(x) 0",
                     "LOWEST INT_MIN", "HIGHEST INT_MAX", "IS_FLOAT 0", "IS_SIGNED 1"]
        case .int64:
            lines = ["S long", "C long", "U ulong", "LOAD(p, i) ((p)[i])", "STORE(p, i, v) ((p)[i] = (v))", "ISNAN(x) 0",
                     "LOWEST LONG_MIN", "HIGHEST LONG_MAX", "IS_FLOAT 0", "IS_SIGNED 1"]
        case .uint8:
            lines = ["S uchar", "C uchar", "U uchar", "LOAD(p, i) ((p)[i])", "STORE(p, i, v) ((p)[i] = (v))", "ISNAN(x) 0",
                     "LOWEST 0", "HIGHEST UCHAR_MAX", "IS_FLOAT 0", "IS_SIGNED 0"]
        case .bool:
            lines = ["S uchar", "C uchar", "U uchar", "LOAD(p, i) ((uchar)((p)[i] != 0))", "STORE(p, i, v) ((p)[i] = (uchar)((v) != 0))",
                     "ISNAN(x) 0", "LOWEST 0", "HIGHEST 1", "IS_FLOAT 0", "IS_SIGNED 0"]
        }
        return lines.map { "#define \(p)\($0)" }.joined(separator: "\n") + "\n"
    }

    /// The OpenCL C name of a dtype's compute type.
    static func computeType(_ dtype: DType) -> String {
        switch dtype {
        case .float32, .float16, .bfloat16: "float"
        case .float64: "double"
        case .int32: "int"
        case .int64: "long"
        case .uint8, .bool: "uchar"
        }
    }
}
