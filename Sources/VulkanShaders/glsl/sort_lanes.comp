#version 460
// Argsort's first and last steps, between the tensor's lanes and the pairs of sort.glsl.
// MODE 0 (keys): an invocation per slot makes the pair of element i of its lane from the
// input (or a padding pair past the lane's end). MODE 1 (positions): an invocation per
// element writes the position in slot i of its lane, the lane's sorted order, as element i
// of the output lane (int64: the position and a zero high word). The host walks the lanes
// (the shape without the axis) over up to 4 collapsed dimensions per dispatch; a piece's
// lanes sit in the scratch from `firstLane` on.
//
// Keys order as PyTorch compares: floats by value with every NaN above +inf and -0.0 equal
// to 0.0 (float16 and bfloat16 on their own bits, exactly as in float32); integers offset so
// the smallest is key 0; bool bytes nonzero as 1. Descending sorts are ascending sorts of the
// complemented keys (`flip`), positions still ascending, so ties keep their order either way.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;
layout(constant_id = 1) const int MODE = 0;
layout(constant_id = 2) const int DT = DT_F32;  // the input's (MODE 0)
layout(constant_id = 3) const int KEY_WORDS = 1;

#include "sort.glsl"

layout(push_constant) uniform Operands {
    uvec2 pairsAddress;
    uvec2 tensorAddress;  // the input (MODE 0) or the output (MODE 1)
    uvec4 shape;          // this piece's lanes
    ivec4 strides;        // the tensor's, over the lanes
    uint laneLength;      // n, the axis's length
    uint slotsLog2;       // log2 P: slots per lane
    int axisStride;       // the tensor's, along the axis
    int offset;           // the tensor's element offset of the piece's first lane
    uint firstLane;       // the piece's first lane in the scratch
    uint flip;            // all ones for a descending sort, else 0
} p;

// The ordered key of a float with `sign` as its sign bit (the bits zero-extended to 32) and
// `infinity` as its infinity's magnitude: +0.0's key is `sign`, larger numbers above it,
// smaller below; NaN is the largest key. Integer arithmetic only, so no driver flushes
// subnormals or quiets NaNs on the way.
uint orderedFloatKey(uint bits, uint sign, uint infinity) {
    uint magnitude = bits & (sign - 1u);
    if (magnitude > infinity) return 0xFFFFFFFFu;
    return (bits & sign) != 0u ? sign - magnitude : sign + magnitude;
}

// The key of input element `i`, (high word, low word).
uvec2 keyOf(int i) {
    if (DT == DT_F32) return uvec2(0u, orderedFloatKey(uint(I32Ref(p.tensorAddress).v[i]), 0x80000000u, 0x7F800000u));
    if (DT == DT_F16) return uvec2(0u, orderedFloatKey(uint(U16Ref(p.tensorAddress).v[i]), 0x8000u, 0x7C00u));
    if (DT == DT_BF16) return uvec2(0u, orderedFloatKey(uint(U16Ref(p.tensorAddress).v[i]), 0x8000u, 0x7F80u));
    if (DT == DT_I32) return uvec2(0u, uint(I32Ref(p.tensorAddress).v[i]) ^ 0x80000000u);
    if (DT == DT_U8) return uvec2(0u, uint(U8Ref(p.tensorAddress).v[i]));
    if (DT == DT_BOOL) return uvec2(0u, uint(U8Ref(p.tensorAddress).v[i]) != 0u ? 1u : 0u);
    uvec2 words = Words2Ref(p.tensorAddress).v[i];  // int64 and float64: (low word, high word)
    if (DT == DT_I64) return uvec2(words.y ^ 0x80000000u, words.x);
    // float64 as above in 64 bits: 2^63 ± the magnitude, NaN the largest key.
    uint high = words.y & 0x7FFFFFFFu, low = words.x;
    if (high > 0x7FF00000u || (high == 0x7FF00000u && low != 0u)) return uvec2(0xFFFFFFFFu);
    if ((words.y & 0x80000000u) == 0u) return uvec2(0x80000000u + high, low);
    return uvec2(0x80000000u - high - (low != 0u ? 1u : 0u), 0u - low);
}

void main() {
    uint invocation = invocationIndex(GROUP_SIZE);
    uint lanes = p.shape.x * p.shape.y * p.shape.z * p.shape.w;
    uint slotsPerLane = 1u << p.slotsLog2;
    if (MODE == 0) {
        if (invocation >= lanes << p.slotsLog2) return;
        uint lane = invocation >> p.slotsLog2, i = invocation & (slotsPerLane - 1u);
        Pair pair = Pair(PADDING_KEY, i);
        if (i < p.laneLength) {
            int element = p.offset + stridedOffset(lane, p.shape, p.strides) + int(i) * p.axisStride;
            pair.key = keyOf(element) ^ uvec2(KEY_WORDS == 2 ? p.flip : 0u, p.flip);
        }
        storePair(p.pairsAddress, ((p.firstLane + lane) << p.slotsLog2) + i, pair);
    } else {
        if (invocation >= lanes * p.laneLength) return;
        uint lane = invocation / p.laneLength, i = invocation % p.laneLength;
        uint position = loadPair(p.pairsAddress, ((p.firstLane + lane) << p.slotsLog2) + i).position;
        int element = p.offset + stridedOffset(lane, p.shape, p.strides) + int(i) * p.axisStride;
        Words2Ref(p.tensorAddress).v[element] = uvec2(position, 0u);
    }
}
