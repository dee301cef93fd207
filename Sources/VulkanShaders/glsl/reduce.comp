#version 460
// Reductions along one axis (ReductionOp codes in case order). MODE 0: each invocation
// reduces one output serially (short axes); MODE 1: a workgroup per output, invocations
// striding over the axis, combined with subgroup shuffles (SUBGROUPS 1) or a shared-memory
// tree (SUBGROUPS 0). Every combine is order-independent: argmax / argmin keep the lowest
// index among equal values (or NaNs), max / min propagate NaN.
#extension GL_KHR_shader_subgroup_basic : enable
#extension GL_KHR_shader_subgroup_shuffle_relative : enable
#include "common.glsl"

#define R_SUM 0
#define R_PROD 1
#define R_MAX 2
#define R_MIN 3
#define R_ARGMAX 4
#define R_ARGMIN 5
#define R_ANY 6
#define R_ALL 7
#define R_SUM_OF_SQUARES 8

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;
layout(constant_id = 1) const int OP = R_SUM;
layout(constant_id = 2) const int IN_DT = DT_F32;
layout(constant_id = 3) const int MODE = 0;
layout(constant_id = 4) const int SUBGROUPS = 0;

layout(push_constant) uniform Operands {
    uvec2 outAddress;
    uvec2 inAddress;
    uint outerCount;
    int axisLength;
    int axisStride;
    int outOffset;
    uvec4 shape;
    ivec4 outStrides;
    ivec4 inStrides;
    int inOffset;
} p;

// One partial result. `f` holds float32/float16/bfloat16 values, `n` int32/uint8/bool (and
// any/all flags), `w` float64 / int64 bits; `index` is the arg-reductions' position (-1: none).
struct State { float f; int n; uvec2 w; int index; };

const bool FLOATS = IN_DT == DT_F32 || IN_DT == DT_F16 || IN_DT == DT_BF16;
const bool DOUBLES = IN_DT == DT_F64;
const bool LONGS = IN_DT == DT_I64;
const bool ARG = OP == R_ARGMAX || OP == R_ARGMIN;
// Sums of squares (floating point only) add as sums do; each element is squared first.
const bool SUMS = OP == R_SUM || OP == R_SUM_OF_SQUARES;

#ifdef WIDE
double asDouble(uvec2 w) { return packDouble2x32(w); }
uvec2 doubleWords(double d) { return unpackDouble2x32(d); }
int64_t asLong(uvec2 w) { return int64_t(uint64_t(w.x) | (uint64_t(w.y) << 32)); }
uvec2 longWords(int64_t l) { return uvec2(uint(uint64_t(l) & 0xFFFFFFFFul), uint(uint64_t(l) >> 32)); }
#endif

State identity() {
    State s = State(0.0, 0, uvec2(0u), -1);
    bool high = OP == R_MIN || OP == R_ARGMIN;
    if (OP == R_PROD || OP == R_ALL) { s.f = 1.0; s.n = 1; }
    if (OP == R_PROD) {
#ifdef WIDE
        if (DOUBLES) s.w = doubleWords(1.0lf);
        if (LONGS) s.w = uvec2(1u, 0u);
#endif
    }
    if (OP == R_MAX || OP == R_MIN) {
        s.f = uintBitsToFloat(high ? 0x7F800000u : 0xFF800000u);
        s.n = high ? 2147483647 : -2147483647 - 1;
        s.w = DOUBLES ? uvec2(0u, high ? 0x7FF00000u : 0xFFF00000u) : (high ? uvec2(0xFFFFFFFFu, 0x7FFFFFFFu) : uvec2(0u, 0x80000000u));
    }
    return s;
}

State element(uvec2 base, int i, int position) {
    State s = State(0.0, 0, uvec2(0u), position);
    if (FLOATS) s.f = loadFloat(IN_DT, base, i);
#ifdef WIDE
    else if (DOUBLES) s.w = doubleWords(F64Ref(base).v[i]);
    else if (LONGS) s.w = longWords(I64Ref(base).v[i]);
#endif
    else s.n = loadInt(IN_DT, base, i);
    if (OP == R_SUM_OF_SQUARES) {
        s.f *= s.f;
#ifdef WIDE
        if (DOUBLES) s.w = doubleWords(asDouble(s.w) * asDouble(s.w));
#endif
    }
    if (OP == R_ANY || OP == R_ALL) {
        bool nonzero = FLOATS ? (nanBits(s.f) || s.f != 0.0) : (DOUBLES || LONGS) ? (s.w.x != 0u || (s.w.y & (DOUBLES ? 0x7FFFFFFFu : 0xFFFFFFFFu)) != 0u) : s.n != 0;
        s.n = nonzero ? 1 : 0;
    }
    return s;
}

