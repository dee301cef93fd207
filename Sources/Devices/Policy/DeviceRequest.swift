/// What a program asks for: `cuda`, `cuda:1`, `mps`, `cpu`, `opencl:0`, `vulkan`, `gpu`.
public struct DeviceRequest: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of device a program can ask for, hashed by case (`CaseHashable`): the
    /// redirector looks requests up in dictionaries on every resolution.
    public enum Kind: String, Sendable, CaseHashable, CaseIterable {
        case cuda, mps, cpu, opencl, vulkan, gpu

        /// The case's place in `allCases`.
        public var position: Int { Int(caseNumber) }
    }

    public let kind: Kind
    /// The index asked for, if any (`cuda:1`); nil means the kind's current/first device.
    public let index: Int?

    public init(_ kind: Kind, index: Int? = nil) {
        self.kind = kind
        self.index = index
    }

    /// Parses `kind[:index]`, as in `"cuda:0"`; throws a `PolicyError` naming what is wrong.
    public init(parsing text: String) throws(PolicyError) {
        var parser = PolicyParser(text, source: "device request")
        self = try parser.parseWholeRequest()
    }

    public var description: String { index.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue }
}

/// One entry of a rule's ordered target list.
public enum PolicyTarget: Sendable, Hashable, CustomStringConvertible {
    /// A named backend: `vulkan` (its devices in order, software ones included) or `vulkan:1`.
    case backend(BackendKind, index: Int?)
    /// The best hardware GPU on the machine (Vulkan first, then OpenCL; never a software
    /// implementation such as lavapipe or PoCL's CPU device).
    case gpu

    public var description: String {
        switch self {
        case let .backend(kind, index): index.map { "\(kind):\($0)" } ?? kind.rawValue
        case .gpu: "gpu"
        }
    }
}

/// A policy text that could not be read: where, what was expected, and what was found.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the text came from: "DEVICESHIM_POLICY", a config file's path, "device request".
    public var source: String
    /// 1-based line and column of the problem.
    public var line: Int
    public var column: Int
    public var expected: String
    public var found: String

    public var description: String {
        let place = line > 1 ? "line \(line), column \(column)" : "character \(column)"
        return "\(source): at \(place): expected \(expected), found \(found)"
    }
}
