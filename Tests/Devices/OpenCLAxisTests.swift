import Foundation
import Testing
@testable import DeviceShimDevices

/// The OpenCL `AxisOp` kernels: hand-computed softmax and running totals on each kernel
/// shape (a work-item per lane, a work-group per lane, vectors along a contiguous axis, 8
/// side-by-side lanes per work-item), the special lanes, the contract's errors, and long or
/// many lanes of every dtype against the CPU (the conformance suite's shapes are too small
/// to reach any but the work-item-per-lane kernels).
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLAxisTests {
    /// Runs `op` along `axis` of `values` laid out as `view` (dense output of its shape);
    /// returns the output's elements.
    private func run(_ op: AxisOp, _ values: [Double], _ view: View, axis: Int, _ dtype: DType = .float32) throws -> [Double] {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let count = view.shape.reduce(1, *)
        let input = try device.allocate(byteCount: values.count * dtype.byteSize)
        let output = try device.allocate(byteCount: count * dtype.byteSize)
        let host = try cpuBuffer(values, dtype)
        try queue.copy(from: UnsafeRawPointer(host.baseAddress), to: BufferRegion(input))
        try queue.fill(BufferRegion(output), with: FillPattern(byte: 7))
        try queue.alongAxis(op, input: StridedOperand(input, dtype: dtype, offset: view.offset, shape: view.shape, strides: view.strides),
                            axis: axis, output: StridedOperand(output, dtype: dtype, shape: view.shape))
        let result = try cpuBuffer([Double](repeating: 0, count: count), dtype)
        try queue.copy(from: BufferRegion(output), to: result.baseAddress)
        try queue.synchronize()
        return contents(result, dtype, count: count)
    }

    private func dense(_ shape: [Int]) -> View {
        View(shape: shape, strides: StridedOperand.contiguousStrides(for: shape), offset: 0)
    }

    /// Columns of a row-major [3, 2] matrix (axis stride 2): softmax([1, 2, 3]) and of a
    /// constant column, one work-item per lane.
    @Test func softmaxOfAStridedAxis() throws {
        let values: [Double] = [1, 10, 2, 10, 3, 10]
        let soft = try run(.softmax, values, dense([3, 2]), axis: 0)
        let expected = [0.090030573, 1.0 / 3, 0.244728471, 1.0 / 3, 0.665240956, 1.0 / 3]
        for (actual, value) in zip(soft, expected) { #expect(abs(actual - value) < 1e-6, "\(soft)") }
        let logSoft = try run(.logSoftmax, values, dense([3, 2]), axis: 0)
        let logExpected = [-2.407605964, -log(3.0), -1.407605964, -log(3.0), -0.407605964, -log(3.0)]
        for (actual, value) in zip(logSoft, logExpected) { #expect(abs(actual - value) < 1e-6, "\(logSoft)") }
    }

    /// Lanes of 2000 alternating 0 and ln 3 (exponentials 1 and 3, sum 4000), one work-group
    /// per lane: down the columns of a [2000, 2] matrix, along the rows of a [100, 2000] one
    /// (many lanes, contiguous), and in float64 and float16.
    @Test(arguments: [(DType.float32, 0), (.float32, 1), (.float64, 0), (.float16, 1)])
    func softmaxOfLongLanes(dtype: DType, axis: Int) throws {
        let length = 2000
        let shape = axis == 0 ? [length, 2] : [100, length]
        let values = (0..<shape[0] * shape[1]).map { index in
            let position = axis == 0 ? index / 2 : index % length
            return position % 2 == 0 ? 0 : log(3.0)
        }
        let soft = try run(.softmax, values, dense(shape), axis: axis, dtype)
        let logSoft = try run(.logSoftmax, values, dense(shape), axis: axis, dtype)
        let relative = dtype == .float16 ? 2e-3 : 1e-5
        for index in values.indices {
            let expected = values[index] == 0 ? 1.0 / 4000 : 3.0 / 4000
            #expect(abs(soft[index] - expected) <= relative * expected, "softmax [\(index)] is \(soft[index])")
            #expect(abs(logSoft[index] - log(expected)) <= relative * abs(log(expected)), "log_softmax [\(index)]")
            if abs(soft[index] - expected) > relative * expected { return }
        }
    }

    /// A lane with NaN, +inf, or only -inf is NaN throughout; -inf in a finite lane gives 0
    /// and -inf. Lanes of 8 (a work-item each) and of 300 (a work-group each).
    @Test(arguments: [8, 300])
    func specialLanes(length: Int) throws {
        var values = [Double](repeating: 1, count: 4 * length)
        values[3] = .nan
        values[length + 5] = .infinity
        for i in 2 * length..<3 * length { values[i] = -.infinity }
        values[3 * length] = -.infinity
        let soft = try run(.softmax, values, dense([4, length]), axis: 1)
        let logSoft = try run(.logSoftmax, values, dense([4, length]), axis: 1)
        #expect(soft[0..<3 * length].allSatisfy { $0.isNaN })
        #expect(logSoft[0..<3 * length].allSatisfy { $0.isNaN })
        #expect(soft[3 * length] == 0 && logSoft[3 * length] == -.infinity)
        #expect(abs(soft[3 * length + 1] - 1.0 / Double(length - 1)) < 1e-7)
        #expect(abs(logSoft[3 * length + 1] + log(Double(length - 1))) < 1e-6)
    }

    /// 512 side-by-side lanes of 10 down a [10, 512] matrix (8 lanes per work-item): lane k
    /// holds a NaN (k % 4 == 0), a +inf (1), only -inf (2), or one -inf among ones (3).
    @Test func specialLanesSideBySide() throws {
        let (length, lanes) = (10, 512)
        var values = [Double](repeating: 1, count: length * lanes)
        for lane in 0..<lanes {
            switch lane % 4 {
            case 0: values[3 * lanes + lane] = .nan
            case 1: values[7 * lanes + lane] = .infinity
            case 2: for j in 0..<length { values[j * lanes + lane] = -.infinity }
            default: values[lane] = -.infinity
            }
        }
        let soft = try run(.softmax, values, dense([length, lanes]), axis: 0)
        let logSoft = try run(.logSoftmax, values, dense([length, lanes]), axis: 0)
        let wrong = (0..<lanes).filter { lane in
            let softLane = (0..<length).map { soft[$0 * lanes + lane] }
            let logLane = (0..<length).map { logSoft[$0 * lanes + lane] }
            guard lane % 4 == 3 else { return !(softLane.allSatisfy(\.isNaN) && logLane.allSatisfy(\.isNaN)) }
            return !(softLane[0] == 0 && logLane[0] == -.infinity && softLane[1...].allSatisfy { abs($0 - 1.0 / 9) < 1e-7 }
                && logLane[1...].allSatisfy { abs($0 + log(9.0)) < 1e-6 })
        }
        #expect(wrong.isEmpty, "lanes \(wrong.prefix(4)) of \(wrong.count) are wrong")
    }

    /// Side-by-side lanes (8 per work-item): int32 totals wrap, float32 ones keep 2^24 + 2.
    @Test func runningTotalsOfSideBySideLanes() throws {
        let lanes = 512
        let values = (0..<lanes).map { _ in 2_147_483_647.0 } + (0..<lanes).map(Double.init) + [Double](repeating: 1, count: lanes)
        let ints = try run(.cumsum, values, dense([3, lanes]), axis: 0, .int32)
        let wrong = (0..<lanes).filter { lane in
            let second = Int32.max &+ Int32(lane)
            return [ints[lane], ints[lanes + lane], ints[2 * lanes + lane]] != [2_147_483_647, Double(second), Double(second &+ 1)]
        }
        #expect(wrong.isEmpty, "lanes \(wrong.prefix(4)) of \(wrong.count), e.g. \(wrong.first.map { [ints[$0], ints[lanes + $0]] } ?? [])")
        let device = try OpenCLTestDevice.device()
        let floats = try run(.cumsum, [Double](repeating: 16_777_216, count: lanes) + [Double](repeating: 1, count: 2 * lanes),
                             dense([3, lanes]), axis: 0)
        #expect(floats[(2 * lanes)...].allSatisfy { $0 == (device.limits.hasFloat64 ? 16_777_218 : 16_777_216) })
    }

    @Test func runningTotalsWrapForIntegers() throws {
        let ints = try run(.cumsum, [1, 2, 3, 2_147_483_647, 1, 1], dense([2, 3]), axis: 1, .int32)
        #expect(ints == [1, 3, 6, 2_147_483_647, -2_147_483_648, -2_147_483_647])
        let products = try run(.cumprod, [1, 2, 3, 4, 5, 6], dense([3, 2]), axis: 0, .int64)
        #expect(products == [1, 2, 3, 8, 15, 48])
        let bytes = try run(.cumsum, [200, 100], dense([2]), axis: 0, .uint8)
        #expect(bytes == [200, 44])
        let squares = try run(.cumprod, [65536, 65536, 3], dense([3]), axis: 0, .int32)
        #expect(squares == [65536, 0, 0])
    }

    /// 5000 × 1_000_000 in int32, one work-group for the lane: each total is the exact one
    /// modulo 2^32; the lane is read backwards (stride -1).
    @Test func longInt32CumsumWraps() throws {
        let length = 5000
        let result = try run(.cumsum, [Double](repeating: 1_000_000, count: length),
                             View(shape: [length], strides: [-1], offset: length - 1), axis: 0, .int32)
        var total: Int32 = 0
        var wrong = 0
        for index in 0..<length {
            total &+= 1_000_000
            if result[index] != Double(total) { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(result.last == Double(Int32(truncatingIfNeeded: Int64(length) * 1_000_000)))
    }

    /// 2^24 + 1 + 1: a float accumulator would lose both ones; double (where the device has
    /// it, as the CPU uses) keeps them.
    @Test func float32RunningTotalsAccumulateInDoubleWherePossible() throws {
        let device = try OpenCLTestDevice.device()
        let floats = try run(.cumsum, [16_777_216, 1, 1], dense([3]), axis: 0)
        #expect(floats == (device.limits.hasFloat64 ? [16_777_216, 16_777_216, 16_777_218] : [16_777_216, 16_777_216, 16_777_216]))
    }

    @Test func badOperandsAreInvalidArguments() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 16)
        expectAlongAxisRefusals(queue, buffer: buffer)
        let matrix = StridedOperand(buffer, dtype: .float32, shape: [2, 2])
        #expect(deviceError { try queue.alongAxis(.softmax, input: matrix, axis: -1, output: matrix) }?.isInvalidArgument == true)
        let ints = StridedOperand(buffer, dtype: .int32, shape: [2, 2])
        #expect(deviceError { try queue.alongAxis(.cumsum, input: matrix, axis: 0, output: ints) }?.isInvalidArgument == true)
        let outside = StridedOperand(buffer, dtype: .float32, offset: 1, shape: [2, 2])
        #expect(deviceError { try queue.alongAxis(.cumsum, input: outside, axis: 0, output: matrix) }?.isInvalidArgument == true)
        let cpuInput = StridedOperand(try cpuBuffer([1, 2, 3, 4], .float32), dtype: .float32, shape: [2, 2])
        #expect(deviceError { try queue.alongAxis(.softmax, input: cpuInput, axis: 0, output: matrix) }?.isInvalidArgument == true)
        try queue.synchronize()
    }

    /// Every op and dtype the device claims on long lanes (a work-group each), many
    /// contiguous lanes, a strided axis and a reversed one, against the CPU.
    @Test(arguments: DType.allCases)
    func longLanesMatchCPU(dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xA0_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        let cases: [(View, Int)] = [
            (View(shape: [3, 1500], strides: [1500, 1], offset: 0), 1),
            (View(shape: [70, 100], strides: [100, 1], offset: 3), 1),
            (View(shape: [1300, 3], strides: [3, 1], offset: 1), 0),
            (View(shape: [2, 1100], strides: [1, -2], offset: 2205), 1),
            (View(shape: [130, 70], strides: [70, 1], offset: 0), 0),
            (View(shape: [12, 512], strides: [512, 1], offset: 3), 0),
            (View(shape: [8, 9, 64], strides: [576, 64, 1], offset: 0), 1),
        ]
        for op in AxisOp.allCases where device.supports(.axis(op), dtype) {
            for (view, axis) in cases {
                let input = try MirroredBuffer(dtype, count: 9400, on: device, queue: queue, using: &random)
                let output = try MirroredBuffer(dtype, count: 9400, on: device, queue: queue, using: &random)
                let outputView = View(shape: view.shape, strides: StridedOperand.contiguousStrides(for: view.shape), offset: 5)
                try cpuQueue.alongAxis(op, input: input.cpuOperand(view), axis: axis, output: output.cpuOperand(outputView))
                try cpuQueue.synchronize()
                try queue.alongAxis(op, input: input.openclOperand(view), axis: axis, output: output.openclOperand(outputView))
                try output.expectMatches(queue: queue, tolerance: MirroredBuffer.tolerance(dtype), "\(op) \(dtype) axis \(axis) of \(view)")
            }
        }
    }
}
