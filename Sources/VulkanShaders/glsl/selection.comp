#version 460
// Selection kernels on strided operands of up to 4 dimensions (the host collapses and splits
// the rest): select (torch.where) and, with GATHER defined, gather (torch.gather). Both move
// whole elements, so they work on the element's bits, WIDTH bytes (1, 2, 4 or 8: any dtype),
// with loads and stores of that width: one invocation per output element, and no invocation
// touches another's bytes (8- and 16-bit storage), so sub-word outputs do not race.
//
// Gather's index is int64, read as two 32-bit words (no shaderInt64 needed): in range only
// when the high word is 0 and the low word below the axis length; out of range writes zero
// and, when the host gave a flag (a nonzero address, zero being Vulkan's null address),
// stores 1 in that 32-bit word. Every such invocation stores the same 1, so their order does
// not matter, and nothing ever stores anything else there.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;
layout(constant_id = 1) const int WIDTH = 4;
// 1 when the host collapsed the walk to one dimension: offsets without divisions.
layout(constant_id = 2) const int FLAT = 0;

#ifdef GATHER
// Lanes: output, index, input (its stride along the gathered axis zeroed: the index says where).
// The addresses come first, then the vectors, then the scalars: std430 needs no padding.
layout(push_constant) uniform Operands {
    uvec2 outAddress;
    uvec2 indexAddress;
    uvec2 inAddress;
    uvec2 flagAddress;  // the out-of-range flag's word; (0, 0) when there is none
    uvec4 shape;
    ivec4 outStrides;
    ivec4 indexStrides;
    ivec4 inStrides;
    uint axisLength;
    int axisStride;
    int outOffset;
    int indexOffset;
    int inOffset;
} p;
#else
// Lanes: output, condition, value where true, value where false. The element count is the
// shape's product (the block is full at 128 bytes, the smallest limit Vulkan allows).
layout(push_constant) uniform Operands {
    uvec2 outAddress;
    uvec2 conditionAddress;
    uvec2 trueAddress;
    uvec2 falseAddress;
    uvec4 shape;
    ivec4 outStrides;
    ivec4 conditionStrides;
    ivec4 trueStrides;
    ivec4 falseStrides;
    ivec4 offsets;  // output, condition, value where true, value where false
} p;
#endif

// Copies element `a` at `from` to element `o` at `to`, WIDTH bytes.
void moveElement(uvec2 to, int o, uvec2 from, int a) {
    if (WIDTH == 1) U8Ref(to).v[o] = U8Ref(from).v[a];
    else if (WIDTH == 2) U16Ref(to).v[o] = U16Ref(from).v[a];
    else if (WIDTH == 4) I32Ref(to).v[o] = I32Ref(from).v[a];
    else Words2Ref(to).v[o] = Words2Ref(from).v[a];
}

void zeroElement(uvec2 to, int o) {
    if (WIDTH == 1) U8Ref(to).v[o] = uint8_t(0u);
    else if (WIDTH == 2) U16Ref(to).v[o] = uint16_t(0u);
    else if (WIDTH == 4) I32Ref(to).v[o] = 0;
    else Words2Ref(to).v[o] = uvec2(0u);
}

// Element i's offset along `strides` (the walk's innermost stride alone when FLAT).
int walkOffset(uint i, ivec4 strides) {
    return FLAT == 1 ? int(i) * strides.w : stridedOffset(i, p.shape, strides);
}

void main() {
    // The host dispatches a 2-D grid with an invocation per element, as for elementwise.comp.
    uint i = invocationIndex(GROUP_SIZE);
    if (i >= p.shape.x * p.shape.y * p.shape.z * p.shape.w) return;
#ifdef GATHER
    int o = p.outOffset + walkOffset(i, p.outStrides);
    uvec2 position = Words2Ref(p.indexAddress).v[p.indexOffset + walkOffset(i, p.indexStrides)];
    if (position.y == 0u && position.x < p.axisLength) {
        moveElement(p.outAddress, o, p.inAddress, p.inOffset + walkOffset(i, p.inStrides) + int(position.x) * p.axisStride);
    } else {
        zeroElement(p.outAddress, o);
        if (p.flagAddress != uvec2(0u)) I32Ref(p.flagAddress).v[0] = 1;
    }
#else
    int o = p.offsets.x + walkOffset(i, p.outStrides);
    bool condition = uint(U8Ref(p.conditionAddress).v[p.offsets.y + walkOffset(i, p.conditionStrides)]) != 0u;
    if (condition) moveElement(p.outAddress, o, p.trueAddress, p.offsets.z + walkOffset(i, p.trueStrides));
    else moveElement(p.outAddress, o, p.falseAddress, p.offsets.w + walkOffset(i, p.falseStrides));
#endif
}
