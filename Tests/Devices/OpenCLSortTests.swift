import Testing
@testable import DeviceShimDevices

/// The OpenCL argsort against the CPU's where the conformance suite's small shapes do not
/// reach: a lane of 100,003 elements (2^17 slots, so most of the network's passes run over
/// all slots, not in one work-group) and hundreds of lanes of hundreds to a thousand elements
/// along axes that are not innermost, over several launches past 8 dimensions, and many
/// short lanes sharing a work-group. Elements come from few values, so nearly every one has
/// many equals and a sort that is not stable, or places NaN, -0.0 or the extremes wrongly,
/// gives other positions. And topk, by selection and by the network.
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLSortTests {
    /// One argsort's input and output views (of one shape) and its axis.
    struct Operands: CustomStringConvertible {
        let input: View
        let axis: Int
        let output: View

        var description: String { "input \(input), axis \(axis), output \(output)" }
    }

    /// One lane of 100,003 elements, read backwards, into an output from offset 3.
    static let longLane = Operands(input: View(shape: [100_003], strides: [-1], offset: 100_002), axis: 0,
                                   output: View(shape: [100_003], strides: [1], offset: 3))

    /// Many lanes, along axes that are not innermost or with strides of every sign.
    static let manyLanes: [Operands] = [
        // 300 lanes of 1000 (1024 slots: a block of 512 is too short) down the columns of a
        // row-major input, into a column-major output.
        Operands(input: View(shape: [1000, 300], strides: [300, 1], offset: 0), axis: 0,
                 output: View(shape: [1000, 300], strides: [1, 1000], offset: 1)),
        // 301 lanes of 777 along the middle axis of an input broadcast along its first, into
        // an output whose first stride is negative.
        Operands(input: View(shape: [7, 777, 43], strides: [0, 43, 1], offset: 0), axis: 1,
                 output: View(shape: [7, 777, 43], strides: [-777 * 43, 43, 1], offset: 6 * 777 * 43)),
        // Rank 10: 512 lanes of 300 over 9 dimensions that do not merge (two launches each to
        // load and store), from a column-major input: 512 slots a lane, within one block.
        Operands(input: View(shape: [2, 2, 2, 2, 2, 2, 2, 2, 2, 300], strides: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], offset: 0),
                 axis: 9, output: View(shape: [2, 2, 2, 2, 2, 2, 2, 2, 2, 300],
                                       strides: StridedOperand.contiguousStrides(for: [2, 2, 2, 2, 2, 2, 2, 2, 2, 300]), offset: 0)),
        // 3001 lanes of 5 (8 slots each, 64 lanes to a work-group, the last group part padding).
        Operands(input: View(shape: [3001, 5], strides: [5, 1], offset: 2), axis: 1,
                 output: View(shape: [3001, 5], strides: [1, 3001], offset: 0)),
    ]

    /// The lane of 100,003 elements, in both directions, on every dtype the device holds.
    @Test(arguments: DType.allCases)
    func longLaneMatchesCPU(dtype: DType) throws {
        try expectArgsortsMatchCPU(dtype, [Self.longLane], seed: 0x5027_0000)
    }

    /// The many-lane layouts, in both directions, on a dtype of each width and bool.
    @Test(arguments: [DType.float32, .bfloat16, .int64, .bool])
    func manyLanesMatchCPU(dtype: DType) throws {
        try expectArgsortsMatchCPU(dtype, Self.manyLanes, seed: 0x5027_1000)
    }

    /// topk against the CPU's (the stable argsort's first k): the one-pass selection for k up
    /// to 16 and the network's first k above, in both directions, down the columns of a
    /// row-major input and along the middle axis of a broadcast one, into column-major outputs.
    @Test(arguments: [DType.float32, .bfloat16, .int64, .bool])
    func topkMatchesCPU(dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: 0x70B0 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        let inputs = [(View(shape: [1000, 300], strides: [300, 1], offset: 0), 0),
                      (View(shape: [7, 777, 43], strides: [0, 43, 1], offset: 0), 1)]
        for (view, axis) in inputs {
            let input = try Self.tiedElements(dtype, count: view.extent, on: device, queue: queue, using: &random)
            for k in [1, 5, 16, 17, 300] {
                var shape = view.shape
                shape[axis] = k
                let columnMajor = shape.indices.map { shape[..<$0].reduce(1, *) }
                let outputView = View(shape: shape, strides: columnMajor, offset: 2)
                for largest in [false, true] {
                    let garbage = (0..<outputView.extent + 5).map { _ in Int64.random(in: -9...9, using: &random) }
                    let output = try MirroredBuffer(int64: garbage, on: device, queue: queue)
                    try cpuQueue.topk(input: input.cpuOperand(view), axis: axis, k: k, largest: largest,
                                      output: output.cpuOperand(outputView))
                    try cpuQueue.synchronize()
                    try queue.topk(input: input.openclOperand(view), axis: axis, k: k, largest: largest,
                                   output: output.openclOperand(outputView))
                    try output.expectMatches(queue: queue, tolerance: 0, "topk \(k) \(largest ? "largest" : "smallest") \(dtype) \(view)")
                }
            }
        }
    }

    /// The network's launches for the test's shapes with work-groups of 256 (blocks of 512
    /// slots), as `BitonicSortPlan` documents them.
    @Test func planCountsLaunches() {
        let long = BitonicSortPlan(length: 100_003, lanes: 1, maxGroupSize: 256)
        #expect(long.paddedLength == 1 << 17 && long.slots == 1 << 17 && long.groupSize == 256)
        #expect(long.passes.filter { if case .global = $0 { true } else { false } }.count == 36)
        #expect(long.passes.count == 45)
        #expect(long.passes.prefix(3) == [.local(firstStage: 2, lastStage: 512), .global(stage: 1024, distance: 512),
                                          .local(firstStage: 1024, lastStage: 1024)])
        let columns = BitonicSortPlan(length: 1000, lanes: 300, maxGroupSize: 256)
        #expect(columns.passes == [.local(firstStage: 2, lastStage: 512), .global(stage: 1024, distance: 512),
                                   .local(firstStage: 1024, lastStage: 1024)])
        let short = BitonicSortPlan(length: 5, lanes: 3001, maxGroupSize: 256)
        #expect(short.paddedLength == 8 && short.slots == 24_064 && short.passes == [.local(firstStage: 2, lastStage: 8)])
        let tiny = BitonicSortPlan(length: 3, lanes: 1, maxGroupSize: 256)
        #expect(tiny.groupSize == 2 && tiny.slots == 4 && tiny.passes == [.local(firstStage: 2, lastStage: 4)])
        #expect(BitonicSortPlan(length: 1, lanes: 7, maxGroupSize: 256).passes.isEmpty)
    }

    /// For each of `cases`, sorts tied elements of `dtype` ascending and descending on the
    /// CPU, then on OpenCL into an output buffer of the same random contents; expects the two
    /// output buffers to agree exactly, inside the output view and out.
    private func expectArgsortsMatchCPU(_ dtype: DType, _ cases: [Operands], seed: UInt64) throws {
        let device = try OpenCLTestDevice.device()
        guard device.supports(.argsort, dtype) else { return }
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        var random = SeededGenerator(seed: seed + UInt64(DType.allCases.firstIndex(of: dtype)!))
        for operands in cases {
            let input = try Self.tiedElements(dtype, count: operands.input.extent, on: device, queue: queue, using: &random)
            for descending in [false, true] {
                let garbage = (0..<operands.output.extent + 5).map { _ in Int64.random(in: -9...9, using: &random) }
                let output = try MirroredBuffer(int64: garbage, on: device, queue: queue)
                try cpuQueue.argsort(input: input.cpuOperand(operands.input), axis: operands.axis, descending: descending,
                                     output: output.cpuOperand(operands.output))
                try cpuQueue.synchronize()
                try queue.argsort(input: input.openclOperand(operands.input), axis: operands.axis, descending: descending,
                                  output: output.openclOperand(operands.output))
                try output.expectMatches(queue: queue, tolerance: 0, "argsort \(descending ? "descending " : "")\(dtype) \(operands)")
            }
        }
    }

    /// `count` elements of `dtype`, one in eight from its special values (floats: NaN of
    /// either sign and with a payload, ±infinity, ±0; integers: the extremes) and the rest
    /// quarters (floats) or integers from -8 to 8, copied to both buffers in bulk.
    static func tiedElements(_ dtype: DType, count: Int, on device: OpenCLDevice, queue: any DeviceQueue,
                             using random: inout SeededGenerator) throws -> MirroredBuffer {
        func drawn<Element>(_ specials: [Element], _ ordinary: (Int) -> Element) -> [Element] {
            (0..<count).map { _ in
                Int.random(in: 0..<8, using: &random) == 0
                    ? specials.randomElement(using: &random)! : ordinary(Int.random(in: -32...32, using: &random))
            }
        }
        switch dtype {
        case .float32:
            let specials: [Float] = [.nan, -.nan, Float(bitPattern: 0x7FC0_1234), .infinity, -.infinity, 0, -0.0]
            return try MirroredBuffer(dtype, elements: drawn(specials) { Float($0) / 4 }, on: device, queue: queue)
        case .float64:
            let specials: [Double] = [.nan, -.nan, Double(bitPattern: 0x7FF8_0000_0000_1234), .infinity, -.infinity, 0, -0.0]
            return try MirroredBuffer(dtype, elements: drawn(specials) { Double($0) / 4 }, on: device, queue: queue)
        case .float16:
            let specials: [Float16] = [.nan, -.nan, Float16(bitPattern: 0x7E12), .infinity, -.infinity, 0, -0.0]
            return try MirroredBuffer(dtype, elements: drawn(specials) { Float16(Float($0) / 4) }, on: device, queue: queue)
        case .bfloat16:
            let specials: [UInt16] = [0x7FC0, 0xFFC0, 0x7F81, 0x7F80, 0xFF80, 0, 0x8000]
            let elements = drawn(specials) { UInt16((Float($0) / 4).bitPattern >> 16) }
            return try MirroredBuffer(dtype, elements: elements, on: device, queue: queue)
        case .int32:
            return try MirroredBuffer(dtype, elements: drawn([Int32.min, .max]) { Int32($0 / 4) }, on: device, queue: queue)
        case .int64:
            return try MirroredBuffer(dtype, elements: drawn([Int64.min, .max]) { Int64($0 / 4) }, on: device, queue: queue)
        case .uint8:
            return try MirroredBuffer(dtype, elements: drawn([UInt8.min, .max]) { UInt8($0 / 4 + 8) }, on: device, queue: queue)
        case .bool:
            return try MirroredBuffer(dtype, elements: drawn([2, 255] as [UInt8]) { UInt8($0 & 1) }, on: device, queue: queue)
        }
    }
}
