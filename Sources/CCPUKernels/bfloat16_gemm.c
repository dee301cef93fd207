// bfloat16 GEMMs on the calling thread with AVX512-BF16 (see bfloat16_gemm.h).
#include "bfloat16_gemm.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

// Every function that touches a vector is built for AVX512-BF16 (with the AVX-512F/BW/VL
// it implies on every CPU that has it) and inlined into the batch loop.
#define BF16_INLINE static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vl,avx512bf16")))
#define INLINE static inline __attribute__((always_inline))
#define UNROLLED _Pragma("clang loop unroll(full)")

enum {
    LANES = 16,          // float32 sums in a vector; pairs of bfloat16 in one
    WIDE_VECTORS = 4,    // a wide panel's rows: 64
    NARROW_VECTORS = 1,  // a narrow panel's rows (the last rows of C): 16
    COLUMNS = 6,         // columns of C in one register tile
};

// An operand as its op() sees it: element (row, column) is at base[row·row_step + column·column_step].
struct operand {
    const uint16_t *base;
    ptrdiff_t row_step, column_step;
};

// Where a tile reads op(B)'s pairs: pair (q, j) of its six columns is the 32 bits at
// base + q·q_step + j·column_step (steps in bfloat16 elements). A column of B itself, when
// its k elements are contiguous and k is even (each pair already lies in order); else a strip.
struct pair_source {
    const uint16_t *base;
    ptrdiff_t q_step, column_step;
};

// One GEMM's shape and scalars; the matrices' addresses change per batch.
struct problem {
    int m, k, pairs;  // pairs: k / 2 rounded up
    float alpha, beta;
    int ldc;
};

// x[0] in the low 16 bits and x[step] in the high 16, or zero there when `second` is false
// (past an odd k).
INLINE uint32_t pair(const uint16_t *x, ptrdiff_t step, int second) {
    return x[0] | (second ? (uint32_t)x[step] << 16 : 0);
}

// Packs rows row0 ..< row0 + rows of op(A): entry (q, r) of `panel`, at q·height + r, holds
// A[row0 + r, 2q] and A[row0 + r, 2q + 1]; rows past `rows` are zero.
INLINE void pack_panel(struct operand a, int row0, int rows, int height, int k, uint32_t *panel) {
    for (int q = 0; 2 * q < k; q++) {
        uint32_t *out = panel + (ptrdiff_t)q * height;
        const uint16_t *first = a.base + row0 * a.row_step + 2 * q * a.column_step;
        int second = 2 * q + 1 < k;
        if (a.row_step == 1 && second) {
            // A's columns are contiguous: a loop the compiler vectorises.
            const uint16_t *next = first + a.column_step;
            for (int r = 0; r < rows; r++) out[r] = first[r] | (uint32_t)next[r] << 16;
        } else {
            for (int r = 0; r < rows; r++) out[r] = pair(first + r * a.row_step, a.column_step, second);
        }
        if (rows < height) memset(out + rows, 0, (size_t)(height - rows) * sizeof(uint32_t));
    }
}

// Packs op(B)'s columns begin ..< end into strips of COLUMNS: strip t's entry (q, j), at
// (t·pairs + q)·COLUMNS + j, holds B[2q, c] and B[2q + 1, c] for c = begin + t·COLUMNS + j,
// zero past `end`.
INLINE void pack_strips(struct operand b, int begin, int end, int k, uint32_t *strips) {
    for (int col0 = begin; col0 < end; col0 += COLUMNS) {
        for (int q = 0; 2 * q < k; q++) {
            for (int j = 0; j < COLUMNS; j++) {
                int column = col0 + j;
                *strips++ = column < end ? pair(b.base + 2 * q * b.row_step + column * b.column_step, b.row_step,
                                                2 * q + 1 < k)
                                         : 0;
            }
        }
    }
}

