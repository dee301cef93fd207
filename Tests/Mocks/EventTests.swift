import Dispatch
import Foundation
import Synchronization
import Testing
@testable import DeviceShimMocks

@Suite struct EventTests {
    let group = StreamGroup(device: CPUDevice.shared)

    @Test func elapsedTimeIsTheDeviceTimeBetweenTheMarkers() throws {
        let stream = try CudaStream(in: group), gate = Gate()
        let start = try CudaEvent(), end = try CudaEvent()
        // Both records are enqueued at once on the host; only device time separates them.
        try gate.hold(stream)
        try start.record(on: stream)
        try stream.launchHostFunction { usleep(50_000) }
        try end.record(on: stream)
        usleep(30_000)
        gate.open()
        try end.synchronize()
        let milliseconds = try CudaEvent.elapsedMilliseconds(from: start, to: end)
        #expect(milliseconds >= 49.9 && milliseconds < 5000)
        let backwards = try CudaEvent.elapsedMilliseconds(from: end, to: start)
        #expect(backwards == -milliseconds)
    }

    @Test func elapsedTimeOfAnEventNeverRecordedIsAnInvalidHandle() throws {
        let stream = try CudaStream(in: group)
        let recorded = try CudaEvent(), never = try CudaEvent()
        try recorded.record(on: stream)
        try recorded.synchronize()
        #expect(throws: CudaError.invalidResourceHandle) { try CudaEvent.elapsedMilliseconds(from: recorded, to: never) }
        #expect(CudaLastError.get() == .invalidResourceHandle)
        #expect(throws: CudaError.invalidResourceHandle) { try CudaEvent.elapsedMilliseconds(from: never, to: recorded) }
        #expect(CudaLastError.get() == .invalidResourceHandle)
        // Never recorded: query succeeds and synchronize returns at once, as on CUDA.
        #expect(never.query() == .success)
        try never.synchronize()
    }

    @Test func elapsedTimeWithTimingDisabledIsAnInvalidHandle() throws {
        let stream = try CudaStream(in: group)
        let timed = try CudaEvent(), untimed = try CudaEvent(flags: .disableTiming)
        try timed.record(on: stream)
        try untimed.record(on: stream)
        try stream.synchronize()
        #expect(untimed.query() == .success)
        #expect(throws: CudaError.invalidResourceHandle) { try CudaEvent.elapsedMilliseconds(from: timed, to: untimed) }
        #expect(throws: CudaError.invalidResourceHandle) { try CudaEvent.elapsedMilliseconds(from: untimed, to: timed) }
        #expect(try CudaEvent.elapsedMilliseconds(from: timed, to: timed) == 0)
    }

    @Test func anEventNotYetCompleteIsNotReady() throws {
        let stream = try CudaStream(in: group), gate = Gate()
        let start = try CudaEvent(), end = try CudaEvent()
        try start.record(on: stream)
        try gate.hold(stream)
        try end.record(on: stream)
        try start.synchronize()
        #expect(start.query() == .success)
        #expect(end.query() == .notReady)
        #expect(throws: CudaError.notReady) { try CudaEvent.elapsedMilliseconds(from: start, to: end) }
        #expect(CudaLastError.get() == .notReady)
        gate.open()
        try end.synchronize()
        #expect(end.query() == .success)
        #expect(try CudaEvent.elapsedMilliseconds(from: start, to: end) >= 0)
    }

    @Test(arguments: [CudaEventFlags.default, .blockingSync])
    func synchronizeWaitsForTheCapturedWork(flags: CudaEventFlags) throws {
        let stream = try CudaStream(in: group), done = Atomic<Bool>(false)
        let event = try CudaEvent(flags: flags)
        try stream.launchHostFunction {
            usleep(30_000)
            done.store(true, ordering: .releasing)
        }
        try event.record(on: stream)
        #expect(event.query() == .notReady)
        try event.synchronize()
        let finished = done.load(ordering: .acquiring)
        #expect(finished)
        #expect(event.query() == .success)
    }

    @Test func recordingAgainCapturesTheNewWork() throws {
        let stream = try CudaStream(in: group), gate = Gate(), event = try CudaEvent()
        try event.record(on: stream)
        try event.synchronize()
        try gate.hold(stream)
        try event.record(on: stream)
        #expect(event.query() == .notReady)
        gate.open()
        try event.synchronize()
        #expect(event.query() == .success)
    }

    @Test func flagsAreValidatedAsCudaDoes() throws {
        #expect(throws: CudaError.invalidValue) { try CudaEvent(flags: CudaEventFlags(rawValue: 0x10)) }
        #expect(throws: CudaError.invalidValue) { try CudaEvent(flags: .interprocess) }
        #expect(try CudaEvent(flags: [.interprocess, .disableTiming]).flags == [.interprocess, .disableTiming])
        let first = try CudaEvent(), second = try CudaEvent()
        #expect(first.id != second.id)
    }
}
