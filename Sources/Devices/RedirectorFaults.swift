import Synchronization

/// What the redirector learned from faults: devices that were lost, and ops whose kernel
/// failed on a device (a compile failure).
struct Faults {
    var retired: [DeviceID: String] = [:]
    var disabledOps: [DisabledOp: String] = [:]

    struct DisabledOp: Hashable {
        let device: DeviceID
        let op: KernelOp
        let dtype: DType
    }
}

/// Faults move work to the next target of the policy (DESIGN.md, Backends): a lost device is
/// retired, an op whose kernel fails to build is disabled on its device, and memory a device
/// cannot hold is asked of the next device. Each step is a `warn` record naming the device,
/// the error and where the work goes now.
extension Redirector {
    /// Takes `device` out of service after `error` (a lost device). Decisions that chose it
    /// are forgotten, so the next resolution of their requests passes over it to the next
    /// target of the rule, and says why in its reason.
    public func retire(_ device: DeviceID, because error: DeviceError, api: String, from site: CallSite) {
        let isNew = faults.withLock { $0.retired.updateValue(error.description, forKey: device) == nil }
        guard isNew else { return }
        forgetDecisions { $0.entry.id == device }
        log.record(.warn, RedirectionRecord(api: api, resolved: device.description, status: "retired",
                                            message: "\(error); later requests go to the policy's next target"), from: site)
    }

    /// Stops using `device` for `op` on `dtype` after its kernel failed with `error`: later
    /// resolutions of that op fall back as if the device lacked the kernel.
    public func disable(_ op: KernelOp, _ dtype: DType, on device: DeviceID, because error: DeviceError, api: String,
                        from site: CallSite) {
        let key = Faults.DisabledOp(device: device, op: op, dtype: dtype)
        let isNew = faults.withLock { $0.disabledOps.updateValue(error.description, forKey: key) == nil }
        guard isNew else { return }
        opDecisions.withLock { decisions in decisions = decisions.filter { $0.value.entry.id != device } }
        faultGeneration.add(1, ordering: .releasing)
        log.record(.warn, RedirectionRecord(api: api, resolved: device.description, status: "disabled",
                                            message: "\(op) for \(dtype) failed: \(error); it falls back from now on"), from: site)
    }

    /// Why `device` was retired, or nil while it is in service.
    public func retiredReason(_ device: DeviceID) -> String? {
        faults.withLock { $0.retired[device] }
    }

    /// Why `op` on `dtype` was disabled on `device`, or nil.
    public func disabledReason(_ op: KernelOp, _ dtype: DType, on device: DeviceID) -> String? {
        faults.withLock { $0.disabledOps[Faults.DisabledOp(device: device, op: op, dtype: dtype)] }
    }

    /// Changes each time a device is retired or an op disabled: a caller that keeps
    /// resolutions drops them when this moves. Inlinable: hot paths read it on every call.
    @inlinable public var generation: Int { faultGeneration.load(ordering: .acquiring) }

    /// Runs `body` on the device serving `op` on `dtype` for `request` and, when that device
    /// faults, on the next one: a compile failure (or a kernel the device turns out to lack)
    /// disables the op there, a lost device is retired, and out of memory tries the next
    /// device for this call only. The error of the last device tried is thrown when none is left.
    /// `body` must place its data on the device it is given.
    public func perform<Result>(_ request: DeviceRequest, op: KernelOp, dtype: DType, api: String, from site: CallSite,
                                _ body: (any ComputeDevice) throws(DeviceError) -> Result) throws(DeviceError) -> Result {
        var skipped: Set<DeviceID> = []
        while true {
            // Records the op's decision (and any fallback) once; the order below is the same.
            _ = try resolve(request, op: op, dtype: dtype, api: api, from: site)
            let primary = try resolve(request, api: api, from: site)
            let candidates = ([primary.entry] + primary.fallbacks).filter { serves($0, op, dtype) && !skipped.contains($0.id) }
            guard let entry = candidates.first, let device = entry.compute else {
                throw .noDevice(request: request.description, reason: "every device for \(op) on \(dtype) failed")
            }
            do throws(DeviceError) {
                return try body(device)
            } catch {
                switch error {
                case .compileFailed, .unsupported: disable(op, dtype, on: device.id, because: error, api: api, from: site)
                case .deviceLost: retire(device.id, because: error, api: api, from: site)
                case .outOfMemory where candidates.count > 1:
                    skipped.insert(device.id)
                    log.record(.warn, RedirectionRecord(api: api, requested: request.description, resolved: device.id.description,
                                                        status: "out of memory", message: "\(error); trying \(candidates[1].id)"),
                               from: site)
                default: throw error
                }
            }
        }
    }

    /// Whether `entry` computes `op` on `dtype`, is in service and has not failed at it.
    func serves(_ entry: DeviceEntry, _ op: KernelOp, _ dtype: DType) -> Bool {
        guard let device = entry.compute, device.supports(op, dtype) else { return false }
        return faults.withLock { $0.retired[entry.id] == nil && $0.disabledOps[Faults.DisabledOp(device: entry.id, op: op, dtype: dtype)] == nil }
    }

    private func forgetDecisions(where chose: (Resolution) -> Bool) {
        decisions.withLock { decisions in decisions = decisions.filter { !chose($0.value) } }
        opDecisions.withLock { decisions in decisions = decisions.filter { !chose($0.value) } }
        faultGeneration.add(1, ordering: .releasing)
    }
}
