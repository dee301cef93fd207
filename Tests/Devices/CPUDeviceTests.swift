#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// The CPU device's properties (read here from /proc independently), what it claims to
/// support, allocation, and the errors bad arguments get before any work is queued.
@Suite struct CPUDeviceTests {
    let device = CPUDevice.shared

    @Test func propertiesComeFromTheOperatingSystem() throws {
        let properties = device.properties
        let cpuinfo = try procFile("/proc/cpuinfo")
        let meminfo = try procFile("/proc/meminfo")
        #expect(device.id == DeviceID(.cpu, 0))
        #expect(properties.type == .cpu && !properties.isSoftware)
        #expect(properties.name == field("model name", in: cpuinfo))
        #expect(properties.vendor == field("vendor_id", in: cpuinfo))
        let memTotal = try #require(field("MemTotal", in: meminfo)?.split(separator: " ").first.flatMap { UInt64($0) })
        #expect(properties.memoryBytes == memTotal * 1024)
        let free = try #require(device.freeMemoryBytes)
        #expect(free > 0 && free <= properties.memoryBytes)
        #expect(properties.computeUnits == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if let mhz = field("cpu MHz", in: cpuinfo).flatMap(Double.init) { #expect(properties.clockMHz == Int(mhz.rounded())) }
        let flags = Set((field("flags", in: cpuinfo) ?? "").split(separator: " "))
        #expect(properties.subgroupSizes == (flags.contains("avx512f") ? [16] : flags.contains("avx") ? [8] : flags.isEmpty ? [] : [4]))
        #expect(properties.supportsFloat16 && properties.supportsFloat64)
        #expect(device.blasUnavailableReason == nil, "OpenBLAS (libopenblas-dev) is installed by scripts/setup.sh")
        // scripts/test.sh names the Intel oneMKL that scripts/setup.sh unpacks; on Intel CPUs
        // the CPU backend then takes it (BLASChoiceTests covers the other choices).
        let mklNamed = getenv("DEVICESHIM_MKL_LIBRARY") != nil && getenv("DEVICESHIM_BLAS") == nil
        if mklNamed, field("vendor_id", in: cpuinfo) == "GenuineIntel" {
            #expect(device.blasLibrary == "mkl")
        }
        switch device.blasLibrary {
        case "mkl":
            #expect(properties.driverVersion.hasPrefix("Intel(R) oneAPI Math Kernel Library Version "))
        default:
            #expect(device.blasLibrary == "openblas")
            #expect(properties.driverVersion.hasPrefix("OpenBLAS "))
            // OpenBLAS releases that do not know this CPU pick their SSE3 kernels; the loader
            // reopens them with the kernels the CPU's features support.
            if flags.contains("avx2"), getenv("OPENBLAS_CORETYPE") == nil {
                #expect(!properties.driverVersion.contains("Prescott"), "\(properties.driverVersion)")
            }
        }
        let threadVariables: [String] = ["OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]
        if threadVariables.allSatisfy({ getenv($0) == nil }), let threads = device.blasThreadCount {
            // OpenBLAS: one thread per online core; MKL: one per physical core.
            if device.blasLibrary == "openblas" {
                #expect(threads == properties.computeUnits)
            } else {
                #expect((1...(properties.computeUnits ?? 1)).contains(threads))
            }
        } else {
            #expect(device.blasThreadCount != nil)
        }
    }

    @Test func supportTableMatchesTheContract() {
        for dtype in DType.allCases {
            let integer = !dtype.isFloatingPoint && dtype != .bool
            for op in UnaryOp.allCases {
                let expected = dtype.isFloatingPoint || (integer && UnaryOp.integerOps.contains(op)) || (dtype == .bool && op == .logicalNot)
                #expect(device.supports(.unary(op), dtype) == expected, "\(op) \(dtype)")
            }
            for op in BinaryOp.allCases { #expect(device.supports(.binary(op), dtype) == (dtype != .bool || op.producesBool)) }
            for op in ReductionOp.allCases {
                let expected = op == .sumOfSquares ? dtype.isFloatingPoint : dtype != .bool || (op != .sum && op != .prod)
                #expect(device.supports(.reduce(op), dtype) == expected, "\(op) \(dtype)")
            }
            for source in DType.allCases { #expect(device.supports(.convert(from: source), dtype)) }
            #expect(device.supports(.gemm, dtype) == dtype.isFloatingPoint)
        }
    }

    /// Small buffers come from `malloc` (16-byte aligned) with their base moved to a cache line;
    /// many at once, each written to its last byte, so one short of room would corrupt the
    /// heap that the next allocation or free reads.
    @Test func buffersAreAlignedAndMayBeEmpty() throws {
        var live: [CPUBuffer] = []
        for _ in 0..<16 {
            for byteCount in [0, 1, 24, 63, 100, 4097, 65535, 64 << 10, 300 << 10] {
                let buffer = try #require(try device.allocate(byteCount: byteCount) as? CPUBuffer)
                #expect(buffer.byteCount == byteCount)
                #expect(Int(bitPattern: buffer.baseAddress) % 64 == 0, "\(byteCount) bytes at \(buffer.baseAddress)")
                #expect(buffer.device === device)
                buffer.baseAddress.initializeMemory(as: UInt8.self, repeating: 0xA5, count: byteCount)
                live.append(buffer)
            }
        }
        #expect(live.allSatisfy { $0.byteCount == 0 || $0.baseAddress.load(fromByteOffset: $0.byteCount - 1, as: UInt8.self) == 0xA5 })
    }

    @Test func absurdAllocationsAreOutOfMemory() {
        for byteCount in [Int.max / 2, Int(device.properties.memoryBytes) + 1] {
            guard case let .outOfMemory(id, requested, _)? = deviceError({ _ = try device.allocate(byteCount: byteCount) }) else {
                Issue.record("allocating \(byteCount) bytes did not throw outOfMemory")
                continue
            }
            #expect(id == device.id && requested == byteCount)
        }
        #expect(deviceError { _ = try device.allocate(byteCount: -1) }?.isInvalidArgument == true)
    }

    @Test func badArgumentsThrowAtEnqueueAndQueueNothing() throws {
        let queue = try cpuQueue()
        let floats = try cpuBuffer([Double](repeating: 1, count: 12), .float32)
        let ints = try cpuBuffer([Double](repeating: 1, count: 12), .int32)
        let matrix = StridedOperand(floats, dtype: .float32, shape: [3, 4])
        let vector = StridedOperand(floats, dtype: .float32, shape: [12])
        let invalid: [(String, () throws -> Void)] = [
            ("region past the end", { try queue.fill(BufferRegion(floats, offset: 40, byteCount: 16), with: FillPattern(byte: 0)) }),
            ("negative offset", { try queue.copy(from: BufferRegion(floats, offset: -4, byteCount: 4), to: BufferRegion(floats)) }),
            ("3-byte fill pattern", { try queue.fill(BufferRegion(floats), with: FillPattern(element: (UInt8(1), UInt8(2), UInt8(3)))) }),
            ("fill not a multiple of the pattern", {
                try queue.fill(BufferRegion(floats, offset: 0, byteCount: 6), with: FillPattern(element: UInt32(1)))
            }),
            ("copy sizes differ", { try queue.copy(from: BufferRegion(floats, offset: 0, byteCount: 8), to: BufferRegion(ints)) }),
            ("operand past the end", { try queue.unary(.neg, input: StridedOperand(floats, dtype: .float32, offset: 1, shape: [12]), output: vector) }),
            ("mismatched shapes", { try queue.binary(.add, lhs: matrix, rhs: vector, output: matrix) }),
            ("mismatched dtypes", {
                try queue.binary(.add, lhs: vector, rhs: StridedOperand(ints, dtype: .int32, shape: [12]), output: vector)
            }),
            ("wrong output dtype", { try queue.binary(.less, lhs: vector, rhs: vector, output: vector) }),
            ("broadcasting output", {
                try queue.unary(.neg, input: matrix, output: StridedOperand(floats, dtype: .float32, shape: [3, 4], strides: [4, 0]))
            }),
            ("axis past the rank", { try queue.reduce(.sum, input: matrix, axis: 2, output: matrix) }),
            ("negative axis", { try queue.reduce(.sum, input: matrix, axis: -1, output: matrix) }),
            ("reduced shape", { try queue.reduce(.sum, input: matrix, axis: 0, output: StridedOperand(floats, dtype: .float32, shape: [4])) }),
            ("max of an empty axis", {
                try queue.reduce(.max, input: StridedOperand(floats, dtype: .float32, shape: [0, 2]), axis: 0,
                                 output: StridedOperand(floats, dtype: .float32, shape: [1, 2]))
            }),
            ("gemm leading dimension", {
                try queue.gemm(GemmOperation(dtype: .float32, m: 3, n: 2, k: 2, a: MatrixOperand(floats, leadingDimension: 2),
                                             b: MatrixOperand(floats, leadingDimension: 2), c: MatrixOperand(floats, leadingDimension: 3)))
            }),
            ("gemm C past the end", {
                try queue.gemm(GemmOperation(dtype: .float32, m: 2, n: 2, k: 2, a: MatrixOperand(floats, leadingDimension: 2),
                                             b: MatrixOperand(floats, leadingDimension: 2),
                                             c: MatrixOperand(floats, leadingDimension: 2, batchStride: 4), batchCount: 4))
            }),
            ("buffer of another device", { try queue.fill(BufferRegion(ForeignBuffer()), with: FillPattern(byte: 0)) }),
        ]
        for (name, call) in invalid {
            let error = deviceError(call)
            #expect(error?.isInvalidArgument == true, "\(name): \(String(describing: error))")
        }
        let unsupported: [(KernelOp, DType, () throws -> Void)] = [
            (.unary(.sin), .int32, { try queue.unary(.sin, input: StridedOperand(ints, dtype: .int32, shape: [12]),
                                                     output: StridedOperand(ints, dtype: .int32, shape: [12])) }),
            (.reduce(.sum), .bool, { try queue.reduce(.sum, input: StridedOperand(ints, dtype: .bool, shape: [4]), axis: 0,
                                                      output: StridedOperand(ints, dtype: .bool, shape: [1])) }),
            (.gemm, .int32, { try queue.gemm(GemmOperation(dtype: .int32, m: 1, n: 1, k: 1, a: MatrixOperand(ints, leadingDimension: 1),
                                                           b: MatrixOperand(ints, leadingDimension: 1),
                                                           c: MatrixOperand(ints, leadingDimension: 1))) }),
        ]
        for (op, dtype, call) in unsupported {
            #expect(deviceError(call) == .unsupported(device: device.id, op: op, dtype: dtype))
        }
        #expect(queue.isIdle)
        try queue.synchronize()
    }
}

/// A buffer of another backend's device.
final class ForeignBuffer: DeviceBuffer {
    var device: any ComputeDevice { ForeignDevice() }
    var byteCount: Int { 16 }
}

final class ForeignDevice: ComputeDevice {
    var id: DeviceID { DeviceID(.vulkan, 0) }
    var properties: DeviceProperties {
        DeviceProperties(name: "test", vendor: "test", type: .other, isSoftware: true, memoryBytes: 0, computeUnits: nil,
                         maxWorkGroupSize: 1, subgroupSizes: [], supportsFloat16: false, supportsFloat64: false, driverVersion: "")
    }
    func supports(_ op: KernelOp, _ dtype: DType) -> Bool { false }
    func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer { throw .invalidArgument("test device") }
    func makeQueue() throws(DeviceError) -> any DeviceQueue { throw .invalidArgument("test device") }
    var freeMemoryBytes: UInt64? { nil }
}

/// The text of a /proc file.
func procFile(_ path: String) throws -> String {
    let file = try #require(fopen(path, "r"))
    defer { fclose(file) }
    var text = ""
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    while getline(&line, &capacity, file) > 0 { text += String(cString: line!) }
    free(line)
    return text
}

/// The value of the first `key: value` line for `key`.
func field(_ key: String, in text: String) -> String? {
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2, parts[0].trimmed(of: " \t") == key {
            return parts[1].trimmed(of: " \t")
        }
    }
    return nil
}

extension Substring {
    func trimmed(of set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
