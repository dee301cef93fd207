// int64 and float64 element-wise paths, compiled only into the WIDE shader variants (for
// devices with shaderInt64 and shaderFloat64); elsewhere these are empty stubs the host
// never selects (it does not claim those dtypes).
#ifdef WIDE
bool isWideType(int dtype) { return dtype == DT_F64 || dtype == DT_I64; }

bool wideIsZero(int dtype, uvec2 base, int i) {
    if (dtype == DT_I64) return I64Ref(base).v[i] == 0l;
    double x = F64Ref(base).v[i];
    return !nanBitsDouble(x) && x == 0.0lf;
}

double fmodDouble(double x, double y) {
    if (nanBitsDouble(x) || nanBitsDouble(y) || isinf(x) || y == 0.0lf) return uint64BitsToDouble(0x7FF8000000000000ul);
    if (isinf(y)) return x;
    double ay = abs(y), r = abs(x);
    int exponentY;
    frexp(ay, exponentY);
    while (r >= ay) {  // exact steps, as in fmodFloat
        int exponentR;
        frexp(r, exponentR);
        double step = ldexp(ay, exponentR - exponentY);
        if (step > r) step = ldexp(ay, exponentR - exponentY - 1);
        r -= step;
    }
    return x < 0.0lf ? -r : r;
}

void wideUnary(int op, int dtype, uvec2 out_, int o, uvec2 in_, int a) {
    if (dtype == DT_I64) {
        int64_t x = I64Ref(in_).v[a], r;
        switch (op) {
        case U_NEG: r = -x; break;
        case U_ABS: r = x < 0l ? -x : x; break;
        case U_SIGN: r = x > 0l ? 1l : (x == 0l ? 0l : -1l); break;
        case U_SQUARE: r = x * x; break;
        default: r = x < 0l ? 0l : x; break;
        }
        I64Ref(out_).v[o] = r;
        return;
    }
    double x = F64Ref(in_).v[a], r;
    switch (op) {
    case U_NEG: r = -x; break;
    case U_ABS: r = abs(x); break;
    case U_SIGN: r = x > 0.0lf ? 1.0lf : (x < 0.0lf ? -1.0lf : x); break;
    case U_SQUARE: r = x * x; break;
    case U_RELU: r = x < 0.0lf ? 0.0lf : x; break;
    case U_SQRT: r = sqrt(x); break;
    case U_RSQRT: r = 1.0lf / sqrt(x); break;
    case U_RECIPROCAL: r = 1.0lf / x; break;
    case U_FLOOR: r = floor(x); break;
    case U_CEIL: r = ceil(x); break;
    default: r = roundEven(x); break;
    }
    F64Ref(out_).v[o] = r;
}

int64_t powInt64(int64_t base, int64_t exponent) {
    if (exponent < 0l) return base == 1l ? 1l : (base == -1l ? ((exponent & 1l) == 0l ? 1l : -1l) : 0l);
    int64_t result = 1l;
    while (exponent > 0l) {
        if ((exponent & 1l) == 1l) result *= base;
        base *= base;
        exponent >>= 1;
    }
    return result;
}

