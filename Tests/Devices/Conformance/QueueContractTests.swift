#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// Promises of the queue contract every computing device keeps, beyond its kernels.
@Suite struct QueueContractTests {
    /// A marker resolves only once its work is counted done, so whoever it wakes finds the
    /// queue idle: `cudaStreamQuery` after waiting on the stream's last event answers success.
    @Test(arguments: ConformanceTests.computingDevices)
    func whoeverAMarkerWakesFindsTheQueueIdle(id: DeviceID) throws {
        let queue = try #require(DeviceRegistry.shared.entry(id)?.compute).makeQueue()
        for round in 0..<200 {
            try queue.enqueueHostCallback { usleep(20) }
            try queue.enqueueMarker().wait()
            #expect(queue.isIdle, "round \(round)")
            if !queue.isIdle { break }
        }
    }
}
