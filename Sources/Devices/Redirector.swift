import Synchronization

/// Where a request went, and why.
public final class Resolution: Sendable {
    public let request: DeviceRequest
    public let entry: DeviceEntry
    public let device: any ComputeDevice
    /// The rule or fallback that decided it, as logged: `rule cuda=gpu,cpu; gpu: no hardware GPU`.
    public let reason: String
    /// Later targets of the rule that can take over ops the device does not support.
    public let fallbacks: [DeviceEntry]

    init(request: DeviceRequest, entry: DeviceEntry, device: any ComputeDevice, reason: String, fallbacks: [DeviceEntry]) {
        self.request = request
        self.entry = entry
        self.device = device
        self.reason = reason
        self.fallbacks = fallbacks
    }
}

/// The one place a request becomes a real device.
///
/// It applies the policy (and `CUDA_VISIBLE_DEVICES` to `cuda:N`), logs one `info` record
/// per decision with the rule that made it and the caller, and caches the decision. Ops a
/// device lacks fall back, op by op, to the next target of the rule that has them, and the
/// record says so.
public final class Redirector: Sendable {
    public let policy: RedirectPolicy
    public let registry: DeviceRegistry
    /// `CUDA_VISIBLE_DEVICES` as indices into the `cuda` rule's devices; nil when unset.
    public let visibleCudaDevices: [Int]?
    let log: RedirectionLog
    let decisions = Mutex<[DeviceRequest: Resolution]>([:])
    let opDecisions = Mutex<[OpKey: Resolution]>([:])
    /// `deviceCount` per kind (by `Kind.position`; -1 not counted yet), for the fault
    /// generation they were counted in.
    private let deviceCounts = Mutex<(generation: Int, counts: [Int])>((0, Redirector.uncounted))
    private static let uncounted = [Int](repeating: -1, count: DeviceRequest.Kind.allCases.count)
    /// Devices taken out of service, and ops disabled on a device, with why (RedirectorFaults).
    let faults = Mutex(Faults())
    /// Counts retirements and disabled ops, so callers that cache resolutions know to drop them.
    @usableFromInline let faultGeneration = Atomic<Int>(0)

    struct OpKey: Hashable {
        let request: DeviceRequest
        let op: KernelOp
        let dtype: DType
    }

    public init(policy: RedirectPolicy = .default, registry: DeviceRegistry = .shared, visibleCudaDevices: [Int]? = nil,
                log: RedirectionLog = .shared) {
        self.policy = policy
        self.registry = registry
        self.visibleCudaDevices = visibleCudaDevices
        self.log = log
    }

    /// Resolves `request` for a Swift caller (named in the record by file and line).
    public func resolve(_ request: DeviceRequest, api: String = "resolve",
                        fileID: String = #fileID, line: Int = #line, function: String = #function) throws(DeviceError) -> Resolution {
        try resolve(request, api: api, from: .swift(fileID: fileID, line: line, function: function))
    }

    /// Resolves `request`; the first decision for each request is logged at `info`.
    public func resolve(_ request: DeviceRequest, api: String, from site: CallSite) throws(DeviceError) -> Resolution {
        if let known = decisions.withLock({ $0[request] }) { return known }
        let resolution: Resolution
        do {
            resolution = try decide(request)
        } catch {
            log.record(.warn, RedirectionRecord(api: api, requested: request.description, status: "no device",
                                                message: error.description), from: site)
            throw error
        }
        let isFirst = decisions.withLock { $0.updateValue(resolution, forKey: request) == nil }
        if isFirst {
            log.record(.info, RedirectionRecord(api: api, requested: request.description, resolved: resolution.entry.id.description,
                                                reason: resolution.reason), from: site)
        }
        return resolution
    }

    /// The device that runs `op` on `dtype` for `request`, for a Swift caller (named in the
    /// records by file and line).
    public func resolve(_ request: DeviceRequest, op: KernelOp, dtype: DType, api: String = "resolve",
                        fileID: String = #fileID, line: Int = #line, function: String = #function) throws(DeviceError) -> Resolution {
        try resolve(request, op: op, dtype: dtype, api: api, from: .swift(fileID: fileID, line: line, function: function))
    }

