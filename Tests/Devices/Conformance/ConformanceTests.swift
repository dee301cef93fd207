import Testing
@testable import DeviceShimDevices

/// Every device that computes on this machine (CPU, and OpenCL and Vulkan where their
/// drivers exist) against the CPU's float64 reference, and proof that the suite catches a
/// device that computes wrongly.
@Suite struct ConformanceTests {
    static var computingDevices: [DeviceID] { DeviceRegistry.shared.entries.filter { $0.compute != nil }.map(\.id) }

    @Test(arguments: computingDevices)
    func deviceMatchesTheFloat64Reference(id: DeviceID) throws {
        let device = try #require(DeviceRegistry.shared.entry(id)?.compute)
        let report = try ConformanceSuite(device: device).run()
        let worst = report.worstError.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }
        print("conformance \(id) (\(device.properties.name)): \(report.checked) cases, \(report.failures.count) failures;",
              "worst normalised error: \(worst.joined(separator: ", "))")
        #expect(report.checked > 0)
        for failure in report.failures.prefix(40) { Issue.record("\(failure)") }
    }

    @Test func theSuiteCatchesAWrongKernel() throws {
        let report = try ConformanceSuite(device: MiscomputingDevice()).run()
        #expect(report.checked > 100)
        #expect(report.failures.count == 5, "each of the five non-empty exp cases should fail")
        #expect(report.failures.allSatisfy { $0.contains(" exp ") }, "only exp is wrong: \(report.failures.prefix(3))")
    }
}

/// The CPU device (float32 and int32 only) with one bug: `exp` results are 0.1% too large,
/// the kind of error a wrong constant in a kernel makes.
final class MiscomputingDevice: ComputeDevice {
    let cpu = CPUDevice.shared
    var id: DeviceID { DeviceID(.cpu, 7) }
    var properties: DeviceProperties { cpu.properties }
    var freeMemoryBytes: UInt64? { nil }

    func supports(_ op: KernelOp, _ dtype: DType) -> Bool {
        cpu.supports(op, dtype) && (dtype == .float32 || dtype == .int32)
    }
    func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer { try cpu.allocate(byteCount: byteCount) }
    func makeQueue() throws(DeviceError) -> any DeviceQueue { MiscomputingQueue(base: try cpu.makeQueue()) }
}

/// Forwards everything to a CPU queue, except that `exp` results are scaled by 1.001.
final class MiscomputingQueue: DeviceQueue {
    let base: any DeviceQueue
    init(base: any DeviceQueue) { self.base = base }

    var device: any ComputeDevice { base.device }
    var isIdle: Bool { base.isIdle }

    func unary(_ op: UnaryOp, input: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try base.unary(op, input: input, output: output)
        guard op == .exp else { return }
        let scale = try base.device.allocate(byteCount: output.dtype.byteSize)
        try base.fill(BufferRegion(scale), with: FillPattern(element: Float(1.001)))
        let broadcast = StridedOperand(scale, dtype: output.dtype, shape: output.shape, strides: output.shape.map { _ in 0 })
        try base.binary(.mul, lhs: output, rhs: broadcast, output: output)
    }

    func copy(from source: UnsafeRawPointer, to destination: BufferRegion) throws(DeviceError) { try base.copy(from: source, to: destination) }
    func copy(from source: BufferRegion, to destination: UnsafeMutableRawPointer) throws(DeviceError) { try base.copy(from: source, to: destination) }
    func copy(from source: BufferRegion, to destination: BufferRegion) throws(DeviceError) { try base.copy(from: source, to: destination) }
    func fill(_ destination: BufferRegion, with pattern: FillPattern) throws(DeviceError) { try base.fill(destination, with: pattern) }
    func binary(_ op: BinaryOp, lhs: StridedOperand, rhs: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try base.binary(op, lhs: lhs, rhs: rhs, output: output)
    }
    func reduce(_ op: ReductionOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try base.reduce(op, input: input, axis: axis, output: output)
    }
    func alongAxis(_ op: AxisOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try base.alongAxis(op, input: input, axis: axis, output: output)
    }
    func convert(input: StridedOperand, output: StridedOperand) throws(DeviceError) { try base.convert(input: input, output: output) }
    func gemm(_ operation: GemmOperation) throws(DeviceError) { try base.gemm(operation) }
    func select(condition: StridedOperand, whenTrue: StridedOperand, whenFalse: StridedOperand,
                output: StridedOperand) throws(DeviceError) {
        try base.select(condition: condition, whenTrue: whenTrue, whenFalse: whenFalse, output: output)
    }
    func gather(input: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                outOfRange: BufferRegion?) throws(DeviceError) {
        try base.gather(input: input, index: index, axis: axis, output: output, outOfRange: outOfRange)
    }
    func scatter(_ mode: ScatterMode, source: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                 outOfRange: BufferRegion?) throws(DeviceError) {
        try base.scatter(mode, source: source, index: index, axis: axis, output: output, outOfRange: outOfRange)
    }
    func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        try base.argsort(input: input, axis: axis, descending: descending, output: output)
    }
    func enqueueHostCallback(_ body: @escaping @Sendable () -> Void) throws(DeviceError) { try base.enqueueHostCallback(body) }
    func enqueueStatusCallback(_ body: @escaping @Sendable (DeviceError?) -> Void) throws(DeviceError) {
        try base.enqueueStatusCallback(body)
    }
    func enqueueMarker() throws(DeviceError) -> any QueueMarker { try base.enqueueMarker() }
    func wait(for marker: any QueueMarker) throws(DeviceError) { try base.wait(for: marker) }
    func synchronize() throws(DeviceError) { try base.synchronize() }
}
