#if canImport(Glibc)
import Glibc
#endif

/// The redirect settings a process runs with: the policy (built-in default, then the rules of
/// the file named by `DEVICESHIM_CONFIG`, then those of `DEVICESHIM_POLICY`, later ones
/// winning per request) and `CUDA_VISIBLE_DEVICES`.
public struct PolicySettings: Sendable, Hashable {
    public var policy: RedirectPolicy
    public var visibleCudaDevices: [Int]?

    public enum Variable {
        public static let policy = "DEVICESHIM_POLICY"
        public static let configFile = "DEVICESHIM_CONFIG"
        public static let visibleCudaDevices = "CUDA_VISIBLE_DEVICES"
    }

    public init(policy: RedirectPolicy = .default, visibleCudaDevices: [Int]? = nil) {
        self.policy = policy
        self.visibleCudaDevices = visibleCudaDevices
    }

    /// Reads the settings. Bad policy text never fails: that source is ignored and
    /// `problems` says where it is wrong and what was expected.
    public static func reading(environment: (String) -> String?,
                               readFile: (String) -> Result<String, FileReadError> = readTextFile)
        -> (settings: PolicySettings, problems: [String]) {
        var policy = RedirectPolicy.default
        var problems: [String] = []
        if let path = nonEmpty(environment(Variable.configFile)) {
            switch readFile(path) {
            case let .success(text):
                do throws(PolicyError) {
                    policy = try RedirectPolicy(parsing: text, source: path).layered(over: policy)
                } catch {
                    problems.append("\(Variable.configFile): \(error); the file is ignored")
                }
            case let .failure(error):
                problems.append("\(Variable.configFile)=\"\(path)\" cannot be read (\(error.reason)); the file is ignored")
            }
        }
        if let text = nonEmpty(environment(Variable.policy)) {
            do throws(PolicyError) {
                policy = try RedirectPolicy(parsing: text, source: Variable.policy).layered(over: policy)
            } catch {
                problems.append("\(error); using \(policy == .default ? "the default policy" : "the policy without it")")
            }
        }
        let visible = environment(Variable.visibleCudaDevices).map(parseVisibleDevices)
        return (PolicySettings(policy: policy, visibleCudaDevices: visible), problems)
    }

    /// `CUDA_VISIBLE_DEVICES` as CUDA reads it: comma-separated indices, up to the first entry
    /// that is not one (later entries are ignored); an empty value hides every device.
    public static func parseVisibleDevices(_ text: String) -> [Int] {
        var indices: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingWhitespace()
            guard let index = Int(trimmed), index >= 0 else { break }
            indices.append(index)
        }
        return indices
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingWhitespace().isEmpty else { return nil }
        return value
    }
}

/// Why a file could not be read.
public struct FileReadError: Error, Sendable, Hashable {
    public var reason: String
}

/// Reads a whole text file (UTF-8) without Foundation.
public func readTextFile(_ path: String) -> Result<String, FileReadError> {
    guard let file = fopen(path, "r") else { return .failure(FileReadError(reason: String(cString: strerror(errno)))) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count > 0 { bytes.append(contentsOf: chunk[..<count]) }
        if count < chunk.count { break }
    }
    if ferror(file) != 0 { return .failure(FileReadError(reason: "read error")) }
    return .success(String(decoding: bytes, as: UTF8.self))
}

extension Redirector {
    /// The process's redirector: settings from the environment (a bad setting is one
    /// warning and the default), devices from `DeviceRegistry.shared`.
    public static let shared: Redirector = {
        let (settings, problems) = PolicySettings.reading(environment: { getenv($0).map { String(cString: $0) } })
        for problem in problems {
            RedirectionLog.shared.recordEvent(.warn, RedirectionRecord(api: "deviceshim.configuration", message: problem))
        }
        return Redirector(policy: settings.policy, visibleCudaDevices: settings.visibleCudaDevices)
    }()
}