void wideBinary(int op, int dtype, uvec2 out_, int o, uvec2 aBase, int a, uvec2 bBase, int b) {
    if (dtype == DT_I64) {
        int64_t x = I64Ref(aBase).v[a], y = I64Ref(bBase).v[b];
        if (op >= B_EQ) {
            bool r;
            switch (op) {
            case B_EQ: r = x == y; break;
            case B_NE: r = x != y; break;
            case B_LT: r = x < y; break;
            case B_LE: r = x <= y; break;
            case B_GT: r = x > y; break;
            case B_GE: r = x >= y; break;
            case B_AND: r = x != 0l && y != 0l; break;
            case B_OR: r = x != 0l || y != 0l; break;
            default: r = (x != 0l) != (y != 0l); break;
            }
            storeBool(out_, o, r);
            return;
        }
        int64_t r;
        switch (op) {
        case B_ADD: r = x + y; break;
        case B_SUB: r = x - y; break;
        case B_MUL: r = x * y; break;
        case B_DIV: r = y == 0l ? 0l : (y == -1l ? -x : x / y); break;
        case B_REM: r = (y == 0l || y == -1l) ? 0l : x - (x / y) * y; break;
        case B_POW: r = powInt64(x, y); break;
        case B_MAX: r = x > y ? x : y; break;
        default: r = x < y ? x : y; break;
        }
        I64Ref(out_).v[o] = r;
        return;
    }
    double x = F64Ref(aBase).v[a], y = F64Ref(bBase).v[b];
    if (op >= B_EQ) {
        bool nx = nanBitsDouble(x) || x != 0.0lf, ny = nanBitsDouble(y) || y != 0.0lf;
        bool r;
        switch (op) {
        case B_EQ: r = x == y; break;
        case B_NE: r = !(x == y); break;
        case B_LT: r = x < y; break;
        case B_LE: r = x <= y; break;
        case B_GT: r = x > y; break;
        case B_GE: r = x >= y; break;
        case B_AND: r = nx && ny; break;
        case B_OR: r = nx || ny; break;
        default: r = nx != ny; break;
        }
        storeBool(out_, o, r);
        return;
    }
    double r;
    switch (op) {
    case B_ADD: r = x + y; break;
    case B_SUB: r = x - y; break;
    case B_MUL: r = x * y; break;
    case B_DIV: r = x / y; break;
    case B_REM: r = fmodDouble(x, y); break;
    case B_MAX: r = (nanBitsDouble(x) || x > y) ? x : y; break;
    default: r = (nanBitsDouble(x) || x < y) ? x : y; break;
    }
    F64Ref(out_).v[o] = r;
}

int64_t saturatedInt64(double x, int dtype) {
    if (dtype == DT_BOOL) return (nanBitsDouble(x) || x != 0.0lf) ? 1l : 0l;
    if (nanBitsDouble(x)) return 0l;
    if (dtype == DT_U8) return int64_t(clamp(trunc(x), 0.0lf, 255.0lf));
    if (dtype == DT_I32) return int64_t(clamp(trunc(x), -2147483648.0lf, 2147483647.0lf));
    if (x >= 9223372036854775808.0lf) return 0x7FFFFFFFFFFFFFFFl;
    if (x <= -9223372036854775808.0lf) return -0x7FFFFFFFFFFFFFFFl - 1l;
    return int64_t(x);
}

// Any conversion with an int64 or float64 side: through double (floats) or int64 (integers).
void wideConvert(int from, int to, uvec2 out_, int o, uvec2 in_, int a) {
    bool floatSource = from == DT_F64 || isFloatType(from);
    double d = 0.0lf;
    int64_t n = 0l;
    if (from == DT_F64) d = F64Ref(in_).v[a];
    else if (isFloatType(from)) d = double(loadFloat(from, in_, a));
    else if (from == DT_I64) n = I64Ref(in_).v[a];
    else n = int64_t(loadInt(from, in_, a));

    if (to == DT_F64) {
        F64Ref(out_).v[o] = floatSource ? d : double(n);
    } else if (isFloatType(to)) {
        storeFloat(to, out_, o, floatSource ? float(d) : float(n));
    } else {
        int64_t r = floatSource ? saturatedInt64(d, to) : n;
        if (to == DT_I64) I64Ref(out_).v[o] = r;
        else if (to == DT_BOOL) storeBool(out_, o, r != 0l);
        else storeInt(to, out_, o, int(r));
    }
}
#else
bool isWideType(int dtype) { return false; }
bool wideIsZero(int dtype, uvec2 base, int i) { return false; }
void wideUnary(int op, int dtype, uvec2 out_, int o, uvec2 in_, int a) {}
void wideBinary(int op, int dtype, uvec2 out_, int o, uvec2 aBase, int a, uvec2 bBase, int b) {}
void wideConvert(int from, int to, uvec2 out_, int o, uvec2 in_, int a) {}
#endif
