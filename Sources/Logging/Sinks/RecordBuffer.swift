import Synchronization

/// Keeps records in memory, for programs that inspect what DeviceShim redirected (and for
/// tests). With a capacity it keeps only the newest records.
public final class RecordBuffer: RedirectionSink {
    public let capacity: Int?
    private let kept = Mutex<[RedirectionRecord]>([])

    /// A buffer keeping every record, or the newest `capacity` of them.
    public init(capacity: Int? = nil) {
        self.capacity = capacity
    }

    /// The records kept, oldest first.
    public var records: [RedirectionRecord] { kept.withLock { $0 } }

    public func write(_ record: RedirectionRecord) {
        kept.withLock { records in
            records.append(record)
            if let capacity, records.count > capacity { records.removeFirst(records.count - capacity) }
        }
    }
}
