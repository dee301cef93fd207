// Small float32 GEMMs on the calling thread (see gemm_kernels.h).
#include "gemm_kernels.h"

#include <stdlib.h>
#include <string.h>

// The batch loop is built for AVX-512F and for baseline x86-64; every helper below is inlined
// into it, so each build has its own copy of the tile.
#if defined(__x86_64__)
#define GEMM_CLONES __attribute__((target_clones("avx512f", "default")))
#else
#define GEMM_CLONES
#endif
#define INLINE static inline __attribute__((always_inline))

// 16 floats; aligned(4) makes every load and store of it unaligned-safe.
typedef float float_vector __attribute__((vector_size(64), aligned(4)));

enum {
    LANES = 16,          // floats in a vector
    WIDE_VECTORS = 4,    // a wide panel's rows: 64
    NARROW_VECTORS = 1,  // a narrow panel's rows (the last rows of C): 16
    COLUMNS = 6,         // columns of C in one register tile
};

// An operand as its op() sees it: element (row, column) is at base[row·row_step + column·column_step].
struct operand {
    const float *base;
    ptrdiff_t row_step, column_step;
};

// One GEMM's shape and scalars; the matrices' addresses change per batch.
struct problem {
    int m, n, k;
    float alpha, beta;
    int ldc;
};

// Copies rows row0 ..< row0 + rows of op(A) into `panel`, whose column p is `height`
// consecutive floats (zero below the last row).
INLINE void pack_panel(struct operand a, int row0, int rows, int height, int k, float *panel) {
    for (int p = 0; p < k; p++) {
        float *column = panel + (ptrdiff_t)p * height;
        const float *source = a.base + row0 * a.row_step + p * a.column_step;
        if (a.row_step == 1) {
            memcpy(column, source, (size_t)rows * sizeof(float));
        } else {
            for (int r = 0; r < rows; r++) column[r] = source[r * a.row_step];
        }
        if (rows < height) memset(column + rows, 0, (size_t)(height - rows) * sizeof(float));
    }
}

// Copies op(B)'s columns col0 ..< col0 + columns into `strip` (row p: COLUMNS consecutive
// floats, zero past the last column), so the tile can read six columns where fewer remain.
INLINE void pack_strip(struct operand b, int col0, int columns, int k, float *strip) {
    for (int p = 0; p < k; p++) {
        for (int j = 0; j < COLUMNS; j++) {
            strip[p * COLUMNS + j] = j < columns ? b.base[p * b.row_step + (col0 + j) * b.column_step] : 0;
        }
    }
}

// One register tile: rows row0 ..< row0 + rows and columns col0 ..< col0 + columns of C, from
// a panel of `vectors` · 16 rows and six columns of B (`b`, whose column 0 is C's col0).
INLINE void tile(int vectors, const struct problem *g, const float *panel, struct operand b, float *c, int rows,
                 int columns) {
    float_vector sums[WIDE_VECTORS][COLUMNS] = {{{0}}};
    const float *column[COLUMNS];
    for (int j = 0; j < COLUMNS; j++) column[j] = b.base + j * b.column_step;
    for (int p = 0; p < g->k; p++) {
        float_vector x[WIDE_VECTORS];
        for (int v = 0; v < vectors; v++) x[v] = *(const float_vector *)(panel + ((ptrdiff_t)p * vectors + v) * LANES);
        for (int j = 0; j < COLUMNS; j++) {
            float y = column[j][p * b.row_step];
            for (int v = 0; v < vectors; v++) sums[v][j] += x[v] * y;
        }
    }
    if (rows == vectors * LANES && columns == COLUMNS) {
        for (int j = 0; j < COLUMNS; j++) {
            for (int v = 0; v < vectors; v++) {
                float_vector *out = (float_vector *)(c + (ptrdiff_t)j * g->ldc + v * LANES);
                *out = g->beta == 0 ? g->alpha * sums[v][j] : g->alpha * sums[v][j] + g->beta * *out;
            }
        }
        return;
    }
    for (int j = 0; j < columns; j++) {
        float values[WIDE_VECTORS * LANES];
        for (int v = 0; v < vectors; v++) memcpy(values + v * LANES, &sums[v][j], sizeof(float_vector));
        float *out = c + (ptrdiff_t)j * g->ldc;
        for (int r = 0; r < rows; r++) out[r] = g->beta == 0 ? g->alpha * values[r] : g->alpha * values[r] + g->beta * out[r];
    }
}

