import Testing
@testable import DeviceShimDevices

/// The OpenCL scatter against the CPU's where the conformance suite's small shapes do not
/// reach: 600,000 index elements and more, in fibers from 2 to 200,000 elements long (from
/// three work-items to a grid-stride loop over many work-groups), each naming a few
/// positions of the output many times. So a fiber walked out of order changes the result:
/// which element an assignment leaves, and where float16 additions round.
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLScatterTests {
    /// One scatter's operands: the index and the source (views of one shape), the output.
    struct Operands: CustomStringConvertible {
        let index: View
        let source: View
        let axis: Int
        let output: View

        var description: String { "index \(index), source \(source), axis \(axis), output \(output)" }
    }

    static let large: [Operands] = [
        // 2048 fibers of 300 down the rows, into a column-major output 16 rows high.
        Operands(index: View(shape: [300, 2048], strides: [2048, 1], offset: 0),
                 source: View(shape: [300, 2048], strides: [2048, 1], offset: 3), axis: 0,
                 output: View(shape: [16, 2048], strides: [1, 16], offset: 0)),
        // Rank 3: 5120 fibers of 125 from a column-major index and a source broadcast along
        // its first dimension, into an output whose first stride is negative.
        Operands(index: View(shape: [40, 125, 128], strides: [1, 40, 5000], offset: 0),
                 source: View(shape: [40, 125, 128], strides: [0, 128, 1], offset: 0), axis: 1,
                 output: View(shape: [41, 8, 130], strides: [-1040, 130, 1], offset: 40 * 1040)),
        // 300,000 fibers of 2 from a reversed source: more fibers than a launch has work-items
        // (1024 groups of at most 256), so the grid-stride loop goes round twice.
        Operands(index: View(shape: [300_000, 2], strides: [2, 1], offset: 0),
                 source: View(shape: [300_000, 2], strides: [-2, -1], offset: 599_999), axis: 1,
                 output: View(shape: [300_001, 2], strides: [2, 1], offset: 0)),
        // 3 fibers of 200,000 along the rows of a column-major index, into 11 columns.
        Operands(index: View(shape: [3, 200_000], strides: [1, 3], offset: 0),
                 source: View(shape: [3, 200_000], strides: [200_000, 1], offset: 0), axis: 1,
                 output: View(shape: [3, 11], strides: [11, 1], offset: 5)),
    ]

    /// Every large scatter, with every position inside the output's axis.
    @Test(arguments: ScatterMode.allCases, [DType.uint8, .float16, .int64])
    func largeScattersMatchCPU(mode: ScatterMode, dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0x5CA7_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        for operands in Self.large {
            let (count, length) = (operands.index.shape.reduce(1, *), operands.output.shape[operands.axis])
            let positions = (0..<count).map { _ in Int.random(in: 0..<length, using: &random) }
            try expectScatterMatchesCPU(mode, dtype, operands, positions: positions, outOfRange: nil, device: device,
                                        queues: (queue, cpuQueue), using: &random)
        }
    }

    /// The out-of-range flag where the conformance suite's small shapes do not reach: an
    /// index of rank 10 (fibers over 9 dimensions: two launches), 2048 long fibers, and
    /// 300,000 short ones (the last of them in the grid-stride loop's second round). Only the
    /// last index lies outside the axis, so only the last launch, work-item and round can set
    /// the flag; with every index inside it the flag stays zero. The words either side of it
    /// must stay as they were.
    @Test(arguments: ScatterMode.allCases)
    func outOfRangeFlagIsSetByTheLastIndexOnly(mode: ScatterMode) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0x5CA7_1000)
        let rankTen = View.inputs[6]
        var outputShape = rankTen.shape
        outputShape[9] = 4
        let rankTenOperands = Operands(
            index: View(shape: rankTen.shape, strides: StridedOperand.contiguousStrides(for: rankTen.shape), offset: 0),
            source: rankTen, axis: 9, output: View(shape: outputShape, strides: StridedOperand.contiguousStrides(for: outputShape), offset: 0))
        for operands in [rankTenOperands, Self.large[0], Self.large[2]] {
            let (count, length) = (operands.index.shape.reduce(1, *), operands.output.shape[operands.axis])
            for lastOutside in [false, true] {
                var positions = (0..<count).map { _ in Int.random(in: 0..<length, using: &random) }
                if lastOutside { positions[count - 1] = length }
                let flag = try OutOfRangeFlag(on: queue)
                try expectScatterMatchesCPU(mode, .float32, operands, positions: positions, outOfRange: flag, device: device,
                                            queues: (queue, cpuQueue), using: &random)
                try flag.expect(set: lastOutside, on: queue, "scatter.\(mode) \(operands), last index \(lastOutside ? "outside" : "inside")")
            }
        }
    }

    /// Scatters random source elements into a random output on the CPU, then on OpenCL over
    /// the same buffers, from an index holding `positions` (in row-major order of its shape);
    /// the OpenCL scatter reports into `outOfRange` when given. Expects the two output
    /// buffers to agree exactly, inside the output view and out.
    private func expectScatterMatchesCPU(
        _ mode: ScatterMode, _ dtype: DType, _ operands: Operands, positions: [Int], outOfRange: OutOfRangeFlag?,
        device: OpenCLDevice, queues: (opencl: any DeviceQueue, cpu: any DeviceQueue), using random: inout SeededGenerator
    ) throws {
        var indexElements = [Int64](repeating: 0, count: operands.index.extent)
        for (offset, position) in zip(operands.index.elementOffsets, positions) { indexElements[offset] = Int64(position) }
        let index = try MirroredBuffer(int64: indexElements, on: device, queue: queues.opencl)
        let source = try MirroredBuffer(dtype, count: operands.source.extent, on: device, queue: queues.opencl, using: &random)
        let output = try MirroredBuffer(dtype, count: operands.output.extent + 7, on: device, queue: queues.opencl, using: &random)
        try queues.cpu.scatter(mode, source: source.cpuOperand(operands.source), index: index.cpuOperand(operands.index),
                               axis: operands.axis, output: output.cpuOperand(operands.output), outOfRange: nil)
        try queues.cpu.synchronize()
        try queues.opencl.scatter(mode, source: source.openclOperand(operands.source), index: index.openclOperand(operands.index),
                                  axis: operands.axis, output: output.openclOperand(operands.output), outOfRange: outOfRange?.region)
        try output.expectMatches(queue: queues.opencl, tolerance: 0, "scatter.\(mode) \(dtype) \(operands)")
    }
}
