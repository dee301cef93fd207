#if canImport(Glibc)
import Glibc
#endif

/// One line of a results table: a DeviceShim case and the peer measured next to it.
struct ResultRow {
    /// What is measured, e.g. `disabled record site`.
    var name: String
    /// DeviceShim's median nanoseconds per operation.
    var deviceShim: Double
    /// What DeviceShim is compared with, e.g. `swift-log disabled debug()`.
    var peer: String
    /// The peer's median nanoseconds per operation, measured in the same run.
    var peerNanoseconds: Double
    /// The most DeviceShim may cost per operation, or nil when the case has no target.
    var target: Double?
    /// Printed after the verdict, e.g. the ratio of the best samples.
    var note = ""

    /// Peer time over DeviceShim time: above 1 means DeviceShim is faster.
    var ratio: Double { peerNanoseconds / deviceShim }

    var verdict: String {
        guard let target else { return "-" }
        return deviceShim <= target ? "meets" : "misses"
    }
}

enum Report {
    /// `machine: 2 CPUs, Intel(R) Xeon(R) Processor; release build`.
    static func machineHeader() -> String {
        #if DEBUG
        let build = "DEBUG build (numbers are not meaningful; use -c release)"
        #else
        let build = "release build"
        #endif
        return "machine: \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs (nproc), \(cpuModel()); \(build)"
    }

    /// The first `model name` of /proc/cpuinfo, or `unknown CPU`.
    static func cpuModel() -> String {
        guard let file = fopen("/proc/cpuinfo", "r") else { return "unknown CPU" }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard line.hasPrefix("model name"), let colon = line.firstIndex(of: ":") else { continue }
            return String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }.prefix { $0 != "\n" })
        }
        return "unknown CPU"
    }

    /// Prints `rows` as an aligned table with a title and notes underneath.
    static func printTable(title: String, rows: [ResultRow], notes: [String]) {
        let withNotes = rows.contains { !$0.note.isEmpty }
        let header = ["case", "DeviceShim ns/op", "peer", "peer ns/op", "ratio", "target", "verdict"] + (withNotes ? ["note"] : [])
        let cells = rows.map { row in
            [row.name, format(row.deviceShim), row.peer, format(row.peerNanoseconds), format(row.ratio, decimals: 2),
             row.target.map { "<= " + format($0, decimals: 0) } ?? "-", row.verdict] + (withNotes ? [row.note] : [])
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        let numeric: Set<Int> = [1, 3, 4]
        func line(_ values: [String]) -> String {
            values.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - values[column].count)
                return numeric.contains(column) ? padding + values[column] : values[column] + padding
            }.joined(separator: "  ")
        }
        print("\n== \(title) ==")
        print(line(header))
        print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        cells.forEach { print(line($0)) }
        notes.forEach { print("note: " + $0) }
    }

    /// `value` with a fixed number of decimals, without Foundation: `format(1.234) == "1.2"`.
    static func format(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = String(scaled / Int64(scale))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + whole }
        let fraction = String(scaled % Int64(scale))
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
