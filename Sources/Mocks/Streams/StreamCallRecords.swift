/// Records for stream and event calls: one `debug` record per call, naming the API as the
/// caller's surface spells it (`Cuda.Stream.synchronize` from Swift, `cudaStreamSynchronize`
/// from the C ABI), the real device (once known), the stream, the outcome and how long the call took.
extension RedirectionLog {
    /// Runs `body` and records the call with its outcome: `cudaSuccess`, or the error thrown.
    /// `device` is asked for only when the record is made.
    func timedCall<Result>(
        _ api: String, device: @autoclosure () -> DeviceID?, stream: UInt64?, from site: CallSite,
        _ body: () throws(CudaError) -> Result
    ) throws(CudaError) -> Result {
        let start = isEnabled(.debug) ? MonotonicClock.now() : 0
        do {
            let result = try body()
            recordCall(api, device: device(), stream: stream, status: .success, since: start, from: site)
            return result
        } catch {
            recordCall(api, device: device(), stream: stream, status: error, since: start, from: site)
            throw error
        }
    }

    /// Records a call that answered `status` (a query), timed from `start` (`MonotonicClock`;
    /// 0, the default, for a call not timed, e.g. because the log was off when it began).
    func recordCall(
        _ api: String, device: @autoclosure () -> DeviceID?, stream: UInt64?, status: CudaError, since start: UInt64 = 0,
        from site: CallSite
    ) {
        // Before `device` is asked: a device's id is a call through an existential, with a
        // retain and release (an idle stream's `cudaStreamQuery` took 80 ns with it, 63-70 without).
        guard isEnabled(.debug) else { return }
        var call = RedirectionRecord(api: api, resolved: device()?.description, status: status.name, stream: stream)
        if start != 0 {
            call.timeNanoseconds = start
            call.durationNanoseconds = MonotonicClock.now() - start
        }
        record(.debug, call, from: site)
    }
}
