#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// Promises of the queue contract every computing device keeps, beyond its kernels.
@Suite struct QueueContractTests {
    /// A marker resolves only once its work is counted done, so whoever it wakes finds the
    /// queue idle: `cudaStreamQuery` after waiting on the stream's last event answers success.
    @Test(arguments: ConformanceTests.computingDevices)
    func whoeverAMarkerWakesFindsTheQueueIdle(id: DeviceID) throws {
        let queue = try #require(DeviceRegistry.shared.entry(id)?.compute).makeQueue()
        for round in 0..<200 {
            try queue.enqueueHostCallback { usleep(20) }
            try queue.enqueueMarker().wait()
            #expect(queue.isIdle, "round \(round)")
            if !queue.isIdle { break }
        }
    }

    /// `select`, `gather` and `scatter` refuse operands that do not fit together, before any
    /// work runs; a device without the kernels says `unsupported` instead.
    @Test(arguments: ConformanceTests.computingDevices)
    func selectionsRefuseOperandsThatDoNotFit(id: DeviceID) throws {
        let device = try #require(DeviceRegistry.shared.entry(id)?.compute)
        let (queue, buffer) = (try device.makeQueue(), try device.allocate(byteCount: 256))
        let operand = { (dtype: DType, shape: [Int]) in StridedOperand(buffer, dtype: dtype, shape: shape) }
        let selects: [(String, () throws(DeviceError) -> Void)] = [
            ("a float condition", { () throws(DeviceError) in
                try queue.select(condition: operand(.float32, [4]), whenTrue: operand(.float32, [4]),
                                 whenFalse: operand(.float32, [4]), output: operand(.float32, [4])) }),
            ("values of another dtype", { () throws(DeviceError) in
                try queue.select(condition: operand(.bool, [4]), whenTrue: operand(.int32, [4]),
                                 whenFalse: operand(.float32, [4]), output: operand(.float32, [4])) }),
            ("a condition of another shape", { () throws(DeviceError) in
                try queue.select(condition: operand(.bool, [3]), whenTrue: operand(.float32, [4]),
                                 whenFalse: operand(.float32, [4]), output: operand(.float32, [4])) }),
        ]
        let gathers: [(String, () throws(DeviceError) -> Void)] = [
            ("an int32 index", { () throws(DeviceError) in
                try queue.gather(input: operand(.float32, [2, 3]), index: operand(.int32, [2, 2]), axis: 1, output: operand(.float32, [2, 2])) }),
            ("an index of another shape", { () throws(DeviceError) in
                try queue.gather(input: operand(.float32, [2, 3]), index: operand(.int64, [2, 1]), axis: 1, output: operand(.float32, [2, 2])) }),
            ("an input smaller outside the axis", { () throws(DeviceError) in
                try queue.gather(input: operand(.float32, [1, 3]), index: operand(.int64, [2, 2]), axis: 1, output: operand(.float32, [2, 2])) }),
            ("an axis the input lacks", { () throws(DeviceError) in
                try queue.gather(input: operand(.float32, [2, 3]), index: operand(.int64, [2, 2]), axis: 2, output: operand(.float32, [2, 2])) }),
            ("an input past its buffer", { () throws(DeviceError) in
                try queue.gather(input: operand(.float32, [2, 64]), index: operand(.int64, [2, 2]), axis: 1, output: operand(.float32, [2, 2])) }),
        ] + [(2, 4), (8, 8), (256, 4)].map { (offset: Int, bytes: Int) in
            ("an out-of-range flag of \(bytes) bytes at offset \(offset)", { () throws(DeviceError) in
                try queue.gather(input: operand(.float32, [2, 3]), index: operand(.int64, [2, 2]), axis: 1, output: operand(.float32, [2, 2]),
                                 outOfRange: BufferRegion(buffer, offset: offset, byteCount: bytes)) })
        }
        // A scatter_add along axis 1 of a [2, 3] output, each case with one operand wrong.
        let scatter = { (source: StridedOperand, index: StridedOperand, output: StridedOperand, flag: BufferRegion?) throws(DeviceError) in
            try queue.scatter(.add, source: source, index: index, axis: 1, output: output, outOfRange: flag)
        }
        let (source, index, output) = (operand(.float32, [2, 2]), operand(.int64, [2, 2]), operand(.float32, [2, 3]))
        let scatters: [(String, () throws(DeviceError) -> Void)] = [
            ("an int32 index", { () throws(DeviceError) in try scatter(source, operand(.int32, [2, 2]), output, nil) }),
            ("a source of another shape", { () throws(DeviceError) in try scatter(operand(.float32, [2, 3]), index, output, nil) }),
            ("a source of another dtype", { () throws(DeviceError) in try scatter(operand(.int32, [2, 2]), index, output, nil) }),
            ("an output smaller outside the axis", { () throws(DeviceError) in
                try scatter(source, index, operand(.float32, [1, 3]), nil) }),
            ("an output that broadcasts", { () throws(DeviceError) in
                try scatter(source, index, StridedOperand(buffer, dtype: .float32, shape: [2, 3], strides: [0, 1]), nil) }),
            ("an out-of-range flag of 4 bytes at offset 2", { () throws(DeviceError) in
                try scatter(source, index, output, BufferRegion(buffer, offset: 2, byteCount: 4)) }),
        ]
        for (op, cases) in [(KernelOp.select, selects), (.gather, gathers), (.scatter(.add), scatters)] {
            for (name, call) in cases {
                let error = deviceError(call)
                if device.supports(op, .float32) {
                    #expect(error?.isInvalidArgument == true, "\(id) \(op) with \(name): \(String(describing: error))")
                } else if case .unsupported(_, op, _)? = error {
                } else {
                    Issue.record("\(id) \(op) with \(name) should be unsupported, got \(String(describing: error))")
                }
            }
        }
        try queue.synchronize()
    }
}