    /// The device that runs `op` on `dtype` for `request`: the resolved device if it has the
    /// kernel, else the first fallback that has it (logged at `info` once per op and dtype).
    public func resolve(_ request: DeviceRequest, op: KernelOp, dtype: DType, api: String,
                        from site: CallSite) throws(DeviceError) -> Resolution {
        let key = OpKey(request: request, op: op, dtype: dtype)
        if let known = opDecisions.withLock({ $0[key] }) { return known }
        let primary = try resolve(request, api: api, from: site)
        var chosen = primary
        if !serves(primary.entry, op, dtype) {
            guard let fallback = primary.fallbacks.first(where: { serves($0, op, dtype) }),
                  let device = fallback.compute else {
                let tried = ([primary.entry] + primary.fallbacks).map(\.id.description).joined(separator: ", ")
                log.record(.warn, RedirectionRecord(api: api, requested: request.description, status: "unsupported",
                                                    message: "no device has \(op) for \(dtype) (tried \(tried))"), from: site)
                throw .unsupported(device: primary.entry.id, op: op, dtype: dtype)
            }
            let why = disabledReason(op, dtype, on: primary.entry.id).map { "its \(op) for \(dtype) failed: \($0)" }
            chosen = Resolution(request: request, entry: fallback, device: device,
                                reason: "fallback: \(primary.entry.id) " + (why ?? "has no \(op) for \(dtype)"), fallbacks: [])
            log.record(.info, RedirectionRecord(api: api, requested: request.description, resolved: fallback.id.description,
                                                reason: chosen.reason), from: site)
        }
        opDecisions.withLock { $0[key] = chosen }
        return chosen
    }

    /// How many devices `kind` has (`cuda:0` … `cuda:N-1`), after `CUDA_VISIBLE_DEVICES`.
    /// Counted once per kind until a fault retires a device: working out the slots walks the
    /// policy's rules and the devices (about 4 µs), and CUDA programs ask often
    /// (`cudaGetDeviceCount`, and `cudaPointerGetAttributes` through each index).
    public func deviceCount(_ kind: DeviceRequest.Kind) -> Int {
        let (generation, position) = (self.generation, kind.position)
        let known = deviceCounts.withLock { $0.generation == generation ? $0.counts[position] : -1 }
        if known >= 0 { return known }
        let count = slots(for: kind).visible.count
        deviceCounts.withLock { cache in
            if cache.generation != generation { cache = (generation, Self.uncounted) }
            cache.counts[position] = count
        }
        return count
    }

    /// The decision for `request` without logging or caching (for `policy explain`).
    public func explain(_ request: DeviceRequest) -> Result<Resolution, DeviceError> {
        do throws(DeviceError) { return .success(try decide(request)) } catch { return .failure(error) }
    }

    // MARK: - Deciding

    private func decide(_ request: DeviceRequest) throws(DeviceError) -> Resolution {
        switch request.kind {
        case .cuda, .mps, .gpu:
            let slots = slots(for: request.kind)
            let index = request.index ?? 0
            guard index >= 0, index < slots.visible.count else {
                if slots.visible.isEmpty { throw .noDevice(request: request.description, reason: slots.reason) }
                throw .invalidDeviceIndex(request: request.description, available: slots.visible.count)
            }
            guard let slot = slots.visible[index] else {
                throw .noDevice(request: request.description, reason: "no rule gives \(request) a device")
            }
            return slot.resolution(for: request)
        case .cpu, .opencl, .vulkan:
            if let index = request.index, index < 0 {
                throw .invalidDeviceIndex(request: request.description, available: registry.entries(of: BackendKind(rawValue: request.kind.rawValue)!).count)
            }
            let choice = choose(policy.rule(for: request))
            guard let slot = choice.slots.first else { throw .noDevice(request: request.description, reason: choice.reason) }
            return slot.resolution(for: request)
        }
    }

    /// One device a kind's index maps to, with the reason and the fallbacks.
    private struct Slot {
        let entry: DeviceEntry
        let reason: String
        let fallbacks: [DeviceEntry]

        func resolution(for request: DeviceRequest) -> Resolution {
            Resolution(request: request, entry: entry, device: entry.compute!, reason: reason, fallbacks: fallbacks)
        }
    }