// `count` (1 ... 16) bfloat16 at `out` become `product` + beta · their old values, rounded to
// nearest even (NaN kept quiet, as the Swift `BFloat16` rounds); the old values are not read
// when beta is 0.
BF16_INLINE void store(const struct problem *g, __m512 product, uint16_t *out, int count) {
    __mmask16 lanes = count >= LANES ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
    __m512 value = product;
    if (g->beta != 0) {
        __m512i old = _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(lanes, out)), 16);
        value = _mm512_fmadd_ps(_mm512_set1_ps(g->beta), _mm512_castsi512_ps(old), product);
    }
    // Adding 0x7FFF plus the lowest kept bit, then truncating, rounds half to even.
    __m512i bits = _mm512_castps_si512(value);
    __m512i high = _mm512_srli_epi32(bits, 16);
    __m512i bias = _mm512_add_epi32(_mm512_and_si512(high, _mm512_set1_epi32(1)), _mm512_set1_epi32(0x7FFF));
    __m512i rounded = _mm512_srli_epi32(_mm512_add_epi32(bits, bias), 16);
    __mmask16 nan = _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
    rounded = _mm512_mask_mov_epi32(rounded, nan, _mm512_or_si512(high, _mm512_set1_epi32(0x40)));
    _mm256_mask_storeu_epi16(out, lanes, _mm512_cvtepi32_epi16(rounded));
}

// One register tile: rows row0 ..< row0 + rows and columns col0 ..< col0 + columns of C (`c`
// points at (row0, col0)), from a panel of `vectors` · 16 rows and six columns' pairs of B.
BF16_INLINE void tile(int vectors, const struct problem *g, const uint32_t *panel, struct pair_source b,
                      uint16_t *c, int rows, int columns) {
    __m512 sums[WIDE_VECTORS][COLUMNS];
    UNROLLED for (int v = 0; v < vectors; v++) {
        UNROLLED for (int j = 0; j < COLUMNS; j++) sums[v][j] = _mm512_setzero_ps();
    }
    for (int q = 0; q < g->pairs; q++) {
        __m512bh x[WIDE_VECTORS];
        for (int v = 0; v < vectors; v++) {
            x[v] = (__m512bh)_mm512_loadu_si512(panel + ((ptrdiff_t)q * vectors + v) * LANES);
        }
        for (int j = 0; j < COLUMNS; j++) {
            int pair;
            memcpy(&pair, b.base + q * b.q_step + j * b.column_step, sizeof pair);
            __m512bh y = (__m512bh)_mm512_set1_epi32(pair);
            for (int v = 0; v < vectors; v++) sums[v][j] = _mm512_dpbf16_ps(sums[v][j], x[v], y);
        }
    }
    // Constant bounds, unrolled, so the sums stay in registers: otherwise the compiler kept
    // them in memory, zeroed with memset for every tile.
    __m512 alpha = _mm512_set1_ps(g->alpha);
    UNROLLED for (int j = 0; j < COLUMNS; j++) {
        UNROLLED for (int v = 0; v < vectors; v++) {
            if (j >= columns || v * LANES >= rows) continue;
            store(g, _mm512_mul_ps(alpha, sums[v][j]), c + (ptrdiff_t)j * g->ldc + v * LANES, rows - v * LANES);
        }
    }
}

// Columns begin ..< end of C become beta · C (alpha or k is 0: A·B does not contribute).
BF16_INLINE void scale(const struct problem *g, uint16_t *c, int begin, int end) {
    for (int j = begin; j < end; j++) {
        for (int row = 0; row < g->m; row += LANES) {
            store(g, _mm512_setzero_ps(), c + (ptrdiff_t)j * g->ldc + row, g->m - row);
        }
    }
}

// Columns begin ..< end of one GEMM. `panel` holds 64 rows of pairs; `strips` the pairs of
// every column, or with `direct`, of the last columns only when fewer than six (the others
// are read from B).
BF16_INLINE void gemm(const struct problem *g, struct operand a, struct operand b, int direct, uint16_t *c, int begin,
                      int end, const uint32_t *strips, uint32_t *panel) {
    for (int row0 = 0, height; row0 < g->m; row0 += height) {
        // The last rows (under 64) take 16-row panels, so at most 15 padding rows are computed.
        int vectors = g->m - row0 >= WIDE_VECTORS * LANES ? WIDE_VECTORS : NARROW_VECTORS;
        height = vectors * LANES;
        int rows = g->m - row0 < height ? g->m - row0 : height;
        pack_panel(a, row0, rows, height, g->k, panel);
        for (int col0 = begin; col0 < end; col0 += COLUMNS) {
            int columns = end - col0 < COLUMNS ? end - col0 : COLUMNS;
            struct pair_source source = {b.base + col0 * b.column_step, 2, b.column_step};
            if (!direct || columns < COLUMNS) {
                const uint32_t *strip = direct ? strips : strips + (ptrdiff_t)(col0 - begin) * g->pairs;
                source = (struct pair_source){(const uint16_t *)strip, 2 * COLUMNS, 2};
            }
            uint16_t *out = c + row0 + (ptrdiff_t)col0 * g->ldc;
            // A constant `vectors` in each call, so each inlined tile keeps its sums in registers.
            if (vectors == WIDE_VECTORS) {
                tile(WIDE_VECTORS, g, panel, source, out, rows, columns);
            } else {
                tile(NARROW_VECTORS, g, panel, source, out, rows, columns);
            }
        }
    }
}

