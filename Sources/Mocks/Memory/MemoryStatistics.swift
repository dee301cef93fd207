/// One device's memory counters, as `torch.cuda.memory_stats()` names them. "Allocated" is
/// what the program holds (the sizes it asked for, exactly); "reserved" is what DeviceShim
/// holds from the device, including freed blocks kept for reuse (rounded to 512 bytes).
public struct MemoryStatistics: Sendable, Hashable {
    public struct Counter: Sendable, Hashable {
        public var current = 0
        public var peak = 0
        /// Cumulative amounts added and removed.
        public var allocated = 0
        public var freed = 0

        mutating func add(_ amount: Int) {
            current += amount
            allocated += amount
            peak = max(peak, current)
        }

        mutating func remove(_ amount: Int) {
            current -= amount
            freed += amount
        }
    }

    public var allocatedBytes = Counter()
    public var reservedBytes = Counter()
    /// Live allocations (count).
    public var allocations = Counter()
    /// Allocations that failed for lack of memory.
    public var outOfMemoryCount = 0

    /// Starts the peaks again from the current values (`reset_peak_memory_stats`).
    public mutating func resetPeaks() {
        allocatedBytes.peak = allocatedBytes.current
        reservedBytes.peak = reservedBytes.current
        allocations.peak = allocations.current
    }

    /// The counters under PyTorch's names (`allocated_bytes.all.current`, …).
    public var dictionary: [String: Int] {
        var entries: [String: Int] = ["num_ooms": outOfMemoryCount]
        for (name, counter) in [("allocated_bytes", allocatedBytes), ("reserved_bytes", reservedBytes), ("allocation", allocations)] {
            entries["\(name).all.current"] = counter.current
            entries["\(name).all.peak"] = counter.peak
            entries["\(name).all.allocated"] = counter.allocated
            entries["\(name).all.freed"] = counter.freed
        }
        return entries
    }

    /// A table like `torch.cuda.memory_summary()`.
    public func summary(title: String) -> String {
        let rule = String(repeating: "=", count: 77), thin = String(repeating: "-", count: 77)
        func row(_ cells: [String]) -> String {
            "| " + cells[0].padding(to: 23) + " | " + cells[1...].map { $0.leftPadding(to: 10) }.joined(separator: " | ") + " |"
        }
        func bytes(_ counter: Counter) -> [String] {
            [counter.current, counter.peak, counter.allocated, counter.freed].map(MemoryStatistics.formatBytes)
        }
        func count(_ counter: Counter) -> [String] {
            [counter.current, counter.peak, counter.allocated, counter.freed].map(String.init)
        }
        return [
            "|" + rule + "|",
            "| " + title.padding(to: 75) + " |",
            "|" + thin + "|",
            row(["Metric", "Cur Usage", "Peak Usage", "Tot Alloc", "Tot Freed"]),
            "|" + thin + "|",
            row(["Allocated memory"] + bytes(allocatedBytes)),
            row(["Reserved memory"] + bytes(reservedBytes)),
            row(["Allocations"] + count(allocations)),
            row(["Out-of-memory errors", String(outOfMemoryCount), "", "", ""]),
            "|" + rule + "|",
        ].joined(separator: "\n")
    }

    /// Sizes as PyTorch's summary prints them: the next unit only from 768 of them up
    /// (`4096 B`, `1024 KiB`, `3 MiB`), truncated to whole units.
    static func formatBytes(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = bytes, unit = 0
        while unit < units.count - 1, abs(value) >= 768 * 1024 {
            value /= 1024
            unit += 1
        }
        return "\(value) \(units[unit])"
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
