import Foundation
import Synchronization
import Testing
@testable import DeviceShimMocks

@Suite struct CudaErrorTests {
    @Test func namesAndMessagesEqualNvidiaLibraryForEveryCode() throws {
        let library = try NvidiaRuntime.load()
        #expect(CudaError.allRecognized.count > 100)
        var recognized = 0
        let probes = Set(CudaError.allRecognized.map(\.rawValue))
            .union(-2048...20_000).union([Int32.min, Int32.min + 1, Int32.max, 65_535, 100_000])
        for code in probes.sorted() {
            let error = CudaError(rawValue: code)
            #expect(error.name == library.name(code), "name of \(code)")
            #expect(error.message == library.message(code), "message of \(code)")
            #expect(error.isRecognized == (library.name(code) != library.name(-1)), "recognition of \(code)")
            if error.isRecognized { recognized += 1 }
        }
        #expect(recognized == CudaError.allRecognized.count)
    }

    @Test func spotChecksByLiteralValue() {
        #expect(CudaError.success.rawValue == 0)
        #expect(CudaError.success.name == "cudaSuccess" && CudaError.success.message == "no error")
        #expect(CudaError.invalidValue == CudaError(rawValue: 1))
        #expect(CudaError(rawValue: 2) == .memoryAllocation)
        #expect(CudaError.memoryAllocation.name == "cudaErrorMemoryAllocation")
        #expect(CudaError.memoryAllocation.message == "out of memory")
        #expect(CudaError.noDevice.rawValue == 100 && CudaError.noDevice.message == "no CUDA-capable device is detected")
        #expect(CudaError.eccUncorrectable.rawValue == 214 && CudaError.eccUncorrectable.name == "cudaErrorECCUncorrectable")
        #expect(CudaError.illegalAddress.rawValue == 700)
        #expect(CudaError.illegalAddress.message == "an illegal memory access was encountered")
        #expect(CudaError.launchFailure.rawValue == 719 && CudaError.launchFailure.message == "unspecified launch failure")
        #expect(CudaError.notReady.rawValue == 600 && CudaError.notReady.message == "device not ready")
        #expect(CudaError.unknown.rawValue == 999 && CudaError.unknown.name == "cudaErrorUnknown")
        #expect(CudaError.apiFailureBase.rawValue == 10_000)
        #expect(CudaError.memoryAllocation.description == "cudaErrorMemoryAllocation (2): out of memory")
        #expect(CudaError(rawValue: 2).hashValue == CudaError.memoryAllocation.hashValue)
    }

    @Test func unknownCodesAnswerAsNvidiasLibraryDoes() {
        for code: Int32 in [10, 11, 1000, 10_001, -1, .min, .max] {
            let error = CudaError(rawValue: code)
            #expect(!error.isRecognized && !error.isSticky)
            #expect(error.name == "unrecognized error code" && error.message == "unrecognized error code")
            #expect(error.rawValue == code)
            #expect(error.description == "unrecognized error code (\(code))")
        }
    }

    @Test func stickyCodesAreThoseTheHeaderSaysCorruptTheProcess() {
        let sticky = Set(CudaError.allRecognized.filter(\.isSticky))
        let documented: Set<CudaError> = [
            .contained, .illegalAddress, .launchTimeout, .assert, .hardwareStackError, .illegalInstruction,
            .misalignedAddress, .invalidAddressSpace, .invalidPc, .launchFailure, .tensorMemoryLeak,
            .mpsClientTerminated, .externalDevice,
        ]
        #expect(sticky == documented)
        #expect(!CudaError.memoryAllocation.isSticky && !CudaError.launchOutOfResources.isSticky)
    }

    @Test func recognizedCodesAreDistinct() {
        #expect(Set(CudaError.allRecognized).count == CudaError.allRecognized.count)
        #expect(Set(CudaError.allRecognized.map(\.name)).count == CudaError.allRecognized.count)
    }
}

@Suite struct CudaLastErrorTests {
    @Test func getResetsPeekDoesNotAndSuccessDoesNotOverwrite() {
        let state = CudaErrorState(), checks = ThreadChecks()
        checks.run(threads: 1) { _ in
            checks.expect(state.peek() == .success && state.get() == .success)
            state.record(.invalidValue)
            state.record(.success)
            checks.expect(state.peek() == .invalidValue)
            checks.expect(state.peek() == .invalidValue)
            state.record(.memoryAllocation)
            checks.expect(state.get() == .memoryAllocation)
            checks.expect(state.get() == .success && state.peek() == .success)
            state.record(CudaError(rawValue: 4242))
            checks.expect(state.get() == CudaError(rawValue: 4242))
            checks.expect(state.stickyError == nil)
        }
    }

    @Test func eachThreadSeesOnlyItsOwnError() {
        let state = CudaErrorState(), checks = ThreadChecks()
        let threadCount = 8
        let codes = CudaError.allRecognized.filter { $0 != .success && !$0.isSticky }
        let everyoneRecorded = Rendezvous(threadCount), everyoneRead = Rendezvous(threadCount)
        checks.run(threads: threadCount) { index in
            let mine = codes[index * 3]
            for round in 0..<200 {
                // All threads hold an error at once, so a slot shared by threads would be caught.
                state.record(mine)
                everyoneRecorded.arrive(round: round)
                checks.expect(state.peek() == mine, "thread \(index) round \(round): peek")
                checks.expect(state.get() == mine, "thread \(index) round \(round): get")
                checks.expect(state.peek() == .success, "thread \(index) round \(round): after get")
                everyoneRead.arrive(round: round)
            }
        }
    }