// C = beta · C, without reading C when beta is 0 (alpha or k is 0: A·B does not contribute).
INLINE void scale(const struct problem *g, float *c) {
    for (int j = 0; j < g->n; j++) {
        float *out = c + (ptrdiff_t)j * g->ldc;
        for (int i = 0; i < g->m; i++) out[i] = g->beta == 0 ? 0 : g->beta * out[i];
    }
}

// One GEMM. `scratch` holds a wide panel (64·k floats) and a strip (6·k floats).
INLINE void gemm(const struct problem *g, struct operand a, struct operand b, float *c, float *scratch) {
    if (g->alpha == 0 || g->k == 0) {
        scale(g, c);
        return;
    }
    float *panel = scratch, *strip = scratch + (ptrdiff_t)WIDE_VECTORS * LANES * g->k;
    int whole_columns = g->n - g->n % COLUMNS;
    if (whole_columns < g->n) pack_strip(b, whole_columns, g->n - whole_columns, g->k, strip);
    struct operand strip_operand = {strip, COLUMNS, 1};
    for (int row0 = 0, height; row0 < g->m; row0 += height) {
        // The last rows (under 64) take 16-row panels, so at most 15 padding rows are computed.
        int vectors = g->m - row0 >= WIDE_VECTORS * LANES ? WIDE_VECTORS : NARROW_VECTORS;
        height = vectors * LANES;
        int rows = g->m - row0 < height ? g->m - row0 : height;
        pack_panel(a, row0, rows, height, g->k, panel);
        for (int col0 = 0; col0 < g->n; col0 += COLUMNS) {
            int columns = g->n - col0 < COLUMNS ? g->n - col0 : COLUMNS;
            struct operand columns_of_b = {b.base + col0 * b.column_step, b.row_step, b.column_step};
            if (columns < COLUMNS) columns_of_b = strip_operand;
            float *out = c + row0 + (ptrdiff_t)col0 * g->ldc;
            // A constant `vectors` in each call, so each inlined tile keeps its sums in registers.
            if (vectors == WIDE_VECTORS) {
                tile(WIDE_VECTORS, g, panel, columns_of_b, out, rows, columns);
            } else {
                tile(NARROW_VECTORS, g, panel, columns_of_b, out, rows, columns);
            }
        }
    }
}

int ds_float_gemm_vectorised(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

GEMM_CLONES
int ds_float_gemm_batch(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                        ptrdiff_t a_stride, const float *b, int ldb, ptrdiff_t b_stride, float beta, float *c, int ldc,
                        ptrdiff_t c_stride, int batch_count) {
    size_t scratch_floats = (size_t)(WIDE_VECTORS * LANES + COLUMNS) * (size_t)(k > 0 ? k : 1);
    float *scratch = malloc(scratch_floats * sizeof(float));
    if (!scratch) return -1;
    struct problem g = {m, n, k, alpha, beta, ldc};
    for (int batch = 0; batch < batch_count; batch++) {
        struct operand a_b = {a + batch * a_stride, transpose_a ? lda : 1, transpose_a ? 1 : lda};
        struct operand b_b = {b + batch * b_stride, transpose_b ? ldb : 1, transpose_b ? 1 : ldb};
        gemm(&g, a_b, b_b, c + batch * c_stride, scratch);
    }
    free(scratch);
    return 0;
}
