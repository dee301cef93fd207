#version 460
// topk's selection (`VulkanQueue.topk`, k up to MAX_K): an invocation per lane reads its lane
// once and keeps the k pairs (sort.glsl) that sort first, in order, in its own registers: an
// element goes in when it sorts before the k-th pair held, by insertion. The keys are
// argsort's (sort_keys.glsl, complemented for the largest), and positions rise as the lane is
// read, so the k positions written are the first k of the stable argsort, ties included.
// The host walks the lanes (the shape without the axis) over up to 4 collapsed dimensions per
// dispatch.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 64;
layout(constant_id = 1) const int DT = DT_F32;  // the input's
layout(constant_id = 2) const int KEY_WORDS = 1;
layout(constant_id = 3) const uint MAX_K = 16;  // the largest k held (VulkanQueue.topkSelectionLimit)

#include "sort.glsl"
#include "sort_keys.glsl"

layout(push_constant) uniform Operands {
    uvec2 inAddress;
    uvec2 outAddress;
    uvec4 shape;        // this piece's lanes
    ivec4 inStrides;    // over the lanes
    ivec4 outStrides;
    int inOffset;       // of the piece's first lane
    int outOffset;
    int inAxisStride;   // along the axis
    int outAxisStride;
    uint laneLength;    // n, the axis's length
    uint k;             // 1 ... MAX_K
    uint flip;          // all ones for the largest, else 0
} p;

void main() {
    uint lane = invocationIndex(GROUP_SIZE);
    if (lane >= p.shape.x * p.shape.y * p.shape.z * p.shape.w) return;
    int base = p.inOffset + stridedOffset(lane, p.shape, p.inStrides);
    Pair held[MAX_K];
    uint count = 0u;
    for (uint i = 0u; i < p.laneLength; i++) {
        Pair pair = Pair(keyOf(p.inAddress, base + int(i) * p.inAxisStride) ^ uvec2(KEY_WORDS == 2 ? p.flip : 0u, p.flip), i);
        if (count == p.k && !sortsBefore(pair, held[count - 1u])) continue;
        // The pair's slot: the end while fewer than k are held, else the k-th (dropped); then
        // every held pair it sorts before moves one down.
        uint slot = count < p.k ? count++ : count - 1u;
        while (slot > 0u && sortsBefore(pair, held[slot - 1u])) {
            held[slot] = held[slot - 1u];
            slot--;
        }
        held[slot] = pair;
    }
    int out_ = p.outOffset + stridedOffset(lane, p.shape, p.outStrides);
    for (uint j = 0u; j < count; j++) Words2Ref(p.outAddress).v[out_ + int(j) * p.outAxisStride] = uvec2(held[j].position, 0u);
}
