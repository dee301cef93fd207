/// OpenCL C for the element-wise families: one program per family and dtype (`unary_float32`,
/// `binary_int64`, `convert_from_bfloat16`), each op two kernels: `<op>_s` over any strided
/// layout (a grid-stride loop over `Layout`) and `<op>_c` for operands dense from an offset
/// (one offset argument per operand).
/// The expressions follow the CPU's functions (UnaryFunctions, BinaryFunctions, Elements).
enum OpenCLElementwiseSource {
    static func unary(_ dtype: DType, hasFloat64: Bool) -> String {
        var source = OpenCLKernelSource.preamble(hasFloat64: hasFloat64) + OpenCLKernelSource.dtypeMacros(dtype)
        for op in UnaryOp.allCases where OpenCLSupport.supports(.unary(op), dtype, hasFloat64: true) {
            let store = op.producesBool ? "(out)[(i)] = (uchar)(v)" : "STORE(out, i, v)"
            source += kernels(op.rawValue, output: op.producesBool ? "uchar" : "S", inputs: 1,
                              store: store, expression: unaryExpression(op, isFloat: dtype.isFloatingPoint))
        }
        return source
    }

    static func binary(_ dtype: DType, hasFloat64: Bool) -> String {
        var source = OpenCLKernelSource.preamble(hasFloat64: hasFloat64) + OpenCLKernelSource.dtypeMacros(dtype)
        if !dtype.isFloatingPoint, dtype != .bool { source += integerPower(signed: dtype != .uint8) }
        for op in BinaryOp.allCases where OpenCLSupport.supports(.binary(op), dtype, hasFloat64: true) {
            let store = op.producesBool ? "(out)[(i)] = (uchar)(v)" : "STORE(out, i, v)"
            source += kernels(op.rawValue, output: op.producesBool ? "uchar" : "S", inputs: 2, store: store,
                              expression: binaryExpression(op, dtype: dtype))
        }
        return source
    }

    /// Conversions from `source` to every dtype the device holds (`to_<dtype>_s`, `..._c`).
    static func convert(from source: DType, hasFloat64: Bool) -> String {
        var text = OpenCLKernelSource.preamble(hasFloat64: hasFloat64) + OpenCLKernelSource.dtypeMacros(source)
        let value: String = switch source {
        case .float32, .float16, .bfloat16, .float64: "x"
        default: "((long)x)"
        }
        for destination in DType.allCases where destination != .float64 || hasFloat64 {
            let store = storeConverted(from: source, to: destination)
            text += kernels("to_\(destination.rawValue)", output: storageType(destination), inputs: 1, store: store,
                            expression: value)
        }
        return text
    }

    // MARK: - Kernels

    /// The strided and the dense kernel of one op. `store` writes `v` at index `i` of `out`;
    /// inputs are `x` (and `y`) in the compute type.
    private static func kernels(_ name: String, output: String, inputs: Int, store: String, expression: String) -> String {
        let parameters = inputs == 2 ? "__global const S *a, __global const S *b" : "__global const S *a"
        let loads = inputs == 2 ? "C x = LOAD(a, o[1]); C y = LOAD(b, o[2]);" : "C x = LOAD(a, o[1]);"
        let denseLoads = inputs == 2 ? "C x = LOAD(a, off1 + i); C y = LOAD(b, off2 + i);" : "C x = LOAD(a, off1 + i);"
        let offsets = inputs == 2 ? "long off0, long off1, long off2" : "long off0, long off1"
        return """
        #define DS_STORE_\(name)(out, i, v) \(store)
        __kernel void \(name)_s(__global \(output) *out, \(parameters), Layout L) {
            for (long e = get_global_id(0); e < L.count; e += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, e, o);
                \(loads)
                DS_STORE_\(name)(out, o[0], (\(expression)));
            }
        }
        __kernel void \(name)_c(__global \(output) *out, \(parameters), long count, \(offsets)) {
            long i = get_global_id(0);
            if (i >= count) return;
            \(denseLoads)
            DS_STORE_\(name)(out, off0 + i, (\(expression)));
        }

        """
    }

    static func storageType(_ dtype: DType) -> String {
        switch dtype {
        case .float32: "float"
        case .float64: "double"
        case .float16: "half"
        case .bfloat16: "ushort"
        case .int32: "int"
        case .int64: "long"
        case .uint8, .bool: "uchar"
        }
    }

    // MARK: - Expressions

