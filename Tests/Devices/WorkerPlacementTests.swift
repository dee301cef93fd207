#if canImport(Glibc)
import Glibc
#endif
import CCPUKernels
import Testing
@testable import DeviceShimDevices

/// `ds_pool_leave_cpu`: how a pool worker woken onto its caller's CPU moves off it.
///
/// Each test runs on the test's own thread, which `ds_pool_leave_cpu` leaves with the
/// affinity mask it had.
@Suite(.serialized) struct WorkerPlacementTests {
    /// The calling thread's allowed CPUs, as `/proc` lists them ("0-1").
    static func allowedCPUs() -> String {
        let line = HostSystem.lines(of: "/proc/thread-self/status").first { $0.hasPrefix("Cpus_allowed_list:") }
        return line.map { $0.dropFirst(18).trimmingPrefix(while: \.isWhitespace).description } ?? "?"
    }

    /// The thread leaves the CPU it is on, and its mask is the one it had. A preemption
    /// between the call and reading the CPU could put it back, so three tries are allowed.
    @Test(.enabled(if: HostSystem.onlineCores > 1)) func aThreadOnTheCPULeavesItAndKeepsItsMask() {
        let allowed = Self.allowedCPUs()
        var tries: [(from: Int32, moved: Int32, to: Int32)] = []
        repeat {
            let from = ds_pool_current_cpu()
            let moved = ds_pool_leave_cpu(from)
            tries.append((from, moved, ds_pool_current_cpu()))
        } while tries.count < 3 && !(tries.last!.moved == 1 && tries.last!.to != tries.last!.from)
        #expect(tries.contains { $0.moved == 1 && $0.to != $0.from }, "tries (from, moved, to): \(tries)")
        #expect(Self.allowedCPUs() == allowed)
    }

    /// Another CPU than the current one, or no CPU at all, moves nothing.
    @Test func aThreadNotOnTheCPUStays() {
        let allowed = Self.allowedCPUs()
        #expect(ds_pool_leave_cpu(-1) == 0)
        #expect(ds_pool_leave_cpu(1 << 20) == 0)
        let here = ds_pool_current_cpu()
        let elsewhere: Int32 = here == 0 ? 1 : 0
        // 0 unless a preemption put the thread on `elsewhere` just before the call.
        let moved = ds_pool_leave_cpu(elsewhere)
        #expect(moved == 0 || ds_pool_current_cpu() != elsewhere)
        #expect(Self.allowedCPUs() == allowed)
        #expect(here >= 0 && Int(here) < HostSystem.onlineCores)
    }
}