int ds_bfloat16_gemm_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
static int run_batches(int transpose_a, int transpose_b, int m, int k, float alpha, const uint16_t *a, int lda,
                       ptrdiff_t a_stride, const uint16_t *b, int ldb, ptrdiff_t b_stride, float beta, uint16_t *c,
                       int ldc, ptrdiff_t c_stride, int batch_count, int begin, int end) {
    struct problem g = {m, k, (k + 1) / 2, alpha, beta, ldc};
    int strip_count = (end - begin + COLUMNS - 1) / COLUMNS;
    size_t pairs = (size_t)(g.pairs > 0 ? g.pairs : 1);
    uint32_t *scratch = malloc((size_t)(WIDE_VECTORS * LANES + strip_count * COLUMNS) * pairs * sizeof(uint32_t));
    if (!scratch) return -1;
    uint32_t *panel = scratch, *strips = scratch + WIDE_VECTORS * LANES * pairs;
    // B's columns are read in place when they hold whole pairs in order (contiguous, k even).
    int direct = !transpose_b && k % 2 == 0;
    for (int batch = 0; batch < batch_count; batch++) {
        uint16_t *c_b = c + batch * c_stride;
        if (alpha == 0 || k == 0) {
            scale(&g, c_b, begin, end);
            continue;
        }
        struct operand a_b = {a + batch * a_stride, transpose_a ? lda : 1, transpose_a ? 1 : lda};
        struct operand b_b = {b + batch * b_stride, transpose_b ? ldb : 1, transpose_b ? 1 : ldb};
        // B shared by every batch (stride 0) is packed once.
        if (batch == 0 || b_stride != 0) {
            pack_strips(b_b, direct ? end - (end - begin) % COLUMNS : begin, end, k, strips);
        }
        gemm(&g, a_b, b_b, direct, c_b, begin, end, strips, panel);
    }
    free(scratch);
    return 0;
}

int ds_bfloat16_gemm_batch(int transpose_a, int transpose_b, int m, int k, float alpha, const uint16_t *a,
                           int lda, ptrdiff_t a_stride, const uint16_t *b, int ldb, ptrdiff_t b_stride, float beta,
                           uint16_t *c, int ldc, ptrdiff_t c_stride, int batch_count, int column_begin,
                           int column_end) {
    static int supported = -1;  // asked once; every thread finds the same answer
    if (__atomic_load_n(&supported, __ATOMIC_RELAXED) < 0) {
        __atomic_store_n(&supported, ds_bfloat16_gemm_supported(), __ATOMIC_RELAXED);
    }
    if (!__atomic_load_n(&supported, __ATOMIC_RELAXED)) return -2;
    return run_batches(transpose_a, transpose_b, m, k, alpha, a, lda, a_stride, b, ldb, b_stride, beta, c, ldc,
                       c_stride, batch_count, column_begin, column_end);
}

#else  // not x86-64: no AVX512-BF16

int ds_bfloat16_gemm_supported(void) { return 0; }

int ds_bfloat16_gemm_batch(int transpose_a, int transpose_b, int m, int k, float alpha, const uint16_t *a,
                           int lda, ptrdiff_t a_stride, const uint16_t *b, int ldb, ptrdiff_t b_stride, float beta,
                           uint16_t *c, int ldc, ptrdiff_t c_stride, int batch_count, int column_begin,
                           int column_end) {
    return -2;
}

#endif