    private static func unaryExpression(_ op: UnaryOp, isFloat: Bool) -> String {
        if !isFloat {
            switch op {
            case .neg: return "(C)((U)0 - (U)x)"
            case .abs: return "(IS_SIGNED && x < 0) ? (C)((U)0 - (U)x) : x"
            case .sign: return "x > 0 ? (C)1 : (x == 0 ? (C)0 : (C)((U)0 - (U)1))"
            case .square: return "(C)((U)x * (U)x)"
            case .relu: return "(IS_SIGNED && x < 0) ? (C)0 : x"
            case .logicalNot: return "x == 0"
            default: return "x"
            }
        }
        switch op {
        case .neg: return "-x"
        case .abs: return "fabs(x)"
        case .sign: return "x > 0 ? (C)1 : (x < 0 ? (C)-1 : x)"
        case .square: return "x * x"
        case .relu: return "x < 0 ? (C)0 : x"
        case .logicalNot: return "x == 0"
        case .exp: return "exp(x)"
        case .log: return "log(x)"
        case .sqrt: return "sqrt(x)"
        case .rsqrt: return "(C)1 / sqrt(x)"
        case .reciprocal: return "(C)1 / x"
        case .sin: return "sin(x)"
        case .cos: return "cos(x)"
        case .tanh: return "tanh(x)"
        case .sigmoid: return "(C)1 / ((C)1 + exp(-x))"
        case .gelu: return "(C)0.5 * x * ((C)1 + erf(x * (C)0.70710678118654752440))"
        case .erf: return "erf(x)"
        case .floor: return "floor(x)"
        case .ceil: return "ceil(x)"
        case .round: return "rint(x)"
        }
    }

    /// The expression of a binary op on `x` and `y` (compute type), as the element-wise
    /// kernels and the scatter's additions compute it.
    static func binaryExpression(_ op: BinaryOp, dtype: DType) -> String {
        switch op {
        case .equal: return "x == y"
        case .notEqual: return "x != y"
        case .less: return "x < y"
        case .lessEqual: return "x <= y"
        case .greater: return "x > y"
        case .greaterEqual: return "x >= y"
        case .logicalAnd: return "(x != 0) && (y != 0)"
        case .logicalOr: return "(x != 0) || (y != 0)"
        case .logicalXor: return "(x != 0) != (y != 0)"
        default: break
        }
        if dtype.isFloatingPoint {
            switch op {
            case .add: return "x + y"
            case .sub: return "x - y"
            case .mul: return "x * y"
            case .div: return "x / y"
            case .remainder: return "fmod(x, y)"
            case .pow: return "pow(x, y)"
            case .maximum: return "(isnan(x) || x > y) ? x : y"
            default: return "(isnan(x) || x < y) ? x : y"
            }
        }
        let signed = dtype != .uint8
        switch op {
        case .add: return "(C)((U)x + (U)y)"
        case .sub: return "(C)((U)x - (U)y)"
        case .mul: return "(C)((U)x * (U)y)"
        case .div: return signed ? "y == 0 ? (C)0 : (y == (C)-1 ? (C)((U)0 - (U)x) : x / y)" : "y == 0 ? (C)0 : x / y"
        case .remainder: return signed ? "(y == 0 || y == (C)-1) ? (C)0 : x % y" : "y == 0 ? (C)0 : x % y"
        case .pow: return "ds_ipow(x, y)"
        case .maximum: return "x > y ? x : y"
        default: return "x < y ? x : y"
        }
    }

    /// Wrapping power by squaring; a negative exponent gives the truncated `1 / x^-y`.
    private static func integerPower(signed: Bool) -> String {
        """
        inline C ds_ipow(C base, C e) {
            \(signed ? "if (e < 0) { if (base == 1) return 1; if (base == (C)-1) return (e & 1) == 0 ? (C)1 : base; return 0; }" : "")
            U r = 1, sq = (U)base;
            while (e > 0) { if (e & 1) r = (U)(r * sq); sq = (U)(sq * sq); e >>= 1; }
            return (C)r;
        }

        """
    }

    /// How a converted value `v` (float, double or long) is written as `destination`.
    private static func storeConverted(from source: DType, to destination: DType) -> String {
        let kind = source == .float64 ? "double" : source.isFloatingPoint ? "float" : "long"
        switch destination {
        case .float32: return "(out)[(i)] = (float)(v)"
        case .float64: return "(out)[(i)] = (double)(v)"
        case .float16: return kind == "long" ? "vstore_half_rte((float)(v), (i), (out))" : "vstore_half_rte((v), (i), (out))"
        case .bfloat16:
            switch kind {
            case "double": return "(out)[(i)] = ds_bf16_from_float(ds_float_odd_from_double(v))"
            case "long": return "(out)[(i)] = ds_bf16_from_float(ds_float_odd_from_long(v))"
            default: return "(out)[(i)] = ds_bf16_from_float(v)"
            }
        case .int32: return kind == "long" ? "(out)[(i)] = (int)(uint)(ulong)(v)" : "(out)[(i)] = convert_int_sat_rtz(v)"
        case .int64: return kind == "long" ? "(out)[(i)] = (long)(v)" : "(out)[(i)] = convert_long_sat_rtz(v)"
        case .uint8: return kind == "long" ? "(out)[(i)] = (uchar)(ulong)(v)" : "(out)[(i)] = convert_uchar_sat_rtz(v)"
        case .bool: return "(out)[(i)] = (uchar)((v) != 0)"
        }
    }
}
