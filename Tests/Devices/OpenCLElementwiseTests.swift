import Testing
@testable import DeviceShimDevices

/// Every element-wise op and conversion the OpenCL device claims, on every dtype it
/// claims, against the CPU backend on the same random strided inputs.
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLElementwiseTests {
    static let bufferElements = 4096

    @Test(arguments: DType.allCases)
    func unaryOpsMatchCPU(dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xC1_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        for op in UnaryOp.allCases where device.supports(.unary(op), dtype) {
            let outputType = op.producesBool ? DType.bool : dtype
            for (index, view) in View.inputs.enumerated() {
                let input = try MirroredBuffer(dtype, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let output = try MirroredBuffer(outputType, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let outputView = View.output(view.shape, case: index)
                try cpuQueue.unary(op, input: input.cpuOperand(view), output: output.cpuOperand(outputView))
                try cpuQueue.synchronize()
                try queue.unary(op, input: input.openclOperand(view), output: output.openclOperand(outputView))
                try output.expectMatches(queue: queue, tolerance: MirroredBuffer.tolerance(outputType), "\(op) \(dtype) \(view)")
            }
        }
    }

    @Test(arguments: DType.allCases)
    func binaryOpsMatchCPU(dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xC2_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        for op in BinaryOp.allCases where device.supports(.binary(op), dtype) {
            let outputType = op.producesBool ? DType.bool : dtype
            for (index, view) in View.inputs.enumerated() {
                let lhs = try MirroredBuffer(dtype, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let rhs = try MirroredBuffer(dtype, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let output = try MirroredBuffer(outputType, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let (rhsView, outputView) = (View.secondInput(view, case: index), View.output(view.shape, case: index))
                try cpuQueue.binary(op, lhs: lhs.cpuOperand(view), rhs: rhs.cpuOperand(rhsView), output: output.cpuOperand(outputView))
                try cpuQueue.synchronize()
                try queue.binary(op, lhs: lhs.openclOperand(view), rhs: rhs.openclOperand(rhsView),
                                 output: output.openclOperand(outputView))
                try output.expectMatches(queue: queue, tolerance: MirroredBuffer.tolerance(outputType), "\(op) \(dtype) \(view)")
            }
        }
    }

    @Test(arguments: DType.allCases)
    func conversionsMatchCPU(source: DType) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xC3_0000 + UInt64(DType.allCases.firstIndex(of: source)!))
        for destination in DType.allCases where device.supports(.convert(from: source), destination) {
            for (index, view) in View.inputs.enumerated() where index % 2 == 1 || index == 0 {
                let input = try MirroredBuffer(source, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let output = try MirroredBuffer(destination, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let outputView = View.output(view.shape, case: index)
                try cpuQueue.convert(input: input.cpuOperand(view), output: output.cpuOperand(outputView))
                try cpuQueue.synchronize()
                try queue.convert(input: input.openclOperand(view), output: output.openclOperand(outputView))
                try output.expectMatches(queue: queue, tolerance: 0, "\(source) → \(destination) \(view)")
            }
        }
    }

    @Test(arguments: DType.allCases)
    func reductionsMatchCPU(dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0xC4_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        // Column-major rank 3 on each axis, a long axis (one work-group per output), a
        // broadcast axis, a negative stride.
        let cases: [(View, Int)] = [
            (View(shape: [5, 7, 3], strides: [1, 5, 35], offset: 4), 0),
            (View(shape: [5, 7, 3], strides: [1, 5, 35], offset: 4), 1),
            (View(shape: [5, 7, 3], strides: [1, 5, 35], offset: 4), 2),
            (View(shape: [2, 1500], strides: [1500, 1], offset: 0), 1),
            (View(shape: [6, 9], strides: [0, 1], offset: 3), 0),
            (View(shape: [40], strides: [-3], offset: 200), 0),
        ]
        for op in ReductionOp.allCases where device.supports(.reduce(op), dtype) {
            let outputType = op.outputType(for: dtype)
            for (view, axis) in cases {
                let input = try MirroredBuffer(dtype, count: Self.bufferElements, on: device, queue: queue, using: &random)
                let output = try MirroredBuffer(outputType, count: 64, on: device, queue: queue, using: &random)
                var shape = view.shape
                shape[axis] = 1
                let outputView = View(shape: shape, strides: StridedOperand.contiguousStrides(for: shape), offset: 1)
                try cpuQueue.reduce(op, input: input.cpuOperand(view), axis: axis, output: output.cpuOperand(outputView))
                try cpuQueue.synchronize()
                try queue.reduce(op, input: input.openclOperand(view), axis: axis, output: output.openclOperand(outputView))
                let tolerance = (op == .sum || op == .prod) && dtype == .float32 ? 1e-4 : MirroredBuffer.tolerance(outputType)
                try output.expectMatches(queue: queue, tolerance: tolerance, "\(op) \(dtype) axis \(axis) of \(view)")
            }
        }
    }
}