// -1: a before b, 1: b before a, 0: equal. NaN counts as the extreme (first NaN wins).
int order(State a, State b, bool greatest) {
    bool an, bn, less, greater;
    if (FLOATS) { an = nanBits(a.f); bn = nanBits(b.f); less = a.f < b.f; greater = a.f > b.f; }
#ifdef WIDE
    else if (DOUBLES) { double x = asDouble(a.w), y = asDouble(b.w); an = nanBitsDouble(x); bn = nanBitsDouble(y); less = x < y; greater = x > y; }
    else if (LONGS) { int64_t x = asLong(a.w), y = asLong(b.w); an = false; bn = false; less = x < y; greater = x > y; }
#endif
    else { an = false; bn = false; less = a.n < b.n; greater = a.n > b.n; }
    if (an || bn) return (an && bn) ? 0 : (an ? -1 : 1);
    if (greater) return greatest ? -1 : 1;
    if (less) return greatest ? 1 : -1;
    return 0;
}

State combine(State a, State b) {
    if (SUMS || OP == R_PROD) {
        bool sum = SUMS;
        if (FLOATS) a.f = sum ? a.f + b.f : a.f * b.f;
#ifdef WIDE
        else if (DOUBLES) a.w = doubleWords(sum ? asDouble(a.w) + asDouble(b.w) : asDouble(a.w) * asDouble(b.w));
        else if (LONGS) a.w = longWords(sum ? asLong(a.w) + asLong(b.w) : asLong(a.w) * asLong(b.w));
#endif
        else a.n = sum ? a.n + b.n : a.n * b.n;
        return a;
    }
    if (OP == R_ANY) { a.n = max(a.n, b.n); return a; }
    if (OP == R_ALL) { a.n = min(a.n, b.n); return a; }
    if (ARG) {
        if (b.index < 0) return a;
        if (a.index < 0) return b;
    }
    int o = order(a, b, OP == R_MAX || OP == R_ARGMAX);
    if (o == 0 && ARG) return a.index <= b.index ? a : b;
    return o <= 0 ? a : b;
}

void store(int o, State s) {
    if (ARG) { Words2Ref(p.outAddress).v[o] = uvec2(uint(s.index), s.index < 0 ? 0xFFFFFFFFu : 0u); return; }
    if (OP == R_ANY || OP == R_ALL) { storeBool(p.outAddress, o, s.n != 0); return; }
    if (FLOATS) storeFloat(IN_DT, p.outAddress, o, s.f);
    else if (DOUBLES || LONGS) Words2Ref(p.outAddress).v[o] = s.w;
    else storeInt(IN_DT, p.outAddress, o, s.n);
}

State shuffledDown(State s, uint delta) {
    return State(subgroupShuffleDown(s.f, delta), subgroupShuffleDown(s.n, delta),
                 subgroupShuffleDown(s.w, delta), subgroupShuffleDown(s.index, delta));
}

shared State partial[GROUP_SIZE];

void main() {
    if (MODE == 0) {
        for (uint outer = invocationIndex(GROUP_SIZE); outer < p.outerCount; outer += invocationCount(GROUP_SIZE)) {
            int base = p.inOffset + stridedOffset(outer, p.shape, p.inStrides);
            State s = identity();
            for (int j = 0; j < p.axisLength; j++) s = combine(s, element(p.inAddress, base + j * p.axisStride, j));
            store(p.outOffset + stridedOffset(outer, p.shape, p.outStrides), s);
        }
        return;
    }
    uint outer = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (outer >= p.outerCount) return;  // uniform across the workgroup
    uint lane = gl_LocalInvocationID.x;
    int base = p.inOffset + stridedOffset(outer, p.shape, p.inStrides);
    State s = identity();
    for (int j = int(lane); j < p.axisLength; j += int(GROUP_SIZE)) s = combine(s, element(p.inAddress, base + j * p.axisStride, j));
    if (SUBGROUPS == 1) {
        for (uint delta = gl_SubgroupSize / 2u; delta > 0u; delta /= 2u) {
            State other = shuffledDown(s, delta);
            if (gl_SubgroupInvocationID + delta < gl_SubgroupSize) s = combine(s, other);
        }
        if (gl_SubgroupInvocationID == 0u) partial[gl_SubgroupID] = s;
        barrier();
        if (lane == 0u) {
            for (uint k = 1u; k < gl_NumSubgroups; k++) s = combine(s, partial[k]);
            store(p.outOffset + stridedOffset(outer, p.shape, p.outStrides), s);
        }
        return;
    }
    partial[lane] = s;
    barrier();
    for (uint half_ = GROUP_SIZE / 2u; half_ > 0u; half_ /= 2u) {
        if (lane < half_) partial[lane] = combine(partial[lane], partial[lane + half_]);
        barrier();
    }
    if (lane == 0u) store(p.outOffset + stridedOffset(outer, p.shape, p.outStrides), partial[0]);
}
