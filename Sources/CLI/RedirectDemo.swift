import DeviceShim

/// The redirection itself: a Swift program asks for `cuda:0`, the redirector picks the real
/// device by policy (logging the decision with this file and line), and a vector add runs
/// there through the backend contract.
func vectorAddOnRequestedDevice(_ requestText: String) throws {
    let redirector = Redirector.shared
    let request = try DeviceRequest(parsing: requestText)
    let resolution = try redirector.resolve(request, op: .binary(.add), dtype: .float32, api: "demo.vectorAdd")
    let device = resolution.device
    let count = 1 << 20
    let a = (0..<count).map { Float($0) }, b = (0..<count).map { Float(2 * $0) }
    var sum = [Float](repeating: 0, count: count)
    let bytes = count * MemoryLayout<Float>.size
    let queue = try device.makeQueue()
    let lhs = try device.allocate(byteCount: bytes), rhs = try device.allocate(byteCount: bytes), out = try device.allocate(byteCount: bytes)
    let start = MonotonicClock.now()
    try a.withUnsafeBytes { try queue.copy(from: $0.baseAddress!, to: BufferRegion(lhs)) }
    try b.withUnsafeBytes { try queue.copy(from: $0.baseAddress!, to: BufferRegion(rhs)) }
    try queue.binary(.add, lhs: StridedOperand(lhs, dtype: .float32, shape: [count]),
                     rhs: StridedOperand(rhs, dtype: .float32, shape: [count]), output: StridedOperand(out, dtype: .float32, shape: [count]))
    try sum.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(out), to: $0.baseAddress!) }
    try queue.synchronize()
    let elapsed = MonotonicClock.now() - start
    RedirectionLog.shared.record(.info, RedirectionRecord(
        api: "demo.vectorAdd", requested: request.description, resolved: resolution.entry.id.description,
        reason: resolution.reason, bytes: 3 * bytes, durationNanoseconds: elapsed, status: "ok"))
    let wrong = zip(a.indices, sum).first { index, value in value != a[index] + b[index] }
    say("deviceshim demo: \(request) -> \(resolution.entry.id) (\(resolution.entry.properties.name)): "
        + "added 2 × \(count) floats, sum[12345] = \(sum[12345]), " + (wrong == nil ? "all correct" : "WRONG at \(wrong!.0)"))
}
