#if canImport(Glibc)
import Glibc
#endif

/// The GEMM tile of a device: sizes chosen from its work-group limit and local memory.
struct OpenCLGemmTile: Sendable, Hashable, CustomStringConvertible {
    var tileRows: Int
    var tileColumns: Int
    var depth: Int
    var rowsPerItem: Int
    var columnsPerItem: Int
    /// Each work-item's rows are contiguous and held as OpenCL vectors (CPU devices).
    var vectorRows = false

    /// The GPU tiles, largest first.
    static let gpuCandidates = [
        OpenCLGemmTile(tileRows: 64, tileColumns: 64, depth: 16, rowsPerItem: 4, columnsPerItem: 4),
        OpenCLGemmTile(tileRows: 32, tileColumns: 32, depth: 16, rowsPerItem: 4, columnsPerItem: 4),
        OpenCLGemmTile(tileRows: 16, tileColumns: 16, depth: 8, rowsPerItem: 2, columnsPerItem: 2),
    ]

    /// A tile written as its `description`, e.g. "64x32x32_8x4"; nil unless the block per
    /// work-item divides the tile.
    init?(parsing text: String) {
        let numbers = text.split(whereSeparator: { $0 == "x" || $0 == "_" || $0 == "v" }).compactMap { Int($0) }
        guard numbers.count == 5, numbers.allSatisfy({ $0 > 0 }), numbers[0] % numbers[3] == 0, numbers[1] % numbers[4] == 0
        else { return nil }
        let vector = text.hasSuffix("v")
        guard !vector || [2, 4, 8, 16].contains(numbers[3]) else { return nil }
        self.init(tileRows: numbers[0], tileColumns: numbers[1], depth: numbers[2], rowsPerItem: numbers[3],
                  columnsPerItem: numbers[4], vectorRows: vector)
    }

    init(tileRows: Int, tileColumns: Int, depth: Int, rowsPerItem: Int, columnsPerItem: Int, vectorRows: Bool = false) {
        self.tileRows = tileRows
        self.tileColumns = tileColumns
        self.depth = depth
        self.rowsPerItem = rowsPerItem
        self.columnsPerItem = columnsPerItem
        self.vectorRows = vectorRows
    }

    var workGroup: (Int, Int) { (tileRows / rowsPerItem, tileColumns / columnsPerItem) }
    var description: String { "\(tileRows)x\(tileColumns)x\(depth)_\(rowsPerItem)x\(columnsPerItem)\(vectorRows ? "v" : "")" }

    /// The first of a few shapes that fits the device's work-group and local memory limits.
    /// GPUs: 64×64 blocks, 4×4 per work-item (256 items, 16-deep slices), smaller where the
    /// device needs. CPU devices (PoCL) run a work-group as loops on one core: each item's
    /// 16 contiguous rows are one SIMD vector per column, 8 columns, so 64 items cover a
    /// 64×128 block (measured on PoCL with AVX-512: 2–3× CLBlast's SGEMM, see the report).
    static func choose(for limits: OpenCLDeviceLimits, elementSize: Int, isCPU: Bool) -> OpenCLGemmTile {
        let candidates: [OpenCLGemmTile] = isCPU
            ? [OpenCLGemmTile(tileRows: 64, tileColumns: 128, depth: 32, rowsPerItem: 16, columnsPerItem: 8, vectorRows: true),
               OpenCLGemmTile(tileRows: 64, tileColumns: 64, depth: 32, rowsPerItem: 16, columnsPerItem: 4, vectorRows: true),
               OpenCLGemmTile(tileRows: 32, tileColumns: 32, depth: 16, rowsPerItem: 4, columnsPerItem: 4)]
            : gpuCandidates
        for tile in candidates {
            let items = tile.workGroup.0 * tile.workGroup.1
            let local = (tile.tileRows + tile.tileColumns) * tile.depth * elementSize
            if items <= limits.maxWorkGroupSize, local <= limits.localMemoryBytes { return tile }
        }
        return OpenCLGemmTile(tileRows: 1, tileColumns: 1, depth: 1, rowsPerItem: 1, columnsPerItem: 1)
    }
}

extension OpenCLQueue {
    /// The tile used for `dtype`; `DEVICESHIM_OPENCL_GEMM_TILE` ("64x32x32_8x4") overrides it
    /// for tuning.
    func gemmTile(_ dtype: DType) -> OpenCLGemmTile {
        if let text = getenv("DEVICESHIM_OPENCL_GEMM_TILE").map({ String(cString: $0) }), let tile = OpenCLGemmTile(parsing: text),
           tile.workGroup.0 * tile.workGroup.1 <= owner.limits.maxWorkGroupSize {
            return tile
        }
        return OpenCLGemmTile.choose(for: owner.limits, elementSize: dtype.byteSize, isCPU: owner.properties.type == .cpu)
    }

