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
}
