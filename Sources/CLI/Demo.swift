import ArgumentParser
import DeviceShim
import Foundation

/// `deviceshim-cli demo`: the redirection log as a Swift program sees it.
///
/// Devices and the redirect policy arrive with the Devices issue; until then the records
/// here are the log's own demonstration records (api `demo.*`), made from real call sites.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show DeviceShim's redirection log from a Swift program.")

    func run() throws {
        let log = RedirectionLog.shared
        let configuration = log.configuration
        say("deviceshim demo: log level \(configuration.level), \(configuration.format.rawValue) to \(configuration.file ?? "stderr")")
        say("deviceshim demo: native callers: \(NativeCallers.capabilities)")
        loadWeights(log)
        let done = DispatchSemaphore(value: 0)
        Thread {
            Thread.current.name = "loader"
            loadWeights(log)
            done.signal()
        }.start()
        done.wait()
    }
}

/// A call site with a timed record, as a redirected copy will have.
func loadWeights(_ log: RedirectionLog) {
    let start = MonotonicClock.now()
    let weights = [Float](repeating: 1, count: 1 << 20)
    var record = RedirectionRecord(api: "demo.copy", requested: "cuda:0", bytes: weights.count * MemoryLayout<Float>.size,
                                   durationNanoseconds: MonotonicClock.now() - start, status: "ok")
    record.timeNanoseconds = start
    log.record(.info, record)
    log.record(.debug, RedirectionRecord(api: "demo.query", status: "ok"), arguments: "device=0")
}

/// Writes a line to stdout at once (unbuffered), so it stays in order with the log on stderr.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
