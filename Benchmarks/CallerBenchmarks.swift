#if canImport(Glibc)
import Glibc
#endif
import CNativeCaller
import DeviceShim

/// Native caller capture, part of the `log` group: what a C entry point pays, when its
/// level is enabled, to name the native code that called it.
enum CallerBenchmarks {
    static func run() -> ([ResultRow], [String]) {
        let (cached, cachedNotes) = cachedCaller()
        let (cold, coldNotes) = coldSymbolisation()
        return ([cached, cold], cachedNotes + coldNotes)
    }

    /// `NativeCallers.shared.caller()` from one call site, after a first call has symbolised
    /// (and cached) the caller's return address: a full stack unwind (libunwind), the search
    /// for the first frame outside DeviceShim, and a cache lookup.
    ///
    /// DeviceShim is linked into this executable, so the "first frame outside DeviceShim" is
    /// libc's start routine: every call unwinds the whole stack. The peer, glibc's
    /// `backtrace()` into a 64-entry buffer, unwinds the same whole stack and does nothing
    /// else, so the difference is DeviceShim's filtering and cache lookup (and libunwind's
    /// unwinder against libgcc's).
    static func cachedCaller() -> (ResultRow, [String]) {
        let first = NativeCallers.shared.caller()
        let deviceShim = Timing.nanosecondsPerOperation { operations in
            for _ in 0..<operations {
                blackHole(NativeCallers.shared.caller()?.offset ?? 0)
            }
        }
        var depth = 0
        let peer = withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: 64) { frames in
            Timing.nanosecondsPerOperation { operations in
                for _ in 0..<operations {
                    depth = Int(glibcBacktrace(frames.baseAddress!, 64))
                    blackHole(depth)
                }
            }
        }
        let found = first.flatMap { caller in caller.symbol.map { $0 + " (" + (caller.object ?? "?") + ")" } } ?? "nil"
        let row = ResultRow(name: "caller(), cached", deviceShim: deviceShim,
                            peer: "glibc backtrace(64)", peerNanoseconds: peer, target: 1000)
        return (row, [
            "caller(): DeviceShim is statically linked here, so each call unwinds the whole stack "
                + "(\(depth) frames) to the first frame outside the executable: \(found)",
            "caller(): " + NativeCallers.capabilities,
        ])
    }

    /// `ds_symbolize` (what `NativeCallers` runs once per new return address) on a set of
    /// distinct addresses, with no per-address cache: `dladdr`, the object's real path,
    /// demangling, and a DWARF line lookup through libdw. libdw's per-object state (the
    /// object list, each object's tables) is built on first use; the first pass over the
    /// addresses pays for it and is reported separately in a note.
    ///
    /// The peer is `dladdr` alone on the same addresses: the symbol-table part of the work,
    /// without DWARF, copies or demangling. There is no target; it shows what a first
    /// record from a new call site costs, once per call site.
    static func coldSymbolisation() -> (ResultRow, [String]) {
        let addresses = sampleAddresses()
        var info = ds_symbol_info()

        var firstPass: UInt64 = 0
        for address in addresses {
            let start = Timing.now()
            ds_symbolize(address, &info)
            firstPass += Timing.now() - start
            ds_symbol_info_free(&info)
        }

        let deviceShim = Timing.nanosecondsPerOperation(batchNanoseconds: 50_000_000) { operations in
            for i in 0..<operations {
                blackHole(Int(ds_symbolize(addresses[i % addresses.count], &info)))
                ds_symbol_info_free(&info)
            }
        }
        // Dl_info is four pointers: file name, file base, symbol name, symbol address.
        let peer = withUnsafeTemporaryAllocation(of: UInt.self, capacity: 4) { loaded in
            Timing.nanosecondsPerOperation { operations in
                for i in 0..<operations {
                    let callSite = UnsafeRawPointer(bitPattern: addresses[i % addresses.count] - 1)
                    blackHole(Int(dladdr(callSite, loaded.baseAddress!)))
                }
            }
        }
        let row = ResultRow(name: "ds_symbolize, no cache", deviceShim: deviceShim,
                            peer: "dladdr only", peerNanoseconds: peer, target: nil)
        let average = Report.format(Double(firstPass) / Double(addresses.count), decimals: 0)
        return (row, [
            "ds_symbolize: \(addresses.count) distinct addresses (libc, libswiftCore, this executable's stack); "
                + "first pass, while libdw reads each object: \(average) ns/op",
        ])
    }

    /// Distinct code addresses, as return addresses would be: a few bytes into libc and
    /// Swift runtime functions, plus the return addresses on this benchmark's own stack.
    static func sampleAddresses() -> [UInt] {
        let functions = ["malloc", "free", "fopen", "fclose", "qsort", "getenv", "pthread_create", "dlopen",
                         "swift_retain", "swift_release", "swift_allocObject"]
        var addresses = functions.compactMap { name in
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { UInt(bitPattern: $0) + 8 }
        }
        withUnsafeTemporaryAllocation(of: UInt.self, capacity: 64) { frames in
            let count = Int(ds_capture_stack(frames.baseAddress!, 64))
            for address in frames.prefix(count) where !addresses.contains(address) { addresses.append(address) }
        }
        return addresses
    }

    // Swift's Glibc module declares neither `backtrace` (execinfo.h) nor `dladdr` (a GNU
    // extension of dlfcn.h), so both are looked up once with dlsym. glibc's own `backtrace`
    // is found: DeviceShim opens libunwind privately (RTLD_LOCAL), so it cannot shadow it.

    static let glibcBacktrace = unsafeBitCast(
        libcFunction("backtrace"), to: (@convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, Int32) -> Int32).self)

    static let dladdr = unsafeBitCast(
        libcFunction("dladdr"), to: (@convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer) -> Int32).self)

    static func libcFunction(_ name: String) -> UnsafeMutableRawPointer {
        guard let function = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("dlsym(\(name)) failed") }
        return function
    }
}