    @Test func aNewThreadStartsWithSuccess() {
        let state = CudaErrorState(), checks = ThreadChecks()
        checks.run(threads: 1) { _ in state.record(.invalidDevice) }
        checks.run(threads: 1) { _ in checks.expect(state.peek() == .success) }
    }

    @Test func stickyErrorReachesEveryThreadAndGetDoesNotClearIt() {
        let state = CudaErrorState(), checks = ThreadChecks()
        checks.run(threads: 1) { _ in
            state.record(.invalidValue)
            checks.expect(state.stickyError == nil)
            state.record(.illegalAddress)
            checks.expect(state.stickyError == .illegalAddress)
            checks.expect(state.get() == .illegalAddress)
            checks.expect(state.get() == .illegalAddress && state.peek() == .illegalAddress)
            state.record(.launchFailure)
            state.record(.memoryAllocation)
        }
        checks.run(threads: 4) { _ in
            checks.expect(state.stickyError == .illegalAddress, "the first sticky error stays")
            checks.expect(state.peek() == .illegalAddress && state.get() == .illegalAddress)
            checks.expect(state.get() == .illegalAddress)
        }
        #expect(state.stickyError == .illegalAddress)
    }

    @Test func theFirstStickyErrorWinsUnderContention() {
        let state = CudaErrorState(), checks = ThreadChecks()
        let sticky = CudaError.allRecognized.filter(\.isSticky)
        let ready = Rendezvous(sticky.count)
        checks.run(threads: sticky.count) { index in
            ready.arrive(round: 0)
            state.record(sticky[index])
        }
        let winner = state.stickyError
        #expect(winner != nil && sticky.contains(winner ?? .success))
        checks.run(threads: 3) { _ in
            checks.expect(state.get() == winner && state.get() == winner && state.stickyError == winner)
        }
    }

    @Test func aNewStateStartsCleanAndReleasesItsKey() {
        // More states than glibc has thread-specific keys (1024): a leaked key would trap.
        for round in 0..<1_100 {
            let state = CudaErrorState()
            #expect(state.peek() == .success, "state \(round) starts clean")
            state.record(.invalidValue)
            #expect(state.peek() == .invalidValue)
        }
    }

    @Test func processWideStateForwards() {
        let checks = ThreadChecks()
        checks.run(threads: 1) { _ in
            checks.expect(CudaLastError.peek() == .success)
            CudaLastError.record(.invalidDevice)
            checks.expect(CudaLastError.peek() == .invalidDevice)
            checks.expect(CudaLastError.shared.peek() == .invalidDevice)
            checks.expect(CudaLastError.get() == .invalidDevice)
            checks.expect(CudaLastError.get() == .success)
            checks.expect(CudaLastError.stickyError == nil)
        }
    }
}

/// Runs checks on new OS threads and reports the failed ones to the test once all threads have
/// finished (`#expect` needs the test's task, which a new thread does not have).
private final class ThreadChecks: Sendable {
    private let failures = Mutex<[String]>([])

    func expect(_ condition: Bool, _ what: @autoclosure () -> String = "", line: Int = #line) {
        guard !condition else { return }
        let failure = "line \(line): \(what())"
        failures.withLock { $0.append(failure) }
    }

    /// Runs `body(index)` on `count` new OS threads at once and returns when all have finished.
    func run(threads count: Int, _ body: @escaping @Sendable (Int) -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        let finished = DispatchGroup()
        for index in 0..<count {
            finished.enter()
            Thread {
                body(index)
                finished.leave()
            }.start()
        }
        finished.wait()
        let failed = failures.withLock { failures in
            defer { failures = [] }
            return failures
        }
        let shown = failed.prefix(12).joined(separator: "\n")
        #expect(failed.isEmpty, "\(failed.count) checks failed on threads, first:\n\(shown)", sourceLocation: sourceLocation)
    }
}

/// A reusable barrier: `arrive(round:)` returns once all `parties` threads arrived for that round.
private final class Rendezvous: Sendable {
    private let parties: Int
    private let arrivals = Atomic<Int>(0)

    init(_ parties: Int) { self.parties = parties }

    func arrive(round: Int) {
        let target = (round + 1) * parties
        arrivals.add(1, ordering: .acquiringAndReleasing)
        while arrivals.load(ordering: .acquiring) < target { sched_yield() }
    }
}

/// NVIDIA's real libcudart.so.12 (unpacked by scripts/setup.sh), whose error lookups need no GPU.
private struct NvidiaRuntime {
    typealias Lookup = @convention(c) (Int32) -> UnsafePointer<CChar>?
    let getErrorName: Lookup, getErrorString: Lookup

    static func load() throws -> NvidiaRuntime {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("third_party/cuda/lib/libcudart.so.12").path
        let handle = try #require(
            dlopen(path, RTLD_NOW | RTLD_LOCAL), "NVIDIA's \(path) is missing or unloadable: run scripts/setup.sh")
        let name = try #require(dlsym(handle, "cudaGetErrorName"), "no cudaGetErrorName in \(path)")
        let string = try #require(dlsym(handle, "cudaGetErrorString"), "no cudaGetErrorString in \(path)")
        return NvidiaRuntime(
            getErrorName: unsafeBitCast(name, to: Lookup.self), getErrorString: unsafeBitCast(string, to: Lookup.self))
    }

    func name(_ code: Int32) -> String? { getErrorName(code).map { String(cString: $0) } }
    func message(_ code: Int32) -> String? { getErrorString(code).map { String(cString: $0) } }
}
