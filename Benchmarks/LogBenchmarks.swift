#if canImport(Glibc)
import Glibc
#endif
import DeviceShim
import Logging

/// The `log` group: what the redirection log costs the program it is preloaded into.
///
/// Every case is measured against a peer in the same run, so the ratio holds even when
/// the machine's absolute speed varies.
enum LogBenchmarks {
    static func run() {
        let requested = nonLiteral("cuda:0")
        var rows = [disabledRecordSite(requested: requested)]
        var notes = ["disabled: one site per op, log at warn recording at debug; swift-log Logger at info calling debug()"]
        for format in LogFormat.allCases {
            let (row, note) = fileRecords(format: format, requested: requested)
            rows.append(row)
            notes.append(note)
        }
        let (callerRows, callerNotes) = CallerBenchmarks.run()
        Report.printTable(title: "log", rows: rows + callerRows, notes: notes + callerNotes)
    }

    /// A string the compiler cannot constant-fold: the record sites below build their
    /// records from run-time values, as real call sites do.
    static func nonLiteral(_ text: String) -> String {
        CommandLine.arguments.count > 1_000 ? CommandLine.arguments[0] : text
    }

    /// A disabled record site: the cost every intercepted call pays when nobody is listening,
    /// which is the common case (the default level is `warn`, calls are recorded at `debug`).
    ///
    /// The peer is swift-log's disabled call: a `Logger` at `info` calling `debug(...)` with
    /// an interpolated message. Both are lazy (autoclosures) and both write to a real stream
    /// handler when enabled, so each side pays only its "is this level on?" check.
    static func disabledRecordSite(requested: String) -> ResultRow {
        let log = RedirectionLog(level: .warn, sinks: [FileDescriptorSink(standardErrorWith: .text)])
        let deviceShim = Timing.nanosecondsPerOperation { operations in
            for i in 0..<operations {
                log.record(.debug, RedirectionRecord(api: "cudaMalloc", requested: requested, bytes: i))
            }
        }
        let logger = { () -> Logger in
            var logger = Logger(label: "deviceshim.benchmarks")
            logger.logLevel = .info
            return logger
        }()
        let peer = Timing.nanosecondsPerOperation { operations in
            for i in 0..<operations {
                logger.debug("cudaMalloc \(requested) \(i) B")
            }
        }
        return ResultRow(name: "disabled record site", deviceShim: deviceShim,
                         peer: "swift-log disabled debug()", peerNanoseconds: peer, target: 2)
    }

    /// An enabled record written to a log file: build the record, stamp thread and time,
    /// render the line (text or JSON), one `write(2)` per line, under the log's lock.
    ///
    /// The peer is the least a C program can do for the same durability: `fputs` of an
    /// already formatted line of similar length, then `fflush`, so each line also reaches
    /// the kernel with one `write(2)` before the call returns. DeviceShim additionally
    /// formats the line, so a ratio near 1 means formatting is cheap next to the syscall.
    static func fileRecords(format: LogFormat, requested: String) -> (ResultRow, String) {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let path = "\(directory)/deviceshim-bench-\(getpid())-\(format.rawValue).log"
        let peerPath = "\(directory)/deviceshim-bench-\(getpid())-stdio.log"
        defer {
            unlink(path)
            unlink(peerPath)
        }

        var records = 0
        let deviceShim: Double
        do {
            let log = try RedirectionLog(configuration: LogConfiguration(level: .info, file: path, format: format))
            deviceShim = Timing.nanosecondsPerOperation { operations in
                for i in 0..<operations {
                    log.record(.info, RedirectionRecord(
                        api: "cudaMalloc", requested: requested, resolved: "cpu:0", reason: "rule cuda=cpu", bytes: 4096 + i))
                }
                records += operations
            }
        } catch {
            fatalError("cannot open \(path): \(error)")
        }

        // Shaped like a text record: "[deviceshim] cudaMalloc cuda:0 -> cpu:0 ... [tid N]".
        let line = "[deviceshim] cudaMalloc cuda:0 -> cpu:0 (rule cuda=cpu) 4096 B by fileRecords(format:) "
            + "(Benchmarks/LogBenchmarks.swift:72) [tid 4242]\n"
        guard let file = fopen(peerPath, "a") else { fatalError("cannot open \(peerPath)") }
        let peer = line.withCString { text in
            Timing.nanosecondsPerOperation { operations in
                for _ in 0..<operations {
                    fputs(text, file)
                    fflush(file)
                }
            }
        }
        fclose(file)

        let row = ResultRow(name: "file record, \(format.rawValue)", deviceShim: deviceShim,
                            peer: "fputs+fflush per line", peerNanoseconds: peer, target: 2000)
        let note = "file \(format.rawValue): \(records) records to \(directory), \(averageLineLength(path, lines: records)) B/line "
            + "(stdio peer \(line.utf8.count) B/line)"
        return (row, note)
    }

    /// The average length of the lines written to `path`, from its size.
    static func averageLineLength(_ path: String, lines: Int) -> Int {
        var status = stat()
        guard lines > 0, stat(path, &status) == 0 else { return 0 }
        return Int(status.st_size) / lines
    }
}
