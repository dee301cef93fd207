import Testing
@testable import DeviceShimDevices

/// The first OpenCL compute device the registry found, or nil (tests are then skipped).
enum OpenCLTestDevice {
    static let first: OpenCLDevice? = OpenCLBackend.inventory().entries.lazy.compactMap { $0.compute as? OpenCLDevice }.first
    static var isAvailable: Bool { first != nil }
    static let skipReason: Comment = "no OpenCL device (install an ICD such as PoCL: apt-get install pocl-opencl-icd)"

    static func device() throws -> OpenCLDevice {
        try #require(first, "no OpenCL device")
    }
}

/// The same bytes in a CPU buffer and an OpenCL buffer, so an op run on both can be compared.
struct MirroredBuffer {
    let cpu: CPUBuffer
    let opencl: OpenCLBuffer
    let dtype: DType
    let count: Int

    /// `count` random elements of `dtype` in both buffers.
    init(_ dtype: DType, count: Int, on device: OpenCLDevice, queue: any DeviceQueue, using random: inout SeededGenerator) throws {
        self.dtype = dtype
        self.count = count
        cpu = try #require(try CPUDevice.shared.allocate(byteCount: count * dtype.byteSize) as? CPUBuffer)
        opencl = try #require(try device.allocate(byteCount: count * dtype.byteSize) as? OpenCLBuffer)
        for index in 0..<count {
            TestElements.store(Self.randomValue(dtype, using: &random), as: dtype, at: index, in: cpu)
        }
        try queue.copy(from: UnsafeRawPointer(cpu.baseAddress), to: BufferRegion(opencl))
        try queue.synchronize()
    }

    /// int64 `values` in both buffers.
    init(int64 values: [Int64], on device: OpenCLDevice, queue: any DeviceQueue) throws {
        try self.init(.int64, elements: values, on: device, queue: queue)
    }

    /// `elements` (of a Swift type as wide as `dtype`'s elements, such as its bit pattern)
    /// copied in bulk into both buffers.
    init<Element>(_ dtype: DType, elements: [Element], on device: OpenCLDevice, queue: any DeviceQueue) throws {
        precondition(MemoryLayout<Element>.stride == dtype.byteSize, "\(Element.self) is not as wide as \(dtype)")
        self.dtype = dtype
        count = elements.count
        cpu = try #require(try CPUDevice.shared.allocate(byteCount: count * dtype.byteSize) as? CPUBuffer)
        opencl = try #require(try device.allocate(byteCount: count * dtype.byteSize) as? OpenCLBuffer)
        elements.withUnsafeBytes { cpu.baseAddress.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        try queue.copy(from: UnsafeRawPointer(cpu.baseAddress), to: BufferRegion(opencl))
        try queue.synchronize()
    }

    /// Values every op has a sensible domain for: small numbers, some exact ties, and for
    /// bool bytes other than 0 and 1.
    static func randomValue(_ dtype: DType, using random: inout SeededGenerator) -> Double {
        switch dtype {
        case .bool: return [0, 1, 0, 2, 255][Int.random(in: 0..<5, using: &random)]
        case .uint8: return Double(Int.random(in: 0...255, using: &random))
        case .int32, .int64: return Double(Int.random(in: -40...40, using: &random))
        default:
            if Int.random(in: 0..<8, using: &random) == 0 { return Double(Int.random(in: -3...3, using: &random)) / 2 }
            return Double.random(in: -4...4, using: &random)
        }
    }

    /// The OpenCL buffer's elements, read back into a CPU buffer.
    func openclContents(queue: any DeviceQueue) throws -> CPUBuffer {
        let copy = try #require(try CPUDevice.shared.allocate(byteCount: count * dtype.byteSize) as? CPUBuffer)
        try queue.copy(from: BufferRegion(opencl), to: copy.baseAddress)
        try queue.synchronize()
        return copy
    }

    func cpuOperand(_ view: View) -> StridedOperand {
        StridedOperand(cpu, dtype: dtype, offset: view.offset, shape: view.shape, strides: view.strides)
    }

    func openclOperand(_ view: View) -> StridedOperand {
        StridedOperand(opencl, dtype: dtype, offset: view.offset, shape: view.shape, strides: view.strides)
    }

    /// Expects both buffers to hold the same elements (floats within `tolerance`, relative).
    func expectMatches(queue: any DeviceQueue, tolerance: Double, _ context: String) throws {
        let device = try openclContents(queue: queue)
        var mismatches = 0
        for index in 0..<count {
            let expected = TestElements.load(dtype, at: index, in: cpu)
            let actual = TestElements.load(dtype, at: index, in: device)
            let same = expected == actual || (expected.isNaN && actual.isNaN)
                || (expected.isFinite && (expected - actual).magnitude <= tolerance * max(1, expected.magnitude))
            if !same {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(context): element \(index) is \(actual), the CPU gives \(expected)") }
            }
        }
    }

    /// The relative tolerance for results of `dtype`: a few units in the last place, since
    /// OpenCL's math functions may differ from libm's by some.
    static func tolerance(_ dtype: DType) -> Double {
        switch dtype {
        case .float32: 2e-5
        case .float64: 1e-12
        case .float16: 2e-3
        case .bfloat16: 1.6e-2
        default: 0
        }
    }
}

/// A strided view: shape, element strides and offset (any sign, zero for broadcast).
struct View: CustomStringConvertible {
    var shape: [Int]
    var strides: [Int]
    var offset: Int

    var description: String { "shape \(shape) strides \(strides) offset \(offset)" }

    /// The elements a buffer needs to hold the view: past its furthest element, at least one.
    var extent: Int {
        zip(shape, strides).reduce(offset + 1) { $0 + max($1.0 - 1, 0) * max($1.1, 0) }
    }

    /// Each element's place in the buffer, in row-major order of the shape.
    var elementOffsets: [Int] {
        var offsets = [offset]
        for (size, stride) in zip(shape, strides) {
            var inner: [Int] = []
            inner.reserveCapacity(offsets.count * size)
            for base in offsets {
                for step in 0..<size { inner.append(base + step * stride) }
            }
            offsets = inner
        }
        return offsets
    }

    /// Input views over a 4096-element buffer: rank 0, dense, negative stride, column-major
    /// rank 4, broadcast, negative leading stride, and rank 10 (more than a launch walks).
    static let inputs: [View] = [
        View(shape: [], strides: [], offset: 3),
        View(shape: [37], strides: [1], offset: 5),
        View(shape: [29], strides: [-2], offset: 100),
        View(shape: [2, 3, 4, 5], strides: [1, 2, 6, 24], offset: 10),
        View(shape: [4, 3, 6], strides: [0, 6, 1], offset: 7),
        View(shape: [3, 5], strides: [-5, 1], offset: 20),
        View(shape: [2, 2, 2, 2, 2, 2, 2, 2, 2, 3], strides: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], offset: 1),
    ]

    /// An output view of `shape` that does not overlap itself: dense from an offset, or
    /// for rank 2 transposed.
    static func output(_ shape: [Int], case index: Int) -> View {
        if shape.count == 2, index % 2 == 1 { return View(shape: shape, strides: [1, shape[0]], offset: 2) }
        return View(shape: shape, strides: StridedOperand.contiguousStrides(for: shape), offset: index % 3)
    }

    /// A second input over the same shape: dense, or the first view itself.
    static func secondInput(_ first: View, case index: Int) -> View {
        index % 2 == 0 ? first : View(shape: first.shape, strides: StridedOperand.contiguousStrides(for: first.shape), offset: 1)
    }
}
