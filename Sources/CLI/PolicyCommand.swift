import ArgumentParser
import DeviceShim

/// `deviceshim-cli policy explain [POLICY]`: where `cuda:0`, `cuda:1`, `mps` and `gpu` go, and why.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Explain redirect policies.", subcommands: [Explain.self])

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what cuda:0, cuda:1, mps and gpu resolve to, and why.",
            discussion: """
                POLICY is policy text such as "cuda=vulkan,opencl,cpu;mps=opencl,cpu;cuda:1=opencl:0". \
                Without it, the policy comes from DEVICESHIM_CONFIG and DEVICESHIM_POLICY (or the default), \
                and CUDA_VISIBLE_DEVICES applies as usual.
                """)

        @Argument(help: "Policy text to explain instead of the environment's.")
        var policy: String?

        @Option(name: .customLong("request"), help: "A request to explain (repeatable); default cuda:0, cuda:1, mps, gpu.")
        var requests: [String] = []

        func run() throws {
            let redirector: Redirector
            if let policy {
                do throws(PolicyError) {
                    let parsed = try RedirectPolicy(parsing: policy, source: "POLICY")
                    redirector = Redirector(policy: parsed.layered(over: .default),
                                            visibleCudaDevices: Redirector.shared.visibleCudaDevices)
                } catch {
                    throw ValidationError(error.description)
                }
            } else {
                redirector = Redirector.shared
            }
            print("policy: \(redirector.policy)" + (redirector.policy == .default ? " (the default)" : ""))
            if let visible = redirector.visibleCudaDevices {
                print("CUDA_VISIBLE_DEVICES: " + (visible.isEmpty ? "empty, so no cuda device is visible" : visible.map(String.init).joined(separator: ",")))
            }
            var rows: [[String]] = []
            for text in requests.isEmpty ? ["cuda:0", "cuda:1", "mps", "gpu"] : requests {
                let request: DeviceRequest
                do throws(PolicyError) { request = try DeviceRequest(parsing: text) } catch { throw ValidationError(error.description) }
                switch redirector.explain(request) {
                case let .success(resolution):
                    rows.append([request.description, "-> \(resolution.entry.id)", resolution.entry.properties.name,
                                 "(\(resolution.reason))"])
                case let .failure(error):
                    rows.append([request.description, "-> none", error.description, ""])
                }
            }
            print(table(rows))
        }
    }
}
