import Testing
@testable import DeviceShimDevices

/// The OpenCL `select` and `gather` kernels against the CPU's on what the conformance suite's
/// small shapes do not reach: more than 8 dimensions (several launches) and more elements
/// than one launch has work-items (its grid-stride loop).
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLSelectionTests {
    static let bufferElements = 4096

    /// Every input view of `View`, rank 0 to 10, on every dtype the device holds.
    @Test(arguments: DType.allCases)
    func selectAndGatherMatchCPU(dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        guard device.supports(.select, dtype), device.supports(.gather, dtype) else { return }
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xC6_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        for (index, view) in View.inputs.enumerated() {
            let outputView = View.output(view.shape, case: index)
            let condition = try MirroredBuffer(.bool, count: Self.bufferElements, on: device, queue: queue, using: &random)
            let whenTrue = try MirroredBuffer(dtype, count: Self.bufferElements, on: device, queue: queue, using: &random)
            let whenFalse = try MirroredBuffer(dtype, count: Self.bufferElements, on: device, queue: queue, using: &random)
            let output = try MirroredBuffer(dtype, count: Self.bufferElements, on: device, queue: queue, using: &random)
            try expectSelectMatchesCPU(condition: (condition, View.secondInput(view, case: index + 1)), whenTrue: (whenTrue, view),
                                       whenFalse: (whenFalse, View.secondInput(view, case: index)), output: (output, outputView),
                                       queues: (queue, cpuQueue), "select \(dtype) \(view)")

            guard !view.shape.isEmpty else { continue }
            let axis = index % view.shape.count
            try expectGatherMatchesCPU(dtype, input: view, axis: axis, output: outputView, device: device, queues: (queue, cpuQueue),
                                       using: &random)
        }
    }

    /// 600,000 outputs gathered along the rows of a [64, 3000] input into a column-major
    /// output, and as many selected into a reversed one: each launch loops over its elements.
    @Test func largeSelectAndGatherMatchCPU() throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xC6_1000)
        let input = View(shape: [64, 3000], strides: [3000, 1], offset: 0)
        let output = View(shape: [200, 3000], strides: [1, 200], offset: 0)
        try expectGatherMatchesCPU(.float32, input: input, axis: 0, output: output, device: device, queues: (queue, cpuQueue),
                                   using: &random)

        let count = 600_000
        let dense = View(shape: [count], strides: [1], offset: 0), reversed = View(shape: [count], strides: [-1], offset: count - 1)
        let condition = try MirroredBuffer(.bool, count: count, on: device, queue: queue, using: &random)
        let values = try MirroredBuffer(.int64, count: count, on: device, queue: queue, using: &random)
        let selected = try MirroredBuffer(.int64, count: count, on: device, queue: queue, using: &random)
        let broadcast = View(shape: [count], strides: [0], offset: 7)
        try expectSelectMatchesCPU(condition: (condition, dense), whenTrue: (values, dense), whenFalse: (values, broadcast),
                                   output: (selected, reversed), queues: (queue, cpuQueue), "select of \(count) int64")
    }

    /// The out-of-range flag where the conformance suite's small shapes do not reach: rank 10
    /// (several launches), 600,000 strided outputs (a grid-stride loop) and 600,001 dense ones
    /// (many work-groups, the last one partly idle). Only the last index lies outside the axis,
    /// so only the last launch, loop step or group can set the flag; with every index inside
    /// it the flag stays zero. The words either side of the flag must stay as they were.
    @Test func outOfRangeFlagIsSetByTheLastIndexOnly() throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xC6_2000)
        let rankTen = View.inputs[6]
        let cases: [(input: View, axis: Int, output: View)] = [
            (rankTen, 9, View(shape: rankTen.shape, strides: StridedOperand.contiguousStrides(for: rankTen.shape), offset: 0)),
            (View(shape: [64, 3000], strides: [3000, 1], offset: 0), 0, View(shape: [200, 3000], strides: [1, 200], offset: 0)),
            (View(shape: [1000], strides: [1], offset: 0), 0, View(shape: [600_001], strides: [1], offset: 0)),
        ]
        for (input, axis, output) in cases {
            let (count, length) = (output.shape.reduce(1, *), input.shape[axis])
            for lastOutside in [false, true] {
                var positions = (0..<count).map { _ in Int.random(in: 0..<length, using: &random) }
                if lastOutside { positions[count - 1] = length }
                let flag = try OutOfRangeFlag(on: queue)
                try expectGatherMatchesCPU(.float32, input: input, axis: axis, output: output, positions: positions,
                                           outOfRange: flag, device: device, queues: (queue, cpuQueue), using: &random)
                try flag.expect(set: lastOutside, on: queue, "gather \(input) axis \(axis) to \(output), last index \(lastOutside ? "outside" : "inside")")
            }
        }
    }

    /// Selects on the CPU, then on OpenCL over the same buffers (each operand a buffer and a
    /// view of it), and expects the two outputs to agree exactly.
    private func expectSelectMatchesCPU(
        condition: (MirroredBuffer, View), whenTrue: (MirroredBuffer, View), whenFalse: (MirroredBuffer, View),
        output: (MirroredBuffer, View), queues: (opencl: any DeviceQueue, cpu: any DeviceQueue), _ context: String
    ) throws {
        try queues.cpu.select(condition: condition.0.cpuOperand(condition.1), whenTrue: whenTrue.0.cpuOperand(whenTrue.1),
                              whenFalse: whenFalse.0.cpuOperand(whenFalse.1), output: output.0.cpuOperand(output.1))
        try queues.cpu.synchronize()
        try queues.opencl.select(condition: condition.0.openclOperand(condition.1), whenTrue: whenTrue.0.openclOperand(whenTrue.1),
                                 whenFalse: whenFalse.0.openclOperand(whenFalse.1), output: output.0.openclOperand(output.1))
        try output.0.expectMatches(queue: queues.opencl, tolerance: 0, context)
    }

    /// Dense index positions for `count` outputs along an axis of `length`, one in eight of
    /// them outside it.
    private static func randomPositions(count: Int, length: Int, using random: inout SeededGenerator) -> [Int] {
        (0..<count).map { _ in
            Int.random(in: 0..<8, using: &random) == 0 ? [-1, length, Int.min / 2].randomElement(using: &random)!
                : Int.random(in: 0..<length, using: &random)
        }
    }

    /// Gathers `input` along `axis` into `output` (a view of the output's shape) on both
    /// devices, from a dense index holding `positions` (random, one in eight outside the axis,
    /// when nil); the OpenCL gather reports into `outOfRange` when given.
    private func expectGatherMatchesCPU(
        _ dtype: DType, input: View, axis: Int, output: View, positions: [Int]? = nil, outOfRange: OutOfRangeFlag? = nil,
        device: OpenCLDevice, queues: (opencl: any DeviceQueue, cpu: any DeviceQueue), using random: inout SeededGenerator
    ) throws {
        let count = output.shape.reduce(1, *)
        let positions = positions ?? Self.randomPositions(count: count, length: input.shape[axis], using: &random)
        let index = try MirroredBuffer(.int64, count: count, on: device, queue: queues.opencl, using: &random)
        for (at, position) in positions.enumerated() { TestElements.storeInteger(Int64(position), as: .int64, at: at, in: index.cpu) }
        try queues.opencl.copy(from: UnsafeRawPointer(index.cpu.baseAddress), to: BufferRegion(index.opencl))
        let inputBuffer = try MirroredBuffer(dtype, count: input.extent, on: device, queue: queues.opencl, using: &random)
        let outputBuffer = try MirroredBuffer(dtype, count: max(output.extent, Self.bufferElements), on: device,
                                              queue: queues.opencl, using: &random)
        let indexView = View(shape: output.shape, strides: StridedOperand.contiguousStrides(for: output.shape), offset: 0)
        try queues.cpu.gather(input: inputBuffer.cpuOperand(input), index: index.cpuOperand(indexView), axis: axis,
                              output: outputBuffer.cpuOperand(output))
        try queues.cpu.synchronize()
        try queues.opencl.gather(input: inputBuffer.openclOperand(input), index: index.openclOperand(indexView), axis: axis,
                                 output: outputBuffer.openclOperand(output), outOfRange: outOfRange?.region)
        try outputBuffer.expectMatches(queue: queues.opencl, tolerance: 0, "gather \(dtype) \(input) axis \(axis) to \(output)")
    }
}
