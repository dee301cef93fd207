#version 460
// Ops along one axis (AxisOp codes in case order), output shaped as the input: softmax and
// log-softmax (float32 / float16 / bfloat16, computed in float32) and inclusive running sums
// and products (every dtype but bool; integers wrap). MODE 0: one invocation per lane,
// serially (short axes). MODE 1: a workgroup per lane. Softmax strides over the lane and
// combines the maximum and the sum of exponentials over the workgroup; a scan gives each
// invocation a contiguous chunk, scans the chunks' totals over the workgroup, then rescans
// each chunk from the total before it. Workgroup combines use subgroup shuffles and two or
// three barriers (SUBGROUPS 1) or shared-memory trees (SUBGROUPS 0), as reduce.comp does.
//
// float32 sums are compensated (TwoSum, `precise` so no compiler reassociates them): about
// as accurate as the CPU backend's double accumulation. Float products are plain float32.
// A softmax lane holding NaN or +inf, or only -inf, is NaN throughout (checked explicitly,
// not left to the driver's exp).
#extension GL_KHR_shader_subgroup_basic : enable
#extension GL_KHR_shader_subgroup_shuffle_relative : enable
#include "common.glsl"
// softmax.glsl is included below, once `partial` exists.

#define A_SOFTMAX 0
#define A_LOG_SOFTMAX 1
#define A_CUMSUM 2
#define A_CUMPROD 3

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;  // a power of two (MODE 1's trees)
layout(constant_id = 1) const int OP = A_SOFTMAX;
layout(constant_id = 2) const int DT = DT_F32;
layout(constant_id = 3) const int MODE = 0;
layout(constant_id = 4) const int SUBGROUPS = 0;

layout(push_constant) uniform Operands {
    uvec2 outAddress;
    uvec2 inAddress;
    uint laneCount;
    int axisLength;
    int inAxisStride;
    int outAxisStride;
    uvec4 shape;
    ivec4 outStrides;
    ivec4 inStrides;
    int outOffset;
    int inOffset;
} p;

const bool FLOATS = DT == DT_F32 || DT == DT_F16 || DT == DT_BF16;
const bool DOUBLES = DT == DT_F64;
const bool LONGS = DT == DT_I64;
const bool SUM = OP == A_CUMSUM;

// A running total: `f + c` for floats (`c` the compensation of a sum), `n` for int32 / uint8,
// `w` the bits of a float64 or int64.
struct Total { float f; float c; int n; uvec2 w; };

#ifdef WIDE
double asDouble(uvec2 w) { return packDouble2x32(w); }
uvec2 doubleWords(double d) { return unpackDouble2x32(d); }
int64_t asLong(uvec2 w) { return int64_t(uint64_t(w.x) | (uint64_t(w.y) << 32)); }
uvec2 longWords(int64_t l) { return uvec2(uint(uint64_t(l) & 0xFFFFFFFFul), uint(uint64_t(l) >> 32)); }
#endif

Total identity() {
    Total t = Total(SUM ? 0.0 : 1.0, 0.0, SUM ? 0 : 1, uvec2(0u));
#ifdef WIDE
    if (DOUBLES) t.w = doubleWords(SUM ? 0.0lf : 1.0lf);
    if (LONGS) t.w = uvec2(SUM ? 0u : 1u, 0u);
#endif
    return t;
}

Total element(int i) {
    Total t = Total(0.0, 0.0, 0, uvec2(0u));
    if (FLOATS) t.f = loadFloat(DT, p.inAddress, i);
    else if (DOUBLES || LONGS) t.w = Words2Ref(p.inAddress).v[i];
    else t.n = loadInt(DT, p.inAddress, i);
    return t;
}

// `a` then `b` (a before b along the axis).
Total combine(Total a, Total b) {
    if (FLOATS && SUM) {
        precise float s = a.f + b.f;
        precise float bPart = s - a.f;
        precise float error = (a.f - (s - bPart)) + (b.f - bPart);
        precise float c = (a.c + b.c) + error;
        bool finite = (floatBitsToUint(s) & 0x7F800000u) != 0x7F800000u;
        return Total(s, finite ? c : 0.0, 0, uvec2(0u));
    }
    if (FLOATS) { a.f *= b.f; return a; }
#ifdef WIDE
    if (DOUBLES) { a.w = doubleWords(SUM ? asDouble(a.w) + asDouble(b.w) : asDouble(a.w) * asDouble(b.w)); return a; }
    if (LONGS) { a.w = longWords(SUM ? asLong(a.w) + asLong(b.w) : asLong(a.w) * asLong(b.w)); return a; }
#endif
    a.n = SUM ? a.n + b.n : a.n * b.n;  // wraps
    return a;
}

void store(int o, Total t) {
    if (FLOATS) storeFloat(DT, p.outAddress, o, t.f + t.c);
    else if (DOUBLES || LONGS) Words2Ref(p.outAddress).v[o] = t.w;
    else storeInt(DT, p.outAddress, o, t.n);  // uint8 keeps the low byte: wraps
}

shared Total partial[GROUP_SIZE];

#include "softmax.glsl"

