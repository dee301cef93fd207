import Synchronization

/// The tensor engine's link to the devices: it resolves device requests through the
/// redirector (logging who asked). All tensor work for one real device runs on one in-order
/// queue, shared by every engine, so tensors made under different policies stay ordered.
public final class TensorEngine: Sendable {
    /// The process's engine, over `Redirector.shared`.
    public static let shared = TensorEngine(redirector: .shared, log: .shared)

    public let redirector: Redirector
    let log: RedirectionLog
    /// Whether a call this engine refuses (a thrown `TensorError`) is a `warn` record here.
    /// The C API's engines say no: each export records its own failure, with its C name.
    let recordsFailures: Bool
    /// One queue per device object, for the whole process.
    private static let queues = Mutex<[ObjectIdentifier: any DeviceQueue]>([:])

    /// - Parameter recordsFailures: false for a caller that records each failure itself.
    public init(redirector: Redirector, log: RedirectionLog = .shared, recordsFailures: Bool = true) {
        self.redirector = redirector
        self.log = log
        self.recordsFailures = recordsFailures
    }

    /// Where tensors asked for on `request` live. Every call is a `debug` record naming the
    /// caller; the redirector's first decision for a request is an `info` record, and its
    /// refusal (no such device) a `warn` record.
    func placement(_ request: DeviceRequest, api: String, from site: CallSite) throws(TensorError) -> TensorPlacement {
        let resolution = try TensorError.wrapping { () throws(DeviceError) in
            try redirector.resolve(request, api: api, from: site)
        }
        log.record(.debug, RedirectionRecord(api: api, requested: request.description, resolved: resolution.entry.id.description),
                   from: site)
        return try placement(request, on: resolution.device, api: api, site: site)
    }

    /// The placement for work that `request` runs on `device` (its own or a fallback), for `api`.
    func placement(_ request: DeviceRequest, on device: any ComputeDevice, api: String,
                   site: CallSite) throws(TensorError) -> TensorPlacement {
        do {
            return TensorPlacement(request: request, device: device, queue: try queue(for: device), engine: self, origin: site)
        } catch {
            throw refused(error, api: api, requested: request.description, resolved: device.id.description, from: site)
        }
    }

    /// Parses a device string, as `Tensor(…, device: "cuda:1")` takes it.
    static func request(_ text: String) throws(TensorError) -> DeviceRequest {
        do { return try DeviceRequest(parsing: text) } catch { throw .invalidDevice(error.description) }
    }

    private func queue(for device: any ComputeDevice) throws(TensorError) -> any DeviceQueue {
        let key = ObjectIdentifier(device)
        if let queue = Self.queues.withLock({ $0[key] }) { return queue }
        let made = try TensorError.wrapping { () throws(DeviceError) in try device.makeQueue() }
        return Self.queues.withLock { queues in
            if let raced = queues[key] { return raced }
            queues[key] = made
            return made
        }
    }
}

/// Where a tensor's elements live: the device its request resolved to, the queue its work
/// runs on, and the Swift code that placed it (named by fallback records). A class, shared by
/// every tensor placed by one call: each op passes it along, and a copy is one retain.
final class TensorPlacement: Sendable {
    let request: DeviceRequest
    let device: any ComputeDevice
    let queue: any DeviceQueue
    let engine: TensorEngine
    let origin: CallSite

    init(request: DeviceRequest, device: any ComputeDevice, queue: any DeviceQueue, engine: TensorEngine, origin: CallSite) {
        self.request = request
        self.device = device
        self.queue = queue
        self.engine = engine
        self.origin = origin
    }

    /// The placement that runs `op` on `dtype` for this tensor: this one when the device has
    /// the kernel, else the policy's fallback (logged once per op and dtype by the redirector).
    func executor(for op: KernelOp, _ dtype: DType, api: String) throws(TensorError) -> TensorPlacement {
        let resolution = try TensorError.wrapping { () throws(DeviceError) in
            try engine.redirector.resolve(request, op: op, dtype: dtype, api: api, from: origin)
        }
        if resolution.device.id == device.id { return self }
        return try engine.placement(request, on: resolution.device, api: api, site: origin)
    }

    func allocate(byteCount: Int) throws(TensorError) -> any DeviceBuffer {
        try running("Tensor.empty") { () throws(DeviceError) in try device.allocate(byteCount: Swift.max(byteCount, 1)) }
    }
}

/// A tensor's elements: one device buffer, shared by every view of it.
final class TensorStorage: Sendable {
    let buffer: any DeviceBuffer
    let placement: TensorPlacement

    init(buffer: any DeviceBuffer, placement: TensorPlacement) {
        self.buffer = buffer
        self.placement = placement
    }
}
