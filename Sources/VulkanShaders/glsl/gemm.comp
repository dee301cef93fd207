#version 460
// C = alpha·op(A)·op(B) + beta·C, column-major, one batch per gl_WorkGroupID.z. A workgroup
// of TILE_X × TILE_Y invocations computes a (TILE_X·WM) × (TILE_Y·WN) block of C, staging
// BK-deep slices of op(A) and op(B) in shared memory; tile sizes are specialization
// constants. With beta == 0 (flag bit 2) C is not read. -DDOUBLE builds the float64 variant;
// -DHALF / -DBFLOAT the float16 / bfloat16 ones (float32 arithmetic, C rounded once, half to even).
#include "common.glsl"

#ifdef DOUBLE
#extension GL_EXT_shader_explicit_arithmetic_types_float64 : require
#define T double
#define LOAD(address, i) F64Ref(address).v[i]
#define STORE(address, i, value) F64Ref(address).v[i] = value
#elif defined(HALF)
#define T float
#define LOAD(address, i) halfToFloat(uint(U16Ref(address).v[i]))
#define STORE(address, i, value) U16Ref(address).v[i] = uint16_t(floatToHalf(value))
#elif defined(BFLOAT)
#define T float
#define LOAD(address, i) bfloat16ToFloat(uint(U16Ref(address).v[i]))
#define STORE(address, i, value) U16Ref(address).v[i] = uint16_t(floatToBfloat16(value))
#else
#define T float
#define LOAD(address, i) F32Ref(address).v[i]
#define STORE(address, i, value) F32Ref(address).v[i] = value
#endif

layout(local_size_x_id = 0, local_size_y_id = 1) in;
layout(constant_id = 0) const uint TILE_X = 16;
layout(constant_id = 1) const uint TILE_Y = 16;
layout(constant_id = 2) const uint WM = 4;
layout(constant_id = 3) const uint WN = 4;
layout(constant_id = 4) const uint BK = 16;

layout(push_constant) uniform Operands {
    uvec2 a;
    uvec2 b;
    uvec2 c;
    int m, n, k;
    int lda, ldb, ldc;
    int strideA, strideB, strideC;
    int flags;
    int offsetA, offsetB, offsetC;
    int padding;
    T alpha;
    T beta;
} p;

const uint BM = TILE_X * WM;
const uint BN = TILE_Y * WN;
const uint THREADS = TILE_X * TILE_Y;

shared T tileA[BK * BM];  // [l][i]
shared T tileB[BK * BN];  // [l][j]

void main() {
    bool transposeA = (p.flags & 1) != 0, transposeB = (p.flags & 2) != 0, betaZero = (p.flags & 4) != 0;
    int batch = int(gl_WorkGroupID.z);
    int baseA = p.offsetA + batch * p.strideA, baseB = p.offsetB + batch * p.strideB, baseC = p.offsetC + batch * p.strideC;
    int row0 = int(gl_WorkGroupID.x * BM), column0 = int(gl_WorkGroupID.y * BN);
    uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
    uint thread = ty * TILE_X + tx;

    T sums[WM * WN];
    for (uint q = 0u; q < WM * WN; q++) sums[q] = T(0);

    for (int l0 = 0; l0 < p.k; l0 += int(BK)) {
        // Stage op(A)[row0.., l0..] and op(B)[l0.., column0..], reading along contiguous memory.
        for (uint e = thread; e < BK * BM; e += THREADS) {
            uint i = transposeA ? e / BK : e % BM, l = transposeA ? e % BK : e / BM;
            int row = row0 + int(i), depth = l0 + int(l);
            T value = T(0);
            if (row < p.m && depth < p.k) value = LOAD(p.a, baseA + (transposeA ? depth + row * p.lda : row + depth * p.lda));
            tileA[l * BM + i] = value;
        }
        for (uint e = thread; e < BK * BN; e += THREADS) {
            uint j = transposeB ? e % BN : e / BK, l = transposeB ? e / BN : e % BK;
            int column = column0 + int(j), depth = l0 + int(l);
            T value = T(0);
            if (column < p.n && depth < p.k) value = LOAD(p.b, baseB + (transposeB ? column + depth * p.ldb : depth + column * p.ldb));
            tileB[l * BN + j] = value;
        }
        barrier();
        for (uint l = 0u; l < BK; l++) {
            T aValues[WM];
            for (uint r = 0u; r < WM; r++) aValues[r] = tileA[l * BM + tx + r * TILE_X];
            for (uint s = 0u; s < WN; s++) {
                T bValue = tileB[l * BN + ty + s * TILE_Y];
                for (uint r = 0u; r < WM; r++) sums[s * WM + r] += aValues[r] * bValue;
            }
        }
        barrier();
    }

    for (uint s = 0u; s < WN; s++) {
        int column = column0 + int(ty + s * TILE_Y);
        if (column >= p.n) continue;
        for (uint r = 0u; r < WM; r++) {
            int row = row0 + int(tx + r * TILE_X);
            if (row >= p.m) continue;
            int index = baseC + row + column * p.ldc;
            T result = p.alpha * sums[s * WM + r];
            if (!betaZero) result += p.beta * LOAD(p.c, index);
            STORE(p.c, index, result);
        }
    }
}
