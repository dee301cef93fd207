#version 460
// Argsort's first and last steps, between the tensor's lanes and the pairs of sort.glsl.
// MODE 0 (keys): an invocation per slot makes the pair of element i of its lane from the
// input (or a padding pair past the lane's end). MODE 1 (positions): an invocation per
// output element writes the position in slot i of its lane, the lane's sorted order, as
// element i of the output lane (int64: the position and a zero high word); topk's output
// lanes are only the first k. The host walks the lanes (the shape without the axis) over
// up to 4 collapsed dimensions per dispatch; a piece's lanes sit in the scratch from
// `firstLane` on.
//
// Keys (sort_keys.glsl) order as PyTorch compares. Descending sorts are ascending sorts of the
// complemented keys (`flip`), positions still ascending, so ties keep their order either way.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;
layout(constant_id = 1) const int MODE = 0;
layout(constant_id = 2) const int DT = DT_F32;  // the input's (MODE 0)
layout(constant_id = 3) const int KEY_WORDS = 1;

#include "sort.glsl"
#include "sort_keys.glsl"

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
    uint written;         // MODE 1: the positions written per lane (n for argsort, k for topk)
} p;

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
            pair.key = keyOf(p.tensorAddress, element) ^ uvec2(KEY_WORDS == 2 ? p.flip : 0u, p.flip);
        }
        storePair(p.pairsAddress, ((p.firstLane + lane) << p.slotsLog2) + i, pair);
    } else {
        if (invocation >= lanes * p.written) return;
        uint lane = invocation / p.written, i = invocation % p.written;
        uint position = loadPair(p.pairsAddress, ((p.firstLane + lane) << p.slotsLog2) + i).position;
        int element = p.offset + stridedOffset(lane, p.shape, p.strides) + int(i) * p.axisStride;
        Words2Ref(p.tensorAddress).v[element] = uvec2(position, 0u);
    }
}
