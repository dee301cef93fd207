import ArgumentParser
import DeviceShim
import Foundation
import Synchronization

/// `deviceshim-cli demo`: a Swift program asks for `cuda:0` and `mps`; the redirector sends
/// each to a real device by policy, and the log shows every decision with its caller.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show redirection and its log from a Swift program.")

    func run() throws {
        let configuration = RedirectionLog.shared.configuration
        say("deviceshim demo: log level \(configuration.level), \(configuration.format.rawValue) to \(configuration.file ?? "stderr")")
        say("deviceshim demo: native callers: \(NativeCallers.capabilities)")
        try vectorAddOnRequestedDevice("cuda:0")
        // A second thread, so the Chrome trace shows a second track.
        let failure = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            Thread.current.name = "worker"
            do { try vectorAddOnRequestedDevice("mps") } catch { failure.withLock { $0 = error } }
            done.signal()
        }.start()
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        try tensorsOnRequestedDevices()
    }
}

/// Writes a line to stdout at once (unbuffered), so it stays in order with the log on stderr.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
