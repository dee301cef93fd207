/// `cublasGemmEx` and the pointer-array batched GEMMs.
enum CublasGemmEx {
    /// `cudaDataType_t` values DeviceShim computes with.
    static func dtype(_ type: Int32) -> DType? {
        switch type {
        case 0: .float32  // CUDA_R_32F
        case 1: .float64  // CUDA_R_64F
        case 2: .float16  // CUDA_R_16F
        case 14: .bfloat16  // CUDA_R_16BF
        default: nil
        }
    }

    /// The precision `cublasComputeType_t` asks for: `CUBLAS_COMPUTE_32F` (68) and its pedantic
    /// (69) and fast (74, 75, 77) forms compute in float32 — DeviceShim never down-converts —
    /// and `CUBLAS_COMPUTE_64F` (70, 71) in float64; also the pre-CUDA 11 `CUDA_R_32F` (0) and
    /// `CUDA_R_64F` (1).
    static func computeType(_ type: Int32) -> DType? {
        switch type {
        case 0, 68, 69, 74, 75, 77: .float32
        case 1, 70, 71: .float64
        default: nil
        }
    }

    /// Runs the GEMM in `compute` precision: operands of another dtype are converted into
    /// dense scratch matrices first, and C converted back after.
    static func run(_ shape: GemmShape, alpha: UnsafeRawPointer?, beta: UnsafeRawPointer?,
                    a: (UnsafeRawPointer?, DType), b: (UnsafeRawPointer?, DType), c: (UnsafeRawPointer?, DType),
                    compute: DType, handle: CublasHandle, stream: CudaStream) throws(CublasStatus) {
        guard a.1 == b.1, [a.1, c.1].allSatisfy({ compute == .float64 ? $0 == .float64 : $0 != .float64 }) else {
            throw .notSupported
        }
        if a.1 == compute && c.1 == compute {
            return try CublasGemm.enqueue(shape, compute, alpha: alpha, beta: beta, .init(a: a.0, b: b.0, c: c.0),
                                          handle: handle, stream: stream)
        }
        guard shape.m > 0, shape.n > 0 else {
            return try CublasGemm.enqueue(shape, compute, alpha: alpha, beta: beta, .init(a: nil, b: nil, c: nil), handle: handle, stream: stream)
        }
        let converted = Converter(handle: handle, stream: stream, compute: compute)
        var made: [Converter.Scratch] = []  // freed after all the work, also when a step fails
        defer { converted.freeAfterWork(made) }
        let scratchA = try converted.toCompute(a, rows: shape.aStored.rows, columns: shape.aStored.columns, ld: shape.lda)
        made.append(scratchA)
        let scratchB = try converted.toCompute(b, rows: shape.bStored.rows, columns: shape.bStored.columns, ld: shape.ldb)
        made.append(scratchB)
        let scratchC = try converted.toCompute(c, rows: shape.m, columns: shape.n, ld: shape.ldc)
        made.append(scratchC)
        let dense = try GemmShape(shape.transposeA ? 1 : 0, shape.transposeB ? 1 : 0, Int32(shape.m), Int32(shape.n), Int32(shape.k),
                                  Int32(max(1, shape.aStored.rows)), Int32(max(1, shape.bStored.rows)), Int32(shape.m))
        try CublasGemm.enqueue(dense, compute, alpha: alpha, beta: beta, .init(a: scratchA.address, b: scratchB.address, c: scratchC.address),
                               handle: handle, stream: stream)
        try converted.back(scratchC, to: c, rows: shape.m, columns: shape.n, ld: shape.ldc)
    }

    /// Converts column-major matrices between the program's dtype and the compute dtype,
    /// through scratch device memory that DeviceShim allocates like `cudaMalloc` (so it has an
    /// address GEMM can take) and frees once the stream's work is done.
    struct Converter {
        let handle: CublasHandle, stream: CudaStream, compute: DType

        struct Scratch {
            let address: UnsafeRawPointer
            let operand: StridedOperand
        }

        func toCompute(_ matrix: (UnsafeRawPointer?, DType), rows: Int, columns: Int, ld: Int) throws(CublasStatus) -> Scratch {
            let memory = CudaCall.runtime.memory
            let address = try CublasCall.runtime { () throws(CudaError) in
                try memory.allocateDevice(max(rows * columns, 1) * compute.byteSize, on: handle.resolution.device)
            }
            let pointer = UnsafeRawPointer(bitPattern: address)!
            let (buffer, offset) = try CublasOperands.elements(pointer, compute, count: rows * columns)
            let dense = StridedOperand(buffer, dtype: compute, offset: offset, shape: [columns, rows])
            try convert(from: strided(matrix, rows: rows, columns: columns, ld: ld), to: dense)
            return Scratch(address: pointer, operand: dense)
        }

        func back(_ scratch: Scratch, to matrix: (UnsafeRawPointer?, DType), rows: Int, columns: Int, ld: Int) throws(CublasStatus) {
            try convert(from: scratch.operand, to: strided(matrix, rows: rows, columns: columns, ld: ld))
        }

        private func strided(_ matrix: (UnsafeRawPointer?, DType), rows: Int, columns: Int, ld: Int) throws(CublasStatus) -> StridedOperand {
            let (buffer, offset) = try CublasOperands.elements(matrix.0, matrix.1, count: rows > 0 && columns > 0 ? (columns - 1) * ld + rows : 0)
            return StridedOperand(buffer, dtype: matrix.1, offset: offset, shape: [columns, rows], strides: [ld, 1])
        }

        private func convert(from input: StridedOperand, to output: StridedOperand) throws(CublasStatus) {
            try CublasCall.runtime { () throws(CudaError) in
                try stream.enqueue { queue throws(DeviceError) in try queue.convert(input: input, output: output) }
            }
        }

        /// Returns the scratch blocks once the work queued so far (the whole GEMM, which uses
        /// them) is done; not before, or a later scratch allocation could reuse one meanwhile.
        func freeAfterWork(_ blocks: [Scratch]) {
            let addresses = blocks.map { UInt(bitPattern: $0.address) }
            _ = try? stream.enqueue { queue throws(DeviceError) in
                try queue.enqueueHostCallback { for address in addresses { try? CudaCall.runtime.memory.freeDevice(address) } }
            }
        }
    }

    /// The `count` pointers of a batched GEMM's array, which cuBLAS keeps in device memory
    /// (read once the stream's earlier work is done); a host array is read directly.
    static func pointers(_ array: UnsafeRawPointer?, count: Int, stream: CudaStream) throws(CublasStatus) -> [UnsafeRawPointer?] {
        guard let array else { throw .invalidValue }
        let place = try CublasCall.runtime { () throws(CudaError) in try MemoryPlace.of(array) }
        guard place.isDevice else { return (0..<count).map { array.load(fromByteOffset: $0 * 8, as: UnsafeRawPointer?.self) } }
        let host = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: max(count, 1))
        defer { host.deallocate() }
        _ = try CublasCall.runtime { () throws(CudaError) in
            try MemoryTransfers.copy(to: host, from: array, count: count * 8, kind: CopyKind.deviceToHost.rawValue, on: stream, waits: true)
        }
        return Array(UnsafeBufferPointer(start: host, count: count))
    }
}
