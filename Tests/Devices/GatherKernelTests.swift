#if canImport(Glibc)
import Glibc
#endif
import CCPUKernels
import Testing
@testable import DeviceShimDevices

/// The CPU's C gather kernels: both ways (vector gathers, the scalar loop) on any CPU, and
/// which one this CPU's vendor gets.
struct GatherKernelTests {
    /// 1000 rows of 3 gathered from rows of 7 (one run per row: `input_step` 0, `axis_stride`
    /// 1), with indices -1 and 7 outside: each way gives what the definition says, and
    /// reports the misses.
    @Test func bothWaysGatherTheSameElementsAndReportMisses() {
        let (rows, length, width) = (1000, 7, 3)
        var generator = SystemRandomNumberGenerator()
        let input32 = (0..<rows * length).map { _ in UInt32.random(in: 1...UInt32.max, using: &generator) }
        let input64 = input32.map { UInt64($0) << 32 | UInt64($0) }
        var index = (0..<rows * width).map { _ in Int64.random(in: 0..<Int64(length), using: &generator) }
        // Each run below is one row (count `width`), so give one row a miss at each end.
        (index[3 * 5], index[3 * 9 + 2]) = (-1, Int64(length))
        func expected<Element: FixedWidthInteger>(_ input: [Element], row: Int) -> [Element] {
            (0..<width).map { column in
                let position = Int(index[row * width + column])
                return (0..<length).contains(position) ? input[row * length + position] : 0
            }
        }
        /// One row's run through `kernel`.
        func run<Element>(_ kernel: (UnsafePointer<Element>?, Int, Int, Int, UnsafePointer<Int64>?, UnsafeMutablePointer<Element>?, Int) -> Int32,
                          _ input: [Element], row: Int, _ output: inout [Element]) -> Int32 {
            input.withUnsafeBufferPointer { input in
                index.withUnsafeBufferPointer { index in
                    output.withUnsafeMutableBufferPointer { output in
                        kernel(input.baseAddress! + row * length, 0, 1, length, index.baseAddress! + row * width,
                               output.baseAddress! + row * width, width)
                    }
                }
            }
        }
        typealias Kernel32 = (UnsafePointer<UInt32>?, Int, Int, Int, UnsafePointer<Int64>?, UnsafeMutablePointer<UInt32>?, Int) -> Int32
        typealias Kernel64 = (UnsafePointer<UInt64>?, Int, Int, Int, UnsafePointer<Int64>?, UnsafeMutablePointer<UInt64>?, Int) -> Int32
        let ways32: [(String, Kernel32)] = [("vector", ds_gather_u32_vector), ("scalar", ds_gather_u32_scalar), ("chosen", ds_gather_u32)]
        let ways64: [(String, Kernel64)] = [("vector", ds_gather_u64_vector), ("scalar", ds_gather_u64_scalar), ("chosen", ds_gather_u64)]
        for (name, kernel) in ways32 {
            var output = [UInt32](repeating: 99, count: rows * width)
            var missedRows: [Int] = []
            for row in 0..<rows where run(kernel, input32, row: row, &output) != 0 { missedRows.append(row) }
            #expect(missedRows == [5, 9], "\(name)")
            #expect((0..<rows).allSatisfy { Array(output[$0 * width..<($0 + 1) * width]) == expected(input32, row: $0) }, "\(name)")
        }
        for (name, kernel) in ways64 {
            var output = [UInt64](repeating: 99, count: rows * width)
            var missed = 0
            for row in 0..<rows { missed += Int(run(kernel, input64, row: row, &output)) }
            #expect(missed == 2, "\(name)")
            #expect((0..<rows).allSatisfy { Array(output[$0 * width..<($0 + 1) * width]) == expected(input64, row: $0) }, "\(name)")
        }
    }

    /// The line is prefetched for a run along one short contiguous line that the run reads
    /// at least once per cache line on average, and not otherwise.
    @Test func onlyARunAlongAShortContiguousLinePrefetchesIt() {
        // A row of 1024 gathered from a row of 1024 (4 or 8 bytes): 64 or 128 cache lines.
        #expect(ds_gather_prefetches_line(0, 1, 1024, 4, 1024) == 1)
        #expect(ds_gather_prefetches_line(0, 1, 1024, 8, 1024) == 1)
        #expect(ds_gather_prefetches_line(0, 1, 1024, 4, 64) == 1, "one read per cache line")
        #expect(ds_gather_prefetches_line(0, 1, 1024, 4, 63) == 0, "fewer reads than cache lines")
        #expect(ds_gather_prefetches_line(1, 1, 1024, 4, 1024) == 0, "each element reads another line")
        #expect(ds_gather_prefetches_line(0, 1024, 1024, 4, 1024) == 0, "a strided line")
        #expect(ds_gather_prefetches_line(0, 1, 4096, 4, 4096) == 1, "16 KB")
        #expect(ds_gather_prefetches_line(0, 1, 4097, 4, 4097) == 0, "over 16 KB")
        #expect(ds_gather_prefetches_line(0, 1, 0, 4, 8) == 0, "an empty line")
    }

    /// AMD CPUs get the scalar loop, others the vector gathers.
    @Test func theScalarLoopIsChosenOnAMDCPUs() {
        let vendor = HostSystem.cpuInfo()["vendor_id"] ?? "?"
        #expect(ds_gather_scalar() == (vendor == "AuthenticAMD" ? 1 : 0), "vendor \(vendor)")
    }
}
