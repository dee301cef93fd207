import Foundation
import Testing
@testable import DeviceShimLogging

@Suite struct RecordJSONTests {
    static func parsed(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func hasTheFixedFieldNamesWithNullsForUnknowns() throws {
        var record = RedirectionRecord(api: "cudaMalloc", requested: "cuda:0", bytes: 4096)
        record.thread = 42
        record.timeNanoseconds = 1_000
        let object = try Self.parsed(RecordJSON.line(record))
        #expect(Set(object.keys) == ["level", "api", "requested", "resolved", "reason", "caller", "thread", "time_ns",
                                     "duration_ns", "bytes", "status"])
        #expect(object["api"] as? String == "cudaMalloc")
        #expect(object["requested"] as? String == "cuda:0")
        #expect(object["resolved"] is NSNull)
        #expect(object["caller"] is NSNull)
        #expect(object["bytes"] as? Int == 4096)
        #expect(object["thread"] as? Int == 42)
        #expect(object["time_ns"] as? Int == 1_000)
    }

    @Test func callerHasItsFixedFields() throws {
        var record = RedirectionRecord(api: "x")
        record.caller = Caller(symbol: "main", object: "/bin/app", offset: 28, file: "app.c", line: 42)
        let caller = try #require(try Self.parsed(RecordJSON.line(record))["caller"] as? [String: Any])
        #expect(caller["symbol"] as? String == "main")
        #expect(caller["object"] as? String == "/bin/app")
        #expect(caller["offset"] as? Int == 28)
        #expect(caller["file"] as? String == "app.c")
        #expect(caller["line"] as? Int == 42)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        let nasty = "say \"hi\"\\ \n\t\u{1} ünï"
        let record = RedirectionRecord(api: "x", message: nasty)
        let line = RecordJSON.line(record)
        #expect(!line.contains("\n"))
        #expect(try Self.parsed(line)["message"] as? String == nasty)
    }
}
