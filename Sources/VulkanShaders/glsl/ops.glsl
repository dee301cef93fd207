// The element-wise functions, with the CPU backend's semantics (UnaryFunctions,
// BinaryFunctions): floats compute in float32 (float64 for float64) and round once; integers
// wrap; integer div / remainder truncate and give 0 for a zero divisor; fmod remainder;
// NaN-propagating maximum / minimum. Op codes are UnaryOp / BinaryOp case order.

// UnaryOp
#define U_NEG 0
#define U_ABS 1
#define U_SIGN 2
#define U_SQUARE 3
#define U_RELU 4
#define U_NOT 5
#define U_EXP 6
#define U_LOG 7
#define U_SQRT 8
#define U_RSQRT 9
#define U_RECIPROCAL 10
#define U_SIN 11
#define U_COS 12
#define U_TANH 13
#define U_SIGMOID 14
#define U_GELU 15
#define U_ERF 16
#define U_FLOOR 17
#define U_CEIL 18
#define U_ROUND 19

// BinaryOp
#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_REM 4
#define B_POW 5
#define B_MAX 6
#define B_MIN 7
#define B_EQ 8
#define B_NE 9
#define B_LT 10
#define B_LE 11
#define B_GT 12
#define B_GE 13
#define B_AND 14
#define B_OR 15
#define B_XOR 16

