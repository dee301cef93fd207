// The CPU backend's transposing copy: the elements of a 2-D strided view copied into
// another 2-D strided view of the same shape, when the input's rows run across its memory
// (`x.t().contiguous()`). Element by element each read would land on a new cache line and
// page; this copies tiles of 16 x 16, so each input cache line read serves up to 16 rows,
// and takes columns in chunks whose pages stay within the TLB's reach (copy_kernels.c).
#ifndef DEVICESHIM_COPY_KERNELS_H
#define DEVICESHIM_COPY_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `output[r·output_row + c·output_column] = input[r·input_row + c·input_column]` for
/// `r < rows`, `c < columns`, on elements of `width` bytes (1, 2, 4 or 8; others copy
/// nothing and return nonzero). Strides are in elements and may be negative; the two views
/// must not overlap. Fastest when `input_row` is 1 (each input column is consecutive).
int ds_copy_transposed(int width, void *output, ptrdiff_t output_row, ptrdiff_t output_column, const void *input,
                       ptrdiff_t input_row, ptrdiff_t input_column, ptrdiff_t rows, ptrdiff_t columns);

#ifdef __cplusplus
}
#endif
#endif
