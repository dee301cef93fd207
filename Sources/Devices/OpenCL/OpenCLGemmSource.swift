/// OpenCL C for GEMM, column-major: a work-group computes a `tileRows × tileColumns` block of
/// C, staging `depth`-deep slices of op(A) and op(B) in local memory; each work-item keeps a
/// `rowsPerItem × columnsPerItem` block of C in registers (rows `tx + r·WX`, columns
/// `ty + c·WY`, so neighbouring work-items read neighbouring local memory) — or, for CPU
/// devices (`vectorRows`), contiguous rows held as one OpenCL vector per column, which the
/// compiler maps onto SIMD registers. Transposes are
/// kernel arguments: they only change how the slices are loaded. With beta == 0, C is
/// written without being read.
enum OpenCLGemmSource {
    static func source(_ dtype: DType, tile: OpenCLGemmTile, hasFloat64: Bool) -> String {
        let type = dtype == .float64 ? "double" : "float"
        return (hasFloat64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "") + """
        #define T \(type)
        #define TM \(tile.tileRows)
        #define TN \(tile.tileColumns)
        #define TK \(tile.depth)
        #define RM \(tile.rowsPerItem)
        #define RN \(tile.columnsPerItem)
        #define WX (TM / RM)
        #define WY (TN / RN)
        #define VECTOR_ROWS \(tile.vectorRows ? 1 : 0)
        #define VT \(type)\(tile.rowsPerItem)
        #define VLOAD vload\(tile.rowsPerItem)
        #define VSTORE vstore\(tile.rowsPerItem)
        __kernel __attribute__((reqd_work_group_size(WX, WY, 1)))
        void gemm(long m, long n, long k,
                  __global const T *A, long offsetA, long lda, long batchA, int transA,
                  __global const T *B, long offsetB, long ldb, long batchB, int transB,
                  __global T *Cm, long offsetC, long ldc, long batchC, T alpha, T beta) {
            __local T As[TK][TM];
            __local T Bs[TK][TN];
            const int tx = get_local_id(0), ty = get_local_id(1);
            const int lid = ty * WX + tx;
            const long row0 = (long)get_group_id(0) * TM, col0 = (long)get_group_id(1) * TN;
            const long batch = get_group_id(2);
            A += offsetA + batch * batchA;
            B += offsetB + batch * batchB;
            Cm += offsetC + batch * batchC;
            #if VECTOR_ROWS
            VT acc[RN];
            for (int c = 0; c < RN; ++c) acc[c] = (VT)0;
            #else
            T acc[RM][RN];
            for (int r = 0; r < RM; ++r) for (int c = 0; c < RN; ++c) acc[r][c] = 0;
            #endif
            for (long p0 = 0; p0 < k; p0 += TK) {
                for (int l = lid; l < TK * TM; l += WX * WY) {
                    int i = transA ? l / TK : l % TM;
                    int p = transA ? l % TK : l / TM;
                    long gi = row0 + i, gp = p0 + p;
                    As[p][i] = (gi < m && gp < k) ? (transA ? A[gp + gi * lda] : A[gi + gp * lda]) : (T)0;
                }
                for (int l = lid; l < TK * TN; l += WX * WY) {
                    int j = transB ? l % TN : l / TK;
                    int p = transB ? l / TN : l % TK;
                    long gj = col0 + j, gp = p0 + p;
                    Bs[p][j] = (gj < n && gp < k) ? (transB ? B[gj + gp * ldb] : B[gp + gj * ldb]) : (T)0;
                }
                barrier(CLK_LOCAL_MEM_FENCE);
                #if VECTOR_ROWS
                for (int p = 0; p < TK; ++p) {
                    VT a = VLOAD(0, &As[p][tx * RM]);
                    for (int c = 0; c < RN; ++c) acc[c] += a * Bs[p][ty * RN + c];
                }
                #else
                for (int p = 0; p < TK; ++p) {
                    T a[RM], b[RN];
                    for (int r = 0; r < RM; ++r) a[r] = As[p][tx + r * WX];
                    for (int c = 0; c < RN; ++c) b[c] = Bs[p][ty + c * WY];
                    for (int r = 0; r < RM; ++r) for (int c = 0; c < RN; ++c) acc[r][c] += a[r] * b[c];
                }
                #endif
                barrier(CLK_LOCAL_MEM_FENCE);
            }
            for (int c = 0; c < RN; ++c) {
                #if VECTOR_ROWS
                long col = col0 + ty * RN + c;
                T values[RM];
                VSTORE(acc[c], 0, values);
                #else
                long col = col0 + ty + c * WY;
                #endif
                if (col >= n) continue;
                for (int r = 0; r < RM; ++r) {
                    #if VECTOR_ROWS
                    long row = row0 + tx * RM + r;
                    T value = values[r];
                    #else
                    long row = row0 + tx + r * WX;
                    T value = acc[r][c];
                    #endif
                    if (row >= m) continue;
                    __global T *out = Cm + row + col * ldc;
                    *out = beta == 0 ? alpha * value : alpha * value + beta * *out;
                }
            }
        }

        """
    }
}
