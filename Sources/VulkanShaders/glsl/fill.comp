#version 460
// Repeats a 1-, 2-, 4- or 8-byte pattern over a byte range at any offset (vkCmdFillBuffer
// takes only 4-byte-aligned ranges of a 4-byte pattern). Byte i of the range is byte
// i % length of the pattern.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;

layout(push_constant) uniform Operands {
    uvec2 address;
    uint count;
    uint patternLength;
    uvec2 pattern;
} p;

void main() {
    for (uint i = invocationIndex(GROUP_SIZE); i < p.count; i += invocationCount(GROUP_SIZE)) {
        uint byteIndex = i % p.patternLength;
        uint word = byteIndex < 4u ? p.pattern.x : p.pattern.y;
        U8Ref(p.address).v[i] = uint8_t((word >> (8u * (byteIndex & 3u))) & 0xFFu);
    }
}
