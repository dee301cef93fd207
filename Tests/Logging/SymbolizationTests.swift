import CNativeCaller
import Foundation
import Testing
@testable import DeviceShimLogging

@Suite struct SymbolizationTests {
    /// The address of a C function of ours, plus one, stands for a return address in it.
    @Test func symbolisesACFunctionWithObjectFileAndLine() throws {
        let function: @convention(c) () -> UInt64 = ds_thread_id
        let start = unsafeBitCast(function, to: UInt.self)
        let caller = NativeCallers.shared.symbolised(start + 1)
        #expect(caller.symbol == "ds_thread_id")
        #expect(caller.offset == 1)
        #expect(caller.object == URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
        #expect(caller.file?.hasSuffix("Sources/CNativeCaller/unwind.c") == true)
        let source = try String(contentsOfFile: try #require(caller.file), encoding: .utf8)
        let definitionLine = try #require(source.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("uint64_t ds_thread_id(void)") })
        #expect(caller.line == definitionLine + 1)
    }

    @Test func dwarfAndLibunwindAreAvailableHere() {
        #expect(NativeCallers.capabilities == "unwinder: libunwind; DWARF lines: libdw")
    }

    @Test func unknownAddressesSymboliseToNothing() {
        #expect(NativeCallers.shared.symbolised(16) == Caller())
    }
}
