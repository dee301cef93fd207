#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// Programs are compiled once: a fresh cache over the same directory (what a second process
/// sees) loads the binary instead, a corrupt entry is rebuilt, and a compile error carries
/// the build log.
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLProgramCacheTests {
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/deviceshim-opencl-cache-XXXXXX".utf8CString)
        let made = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) })
        return String(cString: made) + "/nested/dir"
    }

    @Test func aSecondLoadUsesTheCachedBinary() throws {
        let device = try OpenCLTestDevice.device()
        let directory = try Self.temporaryDirectory()
        let source = "__kernel void twice(__global float *x) { x[get_global_id(0)] *= 2.0f; } /* \(UInt64.random(in: 0...UInt64.max)) */"
        let first = OpenCLProgramCache(directory: directory)
        release(try first.program(name: "twice", source: source, options: "", device: device), device)
        #expect(first.compileCount.load(ordering: .relaxed) == 1)
        let path = try #require(first.entryPath(name: "twice", source: source, options: "", device: device))
        #expect(access(path, R_OK) == 0, "no cache file at \(path)")

        let second = OpenCLProgramCache(directory: directory)
        release(try second.program(name: "twice", source: source, options: "", device: device), device)
        #expect(second.compileCount.load(ordering: .relaxed) == 0)
        #expect(second.binaryLoadCount.load(ordering: .relaxed) == 1)

        let garbage: [UInt8] = Array("not a binary".utf8)
        OpenCLProgramCache.writeAtomically(garbage, to: path)
        let third = OpenCLProgramCache(directory: directory)
        release(try third.program(name: "twice", source: source, options: "", device: device), device)
        #expect(third.compileCount.load(ordering: .relaxed) == 1)
        let fourth = OpenCLProgramCache(directory: directory)
        release(try fourth.program(name: "twice", source: source, options: "", device: device), device)
        #expect(fourth.binaryLoadCount.load(ordering: .relaxed) == 1)
        unlink(path)
        var folder = directory
        for _ in 0..<3 {
            rmdir(folder)
            folder = String(folder[..<(folder.lastIndex(of: "/") ?? folder.endIndex)])
        }
    }

    @Test func aCompileErrorCarriesTheBuildLog() throws {
        let device = try OpenCLTestDevice.device()
        let cache = OpenCLProgramCache(directory: nil)
        do {
            _ = try cache.program(name: "broken", source: "__kernel void broken( { undeclared_name; }", options: "", device: device)
            Issue.record("a broken program compiled")
        } catch {
            guard case let .compileFailed(id, log) = error else { throw error }
            #expect(id == device.id)
            #expect(!log.isEmpty)
        }
    }

    @Test func theDeviceBuildsEachFamilyOnce() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 64)
        let operand = StridedOperand(buffer, dtype: .float32, shape: [16])
        try queue.unary(.neg, input: operand, output: operand)
        let loads = device.programs.cache.compileCount.load(ordering: .relaxed) + device.programs.cache.binaryLoadCount.load(ordering: .relaxed)
        try queue.unary(.abs, input: operand, output: operand)
        try queue.unary(.exp, input: operand, output: operand)
        try queue.synchronize()
        #expect(device.programs.cache.compileCount.load(ordering: .relaxed) + device.programs.cache.binaryLoadCount.load(ordering: .relaxed)
            == loads)
    }

    private func release(_ program: OpaquePointer, _ device: OpenCLDevice) {
        _ = device.api.cl.clReleaseProgram!(program)
    }
}