    /// The devices `kind:0`, `kind:1`, … map to: the first target of the kind's rule that
    /// has devices that compute, with `kind:N` rules in their places and, for `cuda`,
    /// reordered and restricted by `CUDA_VISIBLE_DEVICES` as CUDA does.
    private func slots(for kind: DeviceRequest.Kind) -> (visible: [Slot?], reason: String) {
        let base = choose(policy.rule(for: DeviceRequest(kind)))
        var physical: [Slot?] = base.slots
        for rule in policy.rules where rule.request.kind == kind {
            guard let index = rule.request.index else { continue }
            let choice = choose(rule)
            while physical.count <= index { physical.append(nil) }
            physical[index] = choice.slots.first
        }
        guard kind == .cuda, let visible = visibleCudaDevices else { return (physical, base.reason) }
        var mapped: [Slot?] = []
        for (position, index) in visible.enumerated() {
            guard index >= 0, index < physical.count, !visible[..<position].contains(index) else { break }
            guard let slot = physical[index] else { mapped.append(nil); continue }
            mapped.append(Slot(entry: slot.entry, reason: slot.reason + "; CUDA_VISIBLE_DEVICES maps cuda:\(position) to \(index)",
                               fallbacks: slot.fallbacks))
        }
        let reason = mapped.isEmpty ? base.reason + "; CUDA_VISIBLE_DEVICES=\(visible.map(String.init).joined(separator: ",")) leaves none" : base.reason
        return (mapped, reason)
    }

    /// Walks a rule's targets in order; the first with computing devices gives the slots.
    private func choose(_ rule: RedirectPolicy.Rule) -> (slots: [Slot], reason: String) {
        var notes: [String] = []
        for (position, target) in rule.targets.enumerated() {
            let candidates = devices(for: target)
            let computing = candidates.filter { $0.compute != nil && retiredReason($0.id) == nil }
            for entry in candidates where entry.compute == nil {
                notes.append("\(entry.id) cannot compute: \(entry.whyNoCompute ?? "no compute backend")")
            }
            for entry in candidates {
                if let why = retiredReason(entry.id) { notes.append("\(entry.id) was retired: \(why)") }
            }
            if candidates.isEmpty { notes.append("\(target): \(whyNoDevices(target))") }
            guard !computing.isEmpty else { continue }
            let reason = (["rule \(rule)"] + notes).joined(separator: "; ")
            let fallbacks = rule.targets[(position + 1)...].compactMap { target in
                devices(for: target).first { $0.compute != nil && retiredReason($0.id) == nil }
            }
            return (computing.map { Slot(entry: $0, reason: reason, fallbacks: fallbacks) }, reason)
        }
        return ([], (["rule \(rule)"] + notes).joined(separator: "; "))
    }

    private func devices(for target: PolicyTarget) -> [DeviceEntry] {
        switch target {
        case let .backend(backend, index):
            let entries = registry.entries(of: backend)
            guard let index else { return entries }
            return entries.indices.contains(index) ? [entries[index]] : []
        case .gpu:
            for backend in [BackendKind.vulkan, .opencl] {
                let gpus = registry.entries(of: backend).filter { $0.properties.type.isGPU && !$0.properties.isSoftware }
                if !gpus.isEmpty { return gpus.sorted(by: Redirector.isBetterGPU) }
            }
            return []
        }
    }

    /// Discrete before integrated before virtual; then more memory.
    private static func isBetterGPU(_ lhs: DeviceEntry, _ rhs: DeviceEntry) -> Bool {
        let rank: [DeviceType] = [.discreteGPU, .integratedGPU, .virtualGPU]
        let left = rank.firstIndex(of: lhs.properties.type) ?? rank.count, right = rank.firstIndex(of: rhs.properties.type) ?? rank.count
        return left != right ? left < right : lhs.properties.memoryBytes > rhs.properties.memoryBytes
    }

    private func whyNoDevices(_ target: PolicyTarget) -> String {
        switch target {
        case let .backend(backend, index):
            let discovery = registry.backends.first { $0.discovery.backend == backend }?.discovery
            if let index, let count = discovery?.devices.count, count > 0 { return "no device \(index) (\(count) found)" }
            return discovery?.note ?? "no devices"
        case .gpu:
            return "no hardware GPU"
        }
    }
}
