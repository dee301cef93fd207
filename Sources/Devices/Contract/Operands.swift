/// A byte range of a device buffer.
public struct BufferRegion: Sendable {
    public var buffer: any DeviceBuffer
    public var offset: Int
    public var byteCount: Int

    public init(_ buffer: any DeviceBuffer, offset: Int = 0, byteCount: Int? = nil) {
        self.buffer = buffer
        self.offset = offset
        self.byteCount = byteCount ?? (buffer.byteCount - offset)
    }

    /// Throws unless the region lies inside its buffer.
    public func validated() throws(DeviceError) -> BufferRegion {
        guard offset >= 0, byteCount >= 0, offset <= buffer.byteCount, byteCount <= buffer.byteCount - offset else {
            throw boundsError
        }
        return self
    }

    /// What `validated` throws for a region outside its buffer.
    public var boundsError: DeviceError {
        .invalidArgument("bytes \(offset)..<\(offset + byteCount) lie outside a \(buffer.byteCount)-byte buffer")
    }
}

/// A strided view of elements in a buffer: element (i0, i1, …) lives at element offset
/// `offset + Σ ik·strides[k]`. Broadcasting is a stride of 0. Offsets and strides count
/// elements of `dtype`, not bytes; strides may be negative.
public struct StridedOperand: Sendable {
    public var buffer: any DeviceBuffer
    public var dtype: DType
    public var offset: Int
    public var shape: [Int]
    public var strides: [Int]

    public init(_ buffer: any DeviceBuffer, dtype: DType, offset: Int = 0, shape: [Int], strides: [Int]? = nil) {
        self.buffer = buffer
        self.dtype = dtype
        self.offset = offset
        self.shape = shape
        self.strides = strides ?? StridedOperand.contiguousStrides(for: shape)
    }

    public var elementCount: Int { shape.reduce(1, *) }

    /// Row-major (C order) strides for `shape`.
    public static func contiguousStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            strides[axis] = step
            step *= max(shape[axis], 1)
        }
        return strides
    }

    /// Whether the elements are dense in row-major order (so kernels may treat them as 1-D).
    public var isContiguous: Bool {
        // No elements: nothing to lay out (as `torch.Tensor.is_contiguous` answers), whatever
        // the strides (`contiguousStrides` gives a dimension of 0 a stride as if it were 1).
        guard !shape.contains(0) else { return true }
        var expected = 1
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Throws unless shape and strides agree and every element lies inside the buffer.
    public func checkBounds() throws(DeviceError) {
        guard shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument("shape \(shape) and strides \(strides) do not match")
        }
        guard elementCount > 0 else { return }
        var lowest = offset, highest = offset
        for (size, stride) in zip(shape, strides) {
            if stride > 0 { highest += (size - 1) * stride } else { lowest += (size - 1) * stride }
        }
        guard lowest >= 0, (highest + 1) * dtype.byteSize <= buffer.byteCount else {
            throw .invalidArgument("\(dtype) elements \(lowest)...\(highest) lie outside a \(buffer.byteCount)-byte buffer")
        }
    }
}

/// One matrix of a GEMM, column-major as in BLAS and cuBLAS: element (row, column) of
/// batch b lives at element `offset + b·batchStride + row + column·leadingDimension`.
public struct MatrixOperand: Sendable {
    public var buffer: any DeviceBuffer
    public var offset: Int
    public var leadingDimension: Int
    public var batchStride: Int

    public init(_ buffer: any DeviceBuffer, offset: Int = 0, leadingDimension: Int, batchStride: Int = 0) {
        self.buffer = buffer
        self.offset = offset
        self.leadingDimension = leadingDimension
        self.batchStride = batchStride
    }
}

/// `C = alpha · op(A) · op(B) + beta · C` for `batchCount` matrices, column-major, where
/// op(A) is m×k, op(B) is k×n and C is m×n. With `beta == 0`, C is not read (NaN in C does
/// not propagate), as in BLAS.
public struct GemmOperation: Sendable {
    public var dtype: DType
    public var transposeA: Bool
    public var transposeB: Bool
    public var m: Int, n: Int, k: Int
    public var alpha: Double
    public var beta: Double
    public var a: MatrixOperand
    public var b: MatrixOperand
    public var c: MatrixOperand
    public var batchCount: Int

    public init(
        dtype: DType, transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Double = 1, beta: Double = 0, a: MatrixOperand, b: MatrixOperand, c: MatrixOperand, batchCount: Int = 1
    ) {
        self.dtype = dtype
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.m = m
        self.n = n
        self.k = k
        self.alpha = alpha
        self.beta = beta
        self.a = a
        self.b = b
        self.c = c
        self.batchCount = batchCount
    }
}

/// A byte pattern repeated over a region (1, 2, 4 or 8 bytes, little-endian), as
/// `cudaMemset` (1 byte) and tensor fills (one element) need.
public struct FillPattern: Sendable, Hashable {
    public let bytes: [UInt8]

    public init(byte: UInt8) { bytes = [byte] }

    /// The bytes of one element of a trivial type, e.g. `FillPattern(element: Float(1))`.
    public init<Element: BitwiseCopyable>(element: Element) {
        bytes = withUnsafeBytes(of: element) { Array($0) }
    }
}

/// A host address handed to other threads: to queued work (which keeps its buffer alive, or
/// whose host memory the caller keeps valid until it completes), to host callbacks, and to
/// the parts of a parallel copy or fill (each touching its own bytes). Whoever makes one
/// vouches for that; the type only lets the pointer cross threads.
public struct HostAddress: @unchecked Sendable {
    public let pointer: UnsafeMutableRawPointer

    public init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
    public init(_ pointer: UnsafeRawPointer) { self.pointer = UnsafeMutableRawPointer(mutating: pointer) }
}
