/// Records for stream and event calls: one `debug` record per call, naming the API as the
/// caller's surface spells it (`Cuda.Stream.synchronize` from Swift, `cudaStreamSynchronize`
/// from the C ABI), the real device (once known), the stream, the outcome and how long the call took.
extension RedirectionLog {
    /// Runs `body` and records the call with its outcome: `cudaSuccess`, or the error thrown.
    func timedCall<Result>(
        _ api: String, device: DeviceID?, stream: UInt64?, from site: CallSite,
        _ body: () throws(CudaError) -> Result
    ) throws(CudaError) -> Result {
        let start = isEnabled(.debug) ? MonotonicClock.now() : 0
        do {
            let result = try body()
            recordCall(api, device: device, stream: stream, status: .success, since: start, from: site)
            return result
        } catch {
            recordCall(api, device: device, stream: stream, status: error, since: start, from: site)
            throw error
        }
    }

    /// Records a call that answered `status` (a query), begun at `start` (`MonotonicClock`).
    func recordCall(
        _ api: String, device: DeviceID?, stream: UInt64?, status: CudaError, since start: UInt64, from site: CallSite
    ) {
        guard isEnabled(.debug) else { return }
        var call = RedirectionRecord(api: api, resolved: device?.description,
                                     durationNanoseconds: MonotonicClock.now() - start, status: status.name, stream: stream)
        call.timeNanoseconds = start
        record(.debug, call, from: site)
    }
}
