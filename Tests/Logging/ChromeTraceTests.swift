import Foundation
import Testing
@testable import DeviceShimLogging

@Suite struct ChromeTraceTests {
    @Test func traceIsValidJSONWithOneTrackPerThreadAndStream() throws {
        let path = temporaryPath("trace.json")
        let log = RedirectionLog(level: .debug, sinks: [try ChromeTraceSink(path: path)])
        var timed = RedirectionRecord(api: "cudaMemcpy", requested: "cuda:0", resolved: "cpu:0", bytes: 64, durationNanoseconds: 2_500)
        timed.timeNanoseconds = 1_000_000_123
        log.record(.info, timed)
        log.record(.debug, RedirectionRecord(api: "cudaLaunchKernel", status: "cudaErrorNoKernelImageForDevice", stream: 5))
        let done = DispatchSemaphore(value: 0)
        Thread {
            log.record(.info, RedirectionRecord(api: "cudaFree"))
            done.signal()
        }.start()
        done.wait()
        log.finish()
        log.record(.info, RedirectionRecord(api: "after finish"))

        let events = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: Any]])
        let metadata = events.filter { $0["ph"] as? String == "M" }
        let calls = events.filter { $0["ph"] as? String != "M" }
        #expect(calls.map { $0["name"] as? String } == ["cudaMemcpy", "cudaLaunchKernel", "cudaFree"])

        let copy = calls[0]
        #expect(copy["ph"] as? String == "X")
        #expect(copy["ts"] as? Double == 1_000_000.123)
        #expect(copy["dur"] as? Double == 2.5)
        let arguments = try #require(copy["args"] as? [String: Any])
        #expect(arguments["requested"] as? String == "cuda:0")
        #expect(arguments["bytes"] as? Int == 64)
        #expect((arguments["caller"] as? String)?.contains("ChromeTraceTests.swift:") == true)

        let launch = calls[1]
        #expect(launch["ph"] as? String == "i")
        #expect(launch["tid"] as? Int == Int(ChromeTraceSink.streamTrackBase) + 5)
        #expect(calls[2]["tid"] as? Int != copy["tid"] as? Int)

        let names = Dictionary(metadata.compactMap { event -> (Int, String)? in
            guard let tid = event["tid"] as? Int, let name = (event["args"] as? [String: Any])?["name"] as? String else { return nil }
            return (tid, name)
        }, uniquingKeysWith: { first, _ in first })
        #expect(names[Int(ChromeTraceSink.streamTrackBase) + 5] == "stream 5")
        #expect(names[copy["tid"] as! Int]?.hasPrefix("thread \(copy["tid"] as! Int)") == true)
        #expect(names[calls[2]["tid"] as! Int] != nil)
        #expect(metadata.contains { $0["name"] as? String == "process_name" })
    }
}
