// Softmax and log-softmax pieces of axis.comp (included after its constants, push constants
// and `partial`), for float32 / float16 / bfloat16 lanes computed in float32.
//
// NaN wins a maximum; `bad` lanes are NaN throughout. The denominator is
// kept as (elements at the maximum, sum of the others' exponentials): with one maximum and a
// small rest, log(1 + rest) comes from a series instead of log of a sum near 1, whose
// rounding would swamp a log-softmax near 0.
float maxNaN(float a, float b) { return (nanBits(a) || a > b) ? a : b; }
bool bad(float maximum) { return nanBits(maximum) || isinf(maximum); }

// exp(x - maximum) of a lane with a finite maximum: exactly 1 at the maximum, 0 at -inf.
float shiftedExp(float shifted) { return shifted == 0.0 ? 1.0 : (isinf(shifted) ? 0.0 : exp(shifted)); }

vec2 denominatorTerm(float x, float maximum) {
    float shifted = x - maximum;
    return shifted == 0.0 ? vec2(1.0, 0.0) : vec2(0.0, shiftedExp(shifted));
}

// log(1 + r) for 0 <= r <= 1: 2·atanh(z), z = r / (2 + r) <= 1/3, to float32 precision.
float log1pSmall(float r) {
    float z = r / (2.0 + r), z2 = z * z;
    float series = 1.0 / 13.0 + z2 / 15.0;
    series = 1.0 / 11.0 + z2 * series;
    series = 1.0 / 9.0 + z2 * series;
    series = 1.0 / 7.0 + z2 * series;
    series = 1.0 / 5.0 + z2 * series;
    series = 1.0 / 3.0 + z2 * series;
    return 2.0 * z * (1.0 + z2 * series);
}

float logDenominator(vec2 d) { return (d.x == 1.0 && d.y <= 1.0) ? log1pSmall(d.y) : log(d.x + d.y); }

void writeSoftmax(int inBase, int outBase, int j, float maximum, vec2 denominator) {
    float shifted = loadFloat(DT, p.inAddress, inBase + j * p.inAxisStride) - maximum;
    float value = OP == A_SOFTMAX ? shiftedExp(shifted) / (denominator.x + denominator.y) : shifted - logDenominator(denominator);
    if (bad(maximum)) value = uintBitsToFloat(0x7FC00000u);
    storeFloat(DT, p.outAddress, outBase + j * p.outAxisStride, value);
}

vec2 combineDenominators(vec2 a, vec2 b, bool takeMaximum) { return takeMaximum ? vec2(maxNaN(a.x, b.x), 0.0) : a + b; }

// `value` combined over the subgroup, in its first invocation.
vec2 subgroupCombine(vec2 value, bool takeMaximum) {
    for (uint delta = gl_SubgroupSize / 2u; delta > 0u; delta /= 2u) {
        vec2 other = subgroupShuffleDown(value, delta);
        if (gl_SubgroupInvocationID + delta < gl_SubgroupSize) value = combineDenominators(value, other, takeMaximum);
    }
    return value;
}

shared vec2 combined;

// The maximum of `value.x` (`takeMaximum`) or the sum of `value` over the workgroup, in
// every invocation: within subgroups, then over the subgroups' results in the first
// subgroup (SUBGROUPS 1), or a shared-memory tree.
vec2 groupCombine(vec2 value, bool takeMaximum) {
    uint local = gl_LocalInvocationID.x;
    barrier();  // every invocation has read the previous result
    if (SUBGROUPS == 1) {
        value = subgroupCombine(value, takeMaximum);
        if (gl_SubgroupInvocationID == 0u) { partial[gl_SubgroupID].f = value.x; partial[gl_SubgroupID].c = value.y; }
        barrier();
        if (gl_SubgroupID == 0u) {
            value = vec2(takeMaximum ? uintBitsToFloat(0xFF800000u) : 0.0, 0.0);
            for (uint k = gl_SubgroupInvocationID; k < gl_NumSubgroups; k += gl_SubgroupSize) {
                value = combineDenominators(value, vec2(partial[k].f, partial[k].c), takeMaximum);
            }
            value = subgroupCombine(value, takeMaximum);
            if (gl_SubgroupInvocationID == 0u) combined = value;
        }
        barrier();
        return combined;
    }
    partial[local].f = value.x;
    partial[local].c = value.y;
    barrier();
    for (uint half_ = GROUP_SIZE / 2u; half_ > 0u; half_ /= 2u) {
        if (local < half_) {
            vec2 a = vec2(partial[local].f, partial[local].c), b = vec2(partial[local + half_].f, partial[local + half_].c);
            vec2 both = combineDenominators(a, b, takeMaximum);
            partial[local].f = both.x;
            partial[local].c = both.y;
        }
        barrier();
    }
    return vec2(partial[0].f, partial[0].c);
}
