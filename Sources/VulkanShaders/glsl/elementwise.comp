#version 460
// Element-wise kernels: unary (KIND 0), binary (1) and conversion (2) on strided operands of
// up to 4 dimensions (the host collapses and splits the rest). Op and dtypes are
// specialization constants, so each pipeline keeps one path. One invocation per element.
#include "common.glsl"
#include "ops.glsl"
#include "wide.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;
layout(constant_id = 1) const int KIND = 0;
layout(constant_id = 2) const int OP = 0;
layout(constant_id = 3) const int IN_DT = DT_F32;
layout(constant_id = 4) const int OUT_DT = DT_F32;
// 1 when the host collapsed the walk to one dimension: offsets without divisions.
layout(constant_id = 5) const int FLAT = 0;

layout(push_constant) uniform Operands {
    uvec2 outAddress;
    uvec2 aAddress;
    uvec2 bAddress;
    uint count;
    int outOffset;
    uvec4 shape;
    ivec4 outStrides;
    ivec4 aStrides;
    ivec4 bStrides;
    int aOffset;
    int bOffset;
} p;

void unaryElement(int o, int a) {
    if (OP == U_NOT) {
        bool zero;
        if (isFloatType(IN_DT)) zero = !nonzero(loadFloat(IN_DT, p.aAddress, a));
        else if (isWideType(IN_DT)) zero = wideIsZero(IN_DT, p.aAddress, a);
        else zero = loadInt(IN_DT, p.aAddress, a) == 0;
        storeBool(p.outAddress, o, zero);
    } else if (isFloatType(IN_DT)) {
        storeFloat(IN_DT, p.outAddress, o, unaryFloat(OP, loadFloat(IN_DT, p.aAddress, a)));
    } else if (isWideType(IN_DT)) {
        wideUnary(OP, IN_DT, p.outAddress, o, p.aAddress, a);
    } else {
        storeInt(IN_DT, p.outAddress, o, unaryInt(OP, loadInt(IN_DT, p.aAddress, a), IN_DT));
    }
}

void binaryElement(int o, int a, int b) {
    bool comparison = OP >= B_EQ;
    if (isFloatType(IN_DT)) {
        float x = loadFloat(IN_DT, p.aAddress, a), y = loadFloat(IN_DT, p.bAddress, b);
        if (comparison) storeBool(p.outAddress, o, compareFloat(OP, x, y));
        else storeFloat(IN_DT, p.outAddress, o, binaryFloat(OP, x, y));
    } else if (isWideType(IN_DT)) {
        wideBinary(OP, IN_DT, p.outAddress, o, p.aAddress, a, p.bAddress, b);
    } else {
        int x = loadInt(IN_DT, p.aAddress, a), y = loadInt(IN_DT, p.bAddress, b);
        if (comparison) storeBool(p.outAddress, o, compareInt(OP, x, y));
        else storeInt(IN_DT, p.outAddress, o, binaryInt(OP, x, y, IN_DT));
    }
}

// Floats to integers truncate toward zero and saturate (NaN is 0); integers wrap; bool is != 0.
int saturatedInt(float x, int dtype) {
    if (dtype == DT_BOOL) return nonzero(x) ? 1 : 0;
    if (nanBits(x)) return 0;
    if (dtype == DT_U8) return int(clamp(trunc(x), 0.0, 255.0));
    if (x >= 2147483648.0) return 2147483647;
    if (x <= -2147483648.0) return -2147483647 - 1;
    return int(x);
}

void convertElement(int o, int a) {
    if (isWideType(IN_DT) || isWideType(OUT_DT)) {
        wideConvert(IN_DT, OUT_DT, p.outAddress, o, p.aAddress, a);
    } else if (isFloatType(IN_DT)) {
        float x = loadFloat(IN_DT, p.aAddress, a);
        if (isFloatType(OUT_DT)) storeFloat(OUT_DT, p.outAddress, o, x);
        else storeInt(OUT_DT, p.outAddress, o, saturatedInt(x, OUT_DT));
    } else {
        int x = loadInt(IN_DT, p.aAddress, a);
        if (isFloatType(OUT_DT)) storeFloat(OUT_DT, p.outAddress, o, float(x));
        else storeInt(OUT_DT, p.outAddress, o, x);
    }
}

void main() {
    // The host dispatches a 2-D grid with an invocation per element (a loop costs more on lavapipe).
    uint i = invocationIndex(GROUP_SIZE);
    if (i < p.count) {
        int o, a, b;
        if (FLAT == 1) {
            o = p.outOffset + int(i) * p.outStrides.w;
            a = p.aOffset + int(i) * p.aStrides.w;
            b = p.bOffset + int(i) * p.bStrides.w;
        } else {
            o = p.outOffset + stridedOffset(i, p.shape, p.outStrides);
            a = p.aOffset + stridedOffset(i, p.shape, p.aStrides);
            b = p.bOffset + stridedOffset(i, p.shape, p.bStrides);
        }
        if (KIND == 0) unaryElement(o, a);
        else if (KIND == 1) binaryElement(o, a, b);
        else convertElement(o, a);
    }
}
