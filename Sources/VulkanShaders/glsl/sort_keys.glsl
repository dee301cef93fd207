// The argsort and topk shaders' keys (sort_lanes.comp, topk.comp): unsigned integers that
// order as PyTorch compares the elements. Floats by value with every NaN above +inf and -0.0
// equal to 0.0 (float16 and bfloat16 on their own bits, exactly as in float32); integers
// offset so the smallest is key 0; bool bytes nonzero as 1. The includer defines DT, the
// elements' dtype code.

// The ordered key of a float with `sign` as its sign bit (the bits zero-extended to 32) and
// `infinity` as its infinity's magnitude: +0.0's key is `sign`, larger numbers above it,
// smaller below; NaN is the largest key. Integer arithmetic only, so no driver flushes
// subnormals or quiets NaNs on the way.
uint orderedFloatKey(uint bits, uint sign, uint infinity) {
    uint magnitude = bits & (sign - 1u);
    if (magnitude > infinity) return 0xFFFFFFFFu;
    return (bits & sign) != 0u ? sign - magnitude : sign + magnitude;
}

// The key of element `i` of the tensor at `tensor` (of dtype DT), (high word, low word).
uvec2 keyOf(uvec2 tensor, int i) {
    if (DT == DT_F32) return uvec2(0u, orderedFloatKey(uint(I32Ref(tensor).v[i]), 0x80000000u, 0x7F800000u));
    if (DT == DT_F16) return uvec2(0u, orderedFloatKey(uint(U16Ref(tensor).v[i]), 0x8000u, 0x7C00u));
    if (DT == DT_BF16) return uvec2(0u, orderedFloatKey(uint(U16Ref(tensor).v[i]), 0x8000u, 0x7F80u));
    if (DT == DT_I32) return uvec2(0u, uint(I32Ref(tensor).v[i]) ^ 0x80000000u);
    if (DT == DT_U8) return uvec2(0u, uint(U8Ref(tensor).v[i]));
    if (DT == DT_BOOL) return uvec2(0u, uint(U8Ref(tensor).v[i]) != 0u ? 1u : 0u);
    uvec2 words = Words2Ref(tensor).v[i];  // int64 and float64: (low word, high word)
    if (DT == DT_I64) return uvec2(words.y ^ 0x80000000u, words.x);
    // float64 as above in 64 bits: 2^63 ± the magnitude, NaN the largest key.
    uint high = words.y & 0x7FFFFFFFu, low = words.x;
    if (high > 0x7FF00000u || (high == 0x7FF00000u && low != 0u)) return uvec2(0xFFFFFFFFu);
    if ((words.y & 0x80000000u) == 0u) return uvec2(0x80000000u + high, low);
    return uvec2(0x80000000u - high - (low != 0u ? 1u : 0u), 0u - low);
}
