import Foundation
import Testing
@testable import DeviceShimLogging

@Suite struct ConcurrencyTests {
    /// 8 threads × 10,000 records into one file: every record present once, every line whole.
    @Test func manyThreadsLoseNothingAndNeverInterleave() throws {
        let threads = 8, perThread = 10_000
        let path = temporaryPath("threads.jsonl")
        let log = try RedirectionLog(configuration: LogConfiguration(level: .info, file: path, format: .json))
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            let worker = Thread {
                for index in 0..<perThread {
                    log.record(.info, RedirectionRecord(api: "cudaMemcpy", requested: "cuda:\(thread)", bytes: index,
                                                        message: "thread \(thread) record \(index) " + String(repeating: "x", count: index % 200)))
                }
                group.leave()
            }
            worker.start()
        }
        group.wait()

        let written = try lines(ofFile: path)
        #expect(written.count == threads * perThread)
        var seen = Set<String>()
        var kernelThreads = [String: Int]()
        for line in written {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not whole: \(line)")
            let requested = try #require(object["requested"] as? String)
            let bytes = try #require(object["bytes"] as? Int)
            #expect(seen.insert("\(requested)/\(bytes)").inserted)
            let tid = try #require(object["thread"] as? Int)
            #expect(kernelThreads.updateValue(tid, forKey: requested).map { $0 == tid } ?? true)
        }
        #expect(seen.count == threads * perThread)
        #expect(Set(kernelThreads.values).count == threads)
    }
}