// erf to float32 precision: W. J. Cody's rational approximations in three ranges.
float erfFloat(float x) {
    if (nanBits(x)) return x;
    float a = abs(x);
    float r;
    if (a < 0.5) {
        float t = x * x;
        float p = ((((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t
                    + 377.485237685302021) * t + 3209.37758913846947);
        float q = ((((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t
                   + 2844.23683343917062);
        return x * p / q;
    }
    if (a < 4.0) {
        float p = ((((((((2.15311535474403846e-8 * a + 0.564188496988670089) * a + 8.88314979438837594) * a
                       + 66.1191906371416295) * a + 298.635138197400131) * a + 881.952221241769090) * a
                    + 1712.04761263407058) * a + 2051.07837782607147) * a + 1230.33935479799725);
        float q = ((((((((a + 15.7449261107098347) * a + 117.693950891312499) * a + 537.181101862009858) * a
                      + 1621.38957456669019) * a + 3290.79923573345963) * a + 4362.61909014324716) * a
                   + 3439.36767414372164) * a + 1230.33935480374942);
        r = 1.0 - exp(-a * a) * p / q;
    } else {
        r = 1.0;
    }
    return x < 0.0 ? -r : r;
}

// exp(2|x|) overflows for large |x|: tanh from exp(-2|x|) instead.
float tanhFloat(float x) {
    float t = exp(-2.0 * abs(x));
    float r = (1.0 - t) / (1.0 + t);
    if (abs(x) < 0.0004) r = abs(x);  // (1 - t) cancels near 0
    return x < 0.0 ? -r : r;
}

// fmod, exact as C's: subtract |y|·2^k, the largest such not above the rest, until the rest
// is below |y|; each subtraction is exact (Sterbenz: the two are within a factor of 2).
float fmodFloat(float x, float y) {
    if (nanBits(x) || nanBits(y) || isinf(x) || y == 0.0) return uintBitsToFloat(0x7FC00000u);
    if (isinf(y)) return x;
    float ay = abs(y);
    float r = abs(x);
    int exponentY;
    frexp(ay, exponentY);
    while (r >= ay) {
        int exponentR;
        frexp(r, exponentR);
        float step = ldexp(ay, exponentR - exponentY);
        if (step > r) step = ldexp(ay, exponentR - exponentY - 1);
        r -= step;
    }
    return x < 0.0 ? -r : r;
}

float unaryFloat(int op, float x) {
    switch (op) {
    case U_NEG: return -x;
    case U_ABS: return abs(x);
    case U_SIGN: return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x);
    case U_SQUARE: return x * x;
    case U_RELU: return x < 0.0 ? 0.0 : x;
    case U_EXP: return exp(x);
    case U_LOG: return log(x);
    case U_SQRT: return sqrt(x);
    case U_RSQRT: return 1.0 / sqrt(x);
    case U_RECIPROCAL: return 1.0 / x;
    case U_SIN: return sin(x);
    case U_COS: return cos(x);
    case U_TANH: return tanhFloat(x);
    case U_SIGMOID: return 1.0 / (1.0 + exp(-x));
    case U_GELU: return 0.5 * x * (1.0 + erfFloat(x * 0.70710678118654752));
    case U_ERF: return erfFloat(x);
    case U_FLOOR: return floor(x);
    case U_CEIL: return ceil(x);
    default: return roundEven(x);
    }
}

// C's pow (which the CPU calls): exact cases first, then exp2(b·log2|a|) with the sign of
// an odd integer power of a negative base.
float powFloat(float a, float b) {
    if (b == 0.0 || a == 1.0) return 1.0;
    if (nanBits(a) || nanBits(b)) return uintBitsToFloat(0x7FC00000u);
    float magnitude = abs(a);
    bool integral = trunc(b) == b;
    bool odd = integral && abs(b) < 16777216.0 && mod(abs(b), 2.0) == 1.0;
    if (isinf(b)) return magnitude == 1.0 ? 1.0 : ((magnitude > 1.0) == (b > 0.0) ? uintBitsToFloat(0x7F800000u) : 0.0);
    if (a < 0.0 && !integral && !isinf(a)) return uintBitsToFloat(0x7FC00000u);
    float r;
    if (magnitude == 0.0) r = b < 0.0 ? uintBitsToFloat(0x7F800000u) : 0.0;
    else if (isinf(magnitude)) r = b < 0.0 ? 0.0 : uintBitsToFloat(0x7F800000u);
    else r = exp2(b * log2(magnitude));
    bool negative = odd && (a < 0.0 || (a == 0.0 && floatBitsToUint(a) != 0u));
    return negative ? -r : r;
}

float binaryFloat(int op, float a, float b) {
    switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_REM: return fmodFloat(a, b);
    case B_POW: return powFloat(a, b);
    case B_MAX: return (nanBits(a) || a > b) ? a : b;
    default: return (nanBits(a) || a < b) ? a : b;
    }
}

// Integers of `bits` width (32, or 8 for uint8: kept in 0...255), wrapping.
int wrapped(int value, int dtype) { return dtype == DT_U8 ? (value & 0xFF) : value; }

int unaryInt(int op, int x, int dtype) {
    switch (op) {
    case U_NEG: return wrapped(-x, dtype);
    case U_ABS: return x < 0 ? -x : x;
    case U_SIGN: return x > 0 ? 1 : (x == 0 ? 0 : -1);
    case U_SQUARE: return wrapped(x * x, dtype);
    case U_RELU: return x < 0 ? 0 : x;
    default: return x == 0 ? 1 : 0;
    }
}

int powInt(int base, int exponent) {
    if (exponent < 0) return base == 1 ? 1 : (base == -1 ? ((exponent & 1) == 0 ? 1 : -1) : 0);
    int result = 1;
    while (exponent > 0) {
        if ((exponent & 1) == 1) result *= base;
        base *= base;
        exponent >>= 1;
    }
    return result;
}

int binaryInt(int op, int a, int b, int dtype) {
    switch (op) {
    case B_ADD: return wrapped(a + b, dtype);
    case B_SUB: return wrapped(a - b, dtype);
    case B_MUL: return wrapped(a * b, dtype);
    case B_DIV: return b == 0 ? 0 : (b == -1 ? -a : a / b);
    case B_REM: return (b == 0 || b == -1) ? 0 : a - (a / b) * b;
    case B_POW: return wrapped(powInt(a, b), dtype);
    case B_MAX: return a > b ? a : b;
    default: return a < b ? a : b;
    }
}

// NaN is nonzero (true), as on the CPU.
bool nonzero(float x) { return nanBits(x) || x != 0.0; }

// Comparisons and logical ops: `a`, `b` already ordered values (floats compare as IEEE).
bool compareFloat(int op, float a, float b) {
    switch (op) {
    case B_EQ: return a == b;
    case B_NE: return !(a == b);
    case B_LT: return a < b;
    case B_LE: return a <= b;
    case B_GT: return a > b;
    case B_GE: return a >= b;
    case B_AND: return nonzero(a) && nonzero(b);
    case B_OR: return nonzero(a) || nonzero(b);
    default: return nonzero(a) != nonzero(b);
    }
}

bool compareInt(int op, int a, int b) {
    switch (op) {
    case B_EQ: return a == b;
    case B_NE: return a != b;
    case B_LT: return a < b;
    case B_LE: return a <= b;
    case B_GT: return a > b;
    case B_GE: return a >= b;
    case B_AND: return a != 0 && b != 0;
    case B_OR: return a != 0 || b != 0;
    default: return (a != 0) != (b != 0);
    }
}
