import Testing
@testable import DeviceShimLogging

@Suite struct RecordTextTests {
    @Test func rendersTheIssueExampleLine() {
        var record = RedirectionRecord(api: "cudaMalloc", requested: "cuda:0", resolved: "cpu:0", reason: "rule cuda=cpu", bytes: 4096)
        record.caller = Caller(symbol: "load_weights", object: "/usr/bin/app", offset: 0x1c, file: "app.c", line: 42)
        record.thread = 1234
        #expect(RecordText.line(record)
            == "[deviceshim] cudaMalloc cuda:0 -> cpu:0 (rule cuda=cpu) 4096 B by load_weights+0x1c (/usr/bin/app) app.c:42 [tid 1234]")
    }

    @Test func rendersLevelArgumentsDurationStatusAndMessage() {
        var record = RedirectionRecord(api: "cudaMemcpy", durationNanoseconds: 12_345, status: "cudaErrorInvalidValue",
                                       stream: 3, message: "copy past the allocation's end")
        record.level = .error
        record.arguments = "dst=0x10, count=64"
        record.thread = 7
        #expect(RecordText.line(record)
            == "[deviceshim] error: cudaMemcpy(dst=0x10, count=64) stream 3 in 12.3 µs = cudaErrorInvalidValue: copy past the allocation's end [tid 7]")
        record.level = .warn
        #expect(RecordText.line(record).hasPrefix("[deviceshim] warning: cudaMemcpy("))
    }

    @Test(arguments: [
        (UInt64(0), "0 ns"), (999, "999 ns"), (1_000, "1.0 µs"), (12_345, "12.3 µs"),
        (4_560_000, "4.5 ms"), (1_234_000_000, "1.2 s"),
    ])
    func durations(nanoseconds: UInt64, text: String) {
        #expect(RecordText.durationText(nanoseconds) == text)
    }

    @Test func callerTextLeavesOutWhatIsUnknown() {
        #expect(RecordText.callerText(Caller()) == nil)
        #expect(RecordText.callerText(Caller(object: "/lib/app", offset: 0x40)) == "0x40 (/lib/app)")
        #expect(RecordText.callerText(Caller(symbol: "run()", file: "Demo/main.swift", line: 9)) == "run() Demo/main.swift:9")
        #expect(RecordText.callerText(Caller(file: "a.c")) == "a.c")
    }
}
