#version 460
// Scatter (torch.scatter, scatter_add) on strided operands: one invocation per fiber of the
// index (its elements that differ only along the scattered axis), which walks its fiber in
// order of increasing position along the axis. A fiber of the index writes only into one
// fiber of the output, so no two invocations touch one output element (nor, with 8- and
// 16-bit storage, its neighbouring bytes): no atomics, and where a fiber names one position
// twice the later element is applied last. The host walks the fibers over up to 4 collapsed
// dimensions per dispatch, an invocation per fiber (as selection.comp does per element).
//
// ADD_DT < 0 assigns: the source element's bits replace the output's, WIDTH bytes (any
// dtype). Otherwise ADD_DT is the dtype added, one addition at a time and rounded to the
// dtype after each, as the CPU does: float32, float16 and bfloat16 in float32, int32 and
// uint8 wrapping, bool ORed (0 or 1); float64 and int64 only in the WIDE variant.
//
// The index is int64, read as two 32-bit words as gather reads it: in range only when the
// high word is 0 and the low word below the output's axis length. Out of range writes
// nothing and, when the host gave a flag (a nonzero address), the invocation stores 1 in
// that 32-bit word once, after its fiber. Nothing ever stores anything else there.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;
layout(constant_id = 1) const int WIDTH = 4;
layout(constant_id = 2) const int ADD_DT = -1;

// Lanes: output, index, source. `shape` and the 4-vectors of strides walk the fibers (the
// index's shape without the axis); the axis strides step along a fiber. The addresses come
// first, then the vectors, then the scalars: std430 needs no padding. The fiber count is the
// shape's product (the block is full at 128 bytes, the smallest limit Vulkan allows).
layout(push_constant) uniform Operands {
    uvec2 outAddress;
    uvec2 indexAddress;
    uvec2 sourceAddress;
    uvec2 flagAddress;  // the out-of-range flag's word; (0, 0) when there is none
    uvec4 shape;
    ivec4 outStrides;
    ivec4 indexStrides;
    ivec4 sourceStrides;
    uint axisLength;    // the output's: positions must lie below it
    uint fiberLength;   // the index's length along the axis
    int outAxisStride;
    int indexAxisStride;
    int sourceAxisStride;
    int outOffset;
    int indexOffset;
    int sourceOffset;
} p;

// Output element `o` takes source element `s`: replaced by it, or with it added.
void scatterElement(int o, int s) {
    if (ADD_DT < 0) {
        if (WIDTH == 1) U8Ref(p.outAddress).v[o] = U8Ref(p.sourceAddress).v[s];
        else if (WIDTH == 2) U16Ref(p.outAddress).v[o] = U16Ref(p.sourceAddress).v[s];
        else if (WIDTH == 4) I32Ref(p.outAddress).v[o] = I32Ref(p.sourceAddress).v[s];
        else Words2Ref(p.outAddress).v[o] = Words2Ref(p.sourceAddress).v[s];
    } else if (isFloatType(ADD_DT)) {
        storeFloat(ADD_DT, p.outAddress, o, loadFloat(ADD_DT, p.outAddress, o) + loadFloat(ADD_DT, p.sourceAddress, s));
    } else if (ADD_DT == DT_BOOL) {
        storeBool(p.outAddress, o, (loadInt(ADD_DT, p.outAddress, o) | loadInt(ADD_DT, p.sourceAddress, s)) != 0);
    } else if (ADD_DT == DT_I32 || ADD_DT == DT_U8) {
        // Wraps: int32 addition is modular, and storeInt keeps uint8's low byte.
        storeInt(ADD_DT, p.outAddress, o, loadInt(ADD_DT, p.outAddress, o) + loadInt(ADD_DT, p.sourceAddress, s));
    }
#ifdef WIDE
    else if (ADD_DT == DT_F64) F64Ref(p.outAddress).v[o] += F64Ref(p.sourceAddress).v[s];
    else if (ADD_DT == DT_I64) I64Ref(p.outAddress).v[o] += I64Ref(p.sourceAddress).v[s];
#endif
}

void main() {
    // The host dispatches a 2-D grid with an invocation per fiber.
    uint fiber = invocationIndex(GROUP_SIZE);
    if (fiber >= p.shape.x * p.shape.y * p.shape.z * p.shape.w) return;
    int o = p.outOffset + stridedOffset(fiber, p.shape, p.outStrides);
    int at = p.indexOffset + stridedOffset(fiber, p.shape, p.indexStrides);
    int s = p.sourceOffset + stridedOffset(fiber, p.shape, p.sourceStrides);
    bool missed = false;
    for (uint j = 0u; j < p.fiberLength; j++) {
        uvec2 position = Words2Ref(p.indexAddress).v[at];
        if (position.y == 0u && position.x < p.axisLength) scatterElement(o + int(position.x) * p.outAxisStride, s);
        else missed = true;
        at += p.indexAxisStride;
        s += p.sourceAxisStride;
    }
    if (missed && p.flagAddress != uvec2(0u)) I32Ref(p.flagAddress).v[0] = 1;
}
