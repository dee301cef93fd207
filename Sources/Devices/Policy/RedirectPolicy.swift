/// Which real device serves each request: an ordered list of targets per requested kind
/// (`cuda`) or kind and index (`cuda:1`), tried in order, the later ones also serving as
/// per-op fallbacks.
///
/// Text form: `cuda=vulkan,opencl,cpu;mps=opencl,cpu;cuda:1=opencl:0`. Requests without a
/// rule of their own: `cuda:N` uses the `cuda` rule; `cpu`, `opencl[:N]` and `vulkan[:N]`
/// go to that backend; `gpu` goes to the best hardware GPU, then the CPU.
public struct RedirectPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The rules in the order they were written.
    public private(set) var rules: [Rule]

    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        public var request: DeviceRequest
        public var targets: [PolicyTarget]
        public var description: String { "\(request)=" + targets.map(\.description).joined(separator: ",") }
    }

    /// Real GPUs first (Vulkan, then OpenCL: the `gpu` target), then the native CPU backend.
    /// Software devices (lavapipe, PoCL's CPU device) serve only policies that name their
    /// backend: the native CPU backend is faster than either on the same cores.
    public static let `default` = RedirectPolicy(rules: [
        Rule(request: DeviceRequest(.cuda), targets: [.gpu, .backend(.cpu, index: nil)]),
        Rule(request: DeviceRequest(.mps), targets: [.gpu, .backend(.cpu, index: nil)]),
        Rule(request: DeviceRequest(.gpu), targets: [.gpu, .backend(.cpu, index: nil)]),
    ])

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// Parses policy text; `source` names it in errors (e.g. "DEVICESHIM_POLICY").
    public init(parsing text: String, source: String = "policy") throws(PolicyError) {
        var parser = PolicyParser(text, source: source)
        rules = try parser.parsePolicy().map { Rule(request: $0.request, targets: $0.targets) }
    }

    /// This policy's rules, with `base`'s rules for requests this policy does not mention.
    public func layered(over base: RedirectPolicy) -> RedirectPolicy {
        RedirectPolicy(rules: rules + base.rules.filter { rule in !rules.contains { $0.request == rule.request } })
    }

    /// The rule that decides `request`: its own (`cuda:1`), else its kind's (`cuda`), else
    /// the built-in one for direct requests (`vulkan:0` → `vulkan:0`).
    public func rule(for request: DeviceRequest) -> Rule {
        if let exact = rules.first(where: { $0.request == request }) { return exact }
        if request.index != nil, let general = rules.first(where: { $0.request == DeviceRequest(request.kind) }) { return general }
        switch request.kind {
        case .cpu: return Rule(request: request, targets: [.backend(.cpu, index: request.index)])
        case .opencl: return Rule(request: request, targets: [.backend(.opencl, index: request.index)])
        case .vulkan: return Rule(request: request, targets: [.backend(.vulkan, index: request.index)])
        case .cuda, .mps, .gpu:
            return RedirectPolicy.default.rules.first { $0.request.kind == request.kind }!
        }
    }

    public var description: String { rules.map(\.description).joined(separator: ";") }
}
