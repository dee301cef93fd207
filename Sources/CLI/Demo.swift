import ArgumentParser
import DeviceShim

/// `deviceshim-cli demo`: shows the redirection log from a Swift program.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show DeviceShim's redirection records from a Swift program.")

    func run() throws {
        let log = RedirectionLog.shared
        print("log: \(log.configuration.level), \(log.configuration.format.rawValue) to \(log.configuration.file ?? "stderr")")
        print("native callers: \(NativeCallers.capabilities)")
        log.record(.info, RedirectionRecord(api: "demo.request", requested: "cuda:0", message: "devices and the policy arrive with the Devices issue"))
        log.record(.debug, RedirectionRecord(api: "demo.call", status: "ok"), arguments: "n=42")
    }
}