Total shuffledUp(Total t, uint delta) {
    return Total(subgroupShuffleUp(t.f, delta), subgroupShuffleUp(t.c, delta), subgroupShuffleUp(t.n, delta),
                 subgroupShuffleUp(t.w, delta));
}

// The total of the chunks before this invocation's: a scan within each subgroup (shuffles)
// and over the subgroups' totals (SUBGROUPS 1), or Hillis–Steele in shared memory.
Total groupPrefix(Total own) {
    uint local = gl_LocalInvocationID.x;
    if (SUBGROUPS == 1) {
        uint id = gl_SubgroupInvocationID;
        Total inclusive = own;
        for (uint delta = 1u; delta < gl_SubgroupSize; delta *= 2u) {
            Total before = shuffledUp(inclusive, delta);
            if (id >= delta) inclusive = combine(before, inclusive);
        }
        if (id == gl_SubgroupSize - 1u) partial[gl_SubgroupID] = inclusive;
        Total exclusive = shuffledUp(inclusive, 1u);
        barrier();
        if (local == 0u) {  // the subgroups' totals become the totals before each
            Total running = identity();
            for (uint k = 0u; k < gl_NumSubgroups; k++) {
                Total next = combine(running, partial[k]);
                partial[k] = running;
                running = next;
            }
        }
        barrier();
        Total prefix = partial[gl_SubgroupID];
        return id == 0u ? prefix : combine(prefix, exclusive);
    }
    partial[local] = own;
    barrier();
    for (uint step = 1u; step < GROUP_SIZE; step *= 2u) {
        Total mine = partial[local];
        Total before = local >= step ? partial[local - step] : mine;
        barrier();
        if (local >= step) partial[local] = combine(before, mine);
        barrier();
    }
    return local == 0u ? identity() : partial[local - 1u];
}

void serialLane(uint laneIndex) {
    int inBase = p.inOffset + stridedOffset(laneIndex, p.shape, p.inStrides);
    int outBase = p.outOffset + stridedOffset(laneIndex, p.shape, p.outStrides);
    if (OP == A_CUMSUM || OP == A_CUMPROD) {
        Total t = identity();
        for (int j = 0; j < p.axisLength; j++) {
            t = combine(t, element(inBase + j * p.inAxisStride));
            store(outBase + j * p.outAxisStride, t);
        }
        return;
    }
    float maximum = uintBitsToFloat(0xFF800000u);
    vec2 denominator = vec2(0.0);
    for (int j = 0; j < p.axisLength; j++) maximum = maxNaN(loadFloat(DT, p.inAddress, inBase + j * p.inAxisStride), maximum);
    if (!bad(maximum)) {
        for (int j = 0; j < p.axisLength; j++) denominator += denominatorTerm(loadFloat(DT, p.inAddress, inBase + j * p.inAxisStride), maximum);
    }
    for (int j = 0; j < p.axisLength; j++) writeSoftmax(inBase, outBase, j, maximum, denominator);
}

void cooperativeLane(uint laneIndex) {
    int inBase = p.inOffset + stridedOffset(laneIndex, p.shape, p.inStrides);
    int outBase = p.outOffset + stridedOffset(laneIndex, p.shape, p.outStrides);
    int local = int(gl_LocalInvocationID.x), n = p.axisLength;
    if (OP == A_CUMSUM || OP == A_CUMPROD) {
        int chunk = (n + int(GROUP_SIZE) - 1) / int(GROUP_SIZE);
        int start = min(local * chunk, n), end = min(start + chunk, n);
        Total t = identity();
        for (int j = start; j < end; j++) t = combine(t, element(inBase + j * p.inAxisStride));
        t = groupPrefix(t);
        for (int j = start; j < end; j++) {
            t = combine(t, element(inBase + j * p.inAxisStride));
            store(outBase + j * p.outAxisStride, t);
        }
        return;
    }
    float maximum = uintBitsToFloat(0xFF800000u);
    vec2 denominator = vec2(0.0);
    for (int j = local; j < n; j += int(GROUP_SIZE)) maximum = maxNaN(loadFloat(DT, p.inAddress, inBase + j * p.inAxisStride), maximum);
    maximum = groupCombine(vec2(maximum, 0.0), true).x;
    if (!bad(maximum)) {  // uniform: every invocation holds the same maximum
        for (int j = local; j < n; j += int(GROUP_SIZE)) denominator += denominatorTerm(loadFloat(DT, p.inAddress, inBase + j * p.inAxisStride), maximum);
        denominator = groupCombine(denominator, false);
    }
    for (int j = local; j < n; j += int(GROUP_SIZE)) writeSoftmax(inBase, outBase, j, maximum, denominator);
}

void main() {
    if (MODE == 0) {
        for (uint laneIndex = invocationIndex(GROUP_SIZE); laneIndex < p.laneCount; laneIndex += invocationCount(GROUP_SIZE)) {
            serialLane(laneIndex);
        }
        return;
    }
    uint laneIndex = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (laneIndex < p.laneCount) cooperativeLane(laneIndex);  // uniform across the workgroup
}
