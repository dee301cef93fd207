// Shared by every DeviceShim compute shader: buffers reached through device addresses (no
// descriptor sets), dtype codes (DType's case order), loads and stores of every dtype in the
// precision the CPU backend computes in, and bit-exact float16 / bfloat16 rounding.
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_buffer_reference_uvec2 : require
#extension GL_EXT_shader_8bit_storage : require
#extension GL_EXT_shader_16bit_storage : require
#ifdef WIDE
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#endif

// DType, in declaration order.
#define DT_F32 0
#define DT_F64 1
#define DT_F16 2
#define DT_BF16 3
#define DT_I32 4
#define DT_I64 5
#define DT_U8 6
#define DT_BOOL 7

layout(buffer_reference, std430, buffer_reference_align = 4) buffer F32Ref { float v[]; };
layout(buffer_reference, std430, buffer_reference_align = 4) buffer I32Ref { int v[]; };
layout(buffer_reference, std430, buffer_reference_align = 2) buffer U16Ref { uint16_t v[]; };
layout(buffer_reference, std430, buffer_reference_align = 1) buffer U8Ref { uint8_t v[]; };
layout(buffer_reference, std430, buffer_reference_align = 8) buffer Words2Ref { uvec2 v[]; };
#ifdef WIDE
layout(buffer_reference, std430, buffer_reference_align = 8) buffer F64Ref { double v[]; };
layout(buffer_reference, std430, buffer_reference_align = 8) buffer I64Ref { int64_t v[]; };
#endif

#ifdef WIDE
bool nanBitsDouble(double x) {
    uvec2 words = unpackDouble2x32(x);
    return (words.y & 0x7FFFFFFFu) > 0x7FF00000u || ((words.y & 0x7FFFFFFFu) == 0x7FF00000u && words.x != 0u);
}
#endif

bool isFloatType(int dtype) { return dtype == DT_F32 || dtype == DT_F16 || dtype == DT_BF16; }

bool nanBits(float x) { return (floatBitsToUint(x) & 0x7FFFFFFFu) > 0x7F800000u; }

float halfToFloat(uint h) {
    uint sign = (h & 0x8000u) << 16;
    uint exponent = (h >> 10) & 0x1Fu;
    uint fraction = h & 0x3FFu;
    if (exponent == 0x1Fu) return uintBitsToFloat(sign | 0x7F800000u | (fraction << 13));
    if (exponent == 0u) {
        float magnitude = float(fraction) * uintBitsToFloat(0x33800000u);  // fraction · 2^-24
        return sign != 0u ? -magnitude : magnitude;
    }
    return uintBitsToFloat(sign | ((exponent + 112u) << 23) | (fraction << 13));
}

// Round to nearest even, NaN stays a quiet NaN, overflow is infinity.
uint floatToHalf(float value) {
    uint bits = floatBitsToUint(value);
    uint sign = (bits >> 16) & 0x8000u;
    uint magnitude = bits & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u) return sign | 0x7E00u;
    if (magnitude >= 0x47800000u) return sign | 0x7C00u;  // ≥ 65536: infinity (also from 65520 up, below)
    if (magnitude < 0x38800000u) {                           // subnormal half or zero
        uint exponent = magnitude >> 23;
        if (exponent < 102u) return sign;                    // below half the smallest subnormal
        uint mantissa = (magnitude & 0x7FFFFFu) | 0x800000u;
        uint shift = 126u - exponent;                        // 14..24
        uint result = mantissa >> shift;
        uint rest = mantissa & ((1u << shift) - 1u);
        uint halfway = 1u << (shift - 1u);
        if (rest > halfway || (rest == halfway && (result & 1u) == 1u)) result += 1u;
        return sign | result;
    }
    uint rounded = magnitude + 0xFFFu + ((magnitude >> 13) & 1u);
    uint halfBits = (rounded >> 13) - (112u << 10);
    return sign | min(halfBits, 0x7C00u);
}

float bfloat16ToFloat(uint b) { return uintBitsToFloat(b << 16); }

uint floatToBfloat16(float value) {
    uint bits = floatBitsToUint(value);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return ((bits >> 16) & 0x8000u) | 0x7FC0u;
    return (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
}

// Loads as float (float32, float16, bfloat16).
float loadFloat(int dtype, uvec2 base, int i) {
    if (dtype == DT_F32) return F32Ref(base).v[i];
    if (dtype == DT_F16) return halfToFloat(uint(U16Ref(base).v[i]));
    return bfloat16ToFloat(uint(U16Ref(base).v[i]));
}

void storeFloat(int dtype, uvec2 base, int i, float value) {
    if (dtype == DT_F32) F32Ref(base).v[i] = value;
    else if (dtype == DT_F16) U16Ref(base).v[i] = uint16_t(floatToHalf(value));
    else U16Ref(base).v[i] = uint16_t(floatToBfloat16(value));
}

// Loads as int (int32; uint8 zero-extended; bool as 0 or 1).
int loadInt(int dtype, uvec2 base, int i) {
    if (dtype == DT_I32) return I32Ref(base).v[i];
    uint byte = uint(U8Ref(base).v[i]);
    return dtype == DT_BOOL ? (byte != 0u ? 1 : 0) : int(byte);
}

void storeInt(int dtype, uvec2 base, int i, int value) {
    if (dtype == DT_I32) I32Ref(base).v[i] = value;
    else if (dtype == DT_BOOL) U8Ref(base).v[i] = uint8_t(value != 0 ? 1u : 0u);
    else U8Ref(base).v[i] = uint8_t(uint(value) & 0xFFu);
}

void storeBool(uvec2 base, int i, bool value) { U8Ref(base).v[i] = uint8_t(value ? 1u : 0u); }

// Element i of a 4-dimensional walk (shape padded with leading 1s): its offset along strides.
int stridedOffset(uint i, uvec4 shape, ivec4 strides) {
    uint c3 = i % shape.w; i /= shape.w;
    uint c2 = i % shape.z; i /= shape.z;
    uint c1 = i % shape.y; uint c0 = i / shape.y;
    return int(c0) * strides.x + int(c1) * strides.y + int(c2) * strides.z + int(c3) * strides.w;
}

// The flat index of this invocation and the total count of invocations (2-D dispatches) for
// workgroups of `groupSize`. Shaders pass their own specialization constant: some drivers
// (Mesa 22 lavapipe) leave gl_WorkGroupSize at its default when local_size_x_id sets it.
uint invocationIndex(uint groupSize) {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    return group * groupSize + gl_LocalInvocationID.x;
}
uint invocationCount(uint groupSize) { return gl_NumWorkGroups.x * gl_NumWorkGroups.y * groupSize; }