    public func gemm(_ operation: GemmOperation) throws(DeviceError) {
        try gemm(operation, tile: gemmTile(operation.dtype))
    }

    /// `gemm` with a given tile (tests run every variant on any device).
    func gemm(_ operation: GemmOperation, tile: OpenCLGemmTile) throws(DeviceError) {
        try requireSupport(.gemm, operation.dtype)
        let (m, n, k, batches) = (operation.m, operation.n, operation.k, operation.batchCount)
        try operation.checkSizes()
        let touched = m > 0 && n > 0 && batches > 0
        let a = try checked("A", operation.a, rows: operation.transposeA ? k : m, columns: operation.transposeA ? m : k,
                            operation: operation, touched: touched && k > 0)
        let b = try checked("B", operation.b, rows: operation.transposeB ? n : k, columns: operation.transposeB ? k : n,
                            operation: operation, touched: touched && k > 0)
        let c = try checked("C", operation.c, rows: m, columns: n, operation: operation, touched: touched)
        guard touched else { return }
        let dtype = operation.dtype
        let fp64 = owner.limits.hasFloat64
        let program = try owner.programs.program("gemm_\(dtype)_\(tile)", device: owner) {
            OpenCLGemmSource.source(dtype, tile: tile, hasFloat64: fp64)
        }
        let scalar: (Double) -> OpenCLKernelArgument = { dtype == .float64 ? .float64($0) : .float32(Float($0)) }
        let int64 = { (value: Int) in OpenCLKernelArgument.int64(Int64(value)) }
        let arguments: [OpenCLKernelArgument] = [
            int64(m), int64(n), int64(k),
            .buffer(a), int64(operation.a.offset), int64(operation.a.leadingDimension), int64(operation.a.batchStride),
            .int32(operation.transposeA ? 1 : 0),
            .buffer(b), int64(operation.b.offset), int64(operation.b.leadingDimension), int64(operation.b.batchStride),
            .int32(operation.transposeB ? 1 : 0),
            .buffer(c), int64(operation.c.offset), int64(operation.c.leadingDimension), int64(operation.c.batchStride),
            scalar(operation.alpha), scalar(operation.beta),
        ]
        let (groupRows, groupColumns) = tile.workGroup
        let global = [(m + tile.tileRows - 1) / tile.tileRows * groupRows,
                      (n + tile.tileColumns - 1) / tile.tileColumns * groupColumns, batches]
        try launch(program, "gemm", arguments, global: global, local: [groupRows, groupColumns, 1])
    }

    /// The matrix's buffer, once every element the GEMM touches is known to lie inside it.
    private func checked(
        _ name: String, _ matrix: MatrixOperand, rows: Int, columns: Int, operation: GemmOperation, touched: Bool
    ) throws(DeviceError) -> OpenCLBuffer {
        let buffer = try OpenCLValidation.buffer(matrix.buffer, role: "gemm matrix \(name)", on: owner)
        let leading = matrix.leadingDimension
        guard leading >= max(1, rows), leading <= Int(Int32.max) else {
            throw .invalidArgument("gemm leading dimension of \(name) is \(leading), it must be at least \(max(1, rows))")
        }
        guard touched else { return buffer }
        let (lastBatch, overflow1) = (operation.batchCount - 1).multipliedReportingOverflow(by: matrix.batchStride)
        let (lastColumn, overflow2) = (columns - 1).multipliedReportingOverflow(by: leading)
        let lowest = matrix.offset &+ min(0, lastBatch)
        let highest = matrix.offset &+ max(0, lastBatch) &+ (rows - 1) &+ lastColumn
        let (endByte, overflow3) = (highest &+ 1).multipliedReportingOverflow(by: operation.dtype.byteSize)
        guard !overflow1, !overflow2, !overflow3, lowest >= 0, endByte <= buffer.byteCount else {
            throw .invalidArgument("gemm matrix \(name) (\(rows)×\(columns), leading dimension \(leading), offset "
                + "\(matrix.offset), batch stride \(matrix.batchStride) × \(operation.batchCount)) lies outside its "
                + "\(buffer.byteCount)-byte buffer")
        }
        return buffer
    }
}
